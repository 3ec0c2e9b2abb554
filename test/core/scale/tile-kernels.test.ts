/**
 * The tile search in WebAssembly (src/core/scale/tile-kernels.ts) against a full sort of each tile, and the
 * tiled full scale with it against the JavaScript search, bit for bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tileSearchKernel, enableTileKernels } from '../../../src/core/scale/tile-kernels.js';
import { tiledFullScale } from '../../../src/core/scale/full-scale.js';
import { hasWasmSimd } from '../../../src/core/wasm/assembler.js';
import { createVolume, type Volume } from '../../../src/core/volume.js';
import { lcg } from '../../random.js';
import { withKernelsOff } from '../../kernels.js';

const skip = !hasWasmSimd() && 'no WebAssembly SIMD';

function volumeOf(nz: number, ny: number, nx: number, value: (i: number) => number): Volume {
  return createVolume(nz, ny, nx, Float32Array.from({ length: nz * ny * nx }, (_, i) => value(i)));
}

/** The t³ tile at (z, y, x) sorted ascending, and whether it holds a NaN. */
function sortedTile(v: Volume, t: number, z0: number, y0: number, x0: number): { values: number[]; nan: boolean } {
  const values: number[] = [];
  for (let z = z0; z < z0 + t; z++)
    for (let y = y0; y < y0 + t; y++) for (let x = x0; x < x0 + t; x++) values.push(v.data[(z * v.ny + y) * v.nx + x]);
  const nan = values.some(Number.isNaN);
  values.sort((a, b) => a - b);
  return { values, nan };
}

/** The k-th largest of a sorted tile, and whether the tile holds a NaN. */
function kthLargest(tile: { values: number[]; nan: boolean }, k: number): { value: number; nan: boolean } {
  return { value: tile.values[tile.values.length - k], nan: tile.nan };
}

/** The k-th largest of the t³ tile at (z, y, x) by a full sort, and whether the tile holds a NaN. */
function bySort(v: Volume, t: number, k: number, z0: number, y0: number, x0: number): { value: number; nan: boolean } {
  return kthLargest(sortedTile(v, t, z0, y0, x0), k);
}

/** Runs `fn` with the tile kernels off (the JavaScript search). */
const withoutKernels = <T>(fn: () => T): T => withKernelsOff(enableTileKernels, fn);

/** Checks every tile position of `v` (layers in order, as the search visits them) for each k. */
function checkAllTiles(v: Volume, t: number, ks: readonly number[], label: string): number {
  let answered = 0;
  // Each tile sorted once, for every k.
  const sorted = new Map<string, { values: number[]; nan: boolean }>();
  const kthBySort = (k: number, z: number, y: number, x: number) => {
    const key = `${z},${y},${x}`;
    let tile = sorted.get(key);
    if (!tile) sorted.set(key, (tile = sortedTile(v, t, z, y, x)));
    return kthLargest(tile, k);
  };
  for (const k of ks) {
    const search = tileSearchKernel(v, t, k);
    assert.ok(search, 'the kernel is available');
    for (let z = 0; z + t <= v.nz; z++) {
      for (let y = 0; y + t <= v.ny; y += 2) {
        for (let x = 0; x + t <= v.nx; x += 3) {
          const got: number | undefined = search(z, y, x);
          const want = kthBySort(k, z, y, x);
          const where = `${label} t=${t} k=${k} at ${z},${y},${x}`;
          if (got === undefined) {
            // Left to the caller only for a NaN in the tile or a zero answer.
            assert.ok(want.nan || want.value === 0, `${where}: undefined, the sort gives ${want.value}`);
          } else {
            assert.ok(!want.nan, `${where}: ${got} for a tile with a NaN`);
            assert.equal(got, want.value, where);
            answered++;
          }
        }
      }
    }
  }
  return answered;
}

