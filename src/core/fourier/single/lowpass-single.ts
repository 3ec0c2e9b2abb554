/**
 * METHOD.md §3 low-pass and resampling computed in single precision with the reference's rounding
 * (see plans.ts for why the last bit matters): the same results as `lowpassToResolution` / `resampleCube`
 * of ../lowpass.ts up to float32 rounding, but rounded the way the reference's `scipy.fft` (pocketfft, float32)
 * rounds, so that the minimum, maximum and histogram of the low-passed map come out identical.
 *
 * The reference calls `rfftn` on the float32 map and `irfftn` on the complex64 spectrum. pocketfft does a
 * multi-axis real transform as: real FFT along the last (fastest) axis, then complex FFTs along axis 0, then
 * axis 1; the inverse as complex FFTs along axis 0, then axis 1, then the half-complex-to-real FFT along the last
 * axis with the normalisation `float32(1 / n^3)` applied as its final multiplication. This module follows that
 * order. Lines whose output is discarded (frequencies outside the kept block) or whose input is all zero are
 * skipped, which changes no value (each 1D transform is computed independently; a transform of zeros is zero).
 *
 * Every even edge is supported: the transforms are the reference's FFTPACK-style passes or, for the lengths it
 * gives Bluestein's algorithm (`referenceUsesBluestein`), its Bluestein plan.
 *
 * Where the engine has WebAssembly SIMD, `lowpassToResolutionSingle` and `resampleCubeSingle` run the same
 * transforms four lines at a time (./simd-lowpass.ts; bit-identical, about 8× faster); the scalar stages below
 * remain the reference implementation, the fallback, and the version split over the parallel pool.
 */
import { checkBlockInCube, cubeEdge, createCube, type CubeBlock, type PlaneSource, type Volume } from '../../volume.js';
import { cropFromCube, embedInEvenCube, type MirroredCube } from '../../box.js';
import { keptShells, lowpassToResolution, resampleCube } from '../lowpass.js';
import { ComplexPlanSingle, RealPlanSingle, largestPrimeFactor, referenceUsesBluestein, supportsSinglePrecision } from './plans.js';
import { asShared, partRange, partsFor, runParts, sharedFloat32Array, type ParallelKernel } from '../../parallel/pool.js';
import { lowpassBlockSimd, lowpassWorkspaceBytes, resampledPlanesSimd, simdLowpassAvailable, type ClipRange } from './simd-lowpass.js';
import { clipToRange } from '../../modify/value-range.js';

const f = Math.fround;

/** True when a map of edge `n` can be low-passed (and resampled to edge `m`) with the reference's rounding. */
export function singlePrecisionAvailable(n: number, m: number = n): boolean {
  return supportsSinglePrecision(n) && supportsSinglePrecision(m);
}

/**
 * The spectrum block of `rfftn(x)` (float32, pocketfft order) holding frequencies `fz, fy` in `[-k, k-1]` and
 * `fx` in `[0, k]`: interleaved complex, index `((dz * 2k + dy) * (k + 1) + fx)` with `fz = dz - k`, `fy = dy - k`.
 * Requires `k <= n / 2`.
 *
 * Each stage is a set of independent 1D transforms, split into parts over the installed parallel pool's threads
 * (src/core/parallel; one part on the calling thread without a pool). Which thread transforms a line changes
 * nothing in its arithmetic, so the result does not depend on the split.
 */
export function forwardBlockSingle(v: Volume, k: number): Float32Array {
  const n = cubeEdge(v);
  if (!Number.isInteger(k) || k < 0 || 2 * k > n) throw new RangeError(`block half-width must be in [0, n/2], got ${k}`);
  const w = k + 1;
  const edge = 2 * k;
  if (k === 0) return new Float32Array(2 * edge * edge * w);
  const out = sharedFloat32Array(2 * edge * edge * w);
  // A[z][y][fx], complex: the x transforms, then the z transforms in place.
  const A = sharedFloat32Array(2 * n * n * w);
  const args: StageArgs = { x: asShared(v.data), A, out, n, k, parts: 1 };
  runStage(forwardRows, args, n * n, 64);
  runStage(forwardColumnsZ, args, n, 4);
  runStage(forwardColumnsY, args, edge, 2);
  return out;
}

interface StageArgs {
  /** Real input (forward) or output (inverse) cube, n³. */
  x: Float32Array;
  /** Forward: x transforms then z transforms, 2·n²·(k+1). Inverse: z transforms (C, 2·n·2k·(k+1)). */
  A: Float32Array;
  /** Forward: the block. Inverse: y transforms (D, 2·n²·(k+1)). */
  out: Float32Array;
  n: number;
  k: number;
  parts: number;
  /** Inverse only: the block, and the normalisation. */
  block?: Float32Array;
  fct?: number;
}

