/**
 * Greyscale dilation (local maximum) of a volume over a symmetric convex footprint — METHOD.md §6.1 — with
 * scipy.ndimage `reflect` edges (`d c b a | a b c d | d c b a`), the footprint centred on the output voxel.
 *
 * Why not brute force: a 9³ spherical footprint has ~400 voxels, and the reference spends most of its time
 * visiting each of them for every voxel. A sphere is a stack of x-runs: for each (dz, dy) offset the footprint
 * covers x in [-w, w]. So the maximum is taken in two passes:
 *   1. along x, the running maximum over [-w, w] for every half-width w the footprint uses (each w built from
 *      w - 1 with two comparisons per voxel);
 *   2. over the (dz, dy) offsets, the maximum of the matching x-maxima of the neighbouring rows.
 * Pass 1 is computed per z-plane into a ring buffer holding only the planes pass 2 needs, so extra memory is a
 * few planes, not copies of the volume. Max is exact, so the result is bit-identical to brute force.
 */
import { createVolume, type Volume } from '../volume.js';
import type { Kernel } from '../scale/kernel.js';
import { reflectIndex } from './reflect.js';
import { hasWasmSimd } from '../wasm/assembler.js';
import { maximumFilterSimd, type NormaliseInto } from './max-filter-simd.js';
import { asShared, partRange, partsFor, runParts, sharedFloat32Array, type ParallelKernel } from '../parallel/pool.js';

/** Which implementation runs: WebAssembly SIMD where the engine has it (default), or plain JS. */
export type MaxFilterEngine = 'auto' | 'wasm' | 'js';

/** One x-run of the footprint: offsets (dz, dy) relative to the centre, covering x in [-halfWidth, halfWidth]. */
export interface FootprintRun {
  dz: number;
  dy: number;
  halfWidth: number;
}

/**
 * Decomposes a footprint into x-runs. Throws if a row is not one run centred on the kernel's x centre (the
 * decomposition relies on it; every sphere centred in its cube satisfies it).
 */
export function footprintRuns(kernel: Kernel): FootprintRun[] {
  const { size, mask } = kernel;
  const c = (size - 1) / 2;
  const runs: FootprintRun[] = [];
  for (let z = 0; z < size; z++) {
    for (let y = 0; y < size; y++) {
      let first = -1;
      let last = -1;
      let count = 0;
      for (let x = 0; x < size; x++) {
        if (mask[(z * size + y) * size + x]) {
          if (first < 0) first = x;
          last = x;
          count++;
        }
      }
      if (count === 0) continue;
      if (count !== last - first + 1 || first + last !== 2 * c) {
        throw new RangeError('max filter footprint rows must be single runs centred on the kernel centre');
      }
      runs.push({ dz: z - c, dy: y - c, halfWidth: c - first });
    }
  }
  return runs;
}

/**
 * Running maxima along x of one plane for half-widths 0..maxHalfWidth: `out[w][y*nx + x]` is the max of the
 * plane's row y over x' in [x-w, x+w], reflected at the ends.
 */
function planeRowMaxima(
  volume: Volume,
  z: number,
  maxHalfWidth: number,
  out: Float32Array[],
  padded: Float32Array,
): void {
  const { ny, nx, data } = volume;
  const planeOffset = z * ny * nx;
  const pad = maxHalfWidth;
  for (let y = 0; y < ny; y++) {
    const rowOffset = planeOffset + y * nx;
    // Row with reflected margins, so the inner loops have no edge branches.
    for (let i = -pad; i < nx + pad; i++) padded[i + pad] = data[rowOffset + reflectIndex(i, nx)];
    const base = y * nx;
    const w0 = out[0];
    for (let x = 0; x < nx; x++) w0[base + x] = padded[x + pad];
    for (let w = 1; w <= maxHalfWidth; w++) {
      const prev = out[w - 1];
      const cur = out[w];
      for (let x = 0; x < nx; x++) {
        let m = prev[base + x];
        const a = padded[x + pad - w];
        const b = padded[x + pad + w];
        if (a > m) m = a;
        if (b > m) m = b;
        cur[base + x] = m;
      }
    }
  }
}

/** `out[o + x] = max(out[o + x], source[s + x])` for x in [0, nx). */
function maxRowInto(out: Float32Array, o: number, source: Float32Array, s: number, nx: number): void {
  for (let x = 0; x < nx; x++) {
    const a = source[s + x];
    const b = out[o + x];
    out[o + x] = a > b ? a : b;
  }
}

/**
 * The local maximum of `volume` over `kernel`. With `planes`, only output planes [first, end) are computed,
 * into `out` (the full-size output array, which may be shared between workers that each take a slab).
 * Without `planes`, the planes are split into slabs over the installed parallel pool's threads (if any).
 */
