/**
 * Starting point of the solvent fit (METHOD.md §7.3), from the region histogram.
 */
import type { GaussianParameters } from './gaussian.js';

export interface InitialGuess extends GaussianParameters {
  /** The peak bin `p = argmax(a)` (the first one on a tie, as `np.argmax`). */
  readonly peakBin: number;
  /** The first bin above the peak whose height falls below `c0 / e` (`heights.length` if none does). */
  readonly widthBin: number;
}

/**
 * `p = argmax(a)`, `mu0 = b[p]` (the bin's *left* edge), `c0 = a[p]`; step `j` up from `p` while
 * `a[j] >= c0 / e`, and `sigma0 = (j - p) * (b[1] - b[0])`, the first bin width taken in float32 like the
 * reference's float32 edges.
 *
 * If the heights never fall below `c0 / e` before the last bin the reference runs off the end of the array
 * and crashes; here `j` stops at the number of bins.
 */
export function initialGaussianGuess(heights: ArrayLike<number>, edges: ArrayLike<number>): InitialGuess {
  const bins = heights.length;
  if (bins < 1 || edges.length !== bins + 1) throw new RangeError('initial guess needs heights and bins + 1 edges');
  let p = 0;
  for (let i = 1; i < bins; i++) if (heights[i] > heights[p]) p = i;
  const c0 = heights[p];
  const threshold = (c0 * 1) / Math.E;
  let j = p;
  while (j < bins && heights[j] >= threshold) j++;
  const width = Math.fround(edges[1] - edges[0]);
  return { c: c0, mu: edges[p], sigma: (j - p) * width, peakBin: p, widthBin: j };
}
