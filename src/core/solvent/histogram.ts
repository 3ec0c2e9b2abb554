/**
 * Equal-width value histograms as NumPy builds them with `np.histogram(data, bins, density=True)` for float32
 * data, so that every voxel lands in the bin the reference put it in (METHOD.md §7.2, §7.6).
 *
 * NumPy conventions reproduced — those of NumPy 1.x, which the reference fixtures were made with (below):
 * - range `[min, max]` of the values; a constant input is widened to `[v - 0.5, v + 0.5]`;
 * - the `bins + 1` edges are float32 (the data's type): `np.linspace(min, max, bins + 1)` is evaluated in
 *   float64, `E[i] = f32(i * step + min)` with `step = (max - min) / bins` in float64, `E[bins] = max`
 *   exactly, and then cast to float32;
 * - bin `i` holds `E[i] <= v < E[i+1]`; the last bin is closed on the right (the maximum lands in it). NumPy
 *   first estimates the index arithmetically and then corrects it against the edges, so the edges decide;
 * - density: `count[i] / width[i] / N`, with `width[i] = E[i+1] - E[i]` evaluated in float32 (the widths
 *   differ in the last bits) and then divided in float64.
 *
 * Why NumPy 1.x: NumPy 2 evaluates that `linspace` in float32 (NEP 50 keeps the float32 scalars' type), which
 * moves some edges by one float32 ulp. The confidence curve is hypersensitive to its histogram (METHOD.md §7.6:
 * the monotone pass carries a slope), and with a bit-identical low-passed map (../fourier/single) only the
 * NumPy 1.x edges reproduce the reference's confidence for the `occ64-params` fixture (NumPy 2 edges: 99.49 %
 * of voxels within 0.03, the tolerance asks 99.5 %; NumPy 1.x edges: all within 5e-5).
 */

import { simdCounts, simdRange, type Selection } from './simd-kernels.js';

const f32 = Math.fround;

export interface Histogram {
  /** Densities, `bins` of them (integrate to 1 over the edges). */
  readonly heights: Float64Array;
  /** `bins + 1` float32 edges, held as float64 for convenience (each value is exactly a float32). */
  readonly edges: Float64Array;
  /** Voxel counts per bin. */
  readonly counts: Float64Array;
  /** Number of values histogrammed. */
  readonly total: number;
}

/**
 * `np.linspace(start, stop, num)` as NumPy 1.x evaluates it for float32 scalar endpoints: in float64,
 * `y[i] = i * step + start` with `step = (stop - start) / (num - 1)`, and the last point set to `stop`.
 * (The reference's solvent fit domain `np.linspace(low, high, 1000)` is this, in float64.)
 */
