import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectKth, TopK } from '../../../src/core/scale/select.js';
import { tileGrid, tiledFullScale, naiveFullScale, isSearchedTile, percentileRank } from '../../../src/core/scale/full-scale.js';
import { createCube } from '../../../src/core/volume.js';
import { lcg } from '../../random.js';

test('selectKth equals the k-th element of a full sort, including ties and sorted input', () => {
  const rnd = lcg(3);
  for (const len of [1, 2, 3, 10, 27, 100, 1728]) {
    const values = Float32Array.from({ length: len }, () => Math.round(rnd() * 20) / 4);
    const sorted = Float32Array.from(values).sort();
    for (const k of [0, len >> 1, len - 1]) assert.equal(selectKth(Float32Array.from(values), k), sorted[k]);
  }
  const ascending = Float32Array.from({ length: 500 }, (_, i) => i);
  assert.equal(selectKth(ascending, 321), 321);
  assert.throws(() => selectKth(new Float32Array(3), 3), /rank/);
});

test('tile grid follows the METHOD.md formulas (Python floor division)', () => {
  assert.deepEqual(tileGrid(64, 3), { count: 20, size: 3, step: 3, edge: 2 });
  // 64 - 20*8 < 0: the step shrinks below the tile size (tiles overlap), floor rounds towards -inf.
  assert.deepEqual(tileGrid(64, 8), { count: 20, size: 8, step: 2, edge: 9 });
  // Fewer positions than 20 tiles: T = n - t + 1.
  assert.deepEqual(tileGrid(10, 4), { count: 7, size: 4, step: 1, edge: 0 });
  assert.deepEqual(tileGrid(256, 12), { count: 20, size: 12, step: 12, edge: 8 });
  // The edge's division is not exact: floor, not round (30: (30 - 23) / 2 = 3.5; 32: (32 - 31) / 2 = 0.5).
  assert.deepEqual(tileGrid(30, 4), { count: 20, size: 4, step: 1, edge: 3 });
  assert.deepEqual(tileGrid(32, 12), { count: 20, size: 12, step: 1, edge: 0 });
  for (let n = 8; n <= 80; n++) for (let t = 1; t <= n; t += 1 + (t >> 2)) assert.deepEqual(tileGrid(n, t), specTileGrid(n, t), `n ${n} t ${t}`);
});

/** Python's `a // b` for integers, by remainders (not Math.floor): rounds towards minus infinity. */
function floorDivide(a: number, b: number): number {
  const r = ((a % b) + b) % b;
  return (a - r) / b;
}

/** METHOD.md §6.2's tile layout, written from the spec with integer division only. */
function specTileGrid(n: number, t: number) {
  const count = n - t + 1 < 20 ? n - t + 1 : 20;
  const step = count > 1 ? t + floorDivide(n - count * t, count - 1) : t;
  return { count, size: t, step, edge: floorDivide(n - ((count - 1) * step + t), 2) };
}

test('TopK gives the k-th largest of everything pushed (= the full sort), with ties, runs and resets', () => {
  const rnd = lcg(5);
  for (const len of [1, 5, 64, 1728, 5000]) {
    const values = Float32Array.from({ length: len }, () => Math.round(rnd() * 40) / 8 - 2);
    const sorted = Float32Array.from(values).sort();
    for (const k of [1, 2, 7, 64, len].filter((k) => k <= len)) {
      const top = new TopK(k);
      for (let rep = 0; rep < 2; rep++) {
        top.reset();
        // In uneven runs, as tile rows arrive.
        for (let start = 0; start < len; start += 13) top.pushRun(values, start, Math.min(13, len - start));
        assert.equal(top.kthLargest, sorted[len - k], `len ${len} k ${k}`);
      }
    }
  }
  const ascending = Float32Array.from({ length: 300 }, (_, i) => i);
  const top = new TopK(10);
  top.pushRun(ascending, 0, 300);
  assert.equal(top.kthLargest, 290);
  top.reset();
  top.pushRun(ascending.reverse(), 0, 300);
  assert.equal(top.kthLargest, 290);
  top.reset();
  top.pushRun(ascending, 0, 5);
  assert.throws(() => top.kthLargest, /fewer/);
});

