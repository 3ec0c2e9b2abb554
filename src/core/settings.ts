/**
 * Settings derived from the input (METHOD.md §2, §4): the grid estimation runs on, input low-pass, kernel, tau
 * and tile size.
 *
 * The reference computes these in single precision (the voxel size comes from the float32 MRC header and the
 * low-pass is cast to float32), and `floor(lp / apix)` can land on the other side of an integer in double
 * precision, so the arithmetic here is rounded to float32 at the same points.
 */
import { sphericalKernel, tauForSampleCount, type Kernel } from './scale/kernel.js';

/**
 * The grid estimation runs on (§2): the cube's own, or `maxBox` voxels across when the cube is larger, with the
 * voxel size scaled to keep the box's extent (in float32 steps, as the reference).
 */
export function processingGrid(cubeEdge: number, inputVoxelSize: number, maxBox: number): { downscaled: boolean; box: number; voxelSize: number } {
  const f = Math.fround;
  const downscaled = cubeEdge > maxBox;
  return downscaled
    ? { downscaled, box: maxBox, voxelSize: f(f(f(inputVoxelSize) * cubeEdge) / maxBox) }
    : { downscaled, box: cubeEdge, voxelSize: f(inputVoxelSize) };
}

export interface SettingsRequest {
  /** `--lowpass` (Å). */
  lowpass?: number;
  /** `--resolution` (Å). */
  resolution?: number;
  kernelSize?: number;
  kernelRadius?: number;
  tau?: number;
  tileSize?: number;
}

export interface EstimationSettings {
  /** Input low-pass (Å), `lp`. */
  lowpass: number;
  kernel: Kernel;
  /** Tau actually used (given or recommended). */
  tau: number;
  /** Tau recommended for the kernel's sample count. */
  recommendedTau: number;
  tauGiven: boolean;
  tileSize: number;
  /** Human-readable warnings (§4: small kernel, small radius; unused resolution). */
  warnings: string[];
  /** True when a kernel warning was raised: the solvent-model warning then mentions it. */
  kernelWarning: boolean;
}

const f32 = Math.fround;

/** Input low-pass (§4), including this project's fix for `--resolution` alone (the reference crashes). */
export function inputLowpass(voxelSize: number, request: Pick<SettingsRequest, 'lowpass' | 'resolution'>): {
  lowpass: number;
  warning?: string;
} {
  const { lowpass, resolution } = request;
  if (lowpass === undefined) {
    if (resolution === undefined) return { lowpass: f32(Math.max(f32(3 * f32(voxelSize)), 8.0)) };
    return { lowpass: f32(resolution) };
  }
  if (resolution === undefined) return { lowpass: f32(lowpass) };
  const warning =
    resolution < lowpass && resolution > 0
      ? `the --resolution value (${resolution}) is not used, since --lowpass (${lowpass}) is greater`
      : undefined;
  return { lowpass: f32(Math.max(lowpass, resolution)), warning };
}

/** Default kernel edge: voxels across the low-pass resolution, made odd, clipped to [3, 9]. */
export function defaultKernelSize(lowpass: number, voxelSize: number): number {
  const k = Math.floor(f32(f32(lowpass) / f32(voxelSize)));
  const odd = 2 * Math.floor(k / 2) + 1;
  return Math.min(9, Math.max(3, odd));
}

/** Default kernel radius (voxels): half the low-pass resolution. */
export function defaultKernelRadius(lowpass: number, voxelSize: number): number {
  return f32(f32(lowpass) / f32(2 * f32(voxelSize)));
}

/**
 * What is wrong with a kernel size for a processing box, or undefined: a local maximum over more than the
 * whole map has no meaning (every voxel would get the map's maximum), and the size is refused before its
 * footprint is built (which grows with its cube).
 */
export function kernelSizeProblem(size: number, processingBox: number): string | undefined {
  return size > processingBox ? `does not fit the ${processingBox}-voxel box estimation runs at (it allows at most ${processingBox})` : undefined;
}

export function defaultTileSize(processingBox: number): number {
  return Math.floor(processingBox / 20);
}

export function deriveSettings(voxelSize: number, processingBox: number, request: SettingsRequest): EstimationSettings {
  const warnings: string[] = [];
  const { lowpass, warning } = inputLowpass(voxelSize, request);
  if (warning) warnings.push(warning);

  const size = request.kernelSize ?? defaultKernelSize(lowpass, voxelSize);
  const radius = request.kernelRadius ?? defaultKernelRadius(lowpass, voxelSize);
  let kernelWarning = false;
  if (size < 5) {
    kernelWarning = true;
    warnings.push(
      `very small kernel size (${size} voxels); this may lead to a bad solvent model. ` +
        `Suggest --kernel-size 5 or more, and/or --lowpass ${Math.trunc(lowpass * 2)} or more`,
    );
  }
  if (radius < size / 4) {
    kernelWarning = true;
    warnings.push(
      `very small kernel radius (${radius.toFixed(2)} voxels); this may lead to a bad solvent model. ` +
        `Suggest --lowpass ${Math.trunc(lowpass * 2)} or more`,
    );
  }
  const kernel = sphericalKernel(size, radius);
  const recommendedTau = tauForSampleCount(kernel.sampleCount);
  return {
    lowpass,
    kernel,
    tau: request.tau ?? recommendedTau,
    recommendedTau,
    tauGiven: request.tau !== undefined,
    tileSize: request.tileSize ?? defaultTileSize(processingBox),
    warnings,
    kernelWarning,
  };
}
