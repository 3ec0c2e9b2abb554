/**
 * A map down-sampled as it is read (src/run/down-sampled-input.ts): which runs do it, that the job's outputs are
 * those of the same run on the map read whole, bit for bit, and that its checks refuse what `checkInputMap`
 * refuses, in the same words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readMapFile } from '../../src/io/map-file.js';
import type { MapFile } from '../../src/format/mrc-format.js';
import { fixturesDir } from '../fixtures/fixture-cases.js';
import { runJob, type JobInput } from '../../src/run/job.js';
import { defaultSettings, type RunSettings } from '../../src/run/settings.js';
import { jobLog, jobOutputs } from '../../src/run/outputs.js';
import { jobReport } from '../../src/run/report.js';
import { checkInputMap, ValueSummary } from '../../src/run/input-checks.js';
import { DownSamplingReader, downSamplesWhileReading, inputShape, inputValueRange } from '../../src/run/down-sampled-input.js';
import { hasWasmSimd } from '../../src/core/wasm/assembler.js';
import { createVolume, valueRange } from '../../src/core/volume.js';
import { cropFromCube, embedInEvenCube } from '../../src/core/box.js';
import { resampleCubeSingle } from '../../src/core/fourier/single/lowpass-single.js';
import { lcg } from '../random.js';

const simd = hasWasmSimd();
const fixture = await readMapFile(path.join(fixturesDir(), '1tii_occ_64.mrc'));

function settingsWith(change: (s: RunSettings) => void = () => {}): RunSettings {
  const s = defaultSettings();
  s.estimation.maxBox = 48;
  change(s);
  return s;
}

/** The map given to a DownSamplingReader in pieces of 1 to 5 planes, in order, as the reader hands them. */
function readThrough(map: MapFile, maxBox: number, name = 'map.mrc', transformsApart = false) {
  const { nz, ny, nx, data } = map.volume;
  const reader = new DownSamplingReader({ nz, ny, nx }, maxBox, { transformsApart });
  const next = lcg(nz + maxBox);
  for (let z = 0; z < nz; ) {
    const count = Math.min(nz - z, 1 + Math.floor(next() * 5));
    reader.sink(z, data.subarray(z * ny * nx, (z + count) * ny * nx));
    z += count;
  }
  const { volume, ...description } = map;
  const streamed = { ...description, shape: [nz, ny, nx] as [number, number, number] };
  reader.check(streamed, name);
  return reader.finish(streamed);
}

test('only runs that need nothing of the map but its down-sampling down-sample it as it is read', () => {
  const cube = { nz: 64, ny: 64, nx: 64 };
  const plain = { masks: 0, replaceNonFinite: false };
  assert.equal(downSamplesWhileReading(cube, settingsWith(), plain), simd, 'an estimate of an even cube above the max box');
  assert.equal(downSamplesWhileReading({ nz: 64, ny: 30, nx: 49 }, settingsWith(), plain), simd, 'of any box whose even cube is above it');
  const modifying = settingsWith((s) => ((s.modification.modifications = [{ kind: 'amplify', power: 2 }]), (s.modification.excludeSolvent = true)));
  assert.equal(downSamplesWhileReading(cube, modifying, plain), simd, 'modified too (only the value range is needed)');
  const refused: [string, { nz: number; ny: number; nx: number }, RunSettings, typeof plain][] = [
    ['not above the max box', cube, settingsWith((s) => (s.estimation.maxBox = 64)), plain],
    ['a cube not above the max box', { nz: 47, ny: 20, nx: 30 }, settingsWith(), plain],
    ['histogram matching', cube, settingsWith((s) => ((s.modification.modifications = [{ kind: 'amplify', power: 2 }]), (s.modification.histogramMatch = true))), plain],
    ['a mask', cube, settingsWith(), { masks: 1, replaceNonFinite: false }],
    ['--replace-non-finite', cube, settingsWith(), { masks: 0, replaceNonFinite: true }],
    ['a mask tool', cube, settingsWith((s) => (s.tools.solventDefinitionThreshold = 0.5)), plain],
    ['subtraction masks', cube, settingsWith((s) => (s.tools.subtractionMasks = true)), plain],
  ];
  for (const [what, shape, settings, options] of refused) assert.equal(downSamplesWhileReading(shape, settings, options), false, what);
});

test("a map of any box: its even cube's planes, mirrored as embedInEvenCube makes them, down-sampled as the whole cube is", { skip: !simd && 'no WebAssembly SIMD' }, () => {
  // Odd and non-cubic boxes, margins wider than the map (3 and 2 voxels thick), the map's largest edge on each axis.
  const shapes: [number, number, number][] = [[20, 14, 17], [15, 22, 9], [11, 12, 23], [3, 20, 20], [21, 2, 2], [19, 19, 19], [18, 18, 17]];
  const next = lcg(41);
  for (const [nz, ny, nx] of shapes) {
    const data = Float32Array.from({ length: nz * ny * nx }, () => Math.fround(next() - 0.5));
    const map: MapFile = { ...fixture, volume: createVolume(nz, ny, nx, data) };
    const m = 10;
    const wanted = resampleCubeSingle(embedInEvenCube(map.volume).cube, m, { simd: false }).data;
    const got = readThrough(map, m);
    assert.deepEqual(got.shape, [nz, ny, nx]);
    assert.deepEqual(got.downSampled.data, wanted, `${nz}x${ny}x${nx}`);
    // Its x transforms kept apart (as relaunched with huge pages): the same bits.
    assert.deepEqual(readThrough(map, m, 'map.mrc', true).downSampled.data, wanted, `${nz}x${ny}x${nx}, transforms apart`);
  }
});

