/**
 * Power-law modification factors (METHOD.md §9): amplify and attenuate, on the thresholded scale.
 *
 * The reference holds the scale in float32 and raises it with a Python-float exponent, which NumPy casts to
 * float32 before a float32 power; the threshold comparison `S > scale_limit` likewise happens in float32. Both
 * are reproduced here (`Math.fround` at the same points), so a voxel whose scale equals `fround(0.05)` is left
 * unmodified, as in the reference.
 */

const f32 = Math.fround;

/** Marks a voxel as "do not modify" in the thresholded scale; its factor is `|-1|^e = 1`. */
export const UNMODIFIED_SCALE = -1;

/**
 * Thresholded scale `Z`: `S` where `S > scaleLimit` (compared in float32), else `-1`.
 * `out` may be `scale` itself.
 */
export function thresholdScale(
  scale: Float32Array,
  scaleLimit: number,
  out: Float32Array = new Float32Array(scale.length),
): Float32Array {
  checkLength(scale, out);
  const limit = f32(scaleLimit);
  for (let i = 0; i < scale.length; i++) {
    const s = scale[i];
    out[i] = s > limit ? s : UNMODIFIED_SCALE;
  }
  return out;
}

/**
 * Amplification factor `|Z|^(1/g − 1)` (`--amplify g`): lifts a partial scale `S` to `S^(1/g)`.
 * `g = 1` is the identity; `g = Infinity` lifts every modified voxel to full scale (factor `1/S`).
 *
 * `scaleLimit` must be ≥ 0: the threshold is what keeps `S = 0` (infinite amplification) unmodified.
 */
export function amplificationFactor(scale: Float32Array, power: number, scaleLimit: number, out?: Float32Array): Float32Array {
  checkPower(power, 'amplification');
  if (!(scaleLimit >= 0)) {
    throw new RangeError(`scale limit for amplification must be >= 0 (S = 0 cannot be amplified), got ${scaleLimit}`);
  }
  return thresholdedPower(scale, f32(1 / power - 1), scaleLimit, out);
}

/**
 * Attenuation factor `|Z|^(g − 1)` (`--attenuate g`): lowers a partial scale `S` to `S^g`; voxels at full
 * scale keep factor 1. `g = 1` is the identity.
 */
export function attenuationFactor(scale: Float32Array, power: number, scaleLimit: number, out?: Float32Array): Float32Array {
  checkPower(power, 'attenuation');
  if (Number.isNaN(scaleLimit)) throw new RangeError('scale limit must be a number');
  return thresholdedPower(scale, f32(power - 1), scaleLimit, out);
}

/**
 * `S > limit ? |S|^exponent : 1` per voxel, in float32.
 *
 * `Math.pow` with a fractional exponent costs ~70 ns here, and a scale map has few distinct values (the local
 * maximum repeats one value over a footprint's neighbourhood: ~2.7 M distinct of 16.7 M voxels at 256³), so
 * results are memoised in a small direct-mapped table keyed by the float32 bits of S. A hit returns the value
 * computed earlier for the very same S, so the result is identical to computing every voxel. Every value of
 * `out` (when given) is written.
 */
function thresholdedPower(scale: Float32Array, exponent: number, scaleLimit: number, out?: Float32Array): Float32Array {
  const limit = f32(scaleLimit);
  const factor = out ?? new Float32Array(scale.length);
  checkLength(scale, factor);
  const bits = new Int32Array(scale.buffer, scale.byteOffset, scale.length);
  const keys = new Int32Array(MEMO_SIZE);
  const values = new Float32Array(MEMO_SIZE);
  // Key 0 is +0.0, which is never above a limit >= 0; for a negative limit, +0.0 must not hit an empty slot.
  const empty = limit < 0 ? -1 : 0;
  if (empty !== 0) keys.fill(empty);
  for (let i = 0; i < scale.length; i++) {
    const s = scale[i];
    if (!(s > limit)) {
      factor[i] = 1;
      continue;
    }
    const b = bits[i];
    const slot = Math.imul(b, 0x9e3779b1) >>> MEMO_SHIFT;
    if (keys[slot] === b && b !== empty) {
      factor[i] = values[slot];
    } else {
      const v = Math.pow(Math.abs(s), exponent);
      keys[slot] = b;
      values[slot] = v;
      factor[i] = v;
    }
  }
  return factor;
}

/** Entries of the power memo (2^16: 512 KB, stays in the L2 cache). */
const MEMO_SHIFT = 16;
const MEMO_SIZE = 2 ** (32 - MEMO_SHIFT);

function checkPower(power: number, what: string): void {
  if (!(power >= 1)) throw new RangeError(`${what} power must be >= 1, got ${power}`);
}

function checkLength(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length) throw new RangeError(`array lengths differ: ${a.length} and ${b.length}`);
}