/** Runs `kernel` over `units` units of work (rows, planes, ...) in parts of at least `minimum` units. */
function runStage(kernel: ParallelKernel<StageArgs>, args: StageArgs, units: number, minimum: number): void {
  const parts = partsFor(units, minimum);
  runParts(kernel, { ...args, parts }, parts);
}

/** One plan of each kind per thread and length (plans hold scratch, so they are not shared across threads). */
const realPlans = new Map<number, RealPlanSingle>();
const complexPlans = new Map<number, ComplexPlanSingle>();
function realPlan(n: number): RealPlanSingle {
  let p = realPlans.get(n);
  if (!p) realPlans.set(n, (p = new RealPlanSingle(n)));
  return p;
}
function complexPlan(n: number): ComplexPlanSingle {
  let p = complexPlans.get(n);
  if (!p) complexPlans.set(n, (p = new ComplexPlanSingle(n)));
  return p;
}

/** Stage 1: real FFT of every x line, keeping fx <= k. A[z][y][fx], complex. Parts: ranges of lines. */
export const forwardRows: ParallelKernel<StageArgs> = {
  name: 'single-forward-rows',
  run({ x, A, n, k, parts }, part) {
    const w = k + 1;
    const real = realPlan(n);
    const line = new Float32Array(n);
    const [first, end] = partRange(n * n, parts, part);
    for (let zy = first; zy < end; zy++) {
      line.set(x.subarray(zy * n, zy * n + n));
      real.exec(line, 1, true);
      const base = 2 * zy * w;
      A[base] = line[0];
      A[base + 1] = 0;
      let i = 1;
      let ii = 1;
      for (; i < n - 1 && ii <= k; i += 2, ii++) {
        A[base + 2 * ii] = line[i];
        A[base + 2 * ii + 1] = line[i + 1];
      }
      if (i === n - 1 && ii <= k) {
        A[base + 2 * ii] = line[i];
        A[base + 2 * ii + 1] = 0;
      }
    }
  },
};

/** Stage 2: complex FFT along z for every (y, fx <= k), in place. Parts: ranges of y. */
export const forwardColumnsZ: ParallelKernel<StageArgs> = {
  name: 'single-forward-z',
  run({ A, n, k, parts }, part) {
    const w = k + 1;
    const cplx = complexPlan(n);
    const cl = new Float32Array(2 * n);
    const zStride = 2 * n * w;
    const [first, end] = partRange(n, parts, part);
    for (let y = first; y < end; y++) {
      for (let fx = 0; fx < w; fx++) {
        const o = 2 * (y * w + fx);
        for (let z = 0; z < n; z++) {
          cl[2 * z] = A[z * zStride + o];
          cl[2 * z + 1] = A[z * zStride + o + 1];
        }
        cplx.exec(cl, 1, true);
        for (let z = 0; z < n; z++) {
          A[z * zStride + o] = cl[2 * z];
          A[z * zStride + o + 1] = cl[2 * z + 1];
        }
      }
    }
  },
};

/** Stage 3: complex FFT along y for the kept z frequencies; keep the kept y frequencies. Parts: ranges of dz. */
export const forwardColumnsY: ParallelKernel<StageArgs> = {
  name: 'single-forward-y',
  run({ A, out, n, k, parts }, part) {
    const w = k + 1;
    const edge = 2 * k;
    const cplx = complexPlan(n);
    const cl = new Float32Array(2 * n);
    const zStride = 2 * n * w;
    const [first, end] = partRange(edge, parts, part);
    for (let dz = first; dz < end; dz++) {
      const z = (dz - k + n) % n;
      for (let fx = 0; fx < w; fx++) {
        for (let y = 0; y < n; y++) {
          const o = z * zStride + 2 * (y * w + fx);
          cl[2 * y] = A[o];
          cl[2 * y + 1] = A[o + 1];
        }
        cplx.exec(cl, 1, true);
        for (let dy = 0; dy < edge; dy++) {
          const y = (dy - k + n) % n;
          const o = 2 * ((dz * edge + dy) * w + fx);
          out[o] = cl[2 * y];
          out[o + 1] = cl[2 * y + 1];
        }
      }
    }
  },
};

/**
 * `irfftn` (float32, pocketfft order, backward normalisation `float32(1/m^3)`) of an `m x m x (m/2+1)` spectrum
 * that is zero except for the block of `forwardBlockSingle` layout with half-width `k <= m/2`. Stages split
 * over the parallel pool as in `forwardBlockSingle`.
 */
