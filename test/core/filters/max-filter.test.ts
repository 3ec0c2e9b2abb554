import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maximumFilter, maximumFilterNormalised, footprintRuns } from '../../../src/core/filters/max-filter.js';
import { reflectIndex } from '../../../src/core/filters/reflect.js';
import { hasWasmSimd } from '../../../src/core/wasm/assembler.js';
import { sphericalKernel, type Kernel } from '../../../src/core/scale/kernel.js';
import { createVolume, type Volume } from '../../../src/core/volume.js';
import { seededValues } from '../../random.js';

/** scipy.ndimage.maximum_filter(mode='reflect') by definition: visit every footprint voxel. */
function bruteForceMaximum(v: Volume, k: Kernel): Float32Array {
  const out = new Float32Array(v.data.length);
  const c = (k.size - 1) / 2;
  for (let z = 0; z < v.nz; z++)
    for (let y = 0; y < v.ny; y++)
      for (let x = 0; x < v.nx; x++) {
        let m = -Infinity;
        for (let a = 0; a < k.size; a++)
          for (let b = 0; b < k.size; b++)
            for (let d = 0; d < k.size; d++) {
              if (!k.mask[(a * k.size + b) * k.size + d]) continue;
              const zz = reflectIndex(z + a - c, v.nz);
              const yy = reflectIndex(y + b - c, v.ny);
              const xx = reflectIndex(x + d - c, v.nx);
              const val = v.data[(zz * v.ny + yy) * v.nx + xx];
              if (val > m) m = val;
            }
        out[(z * v.ny + y) * v.nx + x] = m;
      }
  return out;
}

test('reflectIndex mirrors with the edge voxel repeated (scipy reflect)', () => {
  const n = 4;
  const got = [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => reflectIndex(i, n));
  // d c b a | a b c d | d c b a  with a..d = 0..3
  assert.deepEqual(got, [3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1]);
  assert.equal(reflectIndex(-1, 1), 0);
  assert.equal(reflectIndex(5, 1), 0);
});

test('footprint runs cover exactly the kernel voxels', () => {
  for (const [size, radius] of [[3, 1], [5, 2.5], [7, 3], [9, 4.2], [5, 1.2]] as const) {
    const k = sphericalKernel(size, radius);
    const runs = footprintRuns(k);
    const total = runs.reduce((s, r) => s + 2 * r.halfWidth + 1, 0);
    assert.equal(total, k.sampleCount, `size ${size} radius ${radius}`);
  }
});

const engines = ['js', 'wasm'] as const;

test('WebAssembly SIMD is available on the supported Node versions', () => {
  assert.equal(hasWasmSimd(), true);
});

test('maximum filter equals brute force for spherical kernels, cubic and non-cubic boxes', () => {
  const cases: [number, number, number, number, number][] = [
    [12, 12, 12, 5, 2.5],
    [9, 11, 10, 7, 3],
    [6, 7, 5, 9, 4.3],
    [4, 3, 5, 5, 2.5], // footprint larger than the box: reflection wraps more than once
    [8, 8, 8, 3, 1],
  ];
  cases.forEach(([nz, ny, nx, size, radius], i) => {
    const v = createVolume(nz, ny, nx, seededValues(nz * ny * nx, 17 + i));
    const k = sphericalKernel(size, radius);
    const slow = bruteForceMaximum(v, k);
    for (const engine of engines) {
      const fast = maximumFilter(v, k, undefined, engine).data;
      assert.deepEqual(Array.from(fast), Array.from(slow), `case ${i}, ${engine}`);
    }
  });
});

test('maximum filter of a single spike reproduces the footprint', () => {
  const n = 11;
  const v = createVolume(n, n, n);
  v.data[(5 * n + 5) * n + 5] = 1;
  const k = sphericalKernel(7, 2.9);
  const m = maximumFilter(v, k).data;
  let count = 0;
  for (const val of m) if (val === 1) count++;
  assert.equal(count, k.sampleCount);
});

test('slabs computed separately into one output equal the whole', () => {
  const n = 10;
  const v = createVolume(n, n, n, seededValues(n ** 3, 99));
  const k = sphericalKernel(5, 2.5);
  const whole = maximumFilter(v, k, undefined, 'js').data;
  for (const engine of engines) {
    const out = new Float32Array(n ** 3);
    for (const [first, end] of [[0, 3], [3, 4], [4, 10]]) maximumFilter(v, k, { first, end, out }, engine);
    assert.deepEqual(Array.from(out), Array.from(whole), engine);
  }
});

