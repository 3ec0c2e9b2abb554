/**
 * The web app end to end, in headless Chromium (Debian's chromium, driven by playwright-core): open the
 * fixture map, estimate, check what is shown and downloaded against the CLI run with the command line the
 * session log gives, move the modification sliders and watch the preview, modify, download, view in 3D.
 *
 * The CLI is the oracle: every downloaded map, log, ChimeraX script and SVG figure must equal, byte for
 * byte, what `occupy` writes for the same settings (the report differs only in timings and the command).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { decodeMrc, encodeMrc } from '../../src/format/mrc-format.js';
import { createVolume } from '../../src/core/volume.js';
import { deriveSettings } from '../../src/core/settings.js';
import { OCCUPY_PALETTE } from '../../src/report/palette.js';
import { fixturesDir } from '../fixtures/fixture-cases.js';
import { runOccupy } from '../cli/harness.js';
import { loggedCommand, openApp, repoRoot, runLoggedCommand, saveDownload, waitForRun, type App } from './browser.js';

const MAP = '1tii_occ_64.mrc';
const STEM = '1tii_occ_64';

let app: App;
let page: Page;
let work: string;

/** Runs the CLI in `work` (beside its copy of the input) with the arguments of a logged command line. */
const cli = (command: string, input = MAP) => runLoggedCommand(command, work, path.join(work, input));

const download = (click: () => Promise<void>) => saveDownload(page, work, click);

const lastCommand = (run: number) => loggedCommand(page, run);

async function showLayer(layer: string, axis: 'x' | 'y' | 'z', index: number): Promise<void> {
  await page.click(`#layer-tabs button[data-layer="${layer}"]`);
  await page.check(`#axis-${axis}`);
  await page.locator('#slice-slider').fill(String(index));
  await page.waitForSelector(`#slice-canvas[data-layer="${layer}"][data-index="${index}"]`);
}

/** The mean over a z section of a map file, summed in float64 in file order as the page does. */
function sectionMean(file: string, z: number, transform: (v: number) => number = (v) => v): number {
  const { volume } = decodeMrc(readFileSync(file), file);
  const plane = volume.nx * volume.ny;
  let sum = 0;
  for (let i = z * plane; i < (z + 1) * plane; i++) sum += transform(volume.data[i]);
  return sum / plane;
}

function paletteRgb(t: number): number[] {
  const stops = OCCUPY_PALETTE.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  return stops[i].map((a, c) => a + (stops[i + 1][c] - a) * (x - i));
}

