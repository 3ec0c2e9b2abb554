import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confidenceLimit, confidenceMap } from '../../../src/core/solvent/confidence-map.js';
import { densityHistogram } from '../../../src/core/solvent/histogram.js';
import { createCube } from '../../../src/core/volume.js';
import { lcg } from '../../random.js';

/**
 * The reference's indices, emulated step by step on float32 arrays as NumPy does it in place:
 * data /= (max - min); data -= data.min(); idx = (data * 1000 - 1).astype(int).
 */
function numpyStyleIndices(values: Float32Array, bins: number): Int32Array {
  const data = Float32Array.from(values);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = new Float32Array([hi - lo])[0];
  for (let i = 0; i < data.length; i++) data[i] = data[i] / span;
  let smallest = Infinity;
  for (const v of data) smallest = Math.min(smallest, v);
  for (let i = 0; i < data.length; i++) data[i] = data[i] - smallest;
  const scaled = data.map((u) => u * bins);
  const shifted = scaled.map((u) => u - 1);
  return Int32Array.from(shifted, (u) => Math.trunc(u));
}

function randomCube(n: number, seed: number) {
  const next = lcg(seed);
  const data = new Float32Array(n * n * n);
  for (let i = 0; i < data.length; i++) data[i] = (next() + next() + next() - 1.2) * 1.7;
  return createCube(n, data);
}

test('confidence map reads the curve at the reference index; the minimum voxel reads entry 0 (defect fix)', () => {
  const L = randomCube(20, 5);
  // A curve whose value reveals the index it was read at.
  const curve = Float64Array.from({ length: 1000 }, (_, i) => i / 999);
  const conf = confidenceMap(L, curve).data;
  const expected = numpyStyleIndices(L.data, 1000);
  let minimumVoxels = 0;
  for (let i = 0; i < L.data.length; i++) {
    const index = expected[i] < 0 ? 0 : expected[i];
    if (expected[i] < 0) minimumVoxels++;
    assert.equal(conf[i], Math.fround(index / 999), `voxel ${i}`);
  }
  assert.ok(minimumVoxels >= 1, 'the reference index -1 occurs (at the minimum)');
  let iMin = 0;
  let iMax = 0;
  for (let i = 0; i < L.data.length; i++) {
    if (L.data[i] < L.data[iMin]) iMin = i;
    if (L.data[i] > L.data[iMax]) iMax = i;
  }
  assert.equal(conf[iMin], 0);
  assert.ok(conf[iMax] === 1 || conf[iMax] === Math.fround(998 / 999), `maximum reads entry 999 (or 998 when u rounds below 1)`);
});

test('a voxel in histogram bin i >= 1 takes curve entry i - 1 (away from float32 ties at bin edges)', () => {
  const L = randomCube(24, 9);
  const curve = Float64Array.from({ length: 1000 }, (_, i) => i / 999);
  const conf = confidenceMap(L, curve).data;
  const h = densityHistogram(L.data);
  let checked = 0;
  for (let i = 0; i < L.data.length; i++) {
    const v = L.data[i];
    let bin = 0;
    while (bin < 999 && v >= h.edges[bin + 1]) bin++;
    const width = h.edges[bin + 1] - h.edges[bin];
    if (bin === 0 || v - h.edges[bin] < 1e-4 * width || h.edges[bin + 1] - v < 1e-4 * width) continue;
    assert.equal(conf[i], Math.fround((bin - 1) / 999));
    checked++;
  }
  assert.ok(checked > 0.99 * L.data.length);
});

test('confidence map clips the curve to [0, 1] and keeps the box', () => {
  const L = createCube(2, Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]));
  const curve = Float64Array.from({ length: 1000 }, (_, i) => (i < 500 ? -0.3 : 1.7));
  const c = confidenceMap(L, curve);
  assert.deepEqual([c.nz, c.ny, c.nx], [2, 2, 2]);
  assert.deepEqual(Array.from(c.data), [0, 0, 0, 0, 1, 1, 1, 1]);
  assert.throws(() => confidenceMap(createCube(1, Float32Array.from([3])), curve), /value range/);
});

test('confidence limit: idx = bins - count(curve > 0.5), value E[idx], bad when idx / bins > 0.5', () => {
  const edges = Float64Array.from({ length: 1001 }, (_, i) => -1 + i * 0.004);
  const curveWithAbove = (k: number) => Float64Array.from({ length: 1000 }, (_, i) => (i >= 1000 - k ? 0.9 : i % 2 ? 0.5 : -1));
  const a = confidenceLimit(curveWithAbove(700), edges);
  assert.equal(a.index, 300);
  assert.equal(a.value, edges[300]);
  assert.equal(a.modelIsBad, false);
  assert.equal(confidenceLimit(curveWithAbove(500), edges).modelIsBad, false); // 0.5 is not > 0.5
  assert.equal(confidenceLimit(curveWithAbove(499), edges).modelIsBad, true);
  const none = confidenceLimit(curveWithAbove(0), edges);
  assert.equal(none.index, 1000);
  assert.equal(none.value, edges[1000]);
});
