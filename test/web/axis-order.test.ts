/**
 * A map stored in another axis order than columns, rows, sections = x, y, z (MRC words 17–19): the web app
 * names its box and slice axes spatially, as the voxel size is given and ChimeraX shows the map, and says how
 * the file stores it. The map is written by the test's own builder (test/io/mrc-builder.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { buildMrc } from '../io/mrc-builder.js';
import { seededValues } from '../random.js';
import { openApp, type App } from './browser.js';

// Columns (12) run along z, rows (10) along x, sections (8) along y.
const [COLUMNS, ROWS, SECTIONS] = [12, 10, 8];

let app: App;
let page: Page;
let work: string;

describe('web app: a map stored in another axis order', { timeout: 120_000 }, () => {
  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'occupy-web-axes-'));
    const bytes = buildMrc({
      nx: COLUMNS,
      ny: ROWS,
      nz: SECTIONS,
      mode: 2,
      values: seededValues(COLUMNS * ROWS * SECTIONS, 11),
      axisOrder: [3, 1, 2],
      sampling: [ROWS, SECTIONS, COLUMNS],
      cell: [ROWS * 1.5, SECTIONS * 1.5, COLUMNS * 1.5],
    });
    writeFileSync(path.join(work, 'turned.mrc'), bytes);
    app = await openApp();
    page = app.page;
    await page.setInputFiles('#open-input', path.join(work, 'turned.mrc'));
    await page.waitForSelector('#info-input [data-fact="box"]');
  });

  after(async () => {
    await app?.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('the box is given along x, y, z, and the stored order beside it', async () => {
    assert.equal(await page.textContent('#info-input [data-fact="box"]'), `${ROWS} × ${SECTIONS} × ${COLUMNS}`);
    assert.equal(await page.textContent('#info-input [data-fact="axis-order"]'), 'columns along z, rows along x, sections along y');
  });

  test('the slice axes are named by the spatial axis they run along', async () => {
    const names = await Promise.all(['x', 'y', 'z'].map((a) => page.textContent(`#axis-${a}-name`)));
    assert.deepEqual(names, ['z', 'x', 'y'], 'across columns, rows, sections');
    await page.check('#axis-z'); // the file's sections: planes of constant y
    await page.locator('#slice-slider').fill('3');
    assert.equal(await page.textContent('#slice-label'), `y = 3 of ${SECTIONS}`);
    await page.check('#axis-x'); // across the columns: planes of constant z
    assert.match((await page.textContent('#slice-label')) ?? '', new RegExp(`^z = \\d+ of ${COLUMNS}$`));
  });

  test('no errors in the page', () => {
    assert.deepEqual(app.errors, []);
  });
});
