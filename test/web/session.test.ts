/**
 * What the session shows matches what it runs (headless Chromium, as app.test.ts):
 * - no run starts while a map is still being read (it would run on, and log, the old one);
 * - a run that draws a seed for synthetic solvent logs it, so the logged command line repeats the run (the
 *   CLI given that line writes the same map);
 * - the preview says when "Modify map" will estimate another scale than the one it previews;
 * - the NaN refusal points at what can be done from the app;
 * - a run's zip has one name wherever it is downloaded, and the run status never shows an empty stage.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { unzipSync } from 'fflate';
import { decodeMrc, encodeMrc } from '../../src/format/mrc-format.js';
import { createVolume } from '../../src/core/volume.js';
import { loggedCommand, openAppOnFixture, runLoggedCommand, saveDownload, waitForRun, type App } from './browser.js';
import { fixturesDir } from '../fixtures/fixture-cases.js';

const MAP = '1tii_occ_64.mrc';

let app: App;
let page: Page;
let work: string;

const download = (click: () => Promise<void>) => saveDownload(page, work, click);

describe('web app session: what is shown is what runs', { timeout: 300_000 }, () => {
  before(async () => {
    ({ app, page, work } = await openAppOnFixture(MAP, 'occupy-web-session-'));
  });

  after(() => app?.close());

  test('no run can start while a map is being read', async () => {
    const b64 = readFileSync(path.join(work, MAP)).toString('base64');
    // The file is handed to the input and the buttons looked at in one go, before the read can finish.
    const during = await page.evaluate((data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'second.mrc'));
      const input = document.querySelector<HTMLInputElement>('#open-input')!;
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      const estimate = document.querySelector<HTMLButtonElement>('#run-estimate')!;
      return { disabled: estimate.disabled, title: estimate.title };
    }, b64);
    assert.deepEqual(during, { disabled: true, title: 'Reading second.mrc…' });
    await page.waitForSelector('#info-input .file-name:text("second.mrc")');
    assert.equal(await page.isDisabled('#run-estimate'), false, 'enabled again once read');
  });

  test('a drawn seed is logged, so the logged command line writes the same modified map', async () => {
    await page.selectOption('#set-scale-mode', 'occ');
    await page.check('#mod-attenuate-on');
    await page.locator('#mod-attenuate-power').fill('3');
    await page.fill('#mod-seed', '');
    await page.press('#mod-seed', 'Enter');
    await page.click('#run-modify');
    assert.equal(await waitForRun(page, 1), 'done');
    const command = await loggedCommand(page, 1);
    const seed = /--seed (\d+)/.exec(command)?.[1];
    assert.ok(seed, `the command line carries the seed drawn: ${command}`);
    assert.equal((await page.textContent('#run-status'))?.includes('…'), false, 'no stage shown once done');

    const out = runLoggedCommand(command, work, path.join(work, MAP), 'second.mrc');
    const name = 'attn_3.0_second.mrc';
    const got = await download(() => page.click(`#downloads button[data-file="${name}"]`));
    assert.ok(got.bytes.equals(readFileSync(path.join(out, name))), `${name} differs from the CLI's for ${command}`);

    // One zip name, from the results and from the log.
    const fromResults = await download(() => page.click('#download-zip'));
    const fromLog = await download(() => page.click('.log-entry[data-run="1"] button.link'));
    assert.equal(fromResults.name, 'occupy_run1_second.zip');
    assert.equal(fromLog.name, fromResults.name);
    // Maps are stored, not deflated (deflating hundreds of MB took ~20 s in the browser): the zip is at least
    // as large as its maps.
    const entries = unzipSync(new Uint8Array(fromResults.bytes));
    const mapBytes = Object.entries(entries).filter(([name]) => name.endsWith('.mrc')).reduce((n, [, bytes]) => n + bytes.length, 0);
    assert.ok(mapBytes > 0 && fromResults.bytes.length > mapBytes, `zip ${fromResults.bytes.length} bytes, maps ${mapBytes}`);
    assert.ok(Buffer.from(entries[name]).equals(got.bytes), `${name} in the zip`);
  });

  test('the preview says when Modify map would estimate another scale', async () => {
    await page.selectOption('#set-scale-mode', 'auto');
    await page.click('#run-estimate');
    assert.equal(await waitForRun(page, 2), 'done');
    await page.click('#layer-tabs button[data-layer="preview"]');
    // Run 2 estimated the resolution scale ("auto" without a modification); Modify would use occupancy.
    await page.waitForSelector('#slice-caption:has-text("Modify map will use the occupancy scale")');
    await page.selectOption('#set-scale-mode', 'res');
    await page.waitForSelector('#slice-caption:not(:has-text("Modify map will use"))');
  });

  test('a seed typed for a run that draws no synthetic solvent (amplify alone) is left out, as on the command line', async () => {
    await page.uncheck('#mod-attenuate-on');
    await page.check('#mod-amplify-on');
    await page.fill('#mod-seed', '7');
    await page.press('#mod-seed', 'Enter');
    const next = (await page.locator('.log-entry').count()) + 1;
    await page.click('#run-modify');
    assert.equal(await waitForRun(page, next), 'done');
    const command = await loggedCommand(page, next);
    assert.match(command, / -am 2(\s|$)/);
    assert.doesNotMatch(command, /--seed/, 'the CLI would say the seed is ignored');
    await page.uncheck('#mod-amplify-on');
  });

  test('a map with NaN values is refused with what the app user can do, and a 2D image when opened', async () => {
    const { geometry } = decodeMrc(readFileSync(path.join(work, MAP)), MAP);
    const values = new Float32Array(32 ** 3).map((_, i) => Math.sin(i));
    values[100] = NaN;
    await page.setInputFiles('#open-input', { name: 'nan.mrc', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeMrc(createVolume(32, 32, 32, values), geometry)) });
    await page.waitForSelector('#message [role="alert"]');
    const message = (await page.textContent('#message')) ?? '';
    assert.match(message, /nan\.mrc: 1 of 32768 voxels is NaN or infinite/);
    assert.match(message, /fix the map first \(the command line can replace them with the solvent mean: occupy --replace-non-finite\)/);

    // A 2D image: refused when opened, not at the first run.
    await page.setInputFiles('#open-input', { name: 'image.mrc', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeMrc(createVolume(1, 32, 32, values.slice(200, 200 + 1024)), geometry)) });
    await page.waitForSelector('#message:has-text("image.mrc")');
    assert.match((await page.textContent('#message')) ?? '', /image\.mrc: the map is 32x32x1 voxels, a single section thick: a 2D image, not a 3D map\./);
  });

  test('the log cannot be cleared while a run goes on (its entry is filled in when the run ends)', async () => {
    const next = (await page.locator('.log-entry').count()) + 1;
    // The run starts and the buttons are looked at in one go, before the run can end.
    const clearable = await page.evaluate(() => {
      document.querySelector<HTMLButtonElement>('#run-estimate')!.click();
      return !document.querySelector<HTMLButtonElement>('#log-clear')!.disabled;
    });
    assert.equal(clearable, false);
    assert.equal(await waitForRun(page, next), 'done');
    assert.equal(await page.isDisabled('#log-clear'), false, 'clearable again once it has ended');
  });

  test('every finished run offers its files or says they are no longer kept (the three latest are)', async () => {
    // At least four finished runs, so that one has had its files dropped.
    while ((await page.locator('.log-entry[data-status="done"]').count()) < 4) {
      const next = (await page.locator('.log-entry').count()) + 1;
      await page.click('#run-estimate');
      assert.equal(await waitForRun(page, next), 'done');
    }
    const entries = await page.$$eval('.log-entry[data-status="done"] header', (headers) => headers.map((h) => h.textContent ?? ''));
    const offered = entries.filter((t) => t.includes('files (.zip)')).length;
    assert.equal(offered, Math.min(3, entries.length));
    assert.equal(entries.filter((t) => t.includes('files no longer kept')).length, entries.length - offered);
  });

  test('a mask is judged against the input open now: opening another input re-judges it', async () => {
    await page.setInputFiles('#open-solventDefinition', path.join(fixturesDir(), '1tii_occ_64_soldef.mrc'));
    await page.waitForSelector('#info-solventDefinition [data-fact="box"]');
    assert.doesNotMatch((await page.textContent('#info-solventDefinition')) ?? '', /differs|voxel size \(/, 'fits the 64³ input');
    assert.equal(await page.isDisabled('#run-estimate'), false);
    await page.setInputFiles('#open-input', path.join(fixturesDir(), '1tii_occ_96.mrc'));
    await page.waitForSelector('#info-input .file-name:text("1tii_occ_96.mrc")');
    assert.match((await page.textContent('#info-solventDefinition')) ?? '', /1tii_occ_64_soldef\.mrc: its box 64×64×64 differs from the input's 96×96×96; runs wait/);
    assert.equal(await page.isDisabled('#run-estimate'), true, 'runs wait: a run would refuse the mask');
    await page.click('#info-solventDefinition button');
    // Closing goes through the worker: the button is enabled once the page hears back.
    await page.waitForSelector('#run-estimate:not([disabled])');
    assert.equal(await page.locator('#info-solventDefinition [data-fact="box"]').count(), 0, 'closed');
  });

  test('no errors in the page', () => {
    assert.deepEqual(app.errors, []);
  });
});
