/**
 * The core's reserve of zeroed arrays (src/core/buffers.ts), as the CLI fills it: a run takes exactly the
 * arrays `reservableMapArrays` says it will (none is prepared for nothing), for any box, and its outputs are bit for bit
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
import type { MapFile } from '../../src/format/mrc-format.js';

/** A job input read whole (as every input here is). */
type WholeInput = JobInput & { map: MapFile };
import { defaultSettings, type RunSettings } from '../../src/run/settings.js';
import { reservableMapArrays } from '../../src/run/memory.js';
import { ALL_MADE_WHOLE, madeWhenWritten } from '../../src/run/made-when-written.js';
import { cropFromCube, evenCubeEdge } from '../../src/core/box.js';
import { isPlaneSource, wholeVolume, type PlaneSource, type Volume } from '../../src/core/volume.js';
import { releaseReservedArrays, reserveZeroedArrays, zeroedFloat32Array } from '../../src/core/buffers.js';
import { prefaultedInBackground, prefaultedWhileReading, workspaceMappedWhileReading } from '../../src/cli/prefault.js';
import { resampleWorkspaceBytes } from '../../src/core/fourier/single/lowpass-single.js';
import { offerLowpassWorkspace } from '../../src/core/fourier/single/simd-lowpass.js';

const input: WholeInput = { map: await readMapFile(path.join(fixturesDir(), '1tii_occ_64.mrc')), fileName: '1tii_occ_64.mrc' };

function settings(change: (s: RunSettings) => void): RunSettings {
  const s = defaultSettings();
  s.estimation.scaleMode = 'occ';
  s.modification.seed = 3;
  change(s);
  return s;
}

function mapsOf(job: JobResult<Volume | PlaneSource>): Float32Array[] {
  const maps = [job.box.scale, job.box.confidence, ...job.modification.maps.map((m) => m.volume), ...job.tools.map((t) => t.volume)];
  return maps.map((m) => wholeVolume(m).data);
}

/** The fixture cropped to another box (the run embeds it in an even cube). */
function cropped(shape: [number, number, number]): WholeInput {
  const volume = cropFromCube(input.map.volume, [0, 1, 2], shape);
  return { ...input, map: { ...input.map, volume } };
}

const cases: [string, (s: RunSettings) => void][] = [
  ['estimate', () => {}],
  ['relative resolution, --nlrc', (s) => ((s.estimation.scaleMode = 'res'), (s.estimation.nlrc = true))],
  ['three modifications', (s) => (s.modification.modifications = [{ kind: 'amplify', power: 3 }, { kind: 'attenuate', power: 3 }, { kind: 'sigmoid', power: 3, pivot: 0.3 }])],
  ['factors kept', (s) => ((s.modification.modifications = [{ kind: 'attenuate', power: 2 }, { kind: 'amplify', power: 2 }]), (s.modification.saveFactors = true))],
  ['--exclude-solvent alone', (s) => (s.modification.excludeSolvent = true)],
  ['--exclude-solvent --omit-confidence', (s) => ((s.modification.excludeSolvent = true), (s.modification.omitConfidence = true))],
  ['down-sampled, modified, low-passed output', (s) => ((s.estimation.maxBox = 48), (s.modification.modifications = [{ kind: 'attenuate', power: 2 }]), (s.modification.lowpassOutput = 12))],
  ['down-sampled, two modifications', (s) => ((s.estimation.maxBox = 48), (s.modification.modifications = [{ kind: 'amplify', power: 2 }, { kind: 'sigmoid', power: 2, pivot: 0.4 }]))],
  ['down-sampled, factors kept', (s) => ((s.estimation.maxBox = 48), (s.modification.modifications = [{ kind: 'amplify', power: 2 }]), (s.modification.saveFactors = true))],
  ['down-sampled, --exclude-solvent alone', (s) => ((s.estimation.maxBox = 48), (s.modification.excludeSolvent = true))],
  ['down-sampled, --hist-match', (s) => ((s.estimation.maxBox = 48), (s.modification.modifications = [{ kind: 'attenuate', power: 2 }]), (s.modification.histogramMatch = true))],
  ['down-sampled, estimate', (s) => (s.estimation.maxBox = 48)],
  ['--lowpass below two voxels (not applied)', (s) => (s.estimation.lowpass = 1.5)],
];

/**
 * Runs the job twice, without and with the arrays `reservableMapArrays` names (all reserved up front; the CLI
 * reserves the later ones at a later stage, which only changes when they are mapped): every one is taken, the
 * outputs are the same, and they live in the prepared arrays.
 */
