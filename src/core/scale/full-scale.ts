/**
 * The full-scale value `s_max` that normalises the local maximum (METHOD.md §6.2).
 *
 * Tiled percentile (`--SW`, default): a grid of T³ cubic tiles spread over the box; in each tile inside a
 * central sphere, the value at percentile tau; `s_max` is the largest of those. A percentile rather than the
 * maximum keeps a few hot voxels from setting the scale. Naive (`--S0`): `tau * max`.
 */
import { cubeEdge, type Volume } from '../volume.js';
import { selectKth, TopK } from './select.js';
import { tileSearchKernel } from './tile-kernels.js';

export interface TileGrid {
  /** Tiles per axis. */
  count: number;
  /** Tile edge (voxels). */
  size: number;
  /** Distance between tile starts (voxels). */
  step: number;
  /** Start of the first tile (voxels). */
  edge: number;
}

export const DEFAULT_TILES_PER_AXIS = 20;

/** Tile layout for a cube of edge n. Floor divisions round towards minus infinity, as Python's `//`. */
export function tileGrid(n: number, tileSize: number): TileGrid {
  if (!(Number.isInteger(tileSize) && tileSize >= 1 && tileSize <= n)) {
    throw new RangeError(`tile size must be an integer in 1..${n} (the box), got ${tileSize}`);
  }
  let count = DEFAULT_TILES_PER_AXIS;
  if (n - tileSize + 1 < count) count = n - tileSize + 1;
  const step = count > 1 ? tileSize + Math.floor((n - count * tileSize) / (count - 1)) : tileSize;
  const edge = Math.floor((n - ((count - 1) * step + tileSize)) / 2);
  return { count, size: tileSize, step, edge };
}

/** Whether tile (i, j, l) lies inside the central sphere of the tile grid that is searched. */
export function isSearchedTile(grid: TileGrid, i: number, j: number, l: number): boolean {
  const h = grid.count / 2;
  return Math.sqrt((i - h) ** 2 + (j - h) ** 2 + (l - h) ** 2) < h - 1;
}

export interface TileResult {
  /** Tile index (i, j, l) in file order (z, y, x). */
  index: [number, number, number];
  /** Tile centre in voxels, file order (z, y, x): `edge + step * index + size / 2`. */
  centre: [number, number, number];
  /** The tile's percentile value. */
  value: number;
}

export interface FullScale {
  /** `s_max`. */
  value: number;
  /** Tiled method only: the tile that set `s_max`, and the tile with the smallest percentile. */
  maxTile?: TileResult;
  minTile?: TileResult;
  grid?: TileGrid;
}

export function naiveFullScale(data: Float32Array, tau: number): FullScale {
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  return { value: tau * max };
}

/** The rank taken in a tile of `voxels` values: `floor(tau * voxels)`, kept inside the tile. */
export function percentileRank(tau: number, voxels: number): number {
  return Math.min(voxels - 1, Math.max(0, Math.floor(tau * voxels)));
}

export function tiledFullScale(volume: Volume, tau: number, tileSize: number): FullScale {
  const n = cubeEdge(volume);
  const grid = tileGrid(n, tileSize);
  const t = grid.size;
  const rank = percentileRank(tau, t * t * t);
  const percentile = tilePercentile(volume, t, rank);
  let maxTile: TileResult | undefined;
  let minTile: TileResult | undefined;
  for (let i = 0; i < grid.count; i++) {
    for (let j = 0; j < grid.count; j++) {
      for (let l = 0; l < grid.count; l++) {
        if (!isSearchedTile(grid, i, j, l)) continue;
        const value = percentile(grid.edge + grid.step * i, grid.edge + grid.step * j, grid.edge + grid.step * l);
        if (!maxTile || value > maxTile.value) maxTile = tileResult(grid, [i, j, l], value);
        if (!minTile || value < minTile.value) minTile = tileResult(grid, [i, j, l], value);
      }
    }
  }
  if (!maxTile || !minTile) {
    throw new RangeError(`no tile fits the search sphere for a ${n}-voxel box with tile size ${tileSize}`);
  }
  return { value: maxTile.value, maxTile, minTile, grid };
}

function tileResult(grid: TileGrid, index: [number, number, number], value: number): TileResult {
  const centre = index.map((k) => grid.edge + grid.step * k + grid.size / 2) as [number, number, number];
  return { index, centre, value };
}