export function inverseBlockSingle(block: Float32Array, k: number, m: number): Volume {
  const w = k + 1;
  const edge = 2 * k;
  if (block.length !== 2 * edge * edge * w) throw new RangeError('spectrum block does not match its half-width');
  if (2 * k > m) throw new RangeError(`block half-width ${k} does not fit an edge of ${m}`);
  const out = createCube(m, sharedFloat32Array(m * m * m));
  if (k === 0) return out;
  const args: StageArgs = {
    x: out.data,
    A: sharedFloat32Array(2 * m * edge * w),
    out: sharedFloat32Array(2 * m * m * w),
    n: m,
    k,
    parts: 1,
    block: asShared(block),
    fct: f(1 / (m * m * m)),
  };
  runStage(inverseColumnsZ, args, edge * w, 16);
  runStage(inverseColumnsY, args, m, 4);
  runStage(inverseRows, args, m * m, 64);
  return out;
}

/** Stage 1: along z for every kept (fy, fx); C[z][dy][fx]. Parts: ranges of the edge·w (dy, fx) pairs. */
export const inverseColumnsZ: ParallelKernel<StageArgs> = {
  name: 'single-inverse-z',
  run({ block, A: C, n: m, k, parts }, part) {
    const w = k + 1;
    const edge = 2 * k;
    const cplx = complexPlan(m);
    const cl = new Float32Array(2 * m);
    const cz = 2 * edge * w;
    const [first, end] = partRange(edge * w, parts, part);
    for (let pair = first; pair < end; pair++) {
      const dy = Math.floor(pair / w);
      const fx = pair - dy * w;
      cl.fill(0);
      for (let dz = 0; dz < edge; dz++) {
        const z = (dz - k + m) % m;
        const o = 2 * ((dz * edge + dy) * w + fx);
        cl[2 * z] = block![o];
        cl[2 * z + 1] = block![o + 1];
      }
      cplx.exec(cl, 1, false);
      const o = 2 * (dy * w + fx);
      for (let z = 0; z < m; z++) {
        C[z * cz + o] = cl[2 * z];
        C[z * cz + o + 1] = cl[2 * z + 1];
      }
    }
  },
};

/** Stage 2: along y for every z and fx <= k; D[z][y][fx]. Parts: ranges of z. */
export const inverseColumnsY: ParallelKernel<StageArgs> = {
  name: 'single-inverse-y',
  run({ A: C, out: D, n: m, k, parts }, part) {
    const w = k + 1;
    const edge = 2 * k;
    const cplx = complexPlan(m);
    const cl = new Float32Array(2 * m);
    const cz = 2 * edge * w;
    const [first, end] = partRange(m, parts, part);
    for (let z = first; z < end; z++) {
      for (let fx = 0; fx < w; fx++) {
        cl.fill(0);
        for (let dy = 0; dy < edge; dy++) {
          const y = (dy - k + m) % m;
          const o = z * cz + 2 * (dy * w + fx);
          cl[2 * y] = C[o];
          cl[2 * y + 1] = C[o + 1];
        }
        cplx.exec(cl, 1, false);
        for (let y = 0; y < m; y++) {
          const o = 2 * ((z * m + y) * w + fx);
          D[o] = cl[2 * y];
          D[o + 1] = cl[2 * y + 1];
        }
      }
    }
  },
};

/** Stage 3: half-complex to real along x, normalised. Parts: ranges of lines. */
export const inverseRows: ParallelKernel<StageArgs> = {
  name: 'single-inverse-rows',
  run({ out: D, x: data, n: m, k, parts, fct }, part) {
    const w = k + 1;
    const real = realPlan(m);
    const line = new Float32Array(m);
    const [first, end] = partRange(m * m, parts, part);
    for (let zy = first; zy < end; zy++) {
      const base = 2 * zy * w;
      line.fill(0);
      line[0] = D[base];
      let i = 1;
      let ii = 1;
      for (; i < m - 1; i += 2, ii++) {
        if (ii > k) break;
        line[i] = D[base + 2 * ii];
        line[i + 1] = D[base + 2 * ii + 1];
      }
      if (ii <= k && i === m - 1) line[i] = D[base + 2 * ii];
      real.exec(line, fct!, false);
      data.set(line, zy * m);
    }
  },
};

