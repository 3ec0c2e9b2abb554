import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embedInEvenCube, cropFromCube, evenCubeEdge } from '../../src/core/box.js';
import { createVolume, type Volume } from '../../src/core/volume.js';

test('an even cube is used as it is', () => {
  const v = createVolume(4, 4, 4);
  const e = embedInEvenCube(v);
  assert.equal(e.cube, v);
  assert.ok(e.identity);
});

test('non-cubic and odd boxes embed centred in the smallest even cube and crop back exactly', () => {
  for (const [nz, ny, nx] of [[5, 7, 6], [3, 3, 3], [8, 6, 7], [2, 9, 4]] as const) {
    const v = createVolume(nz, ny, nx, Float32Array.from({ length: nz * ny * nx }, (_, i) => i * 0.5 - 3));
    const e = embedInEvenCube(v);
    const n = evenCubeEdge([nz, ny, nx]);
    assert.equal(e.cube.nx, n);
    assert.equal(n % 2, 0);
    assert.deepEqual(e.offset, [nz, ny, nx].map((s) => Math.floor((n - s) / 2)));
    assert.deepEqual(Array.from(cropFromCube(e.cube, e.offset, e.shape).data), Array.from(v.data));
  }
});

test('the margin mirrors the map at its faces', () => {
  // 1 x 1 x 3 row [a b c] in a 4-cube: x offset 0 (floor(1/2)), so x = 3 mirrors to c.
  const v = createVolume(1, 1, 3, Float32Array.from([1, 2, 3]));
  const e = embedInEvenCube(v);
  assert.deepEqual(e.offset, [1, 1, 0]);
  const row = (z: number, y: number) => Array.from(e.cube.data.subarray((z * 4 + y) * 4, (z * 4 + y) * 4 + 4));
  assert.deepEqual(row(1, 1), [1, 2, 3, 3]);
  assert.deepEqual(row(0, 0), [1, 2, 3, 3]);
});

test('every margin voxel is the map at the mirrored index, whatever the margin (wider than the map too)', () => {
  let seed = 11;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  // scipy.ndimage's `reflect`, written out: fold into [0, 2s), then the second half mirrored.
  const mirrored = (i: number, s: number) => {
    const k = ((i % (2 * s)) + 2 * s) % (2 * s);
    return k < s ? k : 2 * s - 1 - k;
  };
  for (const [nz, ny, nx] of [[5, 7, 6], [2, 9, 4], [1, 1, 7], [12, 3, 1], [6, 6, 13], [4, 10, 10]] as const) {
    const v = createVolume(nz, ny, nx, Float32Array.from({ length: nz * ny * nx }, () => next()));
    const { cube, offset } = embedInEvenCube(v);
    const n = cube.nx;
    for (let z = 0; z < n; z++) {
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          const sz = mirrored(z - offset[0], nz);
          const sy = mirrored(y - offset[1], ny);
          const sx = mirrored(x - offset[2], nx);
          const want = v.data[(sz * ny + sy) * nx + sx];
          const got = cube.data[(z * n + y) * n + x];
          if (got !== want) assert.fail(`${nz}x${ny}x${nx} at (${z}, ${y}, ${x}): ${got}, the map at (${sz}, ${sy}, ${sx}) is ${want}`);
        }
      }
    }
  }
});

