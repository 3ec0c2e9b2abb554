/**
 * The GUI's "Generate subtraction mask" tool, on the core level: per voxel, the fraction of density an
 * attenuating modification keeps, for signal subtraction in e.g. RELION. It can only remove density, so it
 * is defined for attenuate and sigmoid (the sigmoid's amplifying part above the pivot is cut to 1).
 *
 * As the reference GUI (`generate_subtraction_mask`): a table of `N = 1000` entries on
 * `x = linspace(0, 1, 1000)`, looked up at index `int(S * 999)` (float32 product, truncated) — a floor lookup,
 * unlike the modification's `int(S * 100 − 1)`; no `--scale-limit` threshold and no confidence. The
 * reference writes the mask on the scale's grid (its own TODO notes that the input box is wanted);
 * resampling to the input box is the caller's job.
 */
import { linspaceFloat32, sigmoidCurve } from './sigmoid.js';

export const SUBTRACTION_TABLE_POINTS = 1000;

export type SubtractionSettings =
  | { kind: 'attenuate'; power: number }
  | { kind: 'sigmoid'; power: number; pivot: number };

/**
 * The lookup table:
 * - attenuate: `clip(x^(g − 1), 0, 1)` with `x = i / 999` in double precision (then float32);
 * - sigmoid: the float32 sigmoid table `y` on 1000 points divided by `x` below the pivot (entries
 *   `1 … int(1000 p) − 1`), 0 at entry 0, 1 from entry `int(1000 p)` on, clipped to [0, 1].
 */
export function subtractionTable(settings: SubtractionSettings): Float32Array {
  const n = SUBTRACTION_TABLE_POINTS;
  if (!(settings.power >= 1)) throw new RangeError(`subtraction-mask power must be >= 1, got ${settings.power}`);
  const table = new Float32Array(n);
  if (settings.kind === 'attenuate') {
    const step = 1 / (n - 1);
    const exponent = settings.power - 1;
    for (let i = 0; i < n; i++) {
      const x = i === n - 1 ? 1 : i * step;
      table[i] = clipUnit(Math.pow(x, exponent));
    }
    return table;
  }
  const x = linspaceFloat32(n);
  const y = sigmoidCurve(settings.power, settings.pivot, n);
  const pivotIndex = Math.trunc(n * settings.pivot);
  for (let i = 0; i < n; i++) {
    if (i === 0) table[i] = 0;
    else if (i >= pivotIndex) table[i] = 1;
    else table[i] = clipUnit(Math.fround(y[i] / x[i]));
  }
  return table;
}

/** Table index of a scale value: `int(S * 999)` in float32, clamped to the table. */
export function subtractionTableIndex(scale: number): number {
  const last = SUBTRACTION_TABLE_POINTS - 1;
  const index = Math.trunc(Math.fround(scale * last));
  return index < 0 ? 0 : index > last ? last : index;
}

/** The subtraction mask: `table[int(S * 999)]` per voxel, values in [0, 1]. */
export function subtractionMask(scale: Float32Array, settings: SubtractionSettings): Float32Array {
  const table = subtractionTable(settings);
  const mask = new Float32Array(scale.length);
  for (let i = 0; i < scale.length; i++) mask[i] = table[subtractionTableIndex(scale[i])];
  return mask;
}

function clipUnit(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
