/**
 * The detected limits of METHOD.md §7.5: where the fitted solvent model stops explaining the region
 * histogram. They feed only the log ("Content at 1% of solvent", "Solvent drop to 0% (edge)") and the ChimeraX
 * contour, not the scale or the confidence.
 */

/** Values below this are "no solvent" (`tol^3` in the reference, with tol = 0.001). */
const MODEL_FLOOR = 0.001 ** 3;
/** The model is clipped from below to this before dividing (`tol^2`). */
const MODEL_CLIP = 0.001 ** 2;
/** Added to the histogram to keep the ratios finite (`tol`). */
const HEIGHT_OFFSET = 0.001;

export interface SolventLimits {
  /** Smallest `i` with `m_i >= 1` (the last index if none). */
  readonly low: number;
  /** Smallest `i` with solvent fraction `1 - content_i <= 0.01` (the last index if none). */
  readonly midlow: number;
  /** Largest `i` with content fraction `content_i <= 0.01` (0 if none). */
  readonly midhigh: number;
  /** Largest `i` with `m_i >= 1e-9` (0 if none). */
  readonly high: number;
  /** The reference raises for `high` or `midhigh` ending at 0; these are the reasons it would have. */
  readonly problems: string[];
}

/**
 * With the model `m_i` on the fit domain and the region histogram heights `a_i`:
 * `f_i = clip(m_i, 1e-6, max m)`, `content_i = (a_i + 0.001 - f_i) / (a_i + 0.001)`, and the four scans of
 * §7.5. The reference scans down from the top for `high` and `midhigh` and raises when the scan reaches
 * index 0 (even if index 0 itself qualifies); here the scan result is kept and the reason reported in
 * `problems`.
 */
export function detectSolventLimits(heights: ArrayLike<number>, model: ArrayLike<number>): SolventLimits {
  const n = heights.length;
  if (model.length !== n || n < 1) throw new RangeError('limits need as many model values as histogram heights');
  let modelMax = -Infinity;
  for (let i = 0; i < n; i++) if (model[i] > modelMax) modelMax = model[i];
  const content = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = Math.min(Math.max(model[i], MODEL_CLIP), modelMax);
    content[i] = (heights[i] + HEIGHT_OFFSET - f) / (heights[i] + HEIGHT_OFFSET);
  }
  const problems: string[] = [];

  let high = n - 1;
  while (model[high] < MODEL_FLOOR && high > 0) high--;
  if (high === 0) problems.push('high threshold limit not found: the solvent model is wider than the data range?');

  let midhigh = n - 1;
  while (content[midhigh] > 0.01 && midhigh > 0) midhigh--;
  if (midhigh === 0) problems.push('midhigh threshold limit not found: the solvent model is wider than the data range?');

  let midlow = 0;
  while (1 - content[midlow] > 0.01 && midlow < n - 1) midlow++;

  let low = 0;
  while (model[low] < 1 && low < n - 1) low++;

  return { low, midlow, midhigh, high, problems };
}