export interface SinglePrecisionOptions {
  /**
   * Use the WebAssembly SIMD transforms (./simd-lowpass.ts, four lines per instruction, bit-identical) when the
   * engine has them; default true. False forces the scalar transforms of this module, which split over the
   * parallel pool (tests compare the two).
   */
  simd?: boolean;
}

/**
 * Low-pass to `resolution` Å (METHOD.md §3, spherical window), rounded like the reference. Same kept shells
 * and window as `lowpassToResolution` in ../lowpass.ts.
 */
export function lowpassToResolutionSingle(v: Volume, voxelSize: number, resolution: number, options: SinglePrecisionOptions = {}): Volume {
  const n = evenEdge(v);
  const k = Math.min(keptShells(n, voxelSize, resolution), n / 2);
  if (options.simd !== false && simdLowpassAvailable(n, k, n)) return lowpassBlockSimd(v, k, n, 'lowpass');
  const block = forwardBlockSingle(v, k);
  applySphericalWindowSingle(block, k);
  return inverseBlockSingle(block, k, n);
}

/**
 * Fourier crop or zero-pad to an even edge `m` (METHOD.md §3, square window), rounded like the reference:
 * the inverse transform is followed by a float32 multiplication by `float32((m/n)^3)`. With `clipTo` =
 * [lo, hi], each value is then clipped to it (`v < lo ? lo : v > hi ? hi : v`, NaN kept), as the finishing of
 * a modified map does right after (§10): in the same pass, which saves one over a large map. With `region`,
 * only that block of the resampled cube is returned (the SIMD path makes only the block).
 */
export function resampleCubeSingle(v: Volume, m: number, options: SinglePrecisionOptions & { clipTo?: ClipRange; region?: CubeBlock } = {}): Volume {
  const n = evenEdge(v);
  if (!Number.isInteger(m) || m < 2 || m % 2 !== 0) throw new RangeError(`resampled edge must be even, got ${m}`);
  const clipTo = options.clipTo && checkedClipRange(options.clipTo);
  const { region } = options;
  if (region) checkBlockInCube(region, m);
  const k = Math.min(m / 2, n / 2);
  if (options.simd !== false && simdLowpassAvailable(n, k, m)) return lowpassBlockSimd(v, k, m, 'resample', clipTo, region);
  const out = inverseBlockSingle(forwardBlockSingle(v, k), k, m);
  const factor = f((m / n) ** 3);
  const d = out.data;
  for (let i = 0; i < d.length; i++) d[i] = f(d[i] * factor);
  if (clipTo) clipToRange(d, clipTo, d);
  return region ? cropFromCube(out, region.offset, region.shape) : out;
}

/** `range` when it is one the SIMD path can clip to exactly as `clipToRange` does: float32 values, lo <= hi. */
function checkedClipRange(range: ClipRange): ClipRange {
  const [lo, hi] = range;
  if (!(lo <= hi) || f(lo) !== lo || f(hi) !== hi) throw new RangeError(`clip range must be float32 values with lo <= hi, got [${lo}, ${hi}]`);
  return range;
}

/**
 * Zeroes block elements outside the reference's sphere: frequency `(fz, fy, fx)` is kept when
 * `(fz + 1/2)^2 + (fy + 1/2)^2 + (fx - 1/2)^2 <= (k + 1)^2`, tested in doubled integer coordinates.
 */
export function applySphericalWindowSingle(block: Float32Array, k: number): void {
  const w = k + 1;
  const edge = 2 * k;
  const limit = 4 * w * w;
  for (let dz = 0; dz < edge; dz++) {
    const a = 2 * (dz - k) + 1;
    for (let dy = 0; dy < edge; dy++) {
      const b = 2 * (dy - k) + 1;
      for (let fx = 0; fx < w; fx++) {
        const c = 2 * fx - 1;
        if (a * a + b * b + c * c > limit) {
          const o = 2 * ((dz * edge + dy) * w + fx);
          block[o] = 0;
          block[o + 1] = 0;
        }
      }
    }
  }
}

function evenEdge(v: Volume): number {
  const n = cubeEdge(v);
  if (n % 2 !== 0) throw new RangeError(`Fourier low-pass and resampling need an even box, got ${n}`);
  return n;
}

/**
 * The largest prime factor of an edge for which the scalar single-precision passes run where the SIMD ones
 * cannot (no WebAssembly SIMD, or a low-pass too large for their memory). Their generic passes do O(p) work per
 * value, pocketfft's way: a 226³ (2·113) low-pass takes ~14 s scalar against ~2 s on the double-precision path
 * (Bluestein, O(log n)), so beyond this the double-precision path is taken and the last bits are given up.
 */
const SCALAR_MAX_PRIME = 61;