function checkReserve(job: WholeInput, what: string, s: RunSettings, outputsInPrepared = true, writesPlaneSources = false): void {
  const plain = runJob(job, s);
  const v = job.map.volume;
  const evenCube = v.nz === v.nx && v.ny === v.nx && v.nx % 2 === 0;
  // Every map large enough (threshold 0) when the run writes plane sources.
  const asWritten = writesPlaneSources ? madeWhenWritten([v.nz, v.ny, v.nx], s, 0) : ALL_MADE_WHOLE;
  const { estimating, later, workspaceBytes } = reservableMapArrays([v.nz, v.ny, v.nx], job.map.geometry.voxelSize[0], s, false, asWritten);
  assert.ok(estimating.length > 0, what);
  const reserved: Float32Array[] = estimating.map((length) => new Float32Array(length));
  const laterArrays: Float32Array[] = later.map((length) => new Float32Array(length));
  reserveZeroedArrays([...reserved, ...laterArrays]);
  // The down-sampling's working memory, offered filled with NaN: the run must use it, and not be changed by it.
  const workspace = workspaceBytes > 0 ? new WebAssembly.Memory({ initial: Math.ceil(workspaceBytes / 65536) }) : undefined;
  if (workspace) new Float32Array(workspace.buffer).fill(NaN);
  offerLowpassWorkspace(workspace);
  const result = runJob(job, s, undefined, { madeWhenWritten: asWritten });
  assert.equal(releaseReservedArrays(), 0, `${what}: every prepared array was taken`);
  if (workspace) assert.ok(!new Float32Array(workspace.buffer).every(Number.isNaN), `${what}: the offered working memory was used`);
  const withReserve = mapsOf(result);
  mapsOf(plain).forEach((m, i) => assert.deepEqual(withReserve[i], m, `${what}: map ${i}`));
  // The maps written (for another box, the estimate's on its cube, which those written are brought from).
  const made = evenCube ? withReserve : [result.box.estimate.scale.data, result.box.estimate.confidence.confidence.data];
  if (outputsInPrepared) assert.ok(made.some((m) => reserved.includes(m) || laterArrays.includes(m)), `${what}: outputs live in prepared arrays`);
  // Down-sampled runs' modified maps of an even cube, padded back to it, and the maps of another box at its box
  // (scale, confidence, modified maps), are kept in those prepared for them.
  // (Maps made as they are written are no arrays.)
  const modified = result.modification.maps.filter((m) => m.role !== 'factor' && !isPlaneSource(m.volume)).map((m) => wholeVolume(m.volume).data);
  const arrays = [result.box.scale, result.box.confidence].filter((m) => !isPlaneSource(m)).map((m) => wholeVolume(m).data);
  const atInputBox = evenCube ? modified : [...arrays, ...modified];
  assert.deepEqual(
    atInputBox.map((m) => laterArrays.includes(m)),
    atInputBox.map(() => !evenCube || laterArrays.length > 0),
    `${what}: maps at the input's box in the arrays prepared for them`,
  );
  // Another box: its cube is the first array taken.
  if (!evenCube) {
    const edge = evenCubeEdge([v.nz, v.ny, v.nx]);
    const made = edge <= s.estimation.maxBox;
    assert.equal(reserved[0].length === edge ** 3, made, `${what}: the cube first when it is made (not down-sampled), else none`);
  }
}

test('a run takes every array reservableMapArrays prepares for it, and its outputs do not change', () => {
  for (const [what, change] of cases) checkReserve(input, what, settings(change));
});

test('so does a run on another box, embedded in an even cube (non-cubic, odd)', () => {
  for (const shape of [[64, 62, 60], [63, 63, 63]] as [number, number, number][]) {
    for (const [what, change] of cases) checkReserve(cropped(shape), `${shape.join('x')}, ${what}`, settings(change));
  }
});

test('so does a run whose maps at the input box are made as they are written (none prepared for them)', () => {
  let sources = 0;
  for (const job of [input, cropped([64, 62, 60]), cropped([63, 63, 63])]) {
    const v = job.map.volume;
    for (const [what, change] of cases) {
      const s = settings(change);
      checkReserve(job, `${v.nz}x${v.ny}x${v.nx}, ${what}, written as made`, s, true, true);
      const result = runJob(job, s, undefined, { madeWhenWritten: madeWhenWritten([v.nz, v.ny, v.nx], s, 0) });
      sources += [result.box.scale, result.box.confidence, ...result.modification.maps.map((m) => m.volume)].filter(isPlaneSource).length;
    }
  }
  assert.ok(sources > 0, 'some runs made their maps as they are written');
});

