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
import { sphericalKernel } from '../../src/core/scale/kernel.js';
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
