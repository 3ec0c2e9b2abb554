/**
 * The core's reserve of zeroed arrays (src/core/buffers.ts), as the CLI fills it: a run takes exactly the
 * arrays `reservableMapArrays` says it will (none is prepared for nothing), and its outputs are bit for bit
 * those of a run without a reserve; arrays are handed out only once ready; the CLI's prepared arrays
 * (src/cli/prefault.ts: /dev/zero read on the pool, or a helper thread that marks them ready) are zeros.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { readMapFile } from '../../src/io/map-file.js';
import { fixturesDir } from '../fixtures/fixture-cases.js';
import { runJob, type JobInput, type JobResult } from '../../src/run/job.js';
import { defaultSettings, type RunSettings } from '../../src/run/settings.js';
import { reservableMapArrays } from '../../src/run/memory.js';
import { releaseReservedArrays, reserveZeroedArrays, zeroedFloat32Array } from '../../src/core/buffers.js';
import { prefaultedInBackground, prefaultedWhileReading } from '../../src/cli/prefault.js';

const input: JobInput = { map: await readMapFile(path.join(fixturesDir(), '1tii_occ_64.mrc')), fileName: '1tii_occ_64.mrc' };

function settings(change: (s: RunSettings) => void): RunSettings {
  const s = defaultSettings();
  s.estimation.scaleMode = 'occ';
  s.modification.seed = 3;
  change(s);
  return s;
}

function mapsOf(job: JobResult): Float32Array[] {
  return [job.box.scale.data, job.box.confidence.data, ...job.modification.maps.map((m) => m.volume.data), ...job.tools.map((t) => t.volume.data)];
}

test('a run takes every array reservableMapArrays prepares for it, and its outputs do not change', () => {
  const cases: [string, (s: RunSettings) => void][] = [
    ['estimate', () => {}],
    ['relative resolution, --nlrc', (s) => ((s.estimation.scaleMode = 'res'), (s.estimation.nlrc = true))],
    ['three modifications', (s) => (s.modification.modifications = [{ kind: 'amplify', power: 3 }, { kind: 'attenuate', power: 3 }, { kind: 'sigmoid', power: 3, pivot: 0.3 }])],
    ['factors kept', (s) => ((s.modification.modifications = [{ kind: 'attenuate', power: 2 }, { kind: 'amplify', power: 2 }]), (s.modification.saveFactors = true))],
    ['--exclude-solvent alone', (s) => (s.modification.excludeSolvent = true)],
    ['--exclude-solvent --omit-confidence', (s) => ((s.modification.excludeSolvent = true), (s.modification.omitConfidence = true))],
    ['down-sampled, modified, low-passed output', (s) => ((s.estimation.maxBox = 48), (s.modification.modifications = [{ kind: 'attenuate', power: 2 }]), (s.modification.lowpassOutput = 12))],
    ['--lowpass below two voxels (not applied)', (s) => (s.estimation.lowpass = 1.5)],
  ];
  for (const [what, change] of cases) {
    const s = settings(change);
    const plain = runJob(input, s);
    const v = input.map.volume;
    const { count, length } = reservableMapArrays([v.nz, v.ny, v.nx], input.map.geometry.voxelSize[0], s);
    assert.ok(count > 0, what);
    const reserved: Float32Array[] = Array.from({ length: count }, () => new Float32Array(length));
    reserveZeroedArrays(reserved);
    const job = runJob(input, s);
    assert.equal(releaseReservedArrays(), 0, `${what}: every prepared array was taken`);
    const withReserve = mapsOf(job);
    mapsOf(plain).forEach((m, i) => assert.deepEqual(withReserve[i], m, `${what}: map ${i}`));
    assert.ok(withReserve.some((m) => reserved.includes(m)), `${what}: outputs live in prepared arrays`);
  }
});

test('only even cubes get arrays prepared; the reserve hands out arrays of the asked length only', async () => {
  assert.equal(reservableMapArrays([64, 64, 62], 1, defaultSettings()).count, 0);
  assert.equal(reservableMapArrays([63, 63, 63], 1, defaultSettings()).count, 0);
  const a = new Float32Array(10);
  reserveZeroedArrays([a]);
  assert.notEqual(zeroedFloat32Array(11), a);
  assert.equal(zeroedFloat32Array(10), a);
  assert.notEqual(zeroedFloat32Array(10), a, 'taken once');
  assert.equal(releaseReservedArrays(), 0);
  // An array not yet ready is not handed out; once the helper thread has mapped it, it is, zeroed.
  let ready = false;
  reserveZeroedArrays([{ array: a, isReady: () => ready }]);
  assert.notEqual(zeroedFloat32Array(10), a);
  ready = true;
  assert.equal(zeroedFloat32Array(10), a);
  const prepared = prefaultedInBackground(2, 100000);
  assert.equal(prepared.length, 2);
  for (let waited = 0; !prepared.every((p) => p.isReady()); waited++) {
    assert.ok(waited < 1000, 'the helper thread marks the arrays ready');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // Zeros, as new arrays' are (the run relies on it): a helper that wrote anything else per page would show.
  for (const p of prepared) assert.ok(p.array.length === 100000 && p.array.every((x) => Object.is(x, 0)));
  assert.deepEqual(prefaultedInBackground(0, 10), []);
  const read = await prefaultedWhileReading(2, 100000);
  // Where /dev/zero exists the arrays must come back (an empty list means every read failed, silently).
  assert.equal(read.length, existsSync('/dev/zero') ? 2 : 0);
  for (const p of read) assert.ok(p.length === 100000 && p.every((x) => Object.is(x, 0)));
  assert.deepEqual(await prefaultedWhileReading(0, 10), []);
});