test('sampling a block from a resampled grid: grid voxel j sits at cube coordinate j * n / m, trilinear between', async () => {
  const { sampleBlockFromGrid } = await import('../../src/core/box.js');
  // A linear function of the cube coordinates on an m-grid of an n-cube is reproduced exactly inside the grid.
  const n = 12;
  const m = 8;
  const f = (z: number, y: number, x: number) => 0.5 * z - 0.25 * y + 0.125 * x + 1;
  const grid = createVolume(m, m, m);
  for (let z = 0; z < m; z++) for (let y = 0; y < m; y++) for (let x = 0; x < m; x++) grid.data[(z * m + y) * m + x] = f((z * n) / m, (y * n) / m, (x * n) / m);
  const offset = [1, 2, 0];
  const shape: [number, number, number] = [9, 8, 10];
  const block = sampleBlockFromGrid(grid, n, offset, shape);
  assert.deepEqual([block.nz, block.ny, block.nx], shape);
  for (let z = 0; z < shape[0]; z++) {
    for (let y = 0; y < shape[1]; y++) {
      for (let x = 0; x < shape[2]; x++) {
        const got = block.data[(z * shape[1] + y) * shape[2] + x];
        const expected = f(z + offset[0], y + offset[1], x + offset[2]);
        assert.ok(Math.abs(got - expected) < 1e-5, `(${z}, ${y}, ${x}): ${got} vs ${expected}`);
      }
    }
  }
  // Same size: the block is a plain crop. Past the last grid voxel: clamped, so values stay in the grid's range.
  const values = Float32Array.from({ length: 4 ** 3 }, (_, i) => (i * 7919) % 13);
  const cube = createVolume(4, 4, 4, values);
  assert.deepEqual(Array.from(sampleBlockFromGrid(cube, 4, [1, 0, 2], [3, 4, 2]).data), Array.from(cropFromCube(cube, [1, 0, 2], [3, 4, 2]).data));
  const coarse = sampleBlockFromGrid(createVolume(2, 2, 2, Float32Array.from([0, 1, 0, 1, 0, 1, 0, 1])), 6, [0, 0, 0], [6, 6, 6]);
  assert.deepEqual(Array.from(coarse.data.subarray(0, 6)), [0, 1 / 3, 2 / 3, 1, 1, 1].map(Math.fround));
  assert.throws(() => sampleBlockFromGrid(cube, 4, [2, 0, 0], [3, 4, 4]), RangeError);
});

test('sampleBlockFromGrid equals the trilinear formula evaluated voxel by voxel, bit for bit', async () => {
  const { sampleBlockFromGrid } = await import('../../src/core/box.js');
  // The formula as the method states it, one voxel at a time: along x, then y, then z, in double precision.
  const direct = (grid: Volume, n: number, offset: readonly number[], shape: readonly [number, number, number]) => {
    const m = grid.nx;
    const at = (i: number, off: number) => {
      const p = Math.min(Math.max(((i + off) * m) / n, 0), m - 1);
      const lo = Math.floor(p);
      return { lo, hi: Math.min(lo + 1, m - 1), w: p - lo };
    };
    const g = (z: number, y: number, x: number) => grid.data[(z * m + y) * m + x];
    const out = new Float32Array(shape[0] * shape[1] * shape[2]);
    for (let z = 0; z < shape[0]; z++) {
      const a = at(z, offset[0]);
      for (let y = 0; y < shape[1]; y++) {
        const b = at(y, offset[1]);
        for (let x = 0; x < shape[2]; x++) {
          const c = at(x, offset[2]);
          const lerpX = (zz: number, yy: number) => g(zz, yy, c.lo) + c.w * (g(zz, yy, c.hi) - g(zz, yy, c.lo));
          const c0 = lerpX(a.lo, b.lo) + b.w * (lerpX(a.lo, b.hi) - lerpX(a.lo, b.lo));
          const c1 = lerpX(a.hi, b.lo) + b.w * (lerpX(a.hi, b.hi) - lerpX(a.hi, b.lo));
          out[(z * shape[1] + y) * shape[2] + x] = c0 + a.w * (c1 - c0);
        }
      }
    }
    return out;
  };
  let seed = 5;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  // Down-sampled grids (m < n, as after --max-box), an up-sampled one, equal sizes, blocks touching the cube's far faces.
  const cases: [number, number, number[], [number, number, number]][] = [
    [30, 24, [1, 0, 3], [29, 30, 25]],
    [32, 20, [0, 5, 2], [32, 27, 29]],
    [18, 18, [0, 0, 0], [18, 18, 18]],
    [10, 14, [2, 1, 0], [8, 9, 10]],
    [64, 8, [0, 3, 7], [64, 61, 57]],
  ];
  for (const [n, m, offset, shape] of cases) {
    const grid = createVolume(m, m, m, Float32Array.from({ length: m ** 3 }, () => Math.fround(next() * 2 - 1)));
    const want = direct(grid, n, offset, shape);
    // WebAssembly SIMD (the default) and the JavaScript.
    for (const wasm of [true, false]) {
      const got = sampleBlockFromGrid(grid, n, offset, shape, { wasm }).data;
      for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) assert.fail(`n=${n} m=${m} wasm=${wasm}: voxel ${i} is ${got[i]}, the formula gives ${want[i]}`);
    }
  }
});


