/**
 * Local scale (METHOD.md §6.3–6.4, §8): the local maximum normalised by the full scale, clipped to [0, 1].
 */
import { createVolume, cubeEdge, type Volume } from '../volume.js';
import { maximumFilter, maximumFilterNormalised } from '../filters/max-filter.js';
import type { Kernel } from './kernel.js';
import { naiveFullScale, tiledFullScale, type FullScale } from './full-scale.js';
import { tauForSampleCount } from './kernel.js';
import { normaliseAndSumOnes } from '../wasm/scans.js';

export interface LocalScaleOptions {
  kernel: Kernel;
  tau: number;
  tileSize: number;
  /** `--S0`: normalise by `tau * max` instead of the tiled percentile. */
  naive: boolean;
}

export interface LocalScale {
  scale: Volume;
  fullScale: FullScale;
  /** `mean(D[S == 1]) / s_max`: the scale map's contour level in the ChimeraX script. */
  variabilityLimit: number;
}

export function fullScaleOf(volume: Volume, tau: number, tileSize: number, naive: boolean): FullScale {
  return naive ? naiveFullScale(volume.data, tau) : tiledFullScale(volume, tau, tileSize);
}

/**
 * The local scale of `volume`. `progress` is told of its two steps as they start, for timings: `full scale`
 * (the tile search, or tau times the maximum) and `max filter` (the local maximum, normalised).
 */
export function estimateLocalScale(volume: Volume, options: LocalScaleOptions, progress: (step: 'full scale' | 'max filter') => void = () => {}): LocalScale {
  progress('full scale');
  const fullScale = fullScaleOf(volume, options.tau, options.tileSize, options.naive);
  progress('max filter');
  // The filter and the normalisation in one pass where the WebAssembly filter runs (the same numbers).
  const fused = maximumFilterNormalised(volume, options.kernel, Math.fround(fullScale.value), volume.data);
  if (fused) {
    const limit = fused.count > 0 ? fused.sum / fused.count / fullScale.value : NaN;
    return { scale: fused.volume, fullScale, variabilityLimit: limit };
  }
  const localMax = maximumFilter(volume, options.kernel);
  const limit = normaliseInPlace(localMax, volume.data, fullScale.value);
  return { scale: localMax, fullScale, variabilityLimit: limit };
}

/** Maps at least this large go through the WebAssembly kernel (below it, compiling it costs more). */
const KERNEL_MIN_VALUES = 4096;

/**
 * `clip(M / s_max, 0, 1)`, overwriting M, in float32 as the reference: NumPy divides a float32 array by a
 * scalar in float32, casting the scalar first (which matters for `--S0`, whose `tau · max` is a double).
 * Returns the variability limit `mean(D[S == 1]) / s_max` (`values` is D), from the same pass: the float64
 * sum in index order, as a separate loop over the finished scale would take it. The whole vectors go through
 * the WebAssembly kernel (the same operations: src/core/wasm/scans.ts), the rest through the loops below.
 */
function normaliseInPlace(localMax: Volume, values: Float32Array, sMax: number): number {
  const d = localMax.data;
  const divisor = Math.fround(sMax);
  let sum = 0;
  let count = 0;
  let from = 0;
  if (d.length >= KERNEL_MIN_VALUES && divisor > 0 && divisor < Infinity) {
    const done = normaliseAndSumOnes(d, values, divisor);
    if (done) ({ sum, count, done: from } = done);
  }
  for (let i = from; i < d.length; i++) {
    const s = d[i] / divisor;
    d[i] = s < 0 ? 0 : s > 1 ? 1 : s;
  }
  for (let i = from; i < d.length; i++) {
    if (d[i] === 1) {
      sum += values[i];
      count++;
    }
  }
  return count > 0 ? sum / count / sMax : NaN;
}

/**
 * Noise-level re-calibration (`--nlrc`): moves the zero of the scale to the confidence limit, so that the
 * solvent noise level reads as zero scale.
 */
export function recalibrateToNoiseLevel(scale: Volume, confidenceLimit: number): Volume {
  const out = createVolume(scale.nz, scale.ny, scale.nx);
  // float32 throughout, as NumPy computes a float32 array with double scalars.
  const limit = Math.fround(confidenceLimit);
  const span = Math.fround(1 - confidenceLimit);
  for (let i = 0; i < out.data.length; i++) {
    const s = Math.fround(scale.data[i] - limit) / span;
    out.data[i] = s < 0 ? 0 : s > 1 ? 1 : s;
  }
  return out;
}

export function recalibrateValue(value: number, confidenceLimit: number): number {
  return Math.min(1, Math.max(0, (value - confidenceLimit) / (1 - confidenceLimit)));
}

export interface TargetedOccupancy {
  occupancy: number;
  tau: number;
  /** Voxels in the target mask (`n_spec`). */
  voxelCount: number;
  fullScale: number;
}

/**
 * Tile edge of the full scale recomputed for a target mask. The reference recomputes `s_max` by calling its
 * scale estimator with only the map, kernel and `tau_t`, so the estimator's own defaults apply: the tiled
 * percentile (never `--S0`) with tiles of 12 voxels, whatever `--tile-size` or the box-derived default is.
 * (METHOD.md §8 says only "recompute s_max (§6.2) with tau_t"; the reference's printed targeted occupancy for
 * the 64-voxel fixture, 0.485, is reproduced with 12-voxel tiles and not with the 3-voxel tiles of §4.)
 */
export const TARGET_TILE_SIZE = 12;

/**
 * Occupancy of a user-given region (`--target-mask`, §8): the largest value of the estimation map where the
 * mask is above 0.5, divided by a full scale recomputed with the tau that suits a kernel the size of the region
 * (`tau_t = tau(n_t)`), tiled with `TARGET_TILE_SIZE`-voxel tiles (clipped to the box), as the reference does.
 * `confidenceLimit` applies the noise-level re-calibration (`--nlrc`) to the result.
 */
export function targetedOccupancy(
  volume: Volume,
  mask: Float32Array,
  options: { confidenceLimit?: number } = {},
): TargetedOccupancy {
  if (mask.length !== volume.data.length) throw new RangeError('target mask and map differ in size');
  let count = 0;
  let max = -Infinity;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] > 0.5) {
      count++;
      if (volume.data[i] > max) max = volume.data[i];
    }
  }
  if (count === 0) throw new RangeError('the target mask has no voxel above 0.5');
  const tau = tauForSampleCount(count);
  const tileSize = Math.min(TARGET_TILE_SIZE, cubeEdge(volume));
  const fullScale = tiledFullScale(volume, tau, tileSize).value;
  let occupancy = max / fullScale;
  if (options.confidenceLimit !== undefined) occupancy = recalibrateValue(occupancy, options.confidenceLimit);
  return { occupancy, tau, voxelCount: count, fullScale };
}
