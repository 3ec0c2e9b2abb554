import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateLocalScale, recalibrateToNoiseLevel, targetedOccupancy, TARGET_TILE_SIZE } from '../../../src/core/scale/local-scale.js';
import { sphericalKernel, tauForSampleCount } from '../../../src/core/scale/kernel.js';
import { tiledFullScale } from '../../../src/core/scale/full-scale.js';
import { maximumFilter } from '../../../src/core/filters/max-filter.js';
import { createCube } from '../../../src/core/volume.js';

function blobs(n: number): Float32Array {
  // Two Gaussian blobs of heights 1 and 0.4 on a faint ramp.
  const d = new Float32Array(n ** 3);
  for (let z = 0; z < n; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const a = Math.exp(-((z - 10) ** 2 + (y - 12) ** 2 + (x - 12) ** 2) / 8);
        const b = 0.4 * Math.exp(-((z - 20) ** 2 + (y - 16) ** 2 + (x - 16) ** 2) / 8);
        d[(z * n + y) * n + x] = a + b + 0.001 * x;
      }
  return d;
}

test('scale is clip(max-filter / s_max, 0, 1) and the variability limit its definition', () => {
  const n = 32;
  const v = createCube(n, blobs(n));
  const kernel = sphericalKernel(5, 2.5);
  const tau = tauForSampleCount(kernel.sampleCount);
  const got = estimateLocalScale(v, { kernel, tau, tileSize: 3, naive: false });
  const sMax = tiledFullScale(v, tau, 3).value;
  const m = maximumFilter(v, kernel).data;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < m.length; i++) {
    const expected = Math.min(1, Math.max(0, m[i] / sMax));
    assert.ok(Math.abs(got.scale.data[i] - expected) < 1e-6);
    if (got.scale.data[i] === 1) { sum += v.data[i]; count++; }
  }
  assert.ok(count > 0);
  assert.ok(Math.abs(got.variabilityLimit - sum / count / sMax) < 1e-9);
  // The weaker blob reads near its relative height.
  const weak = got.scale.data[(20 * n + 16) * n + 16];
  assert.ok(weak > 0.3 && weak < 0.6, `weak blob scale ${weak}`);
});

test('noise-level re-calibration maps the limit to 0 and 1 to 1', () => {
  const s = createCube(2, Float32Array.from([0, 0.2, 0.6, 1, 0.1, 0.19, 0.9, 0.5]));
  const r = recalibrateToNoiseLevel(s, 0.2).data;
  const expected = [0, 0, 0.5, 1, 0, 0, 0.875, 0.375];
  expected.forEach((e, i) => assert.ok(Math.abs(r[i] - e) < 1e-6));
});

/**
 * s_max by METHOD.md §6.2 written out directly: every tile of edge t in the searched sphere, its values sorted,
 * element floor(tau * t^3); the largest of those.
 */
function bruteForceTiledFullScale(data: Float32Array, n: number, tau: number, t: number): number {
  let count = 20;
  if (n - t + 1 < count) count = n - t + 1;
  const step = t + Math.floor((n - count * t) / (count - 1));
  const edge = Math.floor((n - ((count - 1) * step + t)) / 2);
  const q = Math.floor(tau * t ** 3);
  let best = -Infinity;
  for (let i = 0; i < count; i++)
    for (let j = 0; j < count; j++)
      for (let l = 0; l < count; l++) {
        if (Math.sqrt((i - count / 2) ** 2 + (j - count / 2) ** 2 + (l - count / 2) ** 2) >= count / 2 - 1) continue;
        const values: number[] = [];
        for (let z = 0; z < t; z++)
          for (let y = 0; y < t; y++)
            for (let x = 0; x < t; x++) values.push(data[((edge + step * i + z) * n + edge + step * j + y) * n + edge + step * l + x]);
        values.sort((a, b) => a - b);
        best = Math.max(best, values[q]);
      }
  return best;
}

test('targeted occupancy: region max over a full scale at the region-sized tau, tiled with 12-voxel tiles', () => {
  const n = 32;
  const v = createCube(n, blobs(n));
  const mask = new Float32Array(n ** 3);
  for (let z = 18; z < 23; z++) for (let y = 14; y < 19; y++) for (let x = 14; x < 19; x++) mask[(z * n + y) * n + x] = 1;
  const got = targetedOccupancy(v, mask);
  assert.equal(got.voxelCount, 125);
  assert.equal(got.tau, tauForSampleCount(125));
  let max = -Infinity;
  for (let i = 0; i < mask.length; i++) if (mask[i] > 0.5) max = Math.max(max, v.data[i]);
  assert.equal(TARGET_TILE_SIZE, 12);
  const sMax = bruteForceTiledFullScale(v.data, n, got.tau, 12);
  assert.equal(got.fullScale, sMax);
  assert.ok(Math.abs(got.occupancy - max / sMax) < 1e-12);
  // Not the box-derived tile size (floor(32/20) = 1 here) nor 3: the tile edge is fixed.
  assert.notEqual(sMax, bruteForceTiledFullScale(v.data, n, got.tau, 3));
  // --nlrc recalibrates the result.
  const limit = 0.1;
  const nlrc = targetedOccupancy(v, mask, { confidenceLimit: limit });
  assert.ok(Math.abs(nlrc.occupancy - Math.min(1, Math.max(0, (max / sMax - limit) / (1 - limit)))) < 1e-12);
  assert.throws(() => targetedOccupancy(v, new Float32Array(n ** 3)), /no voxel/);
});

test('targeted occupancy takes the voxels where the mask is above 0.5, not at it', () => {
  const n = 32;
  const v = createCube(n, blobs(n));
  const at = (z: number, y: number, x: number) => (z * n + y) * n + x;
  const mask = new Float32Array(n ** 3);
  // The strong blob's peak at exactly 0.5 (left out); the weak blob's neighbourhood just above it (taken).
  mask[at(10, 12, 12)] = 0.5;
  for (let z = 19; z < 22; z++) for (let y = 15; y < 18; y++) for (let x = 15; x < 18; x++) mask[at(z, y, x)] = Math.fround(0.5000001);
  const got = targetedOccupancy(v, mask);
  assert.equal(got.voxelCount, 27);
  let max = -Infinity;
  for (let z = 19; z < 22; z++) for (let y = 15; y < 18; y++) for (let x = 15; x < 18; x++) max = Math.max(max, v.data[at(z, y, x)]);
  assert.ok(v.data[at(10, 12, 12)] > 2 * max, 'the voxel at 0.5 would change the answer');
  assert.ok(Math.abs(got.occupancy - max / got.fullScale) < 1e-12);
});
