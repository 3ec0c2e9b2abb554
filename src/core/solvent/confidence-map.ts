/**
 * From the confidence curve to a confidence per voxel (METHOD.md §7.7) and the confidence limit (§7.8).
 */
import { valueRange, type Volume } from '../volume.js';
import { zeroedFloat32Array } from '../buffers.js';
import { simdLookup } from './simd-kernels.js';

const f32 = Math.fround;

/**
 * The curve entry a voxel value takes, exactly as the reference computes it in float32:
 * `q = f32(v / f32(max - min))`, `u = f32(q - f32(min / f32(max - min)))` (its `uniscale_map` divides first
 * and then subtracts the smallest quotient), index `trunc(f32(f32(u * bins) - 1))`. A value in histogram bin
 * `i >= 1` therefore takes entry `i - 1`, and the maximum takes `bins - 1` (or `bins - 2` when `u` rounds just
 * below 1).
 *
 * **Defect fix**: the reference's index is -1 for the minimum (and for values within float32 rounding of it),
 * which NumPy reads as the *last* entry; such indices are 0 here.
 */
export function confidenceIndexer(min: number, max: number, bins: number): (v: number) => number {
  const lo = f32(min);
  const span = f32(f32(max) - lo);
  if (!(span > 0)) throw new RangeError(`the confidence map needs a map with a value range, got [${min}, ${max}]`);
  const offset = f32(lo / span);
  return (v: number) => {
    const u = f32(f32(f32(v) / span) - offset);
    const index = Math.trunc(f32(f32(u * bins) - 1));
    return index < 0 ? 0 : index > bins - 1 ? bins - 1 : index;
  };
}

/**
 * Confidence per voxel: `clip(curve[index(v)], 0, 1)` as float32, over the value range of `L` itself
 * (`range`, when given, must be `valueRange(L.data)`; a caller that has it saves a pass). The loop is
 * `confidenceIndexer` written out (tested equal to it).
 */
export function confidenceMap(L: Volume, curve: ArrayLike<number>, range?: readonly [number, number]): Volume {
  const bins = curve.length;
  const [min, max] = range ?? valueRange(L.data);
  confidenceIndexer(min, max, bins); // validates the range
  const table = new Float32Array(bins);
  for (let i = 0; i < bins; i++) table[i] = Math.min(Math.max(curve[i], 0), 1);
  const lo = f32(min);
  const span = f32(f32(max) - lo);
  const offset = f32(lo / span);
  const last = bins - 1;
  const data = L.data;
  const out = zeroedFloat32Array(data.length);
  if (simdLookup(data, out, table, span, offset)) return { data: out, nz: L.nz, ny: L.ny, nx: L.nx };
  for (let i = 0; i < data.length; i++) {
    const u = f32(f32(data[i] / span) - offset);
    const index = Math.trunc(f32(f32(u * bins) - 1));
    out[i] = table[index < 0 ? 0 : index > last ? last : index];
  }
  return { data: out, nz: L.nz, ny: L.ny, nx: L.nx };
}

export interface ConfidenceLimit {
  /** `idx = bins - count(r > 0.5)`. */
  readonly index: number;
  /** `E[idx]`, in map units; the caller divides by `s_max` for the logged "Primary conf. limit". */
  readonly value: number;
  /** `idx / bins > 0.5`: the solvent model is probably bad. */
  readonly modelIsBad: boolean;
}

/** METHOD.md §7.8 on the final curve (after the hedge) and the all-voxel histogram's edges. */
export function confidenceLimit(curve: ArrayLike<number>, edges: ArrayLike<number>): ConfidenceLimit {
  const bins = curve.length;
  if (edges.length !== bins + 1) throw new RangeError('the confidence limit needs bins + 1 edges');
  let confident = 0;
  for (let i = 0; i < bins; i++) if (curve[i] > 0.5) confident++;
  const index = bins - confident;
  return { index, value: edges[index], modelIsBad: index / bins > 0.5 };
}