test('so does a run with masks (--solvent-def, --target-mask), which take arrays of the list too', () => {
  const ball = (v: MapFile['volume'], radius: number) => {
    const { nz, ny, nx } = v;
    const data = new Float32Array(nz * ny * nx);
    for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
      if ((z - nz / 2) ** 2 + (y - ny / 2) ** 2 + (x - nx / 2) ** 2 <= radius ** 2) data[(z * ny + y) * nx + x] = 1;
    }
    return { ...v, data };
  };
  const withMasks = (job: WholeInput): WholeInput => ({
    ...job,
    solventDefinition: { map: { ...job.map, volume: ball(job.map.volume, 24) }, fileName: 'solvent.mrc' },
    targetMask: { map: { ...job.map, volume: ball(job.map.volume, 12) }, fileName: 'target.mrc' },
  });
  const masked = cases.filter(([what]) => ['estimate', 'three modifications', 'down-sampled, two modifications', 'down-sampled, estimate'].includes(what));
  for (const job of [input, cropped([64, 62, 60])]) {
    const v = job.map.volume;
    // The masks' cubes may take the arrays listed for the outputs (these then map their own).
    for (const [what, change] of masked) checkReserve(withMasks(job), `${v.nz}x${v.ny}x${v.nx} with masks, ${what}`, settings(change), false);
  }
});

test('arrays at the input box are prepared for each modified map padded back to it (matched in place with --hist-match)', () => {
  const reservable = (change: (s: RunSettings) => void) => reservableMapArrays([64, 64, 64], 1, settings(change)).later;
  const three: RunSettings['modification']['modifications'] = [{ kind: 'amplify', power: 2 }, { kind: 'attenuate', power: 2 }, { kind: 'sigmoid', power: 2, pivot: 0.5 }];
  assert.deepEqual(reservable((s) => (s.modification.modifications = three)), [], 'not down-sampled');
  assert.deepEqual(reservable((s) => ((s.estimation.maxBox = 48), (s.modification.modifications = three))), [64 ** 3, 64 ** 3, 64 ** 3]);
  assert.deepEqual(reservable((s) => ((s.estimation.maxBox = 48), (s.modification.excludeSolvent = true))), [64 ** 3]);
  assert.deepEqual(reservable((s) => (s.estimation.maxBox = 48)), [], 'estimate only');
  const workspaceBytes = (maxBox: number) => reservableMapArrays([64, 64, 64], 1, settings((s) => (s.estimation.maxBox = maxBox))).workspaceBytes;
  assert.equal(workspaceBytes(48), resampleWorkspaceBytes(64, 48), 'the down-sampling\'s working memory');
  assert.ok(workspaceBytes(48) > 0);
  assert.equal(workspaceBytes(64), 0, 'none without down-sampling');
  assert.deepEqual(reservable((s) => ((s.estimation.maxBox = 48), (s.modification.modifications = three), (s.modification.histogramMatch = true))), [64 ** 3, 64 ** 3, 64 ** 3]);
  // Another box: its cube first when not down-sampled (else it is never made), then the processing maps; later
  // its maps at its box: scale, confidence, the modified maps (not with --hist-match) and kept factors.
  const other = reservableMapArrays([60, 64, 63], 1, settings((s) => ((s.estimation.maxBox = 48), (s.modification.modifications = three))));
  assert.deepEqual(other.estimating.slice(0, 2), [48 ** 3, 48 ** 3]);
  assert.deepEqual(reservableMapArrays([60, 64, 63], 1, settings(() => {})).estimating.slice(0, 2), [64 ** 3, 64 ** 3]);
  assert.deepEqual(other.later, Array(5).fill(60 * 64 * 63));
  const otherLater = (change: (s: RunSettings) => void) => reservableMapArrays([60, 64, 63], 1, settings(change)).later.length;
  assert.equal(otherLater(() => {}), 2, 'estimate only: scale and confidence');
  assert.equal(otherLater((s) => ((s.modification.modifications = three), (s.modification.histogramMatch = true))), 5, 'matched in place');
  assert.equal(otherLater((s) => ((s.modification.modifications = three.slice(0, 2)), (s.modification.saveFactors = true))), 6);
  assert.equal(other.workspaceBytes, resampleWorkspaceBytes(64, 48));
});