export function float64Linspace(start: number, stop: number, num: number): Float64Array {
  if (!Number.isInteger(num) || num < 1) throw new RangeError(`linspace needs a positive number of points, got ${num}`);
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/**
 * The float32 histogram edges: `float64Linspace(start, stop, num)` of the float32 endpoints, each rounded to
 * float32 (NumPy 1.x's `np.linspace(..., dtype=float32)`). Returned as float64 values that are all
 * float32-representable.
 */
export function float32Linspace(start: number, stop: number, num: number): Float64Array {
  const out = float64Linspace(f32(start), f32(stop), num);
  for (let i = 0; i < num; i++) out[i] = f32(out[i]);
  return out;
}

/**
 * Which voxels a histogram takes: all of them (absent / null), those where a mask is non-zero, or row spans —
 * for each row `r` of `rowLength` values, the values `[start[r], end[r])` of it (an empty span when
 * `end <= start`). Spans describe a convex region such as the central sphere without a voxel mask.
 */
export type HistogramRegion = Uint8Array | RowSpans;

export interface RowSpans {
  readonly rowLength: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

function isSpans(region: HistogramRegion | null | undefined): region is RowSpans {
  return region !== null && region !== undefined && !(region instanceof Uint8Array);
}

/** Number of values a region selects out of `length`. */
function checkRegion(region: HistogramRegion | null, length: number): void {
  if (!region) return;
  if (isSpans(region)) {
    if (region.start.length !== region.end.length || region.start.length * region.rowLength !== length) {
      throw new RangeError(`row spans cover ${region.start.length} rows of ${region.rowLength}, the values ${length}`);
    }
    for (let r = 0; r < region.start.length; r++) {
      if (region.end[r] > region.start[r] && (region.start[r] < 0 || region.end[r] > region.rowLength)) {
        throw new RangeError(`row span ${r} [${region.start[r]}, ${region.end[r]}) is outside its row`);
      }
    }
  } else if (region.length !== length) {
    throw new RangeError(`region has ${region.length} entries, the values ${length}`);
  }
}

/** Calls `visit(from, to)` for each run of selected indices (in increasing order). */
function forEachRun(length: number, region: HistogramRegion | null, visit: (from: number, to: number) => void): void {
  if (!region) {
    visit(0, length);
  } else if (isSpans(region)) {
    const { rowLength, start, end } = region;
    for (let r = 0; r < start.length; r++) if (end[r] > start[r]) visit(r * rowLength + start[r], r * rowLength + end[r]);
  } else {
    // Runs of a mask: scan for the starts and ends of non-zero stretches.
    let i = 0;
    while (i < length) {
      while (i < length && region[i] === 0) i++;
      const from = i;
      while (i < length && region[i] !== 0) i++;
      if (i > from) visit(from, i);
    }
  }
}

/** A region as the WebAssembly kernels take it (null for everything): its runs, and its row spans if any. */
function selectionOf(length: number, region: HistogramRegion | null): Selection {
  if (!region) return null;
  return { runs: (visit) => forEachRun(length, region, visit), spans: isSpans(region) ? region : undefined };
}

/** `[min, max]` of the selected values (all when `region` is absent). Throws when nothing is selected. */
export function selectedRange(values: ArrayLike<number>, region?: HistogramRegion | null): [number, number] {
  checkRegion(region ?? null, values.length);
  if (values instanceof Float32Array) {
    const r = simdRange(values, selectionOf(values.length, region ?? null));
    if (r) {
      if (r.nan) throw new RangeError('cannot histogram NaN values');
      if (!r.any) throw new RangeError('cannot histogram an empty selection');
      if (!Number.isFinite(r.lo) || !Number.isFinite(r.hi)) throw new RangeError('cannot histogram infinite values');
      return [r.lo, r.hi];
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  let any = false;
  let nan = false;
  forEachRun(values.length, region ?? null, (from, to) => {
    if (to > from) any = true;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (v !== v) nan = true;
    }
  });
  if (nan) throw new RangeError('cannot histogram NaN values');
  if (!any) throw new RangeError('cannot histogram an empty selection');
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError('cannot histogram infinite values');
  return [lo, hi];
}

/**
 * The NumPy bin of `v` for float32 edges `edges` (length bins + 1): the largest `i < bins` with
 * `edges[i] <= v`. Values outside `[edges[0], edges[bins]]` are the caller's problem (return -1 / bins).
 * `guess` is a nearly right index; it is corrected against the edges, which decide.
 */
export function binOf(v: number, edges: Float64Array, guess: number): number {
  const bins = edges.length - 1;
  if (v < edges[0]) return -1;
  if (v > edges[bins]) return bins;
  let i = Math.min(Math.max(guess, 0), bins - 1);
  while (i > 0 && v < edges[i]) i--;
  while (i < bins - 1 && v >= edges[i + 1]) i++;
  return i;
}

/**
 * Adds the bins of `values[from..to)` to `counts` (the loop of `densityHistogram`: NumPy's estimate, then the
 * edges decide, exactly as `binOf`). Values must lie within `[edges[0], edges[bins]]`, which holds for the
 * values the range was taken from.
 */
function countRun(values: ArrayLike<number>, from: number, to: number, lo: number, span: number, edges: Float64Array, counts: Float64Array): void {
  const bins = counts.length;
  const last = bins - 1;
  for (let j = from; j < to; j++) {
    const v = f32(values[j]);
    let i = Math.trunc(f32(f32(f32(v - lo) / span) * bins));
    if (i > last) i = last;
    else if (i < 0) i = 0;
    while (i > 0 && v < edges[i]) i--;
    while (i < last && v >= edges[i + 1]) i++;
    counts[i]++;
  }
}

/** `countRun` specialised for float32 data (the maps): no rounding of the values needed. */
function countRunFloat32(values: Float32Array, from: number, to: number, lo: number, span: number, edges: Float64Array, counts: Float64Array): void {
  const bins = counts.length;
  const last = bins - 1;
  for (let j = from; j < to; j++) {
    const v = values[j];
    let i = Math.trunc(f32(f32(f32(v - lo) / span) * bins));
    if (i > last) i = last;
    else if (i < 0) i = 0;
    while (i > 0 && v < edges[i]) i--;
    while (i < last && v >= edges[i + 1]) i++;
    counts[i]++;
  }
}

/**
 * Density histogram of `values` (all of them, those where a mask `region` is non-zero, or those in row spans)
 * with `bins` equal bins over the selected values' `[min, max]`, in `np.histogram(..., density=True)` semantics
 * (see the module comment). Values are taken as float32 (the maps are float32). `range`, when given, must be
 * `selectedRange(values, region)` (a caller that has it already saves a pass).
 */
export function densityHistogram(
  values: ArrayLike<number>,
  options: { bins?: number; region?: HistogramRegion | null; range?: readonly [number, number] } = {},
): Histogram {
  const bins = options.bins ?? 1000;
  const region = options.region ?? null;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  checkRegion(region, values.length);
  let [lo, hi] = options.range ?? selectedRange(values, region);
  lo = f32(lo);
  hi = f32(hi);
  if (lo === hi) {
    lo = f32(lo - 0.5);
    hi = f32(hi + 0.5);
  }
  const edges = float32Linspace(lo, hi, bins + 1);
  const counts = new Float64Array(bins);
  // NumPy's arithmetic estimate, f32((v - lo) / (hi - lo)) * bins; the edge comparisons decide.
  const span = f32(hi - lo);
  let total: number | null = null;
  if (values instanceof Float32Array) {
    const tail = (chunk: Float32Array, count: number) => countRunFloat32(chunk, 0, count, lo, span, edges, counts);
    total = simdCounts(values, selectionOf(values.length, region), edges, counts, tail);
  }
  if (total === null) {
    let sum = 0;
    forEachRun(values.length, region, (from, to) => {
      if (values instanceof Float32Array) countRunFloat32(values, from, to, lo, span, edges, counts);
      else countRun(values, from, to, lo, span, edges, counts);
      sum += to - from;
    });
    total = sum;
  }
  const heights = new Float64Array(bins);
  for (let i = 0; i < bins; i++) {
    const width = f32(edges[i + 1] - edges[i]);
    heights[i] = counts[i] / width / total;
  }
  return { heights, edges, counts, total };
}