test('maximum filter keeps the first of equal values, as the scalar comparison (signed zeros, ties)', () => {
  // Values drawn from {-0, +0, 1}: which zero survives depends on the order of comparisons, so both engines
  // must compare in footprint order.
  const [nz, ny, nx] = [7, 9, 21];
  const v = createVolume(nz, ny, nx);
  const r = seededValues(nz * ny * nx, 5);
  for (let i = 0; i < r.length; i++) v.data[i] = r[i] < -0.499 ? 1 : r[i] < 0 ? -0 : 0;
  // 9 / 4.3: a dz with more runs than one pass of the SIMD plane kernel takes (the chain crosses passes).
  for (const [size, radius] of [[5, 2.5], [7, 3.6], [3, 1], [9, 4.3]] as const) {
    const k = sphericalKernel(size, radius);
    const js = maximumFilter(v, k, undefined, 'js').data;
    const wasm = maximumFilter(v, k, undefined, 'wasm').data;
    assert.ok(js.some((x) => Object.is(x, -0)) && js.some((x) => Object.is(x, 0)), 'both zeros occur');
    assert.ok(
      js.every((x, i) => Object.is(x, wasm[i])),
      `size ${size}: same bits`,
    );
  }
});

test('maximum filter over boxes whose rows are not a multiple of the SIMD width', () => {
  // 17 and 20 (and 33 and 40) share a padded row length: the kernels compiled for one must not serve the other.
  for (const nx of [1, 2, 3, 5, 17, 20, 33, 40]) {
    const v = createVolume(4, 6, nx, seededValues(4 * 6 * nx, nx));
    const k = sphericalKernel(5, 2.2);
    assert.deepEqual(Array.from(maximumFilter(v, k, undefined, 'wasm').data), Array.from(bruteForceMaximum(v, k)), `nx ${nx}`);
  }
});

test('the filter normalised in its output planes equals the filter then the normalisation loop, sum of ones included', { skip: !hasWasmSimd() && 'no WebAssembly SIMD' }, () => {
  for (const [nz, ny, nx, size, radius] of [[12, 10, 21, 5, 2.5], [16, 16, 16, 7, 3.5], [9, 13, 33, 3, 1.5]] as const) {
    const data = seededValues(nz * ny * nx, nz + nx);
    // Signed zeros, tiny values and exact copies of the divisor, so some outputs are exactly 1 and some 0.
    for (let i = 0; i < data.length; i += 7) data[i] = [0, -0, 1e-45, -1e-45, 0.5, -2][i % 6];
    const volume = createVolume(nz, ny, nx, data);
    const kernel = sphericalKernel(size, radius);
    const values = seededValues(nz * ny * nx, 99);
    for (const divisor of [0.5, Math.fround(0.37), Math.fround(1e30)]) {
      const fused = maximumFilterNormalised(volume, kernel, divisor, values);
      assert.ok(fused);
      const expected = maximumFilter(volume, kernel).data;
      for (let i = 0; i < expected.length; i++) {
        const s = expected[i] / divisor;
        expected[i] = s < 0 ? 0 : s > 1 ? 1 : s;
      }
      let sum = 0;
      let count = 0;
      for (let i = 0; i < expected.length; i++) {
        if (expected[i] === 1) {
          sum += values[i];
          count++;
        }
      }
      for (let i = 0; i < expected.length; i++) {
        if (!Object.is(fused.volume.data[i], expected[i])) assert.fail(`${nz}x${ny}x${nx} / ${divisor}: voxel ${i}: ${fused.volume.data[i]} vs ${expected[i]}`);
      }
      assert.equal(fused.count, count);
      assert.ok(Object.is(fused.sum, sum), `sum ${fused.sum} vs ${sum}`);
      if (divisor === 0.5) assert.ok(count > 0, 'some outputs are 1');
    }
    assert.equal(maximumFilterNormalised(volume, kernel, Infinity, values), null);
    assert.equal(maximumFilterNormalised(volume, kernel, 0.1, values), null, 'not a float32');
  }
});
