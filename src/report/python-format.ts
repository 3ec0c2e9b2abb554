/**
 * Numbers printed as the published (Python) program prints them, for the outputs that mirror it: file names,
 * the log, the ChimeraX script. JavaScript's `toFixed` and Python's `f'{x:.Nf}'` both round the exact binary
 * value, but break an exact tie differently: `toFixed` away from zero, Python to even. Ties are common in what
 * these outputs print (0.125, a voxel size of 1.125 Å, a power of 2.25), so `(0.125).toFixed(2)` is `0.13`
 * where the reference writes `0.12`, and `-am 2.25` would name a map `ampl_2.3_…` instead of `ampl_2.2_…`.
 */

/** Python's `f'{value:.{digits}f}'` for a finite value (`digits` 0–100): exact ties go to the even digit. */
export function fixedLikePython(value: number, digits: number): string {
  if (Math.abs(value) >= 1e21) {
    // toFixed switches to exponent notation here; Python writes every digit (such a double is an integer).
    return `${BigInt(value).toString()}${digits > 0 ? '.' + '0'.repeat(digits) : ''}`;
  }
  const text = value.toFixed(digits);
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const rounded = tieRoundedToEven(Math.abs(value), digits);
  if (rounded === undefined) return Object.is(value, -0) ? `-${text}` : text;
  const units = rounded.toString().padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${units}` : `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

/**
 * When `magnitude × 10^digits` lies exactly halfway between two integers, the even one of them (as a BigInt);
 * otherwise undefined (then `toFixed` rounds as Python does). Exact: the double is taken apart into its integer
 * significand and power of two.
 */
function tieRoundedToEven(magnitude: number, digits: number): bigint | undefined {
  if (!Number.isFinite(magnitude) || magnitude === 0) return undefined;
  const bits = new DataView(new Float64Array([magnitude]).buffer);
  const high = bits.getUint32(4, true);
  const low = bits.getUint32(0, true);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  const significand = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075; // magnitude = significand × 2^exponent
  if (exponent >= 0) return undefined; // an integer: no tie
  const denominator = 1n << BigInt(-exponent);
  const numerator = significand * 10n ** BigInt(digits);
  if (2n * (numerator % denominator) !== denominator) return undefined;
  const below = numerator / denominator;
  return below % 2n === 0n ? below : below + 1n;
}

/**
 * Python's `repr` of a float (how the reference prints levels and ranges): the shortest digits that read back
 * to the same double, in exponent notation below 1e-4 and from 1e16 on (`1e-05`, `1.5e+16`), otherwise
 * positional with `.0` on integers (`2.0`, `-0.0`).
 */
export function reprLikePython(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [digits, power] = value.toExponential().split('e');
  const exponent = Number(power);
  if (exponent < -4 || exponent >= 16) return `${digits}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  // Between 1e-4 and 1e16 JavaScript too writes the shortest digits positionally.
  return Number.isInteger(value) ? `${value}.0` : String(value);
}