describe('web app (headless Chromium)', { timeout: 300_000 }, () => {
  let estimateCli: string;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'occupy-web-'));
    copyFileSync(path.join(fixturesDir(), MAP), path.join(work, MAP));
    app = await openApp({ downloads: work });
    page = app.page;
  });

  after(async () => {
    await app?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('is served cross-origin isolated, so the core can share memory between its workers', async () => {
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    await page.waitForSelector('body[data-threads]');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(Number(await page.getAttribute('body', 'data-threads')), Math.min(8, cores), 'the worker pool uses the cores');
  });

  test('opens a map with the file picker and shows its box, voxel size and value range', async () => {
    await page.setInputFiles('#open-input', path.join(work, MAP));
    await page.waitForSelector('#info-input [data-fact="box"]');
    assert.equal(await page.textContent('#info-input [data-fact="box"]'), '64 × 64 × 64');
    assert.equal(await page.textContent('#info-input [data-fact="voxel-size"]'), '1.6 Å');
    const { volume } = decodeMrc(readFileSync(path.join(work, MAP)), MAP);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of volume.data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    assert.equal(await page.textContent('#info-input [data-fact="value-range"]'), `${Number(lo.toPrecision(4))} … ${Number(hi.toPrecision(4))}`);
  });

  test('kernel settings are computed from the map, and editing one recomputes its dependents', async () => {
    const shown = async () => ({
      lowpass: Number(await page.inputValue('#set-lowpass')),
      size: Number(await page.inputValue('#set-kernel-size')),
      radius: Number(await page.inputValue('#set-kernel-radius')),
      nv: Number(await page.textContent('#set-sample-count')),
      tau: Number(await page.inputValue('#set-tau')),
      tile: Number(await page.inputValue('#set-tile-size')),
    });
    const expected = (request: Parameters<typeof deriveSettings>[2]) => {
      const s = deriveSettings(Math.fround(1.6), 64, request);
      const six = (v: number) => Number(v.toPrecision(6));
      return { lowpass: six(s.lowpass), size: s.kernel.size, radius: six(s.kernel.radius), nv: s.kernel.sampleCount, tau: six(s.tau), tile: s.tileSize };
    };
    assert.deepEqual(await shown(), expected({}));
    await page.fill('#set-lowpass', '14');
    await page.press('#set-lowpass', 'Enter');
    assert.deepEqual(await shown(), expected({ lowpass: 14 }));
    assert.notEqual((await shown()).size, expected({}).size, 'a larger low-pass gives a larger kernel');
    await page.fill('#set-kernel-size', '5');
    await page.press('#set-kernel-size', 'Enter');
    assert.deepEqual(await shown(), expected({ lowpass: 14, kernelSize: 5 }));
    assert.equal(await page.isVisible('#set-kernel-size-reset'), true, 'a typed value can be reset');
    // Resetting the low-pass recomputes what depends on it, the typed kernel size included: back to the
    // CLI's defaults for the runs below.
    await page.click('#set-lowpass-reset');
    assert.deepEqual(await shown(), expected({}));
    assert.equal(await page.isVisible('#set-kernel-size-reset'), false);
  });

  test('estimates without freezing the page; the log gives the command line, and the downloads equal its CLI outputs', async () => {
    await page.selectOption('#set-scale-mode', 'occ');
    const [timing] = await Promise.all([mainThreadGaps(1), page.click('#run-estimate')]);
    assert.equal(await waitForRun(page, 1), 'done');
    // The job runs in a worker: the page's own 5 ms timers keep firing while it computes. Were it on the
    // main thread, none would fire until the run was over; a long stall within the run shows as a gap.
    const froze = `${timing.ticksWhileRunning} timer ticks during a ${timing.runMs.toFixed(0)} ms run, longest gap ${timing.longestGapMs.toFixed(0)} ms`;
    // (The gap bound leaves room for a garbage-collection pause or worker start-up on a loaded machine: on the
    // main thread the whole run would be one gap, with no tick at all.)
    assert.ok(timing.ticksWhileRunning >= 5 && timing.longestGapMs < Math.max(0.5 * timing.runMs, 1000), `the page froze: ${froze}`);
    const command = await lastCommand(1);
    assert.equal(command, `occupy -i ${MAP} --occupancy --plot`);
    estimateCli = cli(command);

    const files = [`scale_occ_${MAP}`, `conf_${MAP}`, `log_${STEM}.txt`, `chimX_${STEM}.cxc`, `solModel_${STEM}.svg`];
    for (const name of files) {
      const got = await download(() => page.click(`#downloads button[data-file="${name}"]`));
      assert.equal(got.name, name);
      assert.ok(got.bytes.equals(readFileSync(path.join(estimateCli, name))), `${name} differs from the CLI's`);
    }
    const report = JSON.parse((await download(() => page.click(`#downloads button[data-file="report_${STEM}.json"]`))).bytes.toString('utf8'));
    const cliReport = JSON.parse(readFileSync(path.join(estimateCli, `report_${STEM}.json`), 'utf8'));
    assert.deepEqual(report.settings, cliReport.settings);
    // Chromium's V8 and Node's differ in the last bit of some Math functions, so the double-precision
    // solvent fit can differ by an ulp; every map above was still identical.
    assertClose(report.figures, cliReport.figures, 1e-12);
    assert.deepEqual(report.outputs, cliReport.outputs);
    assert.equal(report.command, command);
    // A browser tells a page nothing of its process's memory: not measured, rather than a made-up 0.
    assert.equal(report.performance.peakResidentMB, null);
    assert.equal(report.performance.memory, undefined, 'how the CLI used memory: not from a browser');
    assert.ok(cliReport.performance.peakResidentMB > 0);
  });

  test('the scale shown is the CLI scale map: slice statistics and palette colours', async () => {
    const scaleFile = path.join(estimateCli, `scale_occ_${MAP}`);
    await showLayer('scale', 'z', 32);
    assert.equal(await page.getAttribute('#slice-canvas', 'data-mean'), String(sectionMean(scaleFile, 32)));
    const { volume } = decodeMrc(readFileSync(scaleFile), 'scale');
    const voxels = [
      [10, 10],
      [30, 40],
      [40, 25],
      [50, 33],
    ];
    const pixels = await page.evaluate((points) => {
      const canvas = document.getElementById('slice-canvas') as HTMLCanvasElement;
      const context = canvas.getContext('2d')!;
      return points.map(([u, v]) => Array.from(context.getImageData(u, v, 1, 1).data.slice(0, 3)));
    }, voxels);
    const scales = voxels.map(([u, v]) => volume.data[(32 * 64 + v) * 64 + u]);
    assert.ok(Math.max(...scales) - Math.min(...scales) > 0.3, `the probe voxels should span the scale range: ${scales}`);
    voxels.forEach((_, i) => {
      const want = paletteRgb(scales[i]);
      pixels[i].forEach((c, k) => assert.ok(Math.abs(c - want[k]) <= 1, `voxel ${voxels[i]}: colour ${pixels[i]} is not the palette's ${want} for scale ${scales[i]}`));
    });
    // Another axis of the same map: x = 32 is column 32 of every section.
    await showLayer('scale', 'x', 32);
    const column = [] as number[];
    for (let z = 0; z < 64; z++) for (let y = 0; y < 64; y++) column.push(volume.data[(z * 64 + y) * 64 + 32]);
    assert.equal(await page.getAttribute('#slice-canvas', 'data-mean'), String(column.reduce((a, b) => a + b, 0) / column.length));
  });

  test('the solvent-model plot is drawn after the estimate', async () => {
    const legend = (await page.textContent('#solvent-plot svg')) ?? '';
    for (const series of ['solvent region', 'solvent model (fit)', 'confidence', 'solvent edge']) assert.ok(legend.includes(series), `plot lacks ${series}`);
  });

  test('the preview follows the amplify slider, and equals the CLI amplified map', async () => {
    await page.check('#mod-amplify-on');
    await page.locator('#mod-amplify-power').fill('2');
    await page.check('#axis-z');
    await page.locator('#slice-slider').fill('32');
    await page.waitForSelector('#slice-canvas[data-layer="preview"][data-index="32"]');
    const amplified = cli(`occupy -i ${MAP} -am 2`);
    const at2 = await page.getAttribute('#slice-canvas', 'data-mean');
    assert.equal(at2, String(sectionMean(path.join(amplified, `ampl_2.0_${MAP}`), 32)));
    const plotAt2 = await page.innerHTML('#modification-plot');
    await page.locator('#mod-amplify-power').fill('4');
    const at4 = await page.getAttribute('#slice-canvas', 'data-mean');
    assert.ok(Number(at4) > Number(at2), `amplifying more must raise the slice mean (${at2} → ${at4})`);
    assert.notEqual(await page.innerHTML('#modification-plot'), plotAt2, 'the modification plot follows the slider');
    await page.locator('#mod-amplify-power').fill('2');
    assert.equal(await page.getAttribute('#slice-canvas', 'data-mean'), at2);
    assert.equal(await page.inputValue('#mod-amplify-power-value'), '2', 'the field beside the slider shows its power');
  });

  test('a power typed beside the slider may go past its end, as on the CLI; below 1 it is refused', async () => {
    const field = '#mod-amplify-power-value';
    await page.fill(field, '12');
    await page.press(field, 'Enter');
    assert.equal(await page.inputValue('#mod-amplify-power'), '10', 'the slider rests at its end');
    const amplified = cli(`occupy -i ${MAP} -am 12`);
    await page.waitForFunction((mean) => document.querySelector('#slice-canvas')?.getAttribute('data-mean') === mean, String(sectionMean(path.join(amplified, `ampl_12.0_${MAP}`), 32)));
    await page.fill(field, '0.5');
    await page.press(field, 'Enter');
    assert.match((await page.getAttribute(field, 'class')) ?? '', /invalid/);
    assert.match((await page.getAttribute(field, 'title')) ?? '', /^must be 1 or more/);
    assert.match((await page.textContent('#settings-invalid')) ?? '', /amplify power: must be 1 or more/, 'the notice names the field as a person would');
    assert.equal(await page.isDisabled('#run-modify'), true, 'no run with an invalid power');
    await page.locator('#mod-amplify-power').fill('2'); // the slider moves the state on: the field shows 2 again
    assert.equal(await page.inputValue(field), '2');
    assert.doesNotMatch((await page.getAttribute(field, 'class')) ?? '', /invalid/);
    // The slider set to the very power the state holds still replaces the invalid text.
    await page.fill(field, '0.5');
    await page.press(field, 'Enter');
    assert.match((await page.getAttribute(field, 'class')) ?? '', /invalid/);
    await page.locator('#mod-amplify-power').fill('2');
    assert.equal(await page.inputValue(field), '2');
    assert.doesNotMatch((await page.getAttribute(field, 'class')) ?? '', /invalid/);
    assert.equal(await page.isDisabled('#run-modify'), false);
    // Switched off, a modification's invalid power no longer keeps runs waiting.
    await page.fill(field, '0.5');
    await page.press(field, 'Enter');
    assert.equal(await page.isDisabled('#run-estimate'), true);
    await page.uncheck('#mod-amplify-on');
    assert.equal(await page.isDisabled('#run-estimate'), false);
    assert.equal(await page.inputValue(field), '2', 'the field shows the power held again');
    await page.check('#mod-amplify-on');
  });

  test('the solvent-definition tool previews the binarised scale', async () => {
    await page.check('#tool-soldef-on');
    await page.locator('#tool-soldef-threshold').fill('0.5');
    await showLayer('solventDefinition', 'z', 32);
    const limit = Math.fround(0.5);
    const fraction = sectionMean(path.join(estimateCli, `scale_occ_${MAP}`), 32, (v) => (v > limit ? 1 : 0));
    assert.equal(await page.getAttribute('#slice-canvas', 'data-mean'), String(fraction));
    // A threshold between the slider's steps, typed beside it.
    await page.fill('#tool-soldef-threshold-value', '0.125');
    await page.press('#tool-soldef-threshold-value', 'Enter');
    const between = sectionMean(path.join(estimateCli, `scale_occ_${MAP}`), 32, (v) => (v > Math.fround(0.125) ? 1 : 0));
    assert.notEqual(between, fraction, 'the two thresholds must select differently for this test to tell');
    await page.waitForFunction((mean) => document.querySelector('#slice-canvas')?.getAttribute('data-mean') === mean, String(between));
    await page.fill('#tool-soldef-threshold-value', '1.5');
    await page.press('#tool-soldef-threshold-value', 'Enter');
    assert.match((await page.getAttribute('#tool-soldef-threshold-value', 'title')) ?? '', /^must be between 0 and 1/);
    await page.uncheck('#tool-soldef-on'); // off: its invalid text no longer keeps runs waiting
    assert.equal(await page.isDisabled('#run-estimate'), false);
    assert.equal(await page.inputValue('#tool-soldef-threshold-value'), '0.125');
  });

  test('modifies with a seed and the mask tools; the zip holds the CLI outputs of the logged command', async () => {
    await page.check('#mod-attenuate-on');
    await page.locator('#mod-attenuate-power').fill('3');
    await page.fill('#mod-seed', '7');
    await page.press('#mod-seed', 'Enter');
    await page.check('#tool-soldef-on');
    await page.locator('#tool-soldef-threshold').fill('0.4');
    await page.check('#tool-subtraction');
    await page.click('#run-modify');
    assert.equal(await waitForRun(page, 2), 'done');
    const command = await lastCommand(2);
    assert.equal(command, `occupy -i ${MAP} -am 2 -at 3 --seed 7 --solvent-def-from-scale 0.4 --subtraction-mask --plot`);
    const reference = cli(command);
    const zip = unzipSync(new Uint8Array((await download(() => page.click('#download-zip'))).bytes));
    // Every file the CLI wrote is in the zip; all but the report (timings, command) and the PNG figures (drawn
    // by resvg there, by the browser here) byte for byte.
    const written = readdirSync(reference).filter((name) => name !== MAP);
    assert.deepEqual(Object.keys(zip).sort(), written.sort());
    assert.ok(written.includes(`solDef_0.40_${MAP}`) && written.includes(`subtractionMask_attn_3.0_${MAP}`), `masks: ${written}`);
    for (const name of written.filter((n) => !n.endsWith('.png') && !n.startsWith('report_'))) {
      assert.ok(Buffer.from(zip[name]).equals(readFileSync(path.join(reference, name))), `${name} differs from the CLI's`);
    }
    for (const png of written.filter((n) => n.endsWith('.png'))) {
      assert.deepEqual([...zip[png].subarray(1, 4)], [0x50, 0x4e, 0x47], `${png} is a PNG`);
    }
    await page.uncheck('#tool-soldef-on');
    await page.uncheck('#tool-subtraction');
    const single = await download(() => page.click(`#downloads button[data-file="attn_3.0_${MAP}"]`));
    assert.ok(single.bytes.equals(readFileSync(path.join(reference, `attn_3.0_${MAP}`))));
    // The viewer offers the modified maps.
    assert.equal(await page.getAttribute('#slice-canvas', 'data-layer'), 'modified:0');
  });

  test('3D view: the surface coloured by the scale, modified maps on the same view, saved as PNG', async () => {
    await page.click('#view-3d');
    await page.waitForSelector('#surface-panel[data-state="ready"]', { timeout: 120_000 });
    const options = await page.locator('#surface-map option').allTextContents();
    assert.deepEqual(options, [`input: ${MAP}`, `amplify 2: ampl_2.0_${MAP}`, `attenuate 3: attn_3.0_${MAP}`]);
    const inputPng = await download(() => page.click('#save-surface-png'));
    const colours = await colourCensus(inputPng.bytes);
    assert.ok(colours.drawn > 2000, `the surface covers too little of the view (${colours.drawn} pixels)`);
    assert.ok(colours.coloured / colours.drawn > 0.5, `the surface is not coloured by the palette (${colours.coloured}/${colours.drawn})`);
    // Min scale: everything below it takes the palette's first (red) colour, so raising it reddens the view.
    await page.locator('#surface-min-scale').fill('0.7');
    await page.waitForSelector('#surface-panel[data-state="ready"]');
    const redder = await colourCensus((await download(() => page.click('#save-surface-png'))).bytes);
    assert.ok(redder.red > colours.red + 1000, `raising the min scale must redden the surface (${colours.red} → ${redder.red} red pixels)`);
    // A higher contour level draws less surface.
    const levelRange = await page.evaluate(() => {
      const input = document.getElementById('surface-level') as HTMLInputElement;
      return [Number(input.value), Number(input.max)];
    });
    await page.locator('#surface-level').fill(String((levelRange[0] + levelRange[1]) / 2));
    await page.waitForSelector('#surface-panel[data-state="ready"]');
    const higher = await colourCensus((await download(() => page.click('#save-surface-png'))).bytes);
    assert.ok(higher.drawn < 0.8 * redder.drawn, `a higher contour must draw less (${redder.drawn} → ${higher.drawn} pixels)`);
    await page.selectOption('#surface-map', '1');
    const amplifiedPng = await download(() => page.click('#save-surface-png'));
    assert.ok(!amplifiedPng.bytes.equals(inputPng.bytes), 'showing the amplified map changes the view');
    await page.click('#view-slices');
  });

  test('the slice can be saved as PNG, with a title line and a colour key', async () => {
    const png = await download(() => page.click('#save-slice-png'));
    assert.deepEqual([...png.bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const layer = (await page.getAttribute('#slice-canvas', 'data-layer'))!.replace(':', '-');
    const index = await page.getAttribute('#slice-canvas', 'data-index');
    assert.match(png.name, new RegExp(`^${STEM}_${layer}_[xyz]${index}\\.png$`));
    // IHDR: the 64-voxel slice scaled 8× to 512 pixels, 28 above it for the title and 44 below for the key.
    const [width, height] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
    const sliceHeight = Number(await page.getAttribute('#slice-canvas', 'data-height'));
    assert.equal(width, 512);
    assert.equal(height, 28 + sliceHeight * 8 + 44);
  });

  test('drag-and-drop opens a mask; gzip and bad files are handled', async () => {
    const soldef = readFileSync(path.join(fixturesDir(), `${STEM}_soldef.mrc`)).toString('base64');
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'soldef.mrc'));
      const card = document.querySelector('.map-card[data-role="solventDefinition"]')!;
      card.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, soldef);
    await page.waitForSelector('#info-solventDefinition [data-fact="box"]');
    await page.click('#info-solventDefinition button');

    // A gzipped scale map, opened as the browser would get it from disk.
    const gzipped = gzipSync(readFileSync(path.join(estimateCli, `scale_occ_${MAP}`)));
    await page.setInputFiles('#open-scale', { name: `scale_occ_${MAP}.gz`, mimeType: 'application/gzip', buffer: gzipped });
    await page.waitForSelector('#info-scale [data-fact="box"]');
    assert.equal(await page.textContent('#info-scale [data-fact="box"]'), '64 × 64 × 64');
    await page.click('#info-scale button');

    // A density map is not a scale map: refused, saying why (it would be shown and used as one).
    await page.setInputFiles('#open-scale', path.join(repoRoot, 'examples', 'phantom_64.mrc'));
    await page.waitForSelector('#message [role="alert"]');
    assert.match((await page.textContent('#message')) ?? '', /phantom_64\.mrc: this is not a local-scale map: its values run from .* to .*, a scale lies between 0 and 1/);
    assert.equal(await page.locator('#info-scale [data-fact="box"]').count(), 0, 'not opened');

    // A mask of another box: opened, with the warning, and runs wait (with the reason) until it is closed.
    const small = createVolume(32, 32, 32, new Float32Array(32 ** 3).fill(1));
    const { geometry } = decodeMrc(readFileSync(path.join(work, MAP)), MAP);
    await page.setInputFiles('#open-solventDefinition', { name: 'small_mask.mrc', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeMrc(small, geometry)) });
    await page.waitForSelector('#info-solventDefinition [data-fact="box"]');
    assert.match((await page.textContent('#info-solventDefinition')) ?? '', /small_mask\.mrc: its box 32×32×32 differs from the input's 64×64×64; runs wait until it is closed/);
    assert.equal(await page.isDisabled('#run-estimate'), true, 'Estimate waits for the mask');
    assert.match((await page.getAttribute('#run-estimate', 'title')) ?? '', /The --solvent-def mask small_mask\.mrc \(32×32×32\) does not have the input's box \(64×64×64\)/);
    await page.click('#info-solventDefinition button');
    await page.waitForSelector('#run-estimate:not([disabled])'); // closed (through the worker): Estimate can run
    // A mask at another voxel size: used, with the command line's warning on its card.
    const halfVoxels = { ...geometry, voxelSize: geometry.voxelSize.map((v) => 2 * v) as typeof geometry.voxelSize };
    const coarse = createVolume(64, 64, 64, new Float32Array(64 ** 3).fill(1));
    await page.setInputFiles('#open-solventDefinition', { name: 'coarse_mask.mrc', mimeType: 'application/octet-stream', buffer: Buffer.from(encodeMrc(coarse, halfVoxels)) });
    await page.waitForSelector('#info-solventDefinition [data-fact="box"]');
    assert.match((await page.textContent('#info-solventDefinition')) ?? '', /coarse_mask\.mrc: its voxel size \(3\.2, 3\.2, 3\.2 Å\) is not the map's \(1\.6, 1\.6, 1\.6 Å\)/);
    assert.equal(await page.isDisabled('#run-estimate'), false, 'a voxel size alone does not keep runs waiting');
    await page.click('#info-solventDefinition button');

    await page.setInputFiles('#open-targetMask', { name: 'notamap.mrc', mimeType: 'application/octet-stream', buffer: Buffer.from('hello, this is not a map') });
    await page.waitForSelector('#message [role="alert"]');
    assert.match((await page.textContent('#message')) ?? '', /notamap\.mrc/);
  });

  test('session log: numbered runs with command lines, downloadable and clearable', async () => {
    const log = (await download(() => page.click('#log-download'))).bytes.toString('utf8');
    assert.match(log, /## Run 1: estimate scale/);
    assert.match(log, /\$ occupy -i 1tii_occ_64\.mrc --occupancy --plot/);
    assert.match(log, /## Run 2: modify map/);
    assert.match(log, /\$ occupy -i 1tii_occ_64\.mrc -am 2 -at 3 --seed 7 --solvent-def-from-scale 0.4 --subtraction-mask --plot/);
    await page.click('#log-clear');
    await page.waitForSelector('.log-entry', { state: 'detached' });
    // The latest result stays downloadable after clearing.
    const scale = await download(() => page.click(`#downloads button[data-file="scale_occ_${MAP}"]`));
    assert.ok(scale.bytes.length > 1024);
  });

  test('any box: a non-cubic map estimates to the CLI scale map, shown at its own box', async () => {
    const { volume, geometry } = decodeMrc(readFileSync(path.join(work, MAP)), MAP);
    const [nz, ny, nx] = [60, 48, 64];
    const crop = new Float32Array(nz * ny * nx);
    for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) crop.set(volume.data.subarray((z * 64 + y + 8) * 64, (z * 64 + y + 8) * 64 + nx), (z * ny + y) * nx);
    writeFileSync(path.join(work, 'crop.mrc'), encodeMrc(createVolume(nz, ny, nx, crop), geometry));
    await page.setInputFiles('#open-input', path.join(work, 'crop.mrc'));
    await page.waitForSelector('#info-input [data-fact="box"]:text("64 × 48 × 60")');
    await page.click('#run-estimate');
    assert.equal(await waitForRun(page, 3), 'done');
    const command = await lastCommand(3);
    // The modification settings left on above do not belong to an estimate; the 3D view's min scale does.
    assert.equal(command, 'occupy -i crop.mrc --occupancy --plot --min-vis-scale 0.7');
    const out = cli(command, 'crop.mrc');
    const scale = await download(() => page.click('#downloads button[data-file="scale_occ_crop.mrc"]'));
    assert.ok(scale.bytes.equals(readFileSync(path.join(out, 'scale_occ_crop.mrc'))), 'scale_occ_crop.mrc differs from the CLI\'s');
    await showLayer('scale', 'y', 20);
    assert.equal(await page.getAttribute('#slice-canvas', 'data-width'), '64');
    assert.equal(await page.getAttribute('#slice-canvas', 'data-height'), '60');
  });

  test('a target mask on a box too small for its 12-voxel tiles is refused, as on the command line', async () => {
    await page.setInputFiles('#open-input', path.join(work, MAP));
    await page.waitForSelector('#info-input [data-fact="box"]:text("64 × 64 × 64")');
    // The fixture's solvent definition selects voxels (above 0.5): it serves as a target mask.
    await page.setInputFiles('#open-targetMask', path.join(fixturesDir(), `${STEM}_soldef.mrc`));
    await page.waitForSelector('#info-targetMask [data-fact="box"]');
    await page.fill('#set-max-box', '14');
    await page.fill('#set-tile-size', '1'); // tiles of 14/20 voxels would be refused first
    await page.click('#run-estimate');
    await page.waitForSelector('#message [role="alert"]');
    const refusal = /--target-mask needs a box of at least 15 voxels \(at --max-box 14\), since its full scale is taken from 12-voxel tiles/;
    assert.match((await page.textContent('#message')) ?? '', refusal);
    // The command line refuses the same run with the same words.
    const r = runOccupy(['-i', MAP, '--occupancy', '--target-mask', path.join(fixturesDir(), `${STEM}_soldef.mrc`), '--max-box', '14', '--tile-size', '1'], work);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, refusal);
  });

  test('no errors in the page', () => {
    // The deliberately bad file is reported in the page, not as an error.
    assert.deepEqual(app.errors, []);
  });
});

/** Deep equality, numbers within a relative tolerance. */
function assertClose(actual: unknown, expected: unknown, tolerance: number, where = 'figures'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${where}: ${actual} vs ${expected}`);
  } else if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object', `${where}: ${JSON.stringify(actual)}`);
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(expected).sort(), where);
    for (const [key, value] of Object.entries(expected)) assertClose((actual as Record<string, unknown>)[key], value, tolerance, `${where}.${key}`);
  } else assert.equal(actual, expected, where);
}

/**
 * From now until run `run` is no longer running: the run's duration as the page saw it, how many 5 ms timers
 * the page's main thread ran while the run was going on, and the longest time it went without one while the
 * run was going on (the gap in which the finished run's results are drawn does not count).
 */
async function mainThreadGaps(run: number): Promise<{ runMs: number; ticksWhileRunning: number; longestGapMs: number }> {
  return page.evaluate(async (run) => {
    const start = performance.now();
    let last = start;
    let longestGapMs = 0;
    let ticksWhileRunning = 0;
    const running = () => {
      const entry = document.querySelector(`.log-entry[data-run="${run}"]`);
      return !entry || entry.getAttribute('data-status') === 'running';
    };
    while (running() && performance.now() - start < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const now = performance.now();
      if (running()) {
        ticksWhileRunning++;
        longestGapMs = Math.max(longestGapMs, now - last);
      }
      last = now;
    }
    return { runMs: performance.now() - start, ticksWhileRunning, longestGapMs };
  }, run);
}

/** Pixels of a PNG that are not background, and those of them clearly coloured (not grey), decoded by the page. */
async function colourCensus(png: Buffer): Promise<{ drawn: number; coloured: number; red: number }> {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let drawn = 0;
    let coloured = 0;
    let red = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (r > 245 && g > 245 && b > 245) continue;
      drawn++;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
      if (r > g + 60 && r > b + 60) red++;
    }
    return { drawn, coloured, red };
  }, png.toString('base64'));
}