/**
 * Whether an even edge `n`, low-passed keeping `k` shells or resampled to `m` (k = min(m, n) / 2), takes the
 * single-precision path that rounds like the reference: the edges allow it (`singlePrecisionAvailable`) and
 * either the SIMD transforms run (`simd`, by default whether they can here) or the scalar ones are affordable.
 */
export function roundsLikeReference(n: number, k: number, m: number, simd = simdLowpassAvailable(n, k, m)): boolean {
  if (n % 2 !== 0 || m % 2 !== 0 || !singlePrecisionAvailable(n, m)) return false;
  return simd || (scalarAffordable(n) && scalarAffordable(m));
}

/** Whether the scalar transforms of an edge are quick enough: Bluestein's or passes with primes up to SCALAR_MAX_PRIME. */
function scalarAffordable(n: number): boolean {
  const small = largestPrimeFactor(n) <= SCALAR_MAX_PRIME;
  return (small || referenceUsesBluestein(n, false)) && (small || referenceUsesBluestein(n, true));
}

/**
 * `lowpassToResolution` as the reference rounds it (single precision, pocketfft order) where
 * `roundsLikeReference`; otherwise the double-precision `lowpassToResolution` of ../lowpass.ts.
 */
export function lowpassLikeReference(v: Volume, voxelSize: number, resolution: number): Volume {
  const n = cubeEdge(v);
  const k = Math.min(keptShells(n, voxelSize, resolution), n / 2);
  return roundsLikeReference(n, k, n) ? lowpassToResolutionSingle(v, voxelSize, resolution) : lowpassToResolution(v, voxelSize, resolution);
}

/**
 * Bytes of WebAssembly working memory `resampleLikeReference` takes for a cube of edge `n` resampled to `m`
 * (see `withLowpassWorkspace`); 0 when it takes a path that needs none.
 */
export function resampleWorkspaceBytes(n: number, m: number): number {
  const k = Math.min(m / 2, n / 2);
  return roundsLikeReference(n, k, m) ? lowpassWorkspaceBytes(n, k, m, 'resample') : 0;
}

/**
 * {@link resampleLikeReference} of a map's even cube (`embedInEvenCube(cube.map).cube`, the same values bit for
 * bit), without making the cube where the SIMD path runs: it reads the cube's rows from the map.
 */
export function resampleMirroredLikeReference(cube: MirroredCube, m: number): Volume {
  const n = cube.edge;
  const k = Math.min(m / 2, n / 2);
  if (simdLowpassAvailable(n, k, m) && roundsLikeReference(n, k, m, true)) return lowpassBlockSimd(cube, k, m, 'resample');
  return resampleLikeReference(embedInEvenCube(cube.map).cube, m);
}

/**
 * {@link resampleLikeReference}`(v, m, clipTo, region)` as a plane source, made a few planes at a time as it is
 * written (`resampledPlanesSimd`): the same values, bit for bit. Undefined where that call would not take the
 * SIMD path (then make the map whole).
 */
export function resampledPlanesLikeReference(v: Volume, m: number, clipTo: ClipRange | undefined, region?: CubeBlock): PlaneSource | undefined {
  const n = cubeEdge(v);
  if (!Number.isInteger(m) || m < 2 || m % 2 !== 0) throw new RangeError(`resampled edge must be even, got ${m}`);
  if (!resamplesAsPlanes(n, m)) return undefined;
  return resampledPlanesSimd(v, Math.min(m / 2, n / 2), m, clipTo && checkedClipRange(clipTo), region);
}

/** Whether {@link resampledPlanesLikeReference} gives a source for a cube of edge `n` resampled to `m`. */
export function resamplesAsPlanes(n: number, m: number): boolean {
  const k = Math.min(m / 2, n / 2);
  return simdLowpassAvailable(n, k, m) && roundsLikeReference(n, k, m, true);
}

/**
 * `resampleCube` as the reference rounds it where `roundsLikeReference` (see `lowpassLikeReference`); with
 * `clipTo`, clipped to that range as `resampleCubeSingle` does; with `region`, only that block of the result.
 */
export function resampleLikeReference(v: Volume, m: number, clipTo?: ClipRange, region?: CubeBlock): Volume {
  const n = cubeEdge(v);
  if (roundsLikeReference(n, Math.min(m / 2, n / 2), m)) return resampleCubeSingle(v, m, { clipTo, region });
  const out = resampleCube(v, m);
  if (clipTo) clipToRange(out.data, checkedClipRange(clipTo), out.data);
  return region ? cropFromCube(out, region.offset, region.shape) : out;
}
