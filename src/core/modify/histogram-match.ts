/**
 * Histogram matching (`--hist-match`, METHOD.md §10): give a modified map the value distribution of the
 * original input, keeping the order of its voxels.
 *
 * The reference calls `skimage.exposure.match_histograms(modified, reference=input)`, whose float path is
 * quantile mapping over *distinct* values:
 *
 * - each distinct value `v` of the map gets the quantile `q(v) = count(values <= v) / N` (right-continuous
 *   empirical CDF; equal values share one quantile, so ties map to one output value);
 * - the reference's distinct values `r_j` get `Q_j = count(reference <= r_j) / M` likewise;
 * - `v` maps to `numpy.interp(q(v), Q, r)`: linear interpolation between neighbouring `(Q_j, r_j)`, `r_0`
 *   below `Q_0`, and `r_j` exactly when `q` equals `Q_j` (so the maximum always maps to the reference's
 *   maximum); computed in double precision and stored as float32.
 *
 * Consequences: the output lies within [min, max] of the reference; when both have the same size and all
 * values are distinct, the output is exactly a permutation of the reference's values (rank i gets the
 * reference's i-th smallest). `-0` and `+0` count as one value, as in NumPy. Values must not be NaN.
 *
 * Cost: two sorts (native typed-array sorts) and one binary search per voxel; extra memory about three
 * float32 copies of the map plus one of the reference.
 */

/**
 * Distinct sorted values and how many of all `total` values are <= each; the quantile of entry k is
 * `cumulativeCounts[k] / total`, evaluated where needed (the same double NumPy computes).
 */
interface EmpiricalCdf {
  values: Float32Array;
  cumulativeCounts: Uint32Array;
  total: number;
}

export function histogramMatch(
  values: Float32Array,
  reference: Float32Array,
  out: Float32Array = new Float32Array(values.length),
): Float32Array {
  if (out.length !== values.length) throw new RangeError(`output has ${out.length} values, the map ${values.length}`);
  if (reference.length === 0) throw new RangeError('histogram matching needs a non-empty reference');
  if (values.length === 0) return out;

  const target = empiricalCdf(reference, 'reference');
  const source = empiricalCdf(values, 'map');
  const mapped = new Float32Array(source.values.length);
  let segment = 0;
  for (let k = 0; k < source.values.length; k++) {
    const q = source.cumulativeCounts[k] / source.total;
    // Quantiles increase with k, so the bracketing segment only moves forwards.
    while (segment < target.values.length && quantile(target, segment) <= q) segment++;
    mapped[k] = interpolateAt(q, segment - 1, target);
  }

  const distinct = source.values;
  for (let i = 0; i < values.length; i++) out[i] = mapped[indexOfValue(distinct, values[i])];
  return out;
}

/**
 * `numpy.interp(q, Q, r)` given `j`, the last index with `Q[j] <= q` (−1 if none): `r[0]` left of the table,
 * `r[j]` on a node or at/after the last, else `r[j] + slope * (q − Q[j])` with NumPy's NaN fallback.
 */
function interpolateAt(q: number, j: number, table: EmpiricalCdf): number {
  const fp = table.values;
  const last = fp.length - 1;
  if (j < 0) return fp[0];
  const xj = quantile(table, j);
  if (j >= last || xj === q) return fp[j];
  const xNext = quantile(table, j + 1);
  const slope = (fp[j + 1] - fp[j]) / (xNext - xj);
  let result = slope * (q - xj) + fp[j];
  if (Number.isNaN(result)) {
    result = slope * (q - xNext) + fp[j + 1];
    if (Number.isNaN(result) && fp[j] === fp[j + 1]) result = fp[j];
  }
  return result;
}

function quantile(cdf: EmpiricalCdf, k: number): number {
  return cdf.cumulativeCounts[k] / cdf.total;
}

function empiricalCdf(data: Float32Array, what: string): EmpiricalCdf {
  const sorted = data.slice().sort();
  if (Number.isNaN(sorted[sorted.length - 1])) throw new RangeError(`histogram matching: the ${what} contains NaN`);
  // Compact the sorted copy to its distinct values in place; `===` merges -0 and +0 as NumPy's unique does.
  const cumulativeCounts = new Uint32Array(sorted.length);
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (distinct === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i];
    cumulativeCounts[distinct - 1] = i + 1;
  }
  return {
    values: sorted.subarray(0, distinct),
    cumulativeCounts: cumulativeCounts.subarray(0, distinct),
    total: sorted.length,
  };
}

/** Position of `value` in the sorted distinct `values` (it is known to be present). */
function indexOfValue(values: Float32Array, value: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
