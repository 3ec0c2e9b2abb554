/**
 * A map stored in another axis order than columns, rows, sections = x, y, z (MRC words 17–19): the web app
 * names its box and slice axes spatially, as the voxel size is given and ChimeraX shows the map, and says how
 * the file stores it. The map is written by the test's own builder (test/format/mrc-builder.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { buildMrc } from '../format/mrc-builder.js';
import { seededValues } from '../random.js';
import { openApp, saveDownload, type App } from './browser.js';

// Columns (12) run along z, rows (10) along x, sections (8) along y.
const [COLUMNS, ROWS, SECTIONS] = [12, 10, 8];

/** A map of `nx` columns, `ny` rows and `nz` sections at 1.5 Å, stored in `axisOrder`. */
function mapBytes(nx: number, ny: number, nz: number, axisOrder: [number, number, number], seed: number): Buffer {
  const counts = [nx, ny, nz];
  const along = [1, 2, 3].map((a) => counts[axisOrder.indexOf(a)]) as [number, number, number]; // along x, y, z
  return Buffer.from(
    buildMrc({ nx, ny, nz, mode: 2, values: seededValues(nx * ny * nz, seed), axisOrder, sampling: along, cell: along.map((n) => n * 1.5) as [number, number, number] }),
  );
}

const upload = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/octet-stream', buffer });

let app: App;
let page: Page;
let work: string;

describe('web app: a map stored in another axis order', { timeout: 120_000 }, () => {
  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'occupy-web-axes-'));
    writeFileSync(path.join(work, 'turned.mrc'), mapBytes(COLUMNS, ROWS, SECTIONS, [3, 1, 2], 11));
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
    const { name } = await saveDownload(page, work, () => page.click('#save-slice-png'));
    assert.equal(name, 'turned_input_y3.png', 'the saved slice is named by its spatial axis');
    await page.check('#axis-x'); // across the columns: planes of constant z
    await page.locator('#slice-slider').fill('5');
    assert.equal(await page.textContent('#slice-label'), `z = 5 of ${COLUMNS}`);
  });

  test('a mask alike along x, y, z but stored otherwise is named so, and runs wait (a run compares stored boxes)', async () => {
    await page.setInputFiles('#open-solventDefinition', upload('plain.mrc', mapBytes(ROWS, SECTIONS, COLUMNS, [1, 2, 3], 12)));
    await page.waitForSelector('#info-solventDefinition [data-fact="box"]');
    assert.equal(await page.textContent('#info-solventDefinition [data-fact="box"]'), `${ROWS} × ${SECTIONS} × ${COLUMNS}`);
    assert.equal(await page.locator('#info-solventDefinition [data-fact="axis-order"]').count(), 0, 'nothing to say of the usual order');
    assert.match(
      (await page.textContent('#info-solventDefinition')) ?? '',
      /plain\.mrc: its box 10×8×12 is stored with columns along x, rows along y, sections along z, the input's with columns along z, rows along x, sections along y; runs wait until it is closed/,
    );
    assert.equal(await page.isDisabled('#run-estimate'), true);
    await page.click('#info-solventDefinition button');
    await page.waitForSelector('#run-estimate:not([disabled])');
  });

  test("a mask of the input's stored box in another axis order is used, with the command line's warning", async () => {
    await page.setInputFiles('#open-solventDefinition', upload('flat.mrc', mapBytes(COLUMNS, ROWS, SECTIONS, [1, 2, 3], 13)));
    await page.waitForSelector('#info-solventDefinition [data-fact="box"]');
    assert.match(
      (await page.textContent('#info-solventDefinition')) ?? '',
      /flat\.mrc: it is stored with columns along x, rows along y, sections along z \(axis order 1, 2, 3\), the map with columns along z, rows along x, sections along y \(axis order 3, 1, 2\); it is used voxel for voxel as stored/,
    );
    assert.equal(await page.isDisabled('#run-estimate'), false);
    await page.click('#info-solventDefinition button');
  });

  test('a map in the usual order opened next: x, y, z again, and no stored order on its card', async () => {
    await page.setInputFiles('#open-input', upload('plain.mrc', mapBytes(COLUMNS, ROWS, SECTIONS, [1, 2, 3], 14)));
    await page.waitForFunction(() => document.querySelector('#info-input .file-name')?.textContent?.startsWith('plain.mrc'));
    assert.equal(await page.textContent('#info-input [data-fact="box"]'), `${COLUMNS} × ${ROWS} × ${SECTIONS}`);
    assert.equal(await page.locator('#info-input [data-fact="axis-order"]').count(), 0);
    const names = await Promise.all(['x', 'y', 'z'].map((a) => page.textContent(`#axis-${a}-name`)));
    assert.deepEqual(names, ['x', 'y', 'z']);
  });

  test('no errors in the page', () => {
    assert.deepEqual(app.errors, []);
  });
});
