import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coarserMaxBoxThatFits, keepsTransformsApart, madeWhenWrittenToFit } from '../../src/run/memory-fit.js';
import { MADE_WHEN_WRITTEN_MIN_VOXELS, madeWhenWritten, type MadeWhenWritten } from '../../src/run/made-when-written.js';
import { memoryPlanFor, peakMemoryBytes } from '../../src/run/memory.js';
import { defaultSettings } from '../../src/run/settings.js';

test('large outputs are made as they are written where only that lets the run fit, unless the threshold was set', () => {
  const shape: [number, number, number] = [384, 384, 384];
  const settings = defaultSettings();
  settings.modification.modifications = [{ kind: 'amplify', power: 3 }, { kind: 'attenuate', power: 3 }];
  const reading = { downSampledWhileReading: true };
  const need = (made: MadeWhenWritten) => peakMemoryBytes(memoryPlanFor(shape, settings, 0, { ...reading, made }));
  const whole = madeWhenWritten(shape, settings);
  const asWritten = madeWhenWritten(shape, settings, 0);
  assert.deepEqual([whole.padded, asWritten.padded], [false, true], 'below the default threshold; made as written with 0');
  assert.ok(need(asWritten) < 0.7 * need(whole), `${need(asWritten)} against ${need(whole)}`);
  const ample = { bytes: 2 * need(whole), available: 2 * need(whole) };
  assert.deepEqual(madeWhenWrittenToFit({ shape, settings, masks: 0, limit: ample }, reading), { made: whole, toFit: false }, 'fits as it is');
  const between = Math.floor((need(whole) + need(asWritten)) / 2);
  for (const limit of [{ bytes: between, available: ample.available }, { bytes: ample.bytes, available: between }]) {
    assert.deepEqual(madeWhenWrittenToFit({ shape, settings, masks: 0, limit }, reading), { made: asWritten, toFit: true }, JSON.stringify(limit));
  }
  // Enough under the limit, but not in the memory free now, either way: the smaller plan, said (a warning follows).
  assert.deepEqual(madeWhenWrittenToFit({ shape, settings, masks: 0, limit: { bytes: ample.bytes, available: need(asWritten) - 1 } }, reading), { made: asWritten, toFit: true });
  // Too little for either: the smaller plan, so that the refusal says the least the run needs.
  assert.deepEqual(madeWhenWrittenToFit({ shape, settings, masks: 0, limit: { bytes: need(asWritten) - 1, available: ample.available } }, reading), { made: asWritten, toFit: false });
  // A threshold the user set (OCCUPY_WRITE_AS_MADE_FROM) is kept, fitting or not.
  assert.deepEqual(madeWhenWrittenToFit({ shape, settings, masks: 0, limit: { bytes: between, available: between } }, reading, MADE_WHEN_WRITTEN_MIN_VOXELS), { made: whole, toFit: false });
  // A small map needs more made as written (32 MiB a map while it is written): kept whole, even when refused.
  const small: [number, number, number] = [64, 64, 64];
  const smallSettings = defaultSettings();
  smallSettings.estimation.maxBox = 48;
  smallSettings.modification.modifications = [{ kind: 'amplify', power: 2 }];
  const smallNeed = (made: MadeWhenWritten) => peakMemoryBytes(memoryPlanFor(small, smallSettings, 0, { ...reading, made }));
  assert.ok(smallNeed(madeWhenWritten(small, smallSettings, 0)) > smallNeed(madeWhenWritten(small, smallSettings)));
  assert.deepEqual(madeWhenWrittenToFit({ shape: small, settings: smallSettings, masks: 0, limit: { bytes: 1, available: 1 } }, reading), { made: madeWhenWritten(small, smallSettings), toFit: false });
  // Nothing to make as written (an estimate read whole): as it is.
  const estimate = defaultSettings();
  assert.deepEqual(madeWhenWrittenToFit({ shape: [256, 256, 256], settings: estimate, masks: 0, limit: { bytes: 1, available: 1 } }, {}), { made: madeWhenWritten([256, 256, 256], estimate), toFit: false });
});

