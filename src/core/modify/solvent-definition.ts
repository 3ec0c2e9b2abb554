/**
 * The GUI's "scale as solvent definition" tool, on the core level: a binary mask from a threshold on the
 * scale, usable as `--solvent-def`.
 *
 * The reference GUI (`generate_soldef_from_scale`) first resamples the scale map to the input's box when the
 * sizes differ — with its Fourier resample *without* `square=True`, i.e. with the spherical window of the
 * low-pass applied as well (METHOD.md §3 step 4) — and thresholds afterwards. Resampling is the caller's job.
 */

/**
 * 1 where `S > threshold` (strict, compared in float32 as NumPy does for a float32 map and a Python float),
 * else 0. The GUI's threshold is its slider value / 100.
 */
export function solventDefinitionFromScale(scale: Float32Array, threshold: number): Float32Array {
  if (Number.isNaN(threshold)) throw new RangeError('solvent-definition threshold must be a number');
  const limit = Math.fround(threshold);
  const mask = new Float32Array(scale.length);
  for (let i = 0; i < scale.length; i++) mask[i] = scale[i] > limit ? 1 : 0;
  return mask;
}