/** Tiles with at most this many values above the percentile use the top-k search (else quickselect). */
const TOP_K_LIMIT = 128;

/**
 * The value at `rank` (ascending) of the t³ block starting at (z, y, x). Near the top (the usual tau close to
 * 1 leaves a few dozen values above it) the thresholded search (`ThresholdedTopK`, or the same search in
 * WebAssembly: tile-kernels.ts) reads the block in place; otherwise the block is copied and quickselected.
 * All equal `sorted(block)[rank]`.
 */
function tilePercentile(volume: Volume, t: number, rank: number): (z: number, y: number, x: number) => number {
  const { ny, nx, data } = volume;
  const above = t * t * t - rank;
  if (above <= TOP_K_LIMIT) {
    const top = new TopK(above);
    const kthLargest = tileSearchKernel(volume, t, above) ?? thresholdedSearch(volume, t, above);
    return (z0, y0, x0) => {
      const value = kthLargest(z0, y0, x0);
      if (value !== undefined) return value;
      // A NaN, or a zero answer whose sign the heap's order decides: the plain top-k heap.
      top.reset();
      for (let z = z0; z < z0 + t; z++) {
        for (let y = y0; y < y0 + t; y++) top.pushRun(data, (z * ny + y) * nx + x0, t);
      }
      return top.kthLargest;
    };
  }
  const block = new Float32Array(t * t * t);
  return (z0, y0, x0) => {
    let o = 0;
    for (let z = z0; z < z0 + t; z++) {
      for (let y = y0; y < y0 + t; y++) {
        const row = (z * ny + y) * nx;
        for (let x = x0; x < x0 + t; x++) block[o++] = data[row + x];
      }
    }
    return selectKth(block, rank);
  };
}

/** `ThresholdedTopK` over `volume`'s t³ blocks, as `tileSearchKernel` gives it (where WebAssembly is missing). */
function thresholdedSearch(volume: Volume, t: number, k: number): (z0: number, y0: number, x0: number) => number | undefined {
  const search = new ThresholdedTopK(t, k);
  const { ny, nx, data } = volume;
  return (z0, y0, x0) => search.kthLargest(data, ny, nx, z0, y0, x0);
}

/**
 * The k-th largest value of a t³ block, found from a lower bound: `T`, the k-th largest of the block's
 * sub-sample at even offsets (at least k values of the block are >= T, so the answer is >= T). Only the values
 * above T are collected and quickselected; when fewer than k lie above T, the answer is T itself. The same
 * number as `sorted(block)[t³ - k]`, found while touching the few values near the top instead of keeping a
 * heap over the whole block (on smooth maps a heap fed in scan order keeps replacing its minimum).
 *
 * Returns undefined when the block holds a NaN or the answer is zero (equal values differ in their bits only
 * for ±0, and which zero a heap returns depends on its order): the caller then uses the heap.
 */
class ThresholdedTopK {
  private readonly sample: Float32Array;
  private readonly above: Float32Array;

  constructor(
    private readonly t: number,
    private readonly k: number,
  ) {
    const s = Math.ceil(t / 2);
    this.sample = new Float32Array(s * s * s);
    this.above = new Float32Array(t * t * t);
  }

  kthLargest(data: Float32Array, ny: number, nx: number, z0: number, y0: number, x0: number): number | undefined {
    const { t, k, sample, above } = this;
    let threshold = -Infinity;
    if (sample.length >= k) {
      let o = 0;
      for (let z = z0; z < z0 + t; z += 2) {
        for (let y = y0; y < y0 + t; y += 2) {
          const row = (z * ny + y) * nx;
          for (let x = x0; x < x0 + t; x += 2) sample[o++] = data[row + x];
        }
      }
      threshold = selectKth(sample, sample.length - k);
      if (threshold !== threshold) return undefined;
    }
    let count = 0;
    for (let z = z0; z < z0 + t; z++) {
      for (let y = y0; y < y0 + t; y++) {
        const row = (z * ny + y) * nx;
        for (let x = x0; x < x0 + t; x++) {
          const v = data[row + x];
          if (!(v <= threshold)) {
            if (v !== v) return undefined;
            above[count++] = v;
          }
        }
      }
    }
    const value = count >= k ? selectKth(above.subarray(0, count), count - k) : threshold;
    return value === 0 ? undefined : value;
  }
}