test('tile search: the k-th largest of every tile equals a full sort (random, quantised, infinite values, NaN, zeros)', { skip }, () => {
  const rnd = lcg(5);
  const [nz, ny, nx] = [15, 17, 19];
  const random = volumeOf(nz, ny, nx, () => Math.fround(rnd() * 2 - 0.5));
  const quantised = volumeOf(nz, ny, nx, () => Math.round(rnd() * 6) / 2 - 1);
  const extremes = volumeOf(nz, ny, nx, () => {
    const r = rnd();
    return r < 0.05 ? Infinity : r < 0.1 ? -Infinity : Math.fround(rnd());
  });
  const withNaN = volumeOf(nz, ny, nx, (i) => (i % 611 === 0 ? NaN : Math.fround(rnd())));
  const zeros = volumeOf(nz, ny, nx, () => (rnd() < 0.9 ? -Math.fround(rnd()) : rnd() < 0.5 ? 0 : -0));
  const rising = volumeOf(nz, ny, nx, (i) => i); // every row increasing: the order that stresses selection
  let answered = 0;
  // t = 1..3 have no whole vector in a row, 5..7 a vector and a remainder, 8 two vectors, 9..12 two or three
  // and a remainder; k from 1 through the sub-sample's size S = ceil(t/2)^3 (k = S is the last with a lower
  // bound, S + 1 the first without) to t^3.
  for (const t of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
    const sample = Math.ceil(t / 2) ** 3;
    const ks = [...new Set([1, 2, Math.ceil(t ** 3 / 20), sample, sample + 1, t ** 3])].filter((k) => k >= 1 && k <= t ** 3);
    for (const [label, v] of [['random', random], ['quantised', quantised], ['extremes', extremes], ['NaN', withNaN], ['zeros', zeros], ['rising', rising]] as const) {
      answered += checkAllTiles(v, t, ks, label);
    }
  }
  assert.ok(answered > 10000, `${answered} tiles answered by the kernel`);
  assert.throws(() => tileSearchKernel(random, 4, 0), /k <= t\^3/);
  assert.throws(() => tileSearchKernel(random, 4, 65), /k <= t\^3/);
});

test('tile searches over different maps may interleave (a larger map grows the shared memory in between)', { skip }, () => {
  const rnd = lcg(31);
  const small = volumeOf(12, 12, 12, () => Math.fround(rnd()));
  const large = volumeOf(40, 64, 64, () => Math.fround(rnd() * 3));
  const first = tileSearchKernel(small, 4, 3);
  const second = tileSearchKernel(large, 8, 20);
  assert.ok(first && second);
  for (const [z, y, x] of [[0, 0, 0], [0, 4, 4], [4, 2, 1]]) {
    assert.equal(first(z, y, x), bySort(small, 4, 3, z, y, x).value, `small ${z},${y},${x}`);
    assert.equal(second(z * 2, y, x), bySort(large, 8, 20, z * 2, y, x).value, `large ${z * 2},${y},${x}`);
    // The same layer again, after the other search replaced it in the module.
    assert.equal(first(z, y + 1, x), bySort(small, 4, 3, z, y + 1, x).value, `small again ${z},${y + 1},${x}`);
  }
});

test('tiled full scale: the WebAssembly search gives the JavaScript search\'s values bit for bit', { skip }, () => {
  const rnd = lcg(29);
  const n = 48;
  const smooth = volumeOf(n, n, n, (i) => Math.fround(Math.sin(i / 3000) + (i % n) / n + 0.01 * rnd()));
  const quantised = volumeOf(n, n, n, (i) => Math.round(smooth.data[i] * 4) / 4);
  const zeros = volumeOf(n, n, n, () => (rnd() < 0.97 ? -rnd() : rnd() < 0.5 ? 0 : -0));
  const withNaN = volumeOf(n, n, n, (i) => (i % 9973 === 0 ? NaN : rnd()));
  for (const v of [smooth, quantised, zeros, withNaN]) {
    for (const [tau, t] of [[0.9807, 12], [0.9889, 6], [0.95, 9], [0.999, 5], [0.97, 4]] as const) {
      const kernel = tiledFullScale(v, tau, t);
      const script = withoutKernels(() => tiledFullScale(v, tau, t));
      const label = `tau ${tau} t ${t}`;
      assert.ok(Object.is(kernel.value, script.value), `${label}: ${kernel.value} vs ${script.value}`);
      assert.ok(Object.is(kernel.minTile?.value, script.minTile?.value), `${label}: min tile`);
      assert.deepEqual([kernel.maxTile?.index, kernel.minTile?.index], [script.maxTile?.index, script.minTile?.index], label);
    }
  }
});
