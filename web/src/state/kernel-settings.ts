/**
 * The settings panel's arithmetic: what the core will use for the opened map (METHOD.md §2, §4), and which
 * settings follow from which, so editing one recomputes those that depend on it.
 *
 * Dependencies (§4): the processing voxel size follows from the max box; the input low-pass from the
 * resolution and voxel size; kernel size and radius from the low-pass; the sample count n_v from the kernel
 * and tau from n_v; the tile size from the processing box. A value the user typed stays as typed until a
 * setting it depends on changes; then it is computed again.
 */
import { deriveSettings, processingGrid, type EstimationSettings } from '../../../src/core/settings.js';
import { evenCubeEdge } from '../../../src/core/box.js';
import type { KernelOverrides } from './form.js';

export type KernelField = keyof KernelOverrides | 'maxBox';

const DEPENDENTS: Record<KernelField, (keyof KernelOverrides)[]> = {
  maxBox: ['kernelSize', 'kernelRadius', 'tau', 'tileSize'],
  resolution: ['kernelSize', 'kernelRadius', 'tau'],
  lowpass: ['kernelSize', 'kernelRadius', 'tau'],
  kernelSize: ['tau'],
  kernelRadius: ['tau'],
  tau: [],
  tileSize: [],
};

/** The settings computed again when `field` is set (a value typed in them is dropped). */
export function kernelDependents(field: KernelField): readonly (keyof KernelOverrides)[] {
  return DEPENDENTS[field];
}

/** The overrides after the user set `field` to `value` (undefined: back to computed). */
export function editKernelSetting(overrides: KernelOverrides, field: KernelField, value: number | undefined): KernelOverrides {
  const next: KernelOverrides = { ...overrides };
  for (const dependent of DEPENDENTS[field]) delete next[dependent];
  if (field !== 'maxBox') {
    if (value === undefined) delete next[field];
    else next[field] = value;
  }
  return next;
}

export interface ProcessingGeometry {
  processingBox: number;
  processingVoxelSize: number;
  downscaled: boolean;
}

/**
 * §2: maps larger than the max box are Fourier-cropped to it, and the voxel grows accordingly: the core's own
 * `processingGrid`, so the settings shown are exactly those it will use. `inputBox` is the edge of the even cube
 * the map runs in (the map's own edge for an even cube).
 */
export function processingGeometry(inputBox: number, inputVoxelSize: number, maxBox: number): ProcessingGeometry {
  const { downscaled, box, voxelSize } = processingGrid(inputBox, inputVoxelSize, maxBox);
  return { downscaled, processingBox: box, processingVoxelSize: voxelSize };
}

export interface KernelSettingsView extends ProcessingGeometry {
  settings: EstimationSettings;
}

/**
 * The settings the core will derive for a map of this shape (file order) and voxel size, given the user's
 * overrides. Any box runs embedded in the smallest even cube that holds it (core/pipeline/any-box.ts).
 */
export function kernelSettingsFor(shape: readonly number[], inputVoxelSize: number, maxBox: number, overrides: KernelOverrides): KernelSettingsView {
  const geometry = processingGeometry(evenCubeEdge(shape), inputVoxelSize, maxBox);
  return { ...geometry, settings: deriveSettings(geometry.processingVoxelSize, geometry.processingBox, overrides) };
}