test('blockSampler makes sampleBlockFromGrid a few planes at a time: the same values, whatever the pieces and their order', async () => {
  const { blockSampler, sampleBlockFromGrid } = await import('../../src/core/box.js');
  let seed = 17;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const cases: [number, number, number[], [number, number, number]][] = [
    [30, 24, [1, 0, 3], [29, 30, 25]],
    [64, 8, [0, 3, 7], [64, 61, 57]],
    [40, 16, [5, 0, 1], [31, 40, 3]],
  ];
  for (const [n, m, offset, shape] of cases) {
    const grid = createVolume(m, m, m, Float32Array.from({ length: m ** 3 }, () => Math.fround(next() * 2 - 1)));
    const [nz, ny, nx] = shape;
    const plane = ny * nx;
    for (const wasm of [true, false]) {
      const whole = sampleBlockFromGrid(grid, n, offset, shape, { wasm }).data;
      const sampler = blockSampler(grid, n, offset, shape, { wasm });
      assert.deepEqual([sampler.nz, sampler.ny, sampler.nx], shape);
      // In order in pieces of 1 to 7 planes, then again from the start (a second pass), then backwards.
      for (const order of ['forwards', 'again', 'backwards']) {
        const starts: [number, number][] = [];
        for (let z = 0; z < nz; ) {
          const count = Math.min(nz - z, 1 + Math.floor(next() * 7));
          starts.push([z, count]);
          z += count;
        }
        if (order === 'backwards') starts.reverse();
        const got = new Float32Array(whole.length).fill(NaN);
        for (const [z, count] of starts) {
          const piece = new Float32Array(count * plane).fill(NaN);
          sampler.fillPlanes(z, piece);
          got.set(piece, z * plane);
        }
        for (let i = 0; i < whole.length; i++) if (!Object.is(got[i], whole[i])) assert.fail(`${shape} wasm=${wasm} ${order}: voxel ${i} is ${got[i]}, whole ${whole[i]}`);
      }
      assert.throws(() => sampler.fillPlanes(0, new Float32Array(plane + 1)), /not whole planes/);
      assert.throws(() => sampler.fillPlanes(nz - 1, new Float32Array(2 * plane)), /not whole planes/);
      assert.throws(() => sampler.fillPlanes(-1, new Float32Array(plane)), /not whole planes/);
    }
  }
});

test('wholeVolume: a plane source made whole, a volume as it is', async () => {
  const { blockSampler, sampleBlockFromGrid } = await import('../../src/core/box.js');
  const { wholeVolume, isPlaneSource } = await import('../../src/core/volume.js');
  const grid = createVolume(6, 6, 6, Float32Array.from({ length: 216 }, (_, i) => Math.sin(i)));
  const source = blockSampler(grid, 10, [1, 0, 2], [9, 10, 7]);
  assert.ok(isPlaneSource(source));
  const volume = wholeVolume(source);
  assert.deepEqual(volume.data, sampleBlockFromGrid(grid, 10, [1, 0, 2], [9, 10, 7]).data);
  assert.ok(!isPlaneSource(volume));
  assert.equal(wholeVolume(volume), volume);
});