test('a refused run is offered the largest round --max-box below its processing box at which it fits, if any', () => {
  const shape: [number, number, number] = [256, 256, 256];
  const settings = defaultSettings();
  const streamed = () => true;
  // Each candidate's need: down-sampled as read, its large maps made by default or all as written, the lesser.
  const needAt = (maxBox: number) => {
    const coarser = { ...settings, estimation: { ...settings.estimation, maxBox } };
    const need = (made: MadeWhenWritten) => peakMemoryBytes(memoryPlanFor(shape, coarser, 0, { downSampledWhileReading: true, made }));
    return Math.min(need(madeWhenWritten(shape, coarser)), need(madeWhenWritten(shape, coarser, 0)));
  };
  const run = (bytes: number, s = settings) => ({ shape, settings: s, masks: 0, limit: { bytes, available: bytes } });
  assert.ok(needAt(64) < needAt(128) && needAt(128) < needAt(160), 'coarser boxes need less');
  assert.equal(coarserMaxBoxThatFits(run(needAt(128)), streamed), 128, 'exactly at the limit');
  assert.equal(coarserMaxBoxThatFits(run(needAt(160) - 1), streamed), 128, 'just short of 160');
  assert.equal(coarserMaxBoxThatFits(run(2 ** 40), streamed), 224, 'below the processing box (256), not at it');
  assert.equal(coarserMaxBoxThatFits(run(needAt(64) - 1), streamed), undefined, 'none fits');
  // Only below the processing box: a 64³ map has none; a box too small for the tiles asked for is skipped.
  assert.equal(coarserMaxBoxThatFits({ ...run(2 ** 40), shape: [64, 64, 64] }, streamed), undefined);
  const bigTiles = { ...settings, estimation: { ...settings.estimation, tileSize: 140 } };
  assert.equal(coarserMaxBoxThatFits(run(needAt(128), bigTiles), streamed), undefined, 'tiles of 140 voxels need a box of 143: 128 is skipped, 160 does not fit');
  // How the map would be read at each setting is asked: read whole, the map itself is held and 128 no longer fits.
  assert.equal(coarserMaxBoxThatFits(run(needAt(128)), () => false), undefined);
});

test('the --max-box offered to a run whose OCCUPY_WRITE_AS_MADE_FROM is set is planned with that threshold alone', () => {
  // 256³ amplified: made whole, each modified map is held; made as written, it never is.
  const shape: [number, number, number] = [256, 256, 256];
  const settings = defaultSettings();
  settings.modification.modifications = [{ kind: 'amplify', power: 2 }];
  const needAt = (maxBox: number, threshold: number) => {
    const coarser = { ...settings, estimation: { ...settings.estimation, maxBox } };
    return peakMemoryBytes(memoryPlanFor(shape, coarser, 0, { downSampledWhileReading: true, made: madeWhenWritten(shape, coarser, threshold) }));
  };
  const never = 2 ** 40; // no map is made as it is written
  assert.ok(needAt(128, 0) < needAt(128, never), 'made as written, 128 needs less');
  const run = (bytes: number) => ({ shape, settings, masks: 0, limit: { bytes, available: bytes } });
  const limit = needAt(128, 0);
  // Unset, 128 is offered (all made as written fits); set so that nothing is, the largest box whose maps made
  // whole fit.
  assert.equal(coarserMaxBoxThatFits(run(limit), () => true), 128);
  const whole = [96, 64].find((b) => needAt(b, never) <= limit);
  assert.ok(whole !== undefined);
  assert.equal(coarserMaxBoxThatFits(run(limit), () => true, false, never), whole);
  assert.equal(coarserMaxBoxThatFits(run(limit), () => true, false, 0), 128, 'set to 0: every map made as written');
});

test('a map down-sampled as it is read keeps its x transforms apart only with huge pages, and only where the run still fits', () => {
  const shape: [number, number, number] = [512, 512, 512];
  const settings = defaultSettings();
  const reading = { downSampledWhileReading: true };
  const need = (transformsApart: boolean) => peakMemoryBytes(memoryPlanFor(shape, settings, 0, { ...reading, transformsApart }));
  const [inMemory, apart] = [need(false), need(true)];
  assert.ok(apart > inMemory, `${apart} > ${inMemory}`);
  const ample = { bytes: 2 * apart, available: 2 * apart };
  assert.equal(keepsTransformsApart({ shape, settings, masks: 0, limit: ample }, reading, true), true);
  assert.equal(keepsTransformsApart({ shape, settings, masks: 0, limit: ample }, reading, false), false, 'no huge pages');
  assert.equal(keepsTransformsApart({ shape, settings, masks: 0, limit: ample }, { downSampledWhileReading: false }, true), false, 'read whole');
  // A limit, or the memory free now, between the two needs: the run fits with the transforms in the working memory.
  const between = Math.floor((inMemory + apart) / 2);
  assert.equal(keepsTransformsApart({ shape, settings, masks: 0, limit: { bytes: between, available: ample.available } }, reading, true), false, 'the limit');
  assert.equal(keepsTransformsApart({ shape, settings, masks: 0, limit: { bytes: ample.bytes, available: between } }, reading, true), false, 'free memory');
  assert.equal(keepsTransformsApart({ shape, settings, masks: 0, limit: { bytes: apart, available: apart } }, reading, true), true, 'just fits');
});
