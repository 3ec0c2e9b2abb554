import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNodeWorkerPool } from '../../src/node/worker-pool.js';
import {
  installParallelPool,
  isShared,
  parallelThreads,
  partRange,
  partsFor,
  runParts,
  sharedFloat32Array,
  type ParallelKernel,
} from '../../src/core/parallel/pool.js';
import { PARALLEL_KERNELS } from '../../src/core/parallel/kernels.js';
import { maximumFilter } from '../../src/core/filters/max-filter.js';
import { sphericalKernel, tauForSampleCount } from '../../src/core/scale/kernel.js';
import { estimateLocalScale } from '../../src/core/scale/local-scale.js';
import { tiledFullScale } from '../../src/core/scale/full-scale.js';
import { createCube, createVolume } from '../../src/core/volume.js';
import { lowpassToResolutionSingle, resampleCubeSingle } from '../../src/core/fourier/single/lowpass-single.js';
import { seededValues } from '../random.js';

test('partRange covers [0, length) without gaps or overlaps', () => {
  for (const [length, parts] of [[10, 3], [256, 8], [5, 5], [3, 7]]) {
    let next = 0;
    for (let p = 0; p < parts; p++) {
      const [a, b] = partRange(length, parts, p);
      assert.equal(a, next);
      assert.ok(b >= a);
      next = b;
    }
    assert.equal(next, length);
  }
});

test('without a pool, parts run in order on the calling thread and arrays are not shared', () => {
  installParallelPool(null);
  assert.equal(parallelThreads(), 1);
  assert.equal(partsFor(1000, 1), 1);
  assert.equal(isShared(sharedFloat32Array(4)), false);
  const seen: number[] = [];
  const kernel: ParallelKernel<{ log: number[] }> = { name: 'test-log', run: (a, p) => a.log.push(p) };
  runParts(kernel, { log: seen }, 4);
  assert.deepEqual(seen, [0, 1, 2, 3]);
});

test('kernel names are unique', () => {
  const names = PARALLEL_KERNELS.map((k) => k.name);
  assert.equal(new Set(names).size, names.length);
});

test('the Node worker pool: max filter slabs over two threads equal the serial result; failures propagate', async () => {
  const pool = createNodeWorkerPool(2);
  try {
    const v = createVolume(40, 23, 37, seededValues(40 * 23 * 37, 3));
    const k = sphericalKernel(7, 3.4);
    installParallelPool(null);
    const serial = maximumFilter(v, k).data;
    installParallelPool(pool);
    assert.equal(parallelThreads(), 2);
    assert.ok(partsFor(40, 8) > 1);
    for (const engine of ['wasm', 'js'] as const) {
      const parallel = maximumFilter(v, k, undefined, engine).data;
      assert.ok(isShared(parallel));
      assert.deepEqual(Array.from(parallel), Array.from(serial), engine);
    }
    // A kernel the workers do not know, or one that throws, fails the step with its message.
    const failing: ParallelKernel<{ at: number }> = {
      name: 'not-registered',
      run: (a, p) => {
        if (p === a.at) throw new Error('part failed on purpose');
      },
    };
    assert.throws(() => pool.run(failing, { at: 3 }, 16), /not-registered|part failed on purpose/);
  } finally {
    installParallelPool(null);
    await pool.close();
  }
});

test('the Node worker pool: single-precision low-pass and resampling split over two threads equal the serial result bit for bit', async () => {
  const pool = createNodeWorkerPool(2);
  try {
    const n = 48;
    const v = createCube(n, seededValues(n ** 3, 9));
    installParallelPool(null);
    // The scalar stages are the ones split over the pool (the SIMD path runs on the calling thread).
    const scalar = { simd: false };
    const lowpass = lowpassToResolutionSingle(v, 1.1, 5, scalar).data;
    const crop = resampleCubeSingle(v, 32, scalar).data;
    const pad = resampleCubeSingle(v, 60, scalar).data;
    installParallelPool(pool);
    const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
    assert.ok(same(lowpassToResolutionSingle(v, 1.1, 5, scalar).data, lowpass), 'low-pass');
    assert.ok(same(resampleCubeSingle(v, 32, scalar).data, crop), 'crop');
    assert.ok(same(resampleCubeSingle(v, 60, scalar).data, pad), 'pad');
  } finally {
    installParallelPool(null);
    await pool.close();
  }
});

test('the Node worker pool: the local scale normalised apart from the filter (its JavaScript loops and kernel) is clip(M / s_max, 0, 1), as without a pool', async () => {
  const pool = createNodeWorkerPool(2);
  try {
    // 16x15x15 (under the kernel's 4096 values: the JavaScript loops alone; --S0, whose full scale takes any box)
    // and 17³ (the kernel, then the loops for the last value); a third of each map far below zero, so that
    // local maxima there are negative.
    for (const [nz, ny, nx, naive] of [[16, 15, 15, true], [17, 17, 17, false]] as const) {
      const data = seededValues(nz * ny * nx, 21);
      for (let i = 0; i < data.length / 3; i++) data[i] -= 5;
      const v = createVolume(nz, ny, nx, data);
      const kernel = sphericalKernel(5, 2.5);
      const tau = tauForSampleCount(kernel.sampleCount);
      const options = { kernel, tau, tileSize: 3, naive };
      installParallelPool(null);
      const serial = estimateLocalScale(v, options);
      const m = maximumFilter(v, kernel).data;
      installParallelPool(pool);
      assert.ok(partsFor(nz, 8) > 1, 'the filter is split, so the normalisation runs apart');
      const pooled = estimateLocalScale(v, options);
      // The definition, in float32 as the reference divides.
      const fullScale = naive ? tau * Math.max(...v.data) : tiledFullScale(v, tau, 3).value;
      const sMax = Math.fround(fullScale);
      let sum = 0;
      let count = 0;
      let negative = 0;
      for (let i = 0; i < m.length; i++) {
        const s = Math.fround(m[i] / sMax);
        const expected = s < 0 ? 0 : s > 1 ? 1 : s;
        if (m[i] < 0) negative++;
        assert.ok(Object.is(pooled.scale.data[i], expected), `${nz}x${ny}x${nx} voxel ${i}: ${pooled.scale.data[i]} against ${expected}`);
        if (expected === 1) {
          sum += v.data[i];
          count++;
        }
      }
      assert.ok(negative > 0 && count > 0, `${negative} negative local maxima, ${count} ones`);
      assert.equal(pooled.variabilityLimit, sum / count / fullScale);
      assert.deepEqual(Array.from(pooled.scale.data), Array.from(serial.scale.data));
      assert.equal(pooled.variabilityLimit, serial.variabilityLimit);
    }
  } finally {
    installParallelPool(null);
    await pool.close();
  }
});
