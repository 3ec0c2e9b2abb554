/**
 * Which voxels of the low-passed map `L` the solvent model is fitted to (METHOD.md §7.1).
 */
import { cubeEdge, type Volume } from '../volume.js';
import type { HistogramRegion, RowSpans } from './histogram.js';

/** `--solvent-def` is binarised at `> 0.9` (compared in float32). */
export const SOLVENT_DEFINITION_THRESHOLD = 0.9;

/**
 * The reference's radial mask of a cube of edge `n`: voxel `(z, y, x)` is inside when its distance from the
 * centre `((n-1)/2, (n-1)/2, (n-1)/2)` is `<=` the radius `floor(n/2)` (inclusive, as `create_radial_mask`).
 * Evaluated exactly in integers as `sum (2i - n + 1)^2 <= (2 r)^2` (the reference's float32 square root
 * cannot flip this comparison: for even `n` the squared distance is never within a quarter of `r^2`).
 * As row spans: row `(z, y)` holds the inside voxels `x` in `[start, end)` (the inside of a row is one
 * interval, symmetric about the centre; empty rows have `end <= start`).
 */
export function centralSphereSpans(n: number): RowSpans {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sphere mask needs a positive edge, got ${n}`);
  const r2 = 4 * Math.floor(n / 2) ** 2;
  const start = new Int32Array(n * n);
  const end = new Int32Array(n * n);
  // Rows z and n-1-z, y and n-1-y have the same span (the squares of 2z - n + 1 and 2y - n + 1 are equal), so
  // a quarter is computed and mirrored: this runs once per process, in the engine's slow first code.
  const half = Math.ceil(n / 2);
  for (let z = 0; z < half; z++) {
    const dz = 2 * z - n + 1;
    for (let y = 0; y < half; y++) {
      const dy = 2 * y - n + 1;
      // Inside: (2x - n + 1)^2 <= rest, i.e. |2x - n + 1| <= t with t = isqrt(rest).
      const rest = r2 - dz * dz - dy * dy;
      if (rest < 0) continue;
      let t = Math.floor(Math.sqrt(rest));
      while (t * t > rest) t--;
      while ((t + 1) * (t + 1) <= rest) t++;
      const first = Math.max(0, Math.ceil((n - 1 - t) / 2));
      const last = Math.min(n - 1, Math.floor((n - 1 + t) / 2));
      const mz = n - 1 - z;
      const my = n - 1 - y;
      start[z * n + y] = start[z * n + my] = start[mz * n + y] = start[mz * n + my] = first;
      end[z * n + y] = end[z * n + my] = end[mz * n + y] = end[mz * n + my] = last + 1;
    }
  }
  return { rowLength: n, start, end };
}

/** `centralSphereSpans` as a voxel mask: 1 inside, 0 outside, in file order. */
export function centralSphereMask(n: number): Uint8Array {
  const { start, end } = centralSphereSpans(n);
  const mask = new Uint8Array(n * n * n);
  for (let r = 0; r < n * n; r++) if (end[r] > start[r]) mask.fill(1, r * n + start[r], r * n + end[r]);
  return mask;
}

/** Mean and (population) variance of `values` where `region` is set; NaN for an empty region. */
export function regionVariance(values: ArrayLike<number>, region: Uint8Array): { count: number; mean: number; variance: number } {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (region[i]) {
      sum += values[i];
      count++;
    }
  }
  if (count === 0) return { count, mean: NaN, variance: NaN };
  const mean = sum / count;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    if (region[i]) {
      const d = values[i] - mean;
      ss += d * d;
    }
  }
  return { count, mean, variance: ss / count };
}

export interface SolventDefinitionChoice {
  /** The region used: 1 where selected. */
  region: Uint8Array;
  /** True when the voxels with `definition > 0.9` were used, false when their complement was. */
  usedInside: boolean;
  varianceInside: number;
  varianceOutside: number;
  /** Every voxel of the sphere on one side: the definition tells nothing, and the region is the whole sphere. */
  oneSided: boolean;
}

/**
 * `--solvent-def`: binarise `definition > 0.9` (compared in float32, as NumPy compares a float32 map with a
 * Python float), intersect it and its complement with `within` (the central sphere), and keep the side where
 * `L` has the smaller variance — solvent is the quieter part, whichever way round the mask was drawn.
 *
 * Ties and an empty inside go to the complement, as the reference's `var_in < var_out` test does (an empty
 * side has variance NaN, and NaN compares false). Where the reference would go on to histogram an empty
 * complement and crash, the non-empty inside is used instead; both sides empty is an error.
 * The variances are computed in float64 (the reference's float32 `np.var` could only differ on a near-tie).
 */
export function quieterSideOfDefinition(
  values: ArrayLike<number>,
  definition: ArrayLike<number>,
  within: Uint8Array,
): SolventDefinitionChoice {
  if (definition.length !== values.length || within.length !== values.length) {
    throw new RangeError(
      `the solvent definition (${definition.length} voxels) must have the same box as the map (${values.length})`,
    );
  }
  const threshold = Math.fround(SOLVENT_DEFINITION_THRESHOLD);
  const inside = new Uint8Array(values.length);
  const outside = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (!within[i]) continue;
    if (Math.fround(definition[i]) > threshold) inside[i] = 1;
    else outside[i] = 1;
  }
  const a = regionVariance(values, inside);
  const b = regionVariance(values, outside);
  if (a.count === 0 && b.count === 0) throw new RangeError('the solvent definition selects no voxels inside the sphere');
  let usedInside = a.variance < b.variance;
  if (b.count === 0) usedInside = true;
  return {
    region: usedInside ? inside : outside,
    usedInside,
    varianceInside: a.variance,
    varianceOutside: b.variance,
    oneSided: a.count === 0 || b.count === 0,
  };
}

/**
 * The solvent-model region of `L` (§7.1): the central sphere (as row spans), or the quieter side of a solvent
 * definition (a mask).
 */
export function solventRegion(L: Volume, solventDefinition?: ArrayLike<number> | null): { region: HistogramRegion; choice?: SolventDefinitionChoice } {
  const n = cubeEdge(L);
  if (!solventDefinition) return { region: centralSphereSpans(n) };
  const choice = quieterSideOfDefinition(L.data, solventDefinition, centralSphereMask(n));
  return { region: choice.region, choice };
}
