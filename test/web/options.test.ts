/**
 * Every estimation and modification setting of the page reaches the run as the CLI flag it stands for: set
 * them all through the controls, modify, and compare the logged command line with the expected one and every
 * downloaded file with the CLI's run of it (a down-sampled run, so the processing-box paths are covered too).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { loggedCommand, openAppOnFixture, runLoggedCommand, saveDownload, waitForRun, type App } from './browser.js';

const MAP = '1tii_occ_64.mrc';

describe('web app settings become the CLI flags', { timeout: 120_000 }, () => {
  let app: App;
  let page: Page;
  let work: string;

  const setNumber = async (selector: string, value: string) => {
    await page.fill(selector, value);
    await page.press(selector, 'Enter');
  };

  before(async () => {
    ({ app, page, work } = await openAppOnFixture(MAP, 'occupy-web-options-'));
  });

  after(() => app?.close());

  test('max box down-samples: the settings shown follow the processing box', async () => {
    await setNumber('#set-max-box', '48');
    assert.match((await page.textContent('#settings-derived')) ?? '', /processing box 48³ at 2\.133 Å\/voxel \(down-sampled/);
    assert.equal(await page.inputValue('#set-tile-size'), '2');
  });

  test('a modification with every option set runs as the CLI command it logs, with the same files', async () => {
    await setNumber('#set-lowpass', '10');
    await page.check('#set-naive');
    await page.check('#set-nlrc');
    await setNumber('#set-hedge', '2');
    await page.check('#mod-sigmoid-on');
    await page.locator('#mod-sigmoid-power').fill('3');
    await page.locator('#mod-sigmoid-pivot').fill('0.3');
    assert.equal(await page.inputValue('#mod-sigmoid-pivot-value'), '0.3');
    // Between the slider's steps, typed beside it; out of the CLI's range, refused.
    await setNumber('#mod-sigmoid-pivot-value', '0.995');
    assert.match((await page.getAttribute('#mod-sigmoid-pivot-value', 'title')) ?? '', /^must be between 0\.01 and 0\.99/);
    await setNumber('#mod-sigmoid-pivot-value', '0.305');
    assert.doesNotMatch((await page.getAttribute('#mod-sigmoid-pivot-value', 'class')) ?? '', /invalid/);
    await setNumber('#mod-scale-limit', '0.1');
    await page.check('#mod-exclude-solvent');
    await page.uncheck('#mod-use-confidence');
    await setNumber('#mod-lowpass-output', '9');
    await page.check('#mod-hist-match');
    await page.uncheck('#out-chimerax');
    await page.click('#run-modify');
    assert.equal(await waitForRun(page, 1), 'done', (await page.textContent('#message')) ?? '');

    const command = await loggedCommand(page, 1);
    assert.equal(
      command,
      `occupy -i ${MAP} -lp 10 --max-box 48 --S0 --nlrc --hedge-confidence 2 --sigmoid 3 --pivot 0.305 --scale-limit 0.1 ` +
        '--exclude-solvent --omit-confidence --lowpass-output 9 --hist-match --plot --no-chimerax',
    );
    const cli = runLoggedCommand(command, work, path.join(work, MAP));

    const { bytes } = await saveDownload(page, work, () => page.click('#download-zip'));
    const zip = unzipSync(new Uint8Array(bytes));
    const written = readdirSync(cli).filter((name) => name !== MAP);
    assert.deepEqual(Object.keys(zip).sort(), written.sort());
    assert.ok(written.includes(`sigm_3.0-0.30_solExcl_${MAP}`), `the modified map: ${written}`);
    assert.ok(written.includes(`scale_naive_occ_${MAP}`), `the naive scale map: ${written}`);
    for (const name of written.filter((n) => !n.endsWith('.png') && !n.startsWith('report_'))) {
      assert.ok(Buffer.from(zip[name]).equals(readFileSync(path.join(cli, name))), `${name} differs from the CLI's`);
    }
  });

  test('the preview works on the down-sampled processing map', async () => {
    await page.click('#layer-tabs button[data-layer="preview"]');
    await page.waitForSelector('#slice-canvas[data-layer="preview"]');
    assert.equal(await page.getAttribute('#slice-canvas', 'data-width'), '48');
    assert.deepEqual(app.errors, []);
  });
});
