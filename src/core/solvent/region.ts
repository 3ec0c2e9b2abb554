/**
 * Which voxels of the low-passed map `L` the solvent model is fitted to (METHOD.md §7.1).
 */
import { cubeEdge, type Volume } from '../volume.js';

/**
 * The reference's radial mask of a cube of edge `n`: voxel `(z, y, x)` is inside when its distance from the
 * centre `((n-1)/2, (n-1)/2, (n-1)/2)` is `<=` the radius `floor(n/2)` (inclusive, as `create_radial_mask`).
 * Evaluated exactly in integers as `sum (2i - n + 1)^2 <= (2 r)^2` (the reference's float32 square root
 * cannot flip this comparison: for even `n` the squared distance is never within a quarter of `r^2`).
 * Returns 1 inside, 0 outside, in file order.
 */
export function centralSphereMask(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sphere mask needs a positive edge, got ${n}`);
  const r2 = 4 * Math.floor(n / 2) ** 2;
  const mask = new Uint8Array(n * n * n);
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) sq[i] = (2 * i - n + 1) ** 2;
  let p = 0;
  for (let z = 0; z < n; z++) {
    for (let y = 0; y < n; y++) {
      const zy = sq[z] + sq[y];
      for (let x = 0; x < n; x++, p++) if (zy + sq[x] <= r2) mask[p] = 1;
    }
  }
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
  const threshold = Math.fround(0.9);
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
  };
}

/** The solvent-model region of `L` (§7.1): the central sphere, or the quieter side of a solvent definition. */
export function solventRegion(L: Volume, solventDefinition?: ArrayLike<number> | null): { region: Uint8Array; choice?: SolventDefinitionChoice } {
  const sphere = centralSphereMask(cubeEdge(L));
  if (!solventDefinition) return { region: sphere };
  const choice = quieterSideOfDefinition(L.data, solventDefinition, sphere);
  return { region: choice.region, choice };
}