test('a job on a map down-sampled as it was read writes what it writes on the map read whole', { skip: !simd && 'no WebAssembly SIMD' }, () => {
  // The fixture, and cropped to another box (embedded in a cube, scale and confidence interpolated back to it).
  const cropped: MapFile = { ...fixture, volume: cropFromCube(fixture.volume, [1, 3, 0], [61, 52, 63]) };
  const changes = [
    (s: RunSettings) => (s.estimation.scaleMode = 'occ'),
    (s: RunSettings) => (s.estimation.maxBox = 40),
    (s: RunSettings) => (s.outputs.saveAllMaps = true),
    // Modified maps, finished with the input's value range alone; factors kept; the solvent-excluded copy.
    (s: RunSettings) => {
      s.modification.modifications = [{ kind: 'amplify', power: 2 }, { kind: 'sigmoid', power: 3, pivot: 0.4 }];
      s.modification.saveFactors = true;
      s.modification.seed = 3;
    },
    (s: RunSettings) => {
      s.modification.modifications = [{ kind: 'attenuate', power: 2 }];
      s.modification.excludeSolvent = true;
      s.modification.lowpassOutput = 9;
      s.modification.seed = 4;
    },
    (s: RunSettings) => (s.modification.excludeSolvent = true),
  ];
  for (const [map, change] of [...changes.map((c) => [fixture, c] as const), ...changes.map((c) => [cropped, c] as const)]) {
    const settings = settingsWith(change);
    const whole: JobInput = { map, fileName: '1tii_occ_64.mrc' };
    const streamed: JobInput = { map: readThrough(map, settings.estimation.maxBox), fileName: '1tii_occ_64.mrc' };
    assert.deepEqual(inputShape(streamed.map), inputShape(map));
    assert.deepEqual(inputValueRange(streamed.map), valueRange(map.volume.data));
    const [a, b] = [whole, streamed].map((input) => runJob(input, settings));
    const files = (job: typeof a) => jobOutputs(job, { inputPathInScript: 'map.mrc', version: 'test' }).map((f) => [f.name, Buffer.concat(f.parts).toString('base64')]);
    assert.deepEqual(files(b), files(a), 'every file, byte for byte');
    assert.equal(jobLog(b), jobLog(a));
    const report = (job: typeof a) => jobReport(job, { version: 'test', command: 'occupy', outputs: [], warnings: [], stageSeconds: {}, peakResidentMB: null });
    assert.deepEqual(report(b), report(a));
  }
});

test('the checks of a map down-sampled as it was read refuse what checkInputMap refuses, in the same words', { skip: !simd && 'no WebAssembly SIMD' }, () => {
  const n = 20;
  const cases: [string, (data: Float32Array) => void][] = [
    ['one NaN', (d) => (d[5 * n * n + 3 * n + 7] = NaN)],
    ['NaN and infinities in several planes', (d) => ((d[2 * n * n + 1] = Infinity), (d[17 * n * n + 19 * n] = -Infinity), (d[9 * n * n + 4 * n + 4] = NaN))],
    ['every voxel NaN', (d) => d.fill(NaN)],
    ['constant', (d) => d.fill(-0.25)],
    ['constant zeros of both signs', (d) => d.fill(0).fill(-0, 100, 200)],
    ['subnormal', (d) => d.forEach((v, i) => (d[i] = v * 1e-39))],
    ['too large', (d) => d.forEach((v, i) => (d[i] = v * 1e36))],
  ];
  const next = lcg(3);
  for (const [what, spoil] of cases) {
    const data = Float32Array.from({ length: n ** 3 }, () => Math.fround(next() - 0.5));
    spoil(data);
    const map: MapFile = { ...fixture, volume: createVolume(n, n, n, data) };
    const expected = (() => {
      try {
        checkInputMap({ ...map, volume: createVolume(n, n, n, data.slice()) }, 'map.mrc', false);
      } catch (error) {
        return error as Error;
      }
      assert.fail(`${what}: checkInputMap accepts it`);
    })();
    assert.throws(() => readThrough(map, 8), (e: Error) => e.name === expected.name && e.message === expected.message, what);
  }
});

test('the value summary scans each piece afresh: a buffer refilled between pieces gives the new values', () => {
  for (const length of [4, 4096]) {
    // Small pieces take the plain scan, large ones the WebAssembly extremes; both must forget the last piece.
    const summary = new ValueSummary([2, 1, length]);
    const buffer = new Float32Array(length).fill(1);
    buffer[length - 1] = 2;
    summary.add(0, buffer);
    buffer.fill(1);
    buffer[0] = 9;
    summary.add(1, buffer);
    assert.deepEqual(summary.range, [1, 9], `pieces of ${length}`);
  }
});
