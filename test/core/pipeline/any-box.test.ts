import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  estimateAnyBox,
  frameOf,
  modifyAnyBox,
  processingToInputVoxel,
  scaleAtInputBox,
  toInputBox,
} from '../../../src/core/pipeline/any-box.js';
import { estimate, type EstimateRequest } from '../../../src/core/pipeline/estimate.js';
import { modifyMaps, type ModifyRequest } from '../../../src/core/pipeline/modify.js';
import { embedInEvenCube, mirroredCube, sampleBlockFromGrid } from '../../../src/core/box.js';
import { createVolume, valueRange, type Volume } from '../../../src/core/volume.js';
import { makePhantom, phantomSpec } from '../../../src/synthetic/phantom.js';
import { readMapFile } from '../../../src/io/map-file.js';
import { fixturesDir } from '../../fixtures/fixture-cases.js';

type Triple = [number, number, number];

function crop(v: Volume, origin: Triple, shape: Triple): Volume {
  const [nz, ny, nx] = shape;
  const out = createVolume(nz, ny, nx);
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const src = ((z + origin[0]) * v.ny + y + origin[1]) * v.nx + origin[2];
      out.data.set(v.data.subarray(src, src + nx), (z * ny + y) * nx);
    }
  }
  return out;
}

function request(scaleMode: 'res' | 'occ', maxBox = 256): EstimateRequest {
  return { scaleMode, naive: false, nlrc: false, maxBox };
}

const modifyRequest = (overrides: Partial<ModifyRequest> = {}): ModifyRequest => ({
  modifications: [],
  excludeSolvent: false,
  omitConfidence: false,
  scaleLimit: 0.05,
  histogramMatch: false,
  seed: 7,
  saveFactors: false,
  ...overrides,
});

/** Largest and mean |a - b| over the voxels where `where` is positive. */
function difference(a: Float32Array, b: Float32Array, where: Float32Array): { max: number; mean: number; count: number } {
  assert.equal(a.length, b.length);
  let max = 0;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (!(where[i] > 0)) continue;
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) max = d; // NaN makes max NaN, and the test fail
    sum += d;
    count++;
  }
  return { max, mean: sum / count, count };
}

function shapeOf(v: Volume): Triple {
  return [v.nz, v.ny, v.nx];
}

