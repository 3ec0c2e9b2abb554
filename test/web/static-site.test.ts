/**
 * dist/web as a plain static site: copied under a sub-path of another site, served without the
 * cross-origin-isolation headers `occupy gui` sends. The app must still load, open maps, show an opened scale
 * map and estimate (on one thread, since memory cannot be shared there).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { decodeMrc } from '../../src/format/mrc-format.js';
import { fixturesDir } from '../fixtures/fixture-cases.js';
import { openApp, repoRoot, waitForRun, type App } from './browser.js';
import { occupyBin } from '../cli/harness.js';

const MAP = '1tii_occ_64.mrc';

describe('web app as a static site under a sub-path, without cross-origin isolation', { timeout: 120_000 }, () => {
  let app: App;
  let page: Page;
  let work: string;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'occupy-static-'));
    const site = path.join(work, 'site');
    cpSync(path.join(repoRoot, 'dist', 'web'), path.join(site, 'tools', 'occupy'), { recursive: true });
    writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>another site</title>');
    copyFileSync(path.join(fixturesDir(), MAP), path.join(work, MAP));
    const r = spawnSync(process.execPath, [occupyBin(), '-i', MAP, '--occupancy', '--quiet'], { cwd: work, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    app = await openApp({ site: { root: site, path: 'tools/occupy/', isolate: false } });
    page = app.page;
  });

  after(async () => {
    await app?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('loads from the sub-path and runs the core on one thread', async () => {
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    await page.waitForSelector('body[data-threads]');
    assert.equal(await page.getAttribute('body', 'data-threads'), '1');
  });

  test('shows an opened scale map and previews a modification by it, before any run', async () => {
    await page.setInputFiles('#open-input', path.join(work, MAP));
    await page.waitForSelector('#info-input [data-fact="box"]');
    const scaleFile = path.join(work, `scale_occ_${MAP}`);
    await page.setInputFiles('#open-scale', scaleFile);
    await page.waitForSelector('#slice-canvas[data-layer="scale"]');
    await page.locator('#slice-slider').fill('20');
    await page.waitForSelector('#slice-canvas[data-index="20"]');
    const { volume } = decodeMrc(readFileSync(scaleFile), 'scale');
    let sum = 0;
    for (let i = 20 * 64 * 64; i < 21 * 64 * 64; i++) sum += volume.data[i];
    assert.equal(await page.getAttribute('#slice-canvas', 'data-mean'), String(sum / (64 * 64)));
    await page.check('#mod-amplify-on');
    await page.waitForSelector('#slice-canvas[data-layer="preview"]');
    assert.match((await page.textContent('#slice-caption')) ?? '', /opened scale, without confidence/);
  });

  test('estimates', async () => {
    await page.click('#run-estimate');
    assert.equal(await waitForRun(page, 1), 'done');
    assert.equal(await page.getAttribute('#slice-canvas', 'data-layer'), 'scale');
    assert.deepEqual(app.errors, []);
  });
});
