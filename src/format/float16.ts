/**
 * IEEE 754 binary16 ("half precision", MRC mode 12) conversion. Pure; no Node imports.
 *
 * Decoding goes through a 65 536-entry table built on first use (256 KiB), because a half has only that many
 * bit patterns and a table lookup is the cheapest per-voxel decode. Encoding exists for tests and for writers
 * that need it; it rounds to nearest, ties to even, like numpy's `astype(float16)`.
 */

let decodeTable: Float32Array | undefined;

/** The float32 value of every half bit pattern, indexed by the 16-bit pattern. */
export function float16Table(): Float32Array {
  if (!decodeTable) {
    decodeTable = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) decodeTable[bits] = float16BitsToNumber(bits);
  }
  return decodeTable;
}

/** Value of one half given as its 16 bits (sign, 5 exponent bits with bias 15, 10 mantissa bits). */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero and subnormals
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/**
 * The half nearest to `value` (after rounding `value` to float32), as its 16 bits. Ties go to the even pattern;
 * magnitudes at or above 65520 become infinity, NaN becomes the quiet NaN 0x7e00, the sign of zero is kept.
 */
export function numberToFloat16Bits(value: number): number {
  scratchFloat[0] = value;
  const x = scratchBits[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent32 = (x >>> 23) & 0xff;
  const mantissa32 = x & 0x7fffff;
  if (exponent32 === 255) return mantissa32 === 0 ? sign | 0x7c00 : 0x7e00;
  const exponent = exponent32 - 127 + 15;
  if (exponent >= 31) return sign | 0x7c00;
  if (exponent <= 0) {
    // Subnormal half: value = significand * 2^(exponent32 - 150) = half * 2^-24.
    if (exponent < -10) return sign;
    const significand = mantissa32 | 0x800000;
    const shift = 14 - exponent;
    let half = significand >>> shift;
    const remainder = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  // A carry out of the mantissa correctly bumps the exponent (up to infinity at the top).
  let half = (exponent << 10) | (mantissa32 >>> 13);
  const remainder = mantissa32 & 0x1fff;
  if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}