function countPositive(data: Float32Array): number {
  let n = 0;
  for (const v of data) if (v > 0) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------------------

test('an even cube goes through estimate() and modifyMaps() untouched', () => {
  const map = makePhantom(phantomSpec(32)).volume;
  const req = request('occ');
  const direct = estimate(map, 1.2, req);
  const boxed = estimateAnyBox(map, 1.2, req);
  assert.ok(boxed.frame.identity);
  assert.deepEqual(boxed.frame.offset, [0, 0, 0]);
  assert.equal(boxed.scale, boxed.estimate.scale, 'the estimate\'s own scale map, not a copy');
  assert.equal(boxed.confidence, boxed.estimate.confidence.confidence);
  assert.deepEqual(boxed.scale.data, direct.scale.data);
  assert.deepEqual(boxed.confidence.data, direct.confidence.confidence.data);
  assert.equal(boxed.estimate.fullScale.value, direct.fullScale.value);

  const mreq = modifyRequest({ modifications: [{ kind: 'amplify', power: 2 }, { kind: 'attenuate', power: 3 }], saveFactors: true });
  const a = modifyMaps(direct, map, mreq);
  const b = modifyAnyBox(boxed, map, mreq);
  assert.equal(a.maps.length, b.maps.length);
  a.maps.forEach((m, i) => {
    assert.equal(b.maps[i].role, m.role);
    assert.deepEqual(shapeOf(b.maps[i].volume), shapeOf(m.volume));
    assert.deepEqual(b.maps[i].volume.data, m.volume.data);
  });
  // Down-sampled: still the processing-size maps (written with an overlaying header, as before).
  const small = estimateAnyBox(map, 1.2, request('occ', 24));
  assert.ok(small.estimate.downscaled);
  assert.deepEqual(shapeOf(small.scale), [24, 24, 24]);
  assert.equal(toInputBox(small.estimate, small.frame, small.estimate.lowpassed, 'density'), small.estimate.lowpassed);
});

test('estimate() reports its steps in the order they run, the local scale as its full scale and its max filter', () => {
  const map = makePhantom(phantomSpec(32)).volume;
  const steps: string[] = [];
  estimate(map, 1.2, request('occ'), (step) => steps.push(step));
  assert.deepEqual(steps, ['preparing', 'low-pass', 'solvent model', 'confidence', 'full scale', 'max filter']);
  const downsampled: string[] = [];
  estimate(map, 1.2, { ...request('res', 24), targetMask: createVolume(32, 32, 32, new Float32Array(32 ** 3).fill(1)) }, (step) => downsampled.push(step));
  assert.deepEqual(downsampled, ['down-sampling', 'low-pass', 'solvent model', 'confidence', 'full scale', 'max filter', 'targeted occupancy']);
});

test('the frame: smallest even cube, input centred (floor), identity only for even cubes', () => {
  assert.deepEqual(frameOf(createVolume(64, 48, 60)), { inputShape: [64, 48, 60], cubeEdge: 64, offset: [0, 8, 2], identity: false });
  assert.deepEqual(frameOf(createVolume(63, 51, 57)), { inputShape: [63, 51, 57], cubeEdge: 64, offset: [0, 6, 3], identity: false });
  assert.deepEqual(frameOf(createVolume(33, 33, 33)), { inputShape: [33, 33, 33], cubeEdge: 34, offset: [0, 0, 0], identity: false });
  assert.deepEqual(frameOf(createVolume(30, 30, 30)).identity, true);
});

// ---------------------------------------------------------------------------------------------------------
// Solvent cropped off the cubic fixture: the molecule and its place in the cube stay, only the box changes.

interface Fixture {
  map: Volume;
  labels: Volume;
  voxelSize: number;
}

let fixture: Promise<Fixture> | undefined;
function loadFixture(): Promise<Fixture> {
  fixture ??= (async () => {
    const dir = fixturesDir();
    const map = await readMapFile(path.join(dir, '1tii_occ_64.mrc'));
    const labels = await readMapFile(path.join(dir, '1tii_occ_64_labels.mrc'));
    return { map: map.volume, labels: labels.volume, voxelSize: Math.fround(map.geometry.voxelSize[0]) };
  })();
  return fixture;
}

/**
 * The crop of the 64-cube at `origin` with `shape`, checked to hold every molecule voxel (label > 0) of the
 * fixture, and to sit in its embedding cube where it sat in the fixture (same cube edge, offset = origin).
 */
function solventCrop(f: Fixture, origin: Triple, shape: Triple): { map: Volume; labels: Volume } {
  const labels = crop(f.labels, origin, shape);
  assert.equal(countPositive(labels.data), countPositive(f.labels.data), 'the crop keeps every molecule voxel');
  const frame = frameOf(labels);
  assert.equal(frame.cubeEdge, 64);
  assert.deepEqual(frame.offset, origin);
  return { map: crop(f.map, origin, shape), labels };
}

// Molecule (label > 0) of 1tii_occ_64: sections 9–56, rows 10–50, columns 7–53 (checked by solventCrop).
const CROPS: { name: string; origin: Triple; shape: Triple }[] = [
  { name: 'non-cubic 64x48x60 (sections x rows x columns)', origin: [0, 8, 2], shape: [64, 48, 60] },
  { name: 'odd 63x51x57', origin: [0, 6, 3], shape: [63, 51, 57] },
  { name: 'odd cube 63', origin: [0, 0, 0], shape: [63, 63, 63] },
];

for (const mode of ['res', 'occ'] as const) {
  test(`solvent cropped off 1tii_occ_64 (${mode}): the scale over the molecule is within 0.05 of the cubic map's`, async () => {
    const f = await loadFixture();
    const cubic = estimateAnyBox(f.map, f.voxelSize, request(mode));
    assert.ok(cubic.frame.identity);
    for (const c of CROPS) {
      const cropped = solventCrop(f, c.origin, c.shape);
      const result = estimateAnyBox(cropped.map, f.voxelSize, request(mode));
      assert.ok(!result.frame.identity);
      assert.deepEqual(shapeOf(result.scale), c.shape, c.name);
      assert.deepEqual(shapeOf(result.confidence), c.shape, c.name);
      const reference = crop(cubic.scale, c.origin, c.shape);
      const d = difference(result.scale.data, reference.data, cropped.labels.data);
      assert.equal(d.count, countPositive(f.labels.data));
      assert.ok(d.max <= 0.05, `${c.name}: largest difference ${d.max.toFixed(4)} over the molecule`);
      assert.ok(d.mean <= 0.01, `${c.name}: mean difference ${d.mean.toFixed(4)} over the molecule`);
      // The scale is estimated on the unfiltered map in 'res' mode: far from the margin it is the same map.
      if (mode === 'res') assert.equal(result.estimate.fullScale.value, cubic.estimate.fullScale.value, c.name);
      // Confidence: the solvent model sees mirrored solvent instead of the real one; close over the molecule.
      const conf = difference(result.confidence.data, crop(cubic.confidence, c.origin, c.shape).data, cropped.labels.data);
      assert.ok(conf.mean <= 0.03, `${c.name}: confidence mean difference ${conf.mean.toFixed(4)}`);
    }
  });
}

test('down-sampled by --max-box: the scale at the input box is the cubic map\'s processing-size scale as a viewer samples it (trilinear), within 0.05', async () => {
  const f = await loadFixture();
  for (const mode of ['res', 'occ'] as const) {
    const cubic = estimateAnyBox(f.map, f.voxelSize, request(mode, 48));
    assert.deepEqual(shapeOf(cubic.scale), [48, 48, 48], 'cubic: processing size, as before');
    for (const c of CROPS) {
      const cropped = solventCrop(f, c.origin, c.shape);
      const result = estimateAnyBox(cropped.map, f.voxelSize, request(mode, 48));
      assert.ok(result.estimate.downscaled);
      assert.deepEqual(shapeOf(result.scale), c.shape, `${c.name}: at the input box`);
      assert.deepEqual(shapeOf(result.confidence), c.shape);
      const reference = sampleBlockFromGrid(cubic.scale, 64, c.origin, c.shape);
      const d = difference(result.scale.data, reference.data, cropped.labels.data);
      assert.ok(d.max <= 0.05, `${mode} ${c.name}: largest difference ${d.max.toFixed(4)}`);
      const [lo, hi] = valueRange(result.scale.data);
      assert.ok(lo >= 0 && hi <= 1, 'interpolated scale stays in [0, 1]');
    }
  }
});

test('a box of another cube edge gives what the method gives for a cube of that edge with the same molecule', async () => {
  // 55x51x57 embeds in a 58-cube; compare with the cubic 58-box cut from the fixture around the same place.
  const f = await loadFixture();
  const origin: Triple = [5, 5, 3];
  const shape: Triple = [55, 51, 57];
  const cubeOrigin: Triple = [4, 2, 3]; // so the molecule sits where the embedding puts it (offsets 1, 3, 0)
  const labels = crop(f.labels, origin, shape);
  assert.equal(countPositive(labels.data), countPositive(f.labels.data));
  const within: Triple = [origin[0] - cubeOrigin[0], origin[1] - cubeOrigin[1], origin[2] - cubeOrigin[2]];
  assert.deepEqual(frameOf(labels).offset, within);
  for (const mode of ['res', 'occ'] as const) {
    const cubic = estimateAnyBox(crop(f.map, cubeOrigin, [58, 58, 58]), f.voxelSize, request(mode));
    const result = estimateAnyBox(crop(f.map, origin, shape), f.voxelSize, request(mode));
    const d = difference(result.scale.data, crop(cubic.scale, within, shape).data, labels.data);
    if (mode === 'res') assert.equal(d.max, 0, 'res: identical over the molecule');
    else assert.ok(d.max <= 0.05, `occ: largest difference ${d.max.toFixed(4)}`);
  }
});

// ---------------------------------------------------------------------------------------------------------

test('modified maps have exactly the input box and its value range; histogram matching uses the map as read', () => {
  const map = makePhantom(phantomSpec([30, 36, 27])).volume;
  for (const maxBox of [256, 24]) {
    const result = estimateAnyBox(map, 1.2, request('occ', maxBox));
    assert.equal(result.estimate.downscaled, maxBox === 24);
    const mods = [
      { kind: 'amplify' as const, power: 3 },
      { kind: 'attenuate' as const, power: 2 },
      { kind: 'sigmoid' as const, power: 2, pivot: 0.3 },
    ];
    const clipped = modifyAnyBox(result, map, modifyRequest({ modifications: mods, saveFactors: true }));
    assert.deepEqual(clipped.maps.map((m) => m.role), ['modified', 'factor', 'modified', 'factor', 'modified', 'factor']);
    const [lo, hi] = valueRange(map.data);
    for (const m of clipped.maps) {
      assert.deepEqual(shapeOf(m.volume), [30, 36, 27]);
      const [a, b] = valueRange(m.volume.data);
      if (m.role === 'factor') assert.ok(a >= 0 && Number.isFinite(b));
      else assert.ok(a >= lo && b <= hi, `modified map within the input's range [${lo}, ${hi}]: [${a}, ${b}]`);
    }
    // The amplified map: the factor is >= 1, so it differs from the input where the scale is partial.
    const amplified = clipped.maps[0].volume.data;
    let changed = 0;
    for (let i = 0; i < amplified.length; i++) if (amplified[i] !== map.data[i]) changed++;
    assert.ok(changed > 0);

    const matched = modifyAnyBox(result, map, modifyRequest({ modifications: [mods[0]], histogramMatch: true }));
    const sortedOut = Float32Array.from(matched.maps[0].volume.data).sort();
    const sortedIn = Float32Array.from(map.data).sort();
    let equal = 0;
    for (let i = 0; i < sortedIn.length; i++) if (sortedOut[i] === sortedIn[i]) equal++;
    assert.ok(equal / sortedIn.length > 0.99, `histogram matched to the input's values (${equal} of ${sortedIn.length} equal)`);

    const excluded = modifyAnyBox(result, map, modifyRequest({ excludeSolvent: true }));
    assert.deepEqual(excluded.maps.map((m) => m.role), ['solvent-excluded']);
    assert.deepEqual(shapeOf(excluded.maps[0].volume), [30, 36, 27]);
  }
});

test('not down-sampled: every map is the cube\'s result cropped back, voxel for voxel', () => {
  const map = makePhantom(phantomSpec([28, 22, 25])).volume;
  const frame = frameOf(map);
  const result = estimateAnyBox(map, 1.2, request('occ'));
  const crop3 = (v: Volume) => crop(v, frame.offset, frame.inputShape).data;
  assert.deepEqual(result.scale.data, crop3(result.estimate.scale));
  assert.deepEqual(result.confidence.data, crop3(result.estimate.confidence.confidence));
  assert.deepEqual(toInputBox(result.estimate, frame, result.estimate.lowpassed, 'density').data, crop3(result.estimate.lowpassed));
  assert.equal(scaleAtInputBox(result), result.scale);
  // The input's own voxels are where the cube holds them.
  assert.deepEqual(crop3(result.estimate.processing), map.data);
});

test('masks: the solvent definition is mirrored with the map, the target mask padded with zeros', () => {
  const phantom = makePhantom(phantomSpec([26, 30, 21]));
  const map = phantom.volume;
  // Target: every voxel of domain 1 (touching nothing at the faces, so mirroring would not matter either);
  // put a target voxel on a face to see the margin stays empty.
  const target = createVolume(26, 30, 21, Float32Array.from(phantom.labels, (l) => (l === 1 ? 1 : 0)));
  target.data[0] = 1;
  const solventDefinition = createVolume(26, 30, 21, Float32Array.from(phantom.labels, (l) => (l > 0 ? 1 : 0)));
  const result = estimateAnyBox(map, 1.2, { ...request('occ'), targetMask: target, solventDefinition });
  assert.equal(result.estimate.target?.voxelCount, countPositive(target.data));

  // The solvent definition reaches the estimate mirrored at the faces, as the map is: the same confidence as
  // estimate() on the cube given the mask mirrored here by hand (scipy's 'reflect': ...c b a | a b c...), and
  // not that of the mask padded with zeros or of no mask at all.
  const n = 30;
  const offset = [26, 30, 21].map((s) => Math.floor((n - s) / 2));
  const reflect = (i: number, size: number) => (i < 0 ? -i - 1 : i >= size ? 2 * size - i - 1 : i);
  const embed = (v: Volume, fill: 'mirror' | 'zeros') => {
    const out = createVolume(n, n, n);
    for (let z = 0; z < n; z++) {
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          const [iz, iy, ix] = [z - offset[0], y - offset[1], x - offset[2]];
          const inside = iz >= 0 && iz < v.nz && iy >= 0 && iy < v.ny && ix >= 0 && ix < v.nx;
          if (fill === 'zeros' && !inside) continue;
          out.data[(z * n + y) * n + x] = v.data[(reflect(iz, v.nz) * v.ny + reflect(iy, v.ny)) * v.nx + reflect(ix, v.nx)];
        }
      }
    }
    return out;
  };
  const confidenceWith = (mask: Volume | undefined) => estimate(embed(map, 'mirror'), 1.2, { ...request('occ'), solventDefinition: mask }).confidence.confidence.data;
  // Content marked on the mask's first x plane too, so that the margin beyond it differs between the two.
  const atFace = createVolume(26, 30, 21, solventDefinition.data.slice());
  for (let row = 0; row < 26 * 30; row++) atFace.data[row * 21] = 1;
  const withMask = estimateAnyBox(map, 1.2, { ...request('occ'), solventDefinition: atFace }).estimate.confidence.confidence.data;
  assert.deepEqual(withMask, confidenceWith(embed(atFace, 'mirror')));
  assert.notDeepEqual(withMask, confidenceWith(embed(atFace, 'zeros')), 'padding the mask with zeros must tell');
  assert.notDeepEqual(withMask, confidenceWith(undefined), 'dropping the mask must tell');
  assert.throws(() => estimateAnyBox(map, 1.2, { ...request('occ'), targetMask: createVolume(26, 30, 20) }), RangeError);
});