/** The tiled search of METHOD.md §6.2 by definition: every searched tile fully sorted. */
function bruteForceTiles(v: ReturnType<typeof createCube>, tau: number, t: number) {
  const n = v.nx;
  const grid = specTileGrid(n, t);
  let best = -Infinity;
  let bestIdx: number[] = [];
  let worst = Infinity;
  for (let i = 0; i < grid.count; i++)
    for (let j = 0; j < grid.count; j++)
      for (let l = 0; l < grid.count; l++) {
        if (Math.hypot(i - grid.count / 2, j - grid.count / 2, l - grid.count / 2) >= grid.count / 2 - 1) continue;
        const vals: number[] = [];
        for (let a = 0; a < t; a++)
          for (let b = 0; b < t; b++)
            for (let c = 0; c < t; c++)
              vals.push(v.data[((grid.edge + grid.step * i + a) * n + grid.edge + grid.step * j + b) * n + grid.edge + grid.step * l + c]);
        vals.sort((x, y) => x - y);
        const q = vals[Math.floor(tau * t ** 3)];
        if (q > best) { best = q; bestIdx = [i, j, l]; }
        if (q < worst) worst = q;
      }
  return { best, bestIdx, worst, grid };
}

test('tiled full scale on a ramp, where a grid one voxel off gives another tile and value, equals the brute force', () => {
  // Values rise along every axis, so each tile's percentile depends on exactly where it starts. 30 and 32 are
  // boxes whose grid edge is a floor of a half (3.5, 0.5).
  for (const [n, t] of [[30, 4], [32, 12], [31, 5]] as const) {
    const v = createCube(n, Float32Array.from({ length: n ** 3 }, (_, i) => (i % n) + 2 * (Math.floor(i / n) % n) + 4 * Math.floor(i / n ** 2)));
    const got = tiledFullScale(v, 0.9, t);
    const { best, bestIdx, worst, grid } = bruteForceTiles(v, 0.9, t);
    assert.equal(got.value, best, `n ${n} t ${t}`);
    assert.equal(got.minTile?.value, worst, `n ${n} t ${t}`);
    assert.deepEqual(got.maxTile?.index, bestIdx, `n ${n} t ${t}`);
    assert.deepEqual(got.maxTile?.centre, bestIdx.map((k) => grid.edge + grid.step * k + t / 2), `n ${n} t ${t}`);
  }
});

test('tiled full scale equals a brute-force search with full sorts', () => {
  const rnd = lcg(11);
  const n = 24;
  const v = createCube(n, Float32Array.from({ length: n ** 3 }, () => rnd()));
  const tau = 0.9608;
  const t = 4;
  const got = tiledFullScale(v, tau, t);
  const { best, bestIdx, worst, grid } = bruteForceTiles(v, tau, t);
  assert.equal(got.value, best);
  assert.deepEqual(got.maxTile?.index, bestIdx);
  assert.equal(got.minTile?.value, worst);
  assert.deepEqual(got.maxTile?.centre, bestIdx.map((k) => grid.edge + grid.step * k + t / 2));
});

test('tiled full scale equals brute force on both selection paths (top-k heap and quickselect), with ties', () => {
  const rnd = lcg(17);
  const n = 30;
  // Coarsely quantised values: many ties inside a tile.
  const v = createCube(n, Float32Array.from({ length: n ** 3 }, () => Math.round(rnd() * 50) / 10));
  for (const [tau, t] of [[0.9889, 6], [0.98, 8], [0.5, 8], [0.2, 5], [0.999, 3]] as const) {
    const got = tiledFullScale(v, tau, t);
    const { best, bestIdx, worst } = bruteForceTiles(v, tau, t);
    assert.equal(got.value, best, `tau ${tau} t ${t}`);
    assert.deepEqual(got.maxTile?.index, bestIdx, `tau ${tau} t ${t}`);
    assert.equal(got.minTile?.value, worst, `tau ${tau} t ${t}`);
  }
});

