/**
 * The scale-estimation kernel (METHOD.md §4): a spherical footprint for the local maximum filter, and the
 * percentile `tau` that makes the full-scale estimate robust for that many samples.
 */

/** A cubic boolean footprint of odd edge `size`, stored as 0/1 in file order. */
export interface Kernel {
  readonly size: number;
  readonly radius: number;
  readonly mask: Uint8Array;
  /** Number of voxels in the footprint (`n_v`). */
  readonly sampleCount: number;
}

/**
 * Voxels whose distance from the centre `((size-1)/2, …)` is `<= radius`. A radius larger than
 * `(size-1)/2` is allowed: the sphere is then cut by the cube, as in the reference.
 */
export function sphericalKernel(size: number, radius: number): Kernel {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new RangeError(`kernel size must be a positive odd integer, got ${size}`);
  }
  if (!(radius > 0)) throw new RangeError(`kernel radius must be positive, got ${radius}`);
  const c = (size - 1) / 2;
  const mask = new Uint8Array(size * size * size);
  let count = 0;
  for (let z = 0; z < size; z++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const d = Math.sqrt((z - c) ** 2 + (y - c) ** 2 + (x - c) ** 2);
        if (d <= radius) {
          mask[(z * size + y) * size + x] = 1;
          count++;
        }
      }
    }
  }
  return { size, radius, mask, sampleCount: count };
}

/**
 * The positive real root of `x^n + x - 1 = 0`: the expected fraction of full scale reached by the maximum of `n`
 * samples, which the reference uses as the percentile for normalisation.
 *
 * Rounded to 4 decimals for `n <= 1000`, because the reference reads it from a table with that precision and
 * the tile percentile index `floor(tau * t^3)` can depend on the 5th decimal. Above 1000 the reference uses a
 * coarse table that crashes at exactly 7000 (a Defect); this project returns the exact root there
 * (METHOD.md §4). That table holds 5-decimal roots for n = 1100, 1200, …, 7000 and is read at entry
 * `(n - 1000) // 100`, i.e. at the next multiple of 100 above n (n = 7000 reads past its end). Only the
 * targeted occupancy (`--target-mask`, METHOD.md §8) meets such n: for the 2240-voxel fixture mask the
 * reference prints tau = 0.99741 (the root for 2300), this project 0.99735; with the 12-voxel tiles of that
 * computation both give the same tile rank, floor(tau * 1728) = 1723.
 */
export function tauForSampleCount(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sample count must be a positive integer, got ${n}`);
  const root = positiveRootOfPowerPlusLinear(n);
  return n <= 1000 ? Math.round(root * 1e4) / 1e4 : root;
}

/** Solves `x^n + x - 1 = 0` on (0, 1) by bisection: the left side is increasing there, so this cannot miss. */
function positiveRootOfPowerPlusLinear(n: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (Math.pow(mid, n) + mid - 1 < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