test('tile centres in processing voxels map to input voxels', () => {
  const map = makePhantom(phantomSpec([30, 36, 27])).volume;
  const plain = estimateAnyBox(map, 1.2, request('res'));
  // Cube 36, offsets (3, 0, 4), not down-sampled.
  assert.deepEqual(processingToInputVoxel(plain, [18, 18, 18]), [15, 18, 14]);
  const small = estimateAnyBox(map, 1.2, request('res', 24));
  // Cube 36 -> 24: a processing voxel is 1.5 input voxels; offsets (3, 0, 4).
  assert.deepEqual(processingToInputVoxel(small, [12, 12, 12]), [15, 18, 14]);
});

test("estimate() on a map's cube described (MirroredCube) equals estimate() on the cube made, down-sampled and not", async () => {
  const map = await readMapFile(path.join(fixturesDir(), '1tii_occ_64.mrc'));
  const other = crop(map.volume, [2, 0, 5], [57, 64, 51]);
  const voxelSize = map.geometry.voxelSize[0];
  for (const maxBox of [48, 64]) {
    for (const mode of ['occ', 'res'] as const) {
      const made = estimate(embedInEvenCube(other).cube, voxelSize, request(mode, maxBox));
      const described = estimate(mirroredCube(other), voxelSize, request(mode, maxBox));
      const what = `max box ${maxBox}, ${mode}`;
      assert.equal(described.downscaled, maxBox < 64, what);
      assert.deepEqual(described.processing.data, made.processing.data, `${what}: processing map`);
      assert.deepEqual(described.scale.data, made.scale.data, `${what}: scale`);
      assert.deepEqual(described.confidence.confidence.data, made.confidence.confidence.data, `${what}: confidence`);
    }
  }
});