test('tiled full scale: the thresholded top-k search equals brute force on smooth maps, 12-voxel tiles, ties and signed zeros', () => {
  const rnd = lcg(23);
  const n = 64;
  // Smooth (values rising across every tile, the order that makes a heap replace its minimum at every voxel),
  // plus a quantised copy with ties, plus one with a band of zeros of both signs at the percentile.
  const smooth = createCube(n, Float32Array.from({ length: n ** 3 }, (_, i) => Math.fround(Math.sin(i / 5000) + (i % n) / n + 0.01 * rnd())));
  const quantised = createCube(n, smooth.data.map((x) => Math.round(x * 4) / 4));
  const zeros = createCube(n, Float32Array.from({ length: n ** 3 }, () => (rnd() < 0.97 ? -rnd() : rnd() < 0.5 ? 0 : -0)));
  for (const v of [smooth, quantised, zeros]) {
    for (const [tau, t] of [[0.9807, 12], [0.9889, 6], [0.95, 9]] as const) {
      const got = tiledFullScale(v, tau, t);
      const { best, bestIdx, worst } = bruteForceTiles(v, tau, t);
      // Numerically the brute-force values (== treats -0 and 0 alike) ...
      assert.ok(got.value === best && got.minTile?.value === worst, `tau ${tau} t ${t}: ${got.value} ${best}`);
      assert.deepEqual(got.maxTile?.index, bestIdx, `tau ${tau} t ${t}`);
      // ... and bit for bit those of the plain top-k heap (which decides the sign of a zero percentile).
      const heap = heapTiles(v, tau, t);
      assert.ok(Object.is(got.value, heap.best) && Object.is(got.minTile?.value, heap.worst), `tau ${tau} t ${t} vs heap`);
    }
  }
});

/** The tiled search with the plain top-k heap over every tile (the selection before the thresholded search). */
function heapTiles(v: ReturnType<typeof createCube>, tau: number, t: number) {
  const n = v.nx;
  const grid = tileGrid(n, t);
  const k = t ** 3 - Math.floor(tau * t ** 3);
  const top = new TopK(k);
  let best = -Infinity;
  let worst = Infinity;
  for (let i = 0; i < grid.count; i++)
    for (let j = 0; j < grid.count; j++)
      for (let l = 0; l < grid.count; l++) {
        if (Math.hypot(i - grid.count / 2, j - grid.count / 2, l - grid.count / 2) >= grid.count / 2 - 1) continue;
        top.reset();
        const [z0, y0, x0] = [i, j, l].map((q) => grid.edge + grid.step * q);
        for (let z = z0; z < z0 + t; z++) for (let y = y0; y < y0 + t; y++) top.pushRun(v.data, (z * n + y) * n + x0, t);
        const q = top.kthLargest;
        if (q > best) best = q;
        if (q < worst) worst = q;
      }
  return { best, worst };
}

test('search sphere excludes the corners and keeps the centre', () => {
  const g = tileGrid(64, 3);
  assert.ok(isSearchedTile(g, 10, 10, 10));
  assert.ok(!isSearchedTile(g, 0, 0, 0));
  assert.ok(!isSearchedTile(g, 10, 10, 19)); // distance 9 is not < 9
  assert.ok(isSearchedTile(g, 10, 10, 18));
});

test('naive full scale is tau times the maximum', () => {
  assert.equal(naiveFullScale(Float32Array.from([1, 5, -2]), 0.5).value, 2.5);
});

test('percentile rank stays inside the tile', () => {
  assert.equal(percentileRank(0.961, 27), 25);
  assert.equal(percentileRank(1, 27), 26);
});