test('the reserve hands out arrays of the asked length only', async () => {
  assert.deepEqual(reservableMapArrays([0, 64, 64], 1, defaultSettings()).estimating, []);
  const a = new Float32Array(10);
  reserveZeroedArrays([a]);
  assert.notEqual(zeroedFloat32Array(11), a);
  assert.equal(zeroedFloat32Array(10), a);
  assert.notEqual(zeroedFloat32Array(10), a, 'taken once');
  assert.equal(releaseReservedArrays(), 0);
  // An array that cannot be had yet is not handed out (a new one is); once it can, it is.
  let ready = false;
  reserveZeroedArrays([{ array: a, take: () => ready }]);
  assert.notEqual(zeroedFloat32Array(10), a);
  ready = true;
  assert.equal(zeroedFloat32Array(10), a);
  assert.equal(releaseReservedArrays(), 0);
  const prepared = prefaultedInBackground([100000, 100000]);
  assert.equal(prepared.length, 2);
  for (let waited = 0; !prepared.every((p) => p.state() === 'ready'); waited++) {
    assert.ok(waited < 1000, 'the helper thread maps the arrays');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // Zeros, as new arrays' are (the run relies on it): a helper that wrote anything else per page would show.
  for (const p of prepared) assert.ok(p.array.length === 100000 && p.array.every((x) => Object.is(x, 0)) && p.take());
  assert.deepEqual(prefaultedInBackground([]), []);
  const read = await prefaultedWhileReading([100000, 100000]);
  // Where /dev/zero exists the arrays must come back (an empty list means every read failed, silently).
  assert.equal(read.length, existsSync('/dev/zero') ? 2 : 0);
  for (const p of read) assert.ok(p.length === 100000 && p.every((x) => Object.is(x, 0)));
  assert.deepEqual(await prefaultedWhileReading([]), []);
  const workspace = await workspaceMappedWhileReading(100000);
  assert.equal(workspace?.buffer.byteLength, existsSync('/dev/zero') ? 2 * 65536 : undefined, 'whole pages, at least the bytes asked');
  assert.equal(await workspaceMappedWhileReading(0), undefined);
});

test('a prepared array wanted before the helper began it is taken as it is, and the helper leaves it alone', async () => {
  const length = 4 * 2 ** 20;
  const prepared = prefaultedInBackground([length, length, length, length]);
  assert.equal(prepared.length, 4);
  // Taken at once: the helper thread is still starting, so it has begun none of them (and maps them in order).
  assert.equal(prepared[2].state(), 'pending');
  assert.ok(prepared[2].take());
  assert.equal(prepared[2].state(), 'taken');
  prepared[2].array.fill(7); // the run's values: the helper must not write zeros over them
  for (let waited = 0; prepared[3].state() !== 'ready'; waited++) {
    assert.ok(waited < 1000, 'the helper maps the others');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.deepEqual(prepared.map((p) => p.state()), ['ready', 'ready', 'taken', 'ready']);
  assert.ok(prepared[2].array.every((x) => x === 7), 'skipped by the helper');
});

test('prepared arrays released from the reserve unused are not mapped; arrays ready anyway are handed out first', async () => {
  const length = 4 * 2 ** 20;
  const prepared = prefaultedInBackground([length, length]);
  reserveZeroedArrays(prepared);
  const plain = new Float32Array(length);
  reserveZeroedArrays([plain]);
  assert.equal(zeroedFloat32Array(length), plain, 'the plain array, reserved after the prepared ones, first');
  assert.equal(releaseReservedArrays(), 2);
  assert.deepEqual(prepared.map((p) => p.state()), ['taken', 'taken'], 'called off before the helper began them');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(prepared.map((p) => p.state()), ['taken', 'taken'], 'and the helper left them alone');
});

test('a prepared array wanted while the helper maps it is handed out only once mapped', async () => {
  // Large enough that the helper is seen at it (0.1–0.6 s here); the run then waits for the rest. Watched by
  // spinning (the helper is another thread), which sees the helper begin within microseconds.
  const prepared = prefaultedInBackground([64 * 2 ** 20]);
  const deadline = Date.now() + 20_000;
  while (prepared[0].state() === 'pending') assert.ok(Date.now() < deadline, 'the helper begins');
  assert.equal(prepared[0].state(), 'mapping', 'seen while the helper maps it (else this test shows nothing)');
  assert.ok(prepared[0].take());
  assert.equal(prepared[0].state(), 'ready', 'handed out only once mapped');
  assert.ok(prepared[0].array.every((x) => x === 0));
});

