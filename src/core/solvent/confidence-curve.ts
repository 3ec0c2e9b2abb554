/**
 * The confidence curve of METHOD.md §7.6: for each bin of the histogram of *all* voxels of `L`, how sure we
 * are that a value there is not solvent.
 */
import { gaussian, type GaussianParameters } from './gaussian.js';

/** Added to the histogram before dividing (the reference's 0.01). */
const HEIGHT_OFFSET = 0.01;

/**
 * `G_i = clip(g(E_i), 0, max_j g(E_j))` on all `bins + 1` edges, and for `i < bins`
 * `r_i = (A_i + 0.01 - G_i) / (A_i + 0.01)`: the fraction of the histogram the solvent model does not explain.
 * The model is evaluated in float64 at the float32 edges. The reference (NumPy 1.x, see histogram.ts) evaluates
 * it in float32, with NumPy's vectorised float32 `exp` (which is not correctly rounded, so `Math.fround` of a
 * double result would not reproduce it either); the two differ by about 1e-7 relative, which moves the
 * confidence of the fixtures by at most a few thousandths.
 */
export function contentFraction(heights: ArrayLike<number>, edges: ArrayLike<number>, model: GaussianParameters): Float64Array {
  const bins = heights.length;
  if (edges.length !== bins + 1) throw new RangeError('the confidence curve needs bins + 1 edges');
  const G = new Float64Array(bins + 1);
  let gMax = -Infinity;
  for (let i = 0; i <= bins; i++) {
    G[i] = gaussian(edges[i], model);
    if (G[i] > gMax) gMax = G[i];
  }
  const r = new Float64Array(bins);
  for (let i = 0; i < bins; i++) {
    const Gi = Math.min(Math.max(G[i], 0), gMax);
    r[i] = (heights[i] + HEIGHT_OFFSET - Gi) / (heights[i] + HEIGHT_OFFSET);
  }
  return r;
}

/**
 * The reference's pass that makes the curve fall towards low values, in place on a copy:
 *
 *     dt = 0
 *     for i = n-2 down to 0:
 *       r[i] = min(r[i], r[i+1], r[i+1] - dt)
 *       dt = r[i+1] - r[i]
 *       if r[i-1] <= 0:            (r[i-1] not yet visited, so its original value)
 *         r[0 .. i-2] = 0; stop
 *
 * with Python's indexing at the ends kept on purpose: at `i = 1` the zeroed range `r[0 .. -1]` is empty; at
 * `i = 0`, `r[i-1]` is `r[n-1]` (the top entry, which the pass never changes) and the zeroed range is
 * `r[0 .. n-2]`. So the pass never changes `r[n-1]`, and it zeroes everything below when `r[n-1] <= 0`
 * survived to the end.
 */
export function monotoneConfidence(raw: ArrayLike<number>): Float64Array {
  const r = Float64Array.from(raw);
  const n = r.length;
  let dt = 0;
  for (let i = n - 2; i >= 0; i--) {
    r[i] = Math.min(r[i], r[i + 1], r[i + 1] - dt);
    dt = r[i + 1] - r[i];
    const lower = i >= 1 ? r[i - 1] : r[n - 1];
    if (lower <= 0) {
      const end = i >= 1 ? i - 1 : n - 1; // exclusive
      r.fill(0, 0, end);
      break;
    }
  }
  return r;
}

/**
 * `--hedge-confidence h`: for `h > 1`, `r = clip(r, 0, 1)^h` (values <= 1 of h leave the curve alone, as in
 * the reference). **Defect fix** (METHOD.md §7.6): the reference raises the unclipped curve, so an even `h`
 * turns negative entries positive (and a fractional one makes them NaN); clipping first keeps them at 0.
 */
export function hedgeConfidence(curve: ArrayLike<number>, hedge: number | undefined | null): Float64Array {
  const out = Float64Array.from(curve);
  if (hedge === undefined || hedge === null || !(hedge > 1)) return out;
  for (let i = 0; i < out.length; i++) out[i] = Math.min(Math.max(out[i], 0), 1) ** hedge;
  return out;
}
