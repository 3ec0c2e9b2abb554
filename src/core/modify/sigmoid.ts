/**
 * Sigmoid modification (METHOD.md §9, `--sigmoid g --pivot p`): attenuates scales below the pivot and
 * amplifies those above it, leaving `S = p` where it is.
 *
 * The curve is `y(x) = 1 / (1 + (mu (1 − x) / (x (1 − mu)))^g)` with `mu` chosen so that `y(p) = p`. The
 * reference tabulates it on `x = linspace(0, 1, points)` (in float32: `x` is cast to float32 and NumPy keeps
 * float32 when a Python float meets a float32 array, so `mu`, `1 − mu` and `g` are rounded to float32 and
 * every operation is a float32 operation); that arithmetic is reproduced here with `Math.fround`.
 */
import { simdSigmoid } from './simd-kernels.js';

const f32 = Math.fround;

/** Points of the table the modification looks the scale up in (the reference's `n = 100`). */
export const SIGMOID_TABLE_POINTS = 100;

/**
 * The sigmoid's midpoint `mu` (where `y = 1/2`) that makes the curve pass through `(pivot, pivot)`:
 * `k = (1/p − 1)^(−1/g) · (1 − p)/p`, `mu = 1 / (1 + k)` (double precision, as the reference).
 */
export function sigmoidMidpoint(power: number, pivot: number): number {
  checkSigmoidSettings(power, pivot);
  const k = Math.pow(1 / pivot - 1, -1 / power) * ((1 - pivot) / pivot);
  return 1 / (1 + k);
}

/**
 * The sigmoid table `y[i]` at `x[i] = i / (points − 1)`: `y[0] = 0`, clipped to [0, 1], then made
 * non-decreasing by a running maximum. `power = 1` gives `y = x` (up to float32 rounding).
 */
export function sigmoidCurve(power: number, pivot: number, points: number = SIGMOID_TABLE_POINTS): Float32Array {
  if (!Number.isInteger(points) || points < 2) throw new RangeError(`sigmoid table needs >= 2 points, got ${points}`);
  const mu = sigmoidMidpoint(power, pivot);
  const mu32 = f32(mu);
  const oneMinusMu32 = f32(1 - mu);
  const power32 = f32(power);
  const x = linspaceFloat32(points);
  const y = new Float32Array(points);
  for (let i = 1; i < points; i++) {
    const ratio = f32(f32(mu32 * f32(1 - x[i])) / f32(x[i] * oneMinusMu32));
    const raised = f32(Math.pow(ratio, power32));
    const value = f32(1 / f32(raised + 1));
    y[i] = value < 0 ? 0 : value > 1 ? 1 : value;
  }
  y[0] = 0;
  for (let i = 1; i < points; i++) if (y[i] < y[i - 1]) y[i] = y[i - 1];
  return y;
}

/**
 * `numpy.linspace(0, 1, points).astype(float32)`: NumPy computes `i * (1 / (points − 1))` in double and sets
 * the last point to exactly 1.
 */
export function linspaceFloat32(points: number): Float32Array {
  const x = new Float32Array(points);
  const step = 1 / (points - 1);
  for (let i = 0; i < points; i++) x[i] = i * step;
  x[points - 1] = 1;
  return x;
}

/**
 * Table index for a scale value: `int(S * points − 1)` evaluated in float32 with truncation towards zero,
 * as the reference. So `S` in (0, 0.01) and [0.01, ~0.02) both read entry 0 (`−0.5` truncates to 0), and
 * `S = p` reads the entry at `x = trunc(100 p − 1) / 99 ≤ p`: the lookup is biased slightly low.
 *
 * **Defect** (kept out): where the float32 product `S * points` rounds so that the index is −1 (`S = 0`, and
 * positive `S` below about 3e−10), the reference reads the *last* entry (`y = 1`), giving a factor `1/S` —
 * an enormous amplification of (near-)zero scale. Indices are clamped to [0, points − 1] here, so such
 * voxels read entry 0 (`y = 0`), in line with the neighbouring scales.
 */
export function sigmoidTableIndex(scale: number, points: number = SIGMOID_TABLE_POINTS): number {
  const index = Math.trunc(f32(f32(scale * points) - 1));
  return index <= 0 ? 0 : index > points - 1 ? points - 1 : index;
}

/**
 * Sigmoid modification factor on the *unthresholded* scale: `y[index(S)] / S` for `S > 0` (float32
 * division, as the reference), and 0 where `S <= 0` (**Defect**: the reference leaves that memory
 * uninitialised). `--scale-limit` does not apply to the sigmoid. Every value of `out` (when given) is written.
 */
export function sigmoidFactor(scale: Float32Array, power: number, pivot: number, out?: Float32Array): Float32Array {
  const table = sigmoidCurve(power, pivot);
  const factor = out ?? new Float32Array(scale.length);
  if (factor.length !== scale.length) throw new RangeError(`factor has ${factor.length} values, the scale ${scale.length}`);
  const voxel = (i: number) => {
    const s = scale[i];
    factor[i] = s > 0 ? table[sigmoidTableIndex(s)] / s : 0;
  };
  if (!simdSigmoid(scale, table, SIGMOID_TABLE_POINTS, factor, voxel)) for (let i = 0; i < scale.length; i++) voxel(i);
  return factor;
}

export function checkSigmoidSettings(power: number, pivot: number): void {
  if (!(power >= 1)) throw new RangeError(`sigmoid power must be >= 1, got ${power}`);
  if (!(pivot > 0 && pivot < 1)) throw new RangeError(`sigmoid pivot must lie strictly between 0 and 1, got ${pivot}`);
}