export function maximumFilter(
  volume: Volume,
  kernel: Kernel,
  planes?: { first: number; end: number; out: Float32Array },
  engine: MaxFilterEngine = 'auto',
): Volume {
  const { nz, ny, nx } = volume;
  if (!planes) {
    // Slabs of at least 8 planes: each slab recomputes the x-maxima of 2R planes beyond its edges.
    const parts = partsFor(nz, 8);
    if (parts > 1) {
      const out = sharedFloat32Array(nz * ny * nx);
      runParts(maxFilterSlabs, { input: asShared(volume.data), nz, ny, nx, kernel, engine, out, parts }, parts);
      return createVolume(nz, ny, nx, out);
    }
  }
  const runs = footprintRuns(kernel);
  if (engine === 'wasm' || (engine === 'auto' && hasWasmSimd())) {
    const out = createVolume(nz, ny, nx, planes?.out);
    maximumFilterSimd(volume, kernel, runs, planes?.first ?? 0, planes?.end ?? nz, out.data);
    return out;
  }
  const reach = (kernel.size - 1) / 2;
  const maxHalfWidth = runs.reduce((m, r) => Math.max(m, r.halfWidth), 0);
  const planeSize = ny * nx;
  const ringLength = 2 * reach + 1;

  // ring[slot][w]: row maxima of input plane `ringPlane[slot]` for half-width w.
  const ring: Float32Array[][] = [];
  const ringPlane = new Int32Array(ringLength).fill(-1);
  for (let s = 0; s < ringLength; s++) {
    const perWidth: Float32Array[] = [];
    for (let w = 0; w <= maxHalfWidth; w++) perWidth.push(new Float32Array(planeSize));
    ring.push(perWidth);
  }
  const padded = new Float32Array(nx + 2 * maxHalfWidth);
  const out = createVolume(nz, ny, nx, planes?.out);
  const result = out.data;
  const firstPlane = planes?.first ?? 0;
  const endPlane = planes?.end ?? nz;

  const rowMaximaOf = (plane: number): Float32Array[] => {
    const slot = plane % ringLength;
    if (ringPlane[slot] !== plane) {
      planeRowMaxima(volume, plane, maxHalfWidth, ring[slot], padded);
      ringPlane[slot] = plane;
    }
    return ring[slot];
  };

  // Source row of each output row for every dy, precomputed so the inner loop has no index arithmetic.
  const rowOf = new Int32Array((2 * reach + 1) * ny);
  for (let dy = -reach; dy <= reach; dy++) {
    for (let y = 0; y < ny; y++) rowOf[(dy + reach) * ny + y] = reflectIndex(y + dy, ny) * nx;
  }
  const sources: Float32Array[] = new Array(runs.length);
  const rowBase = new Int32Array(runs.length);
  for (let z = firstPlane; z < endPlane; z++) {
    runs.forEach((run, r) => {
      sources[r] = rowMaximaOf(reflectIndex(z + run.dz, nz))[run.halfWidth];
      rowBase[r] = (run.dy + reach) * ny;
    });
    // Row by row, all runs into one output row: the row stays in L1 cache while the sources stream past.
    for (let y = 0; y < ny; y++) {
      const o = z * planeSize + y * nx;
      const s0 = rowOf[rowBase[0] + y];
      result.set(sources[0].subarray(s0, s0 + nx), o);
      for (let r = 1; r < runs.length; r++) maxRowInto(result, o, sources[r], rowOf[rowBase[r] + y], nx);
    }
  }
  return out;
}

/**
 * The local maximum of `volume` over `kernel`, normalised as the local scale is (local-scale.ts): each value
 * divided by `divisor` in float32 and clipped to [0, 1], in the WebAssembly filter's output planes before they
 * are copied out (no second pass over the map), with the float64 sum in index order of `values[i]` over the
 * outputs equal to 1 and their count. Null where that path does not apply (no WebAssembly SIMD, a pool that
 * splits the filter, a divisor that is not a finite float32 above 0): the caller normalises separately.
 */
export function maximumFilterNormalised(
  volume: Volume,
  kernel: Kernel,
  divisor: number,
  values: Float32Array,
): { volume: Volume; sum: number; count: number } | null {
  const { nz, ny, nx } = volume;
  if (!hasWasmSimd() || partsFor(nz, 8) > 1 || !(divisor > 0 && divisor < Infinity) || Math.fround(divisor) !== divisor) return null;
  if (values.length !== nz * ny * nx) throw new RangeError('values and map differ in size');
  const out = createVolume(nz, ny, nx);
  const normalise: NormaliseInto = { divisor, values, sum: 0, count: 0 };
  maximumFilterSimd(volume, kernel, footprintRuns(kernel), 0, nz, out.data, normalise);
  return { volume: out, sum: normalise.sum, count: normalise.count };
}

interface SlabArgs {
  input: Float32Array;
  nz: number;
  ny: number;
  nx: number;
  kernel: Kernel;
  engine: MaxFilterEngine;
  out: Float32Array;
  parts: number;
}

/** Part p of `parts`: output planes of slab p (contiguous, near-equal slabs). */
export const maxFilterSlabs: ParallelKernel<SlabArgs> = {
  name: 'max-filter-slabs',
  run(a, part) {
    const [first, end] = partRange(a.nz, a.parts, part);
    maximumFilter(createVolume(a.nz, a.ny, a.nx, a.input), a.kernel, { first, end, out: a.out }, a.engine);
  },
};
