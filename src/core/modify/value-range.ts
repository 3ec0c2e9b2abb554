/**
 * The last step of a modified map (METHOD.md §10): bring its values back to the input's range, by clipping
 * (default) or by histogram matching (`--hist-match`).
 */
import { fixedValueRange } from '../volume.js';
import { histogramMatch } from './histogram-match.js';
import { simdClip } from './simd-kernels.js';

/**
 * `numpy.clip(values, lo, hi)`: values below `lo` become `lo`, above `hi` become `hi`; NaN passes through.
 * `out` may be `values` itself (in place). Unlike the reference, which asserts `lo < hi`, a constant range
 * (`lo == hi`, e.g. a constant input map) is accepted.
 */
export function clipToRange(
  values: Float32Array,
  range: readonly [number, number],
  out: Float32Array = new Float32Array(values.length),
): Float32Array {
  const [lo, hi] = range;
  if (!(lo <= hi)) throw new RangeError(`clip range [${lo}, ${hi}] is empty or not numeric`);
  if (out.length !== values.length) throw new RangeError(`output has ${out.length} values, the map ${values.length}`);
  if (Math.fround(lo) === lo && Math.fround(hi) === hi && simdClip(values, lo, hi, out)) return out;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}

/**
 * §10's final step for a modified map already back at the input's box: histogram-match to `original` (the
 * input map as read, at its own size) when `histMatch`, else clip to `range_ori = [min, max]` of `original`
 * (given as the map, or as its range alone).
 * The reference does one or the other, never both.
 *
 * Clipping overwrites `values` (the callers pass a map they have just made) and returns it; histogram
 * matching returns a new array. The range of `original` is computed once per array and remembered (the
 * input map is read-only: `fixedValueRange`), since a run with several modifications asks for it once per map.
 */
export function restoreValueRange(values: Float32Array, original: ValueReference, histMatch: boolean): Float32Array {
  if (!(original instanceof Float32Array)) {
    if (histMatch) throw new RangeError('histogram matching needs the map itself, not its value range');
    return clipToRange(values, original.valueRange, values);
  }
  // In place either way: matching reads the values only to sort them, before it writes any.
  return histMatch ? histogramMatch(values, original, values) : clipToRange(values, fixedValueRange(original), values);
}

/** A map's value range alone: all that is left of a map down-sampled as it was read. */
export interface ValueRangeOnly {
  valueRange: readonly [number, number];
}

/** What §10's last step needs of the input: the map as read, or, without histogram matching, its range alone. */
export type ValueReference = Float32Array | ValueRangeOnly;

/** The input's [min, max] (remembered for a map: `fixedValueRange`). */
export function rangeOfReference(original: ValueReference): readonly [number, number] {
  return original instanceof Float32Array ? fixedValueRange(original) : original.valueRange;
}
