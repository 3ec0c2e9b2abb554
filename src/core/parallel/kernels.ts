/**
 * Every parallel kernel of the core, by name: what a worker thread imports to run the parts it is handed.
 * A kernel passed to `runParts` that is missing here fails in the worker with a clear message (and the unit
 * test of this list checks the names are unique).
 */
import type { ParallelKernel } from './pool.js';
import { maxFilterSlabs } from '../filters/max-filter.js';
import {
  forwardColumnsY,
  forwardColumnsZ,
  forwardRows,
  inverseColumnsY,
  inverseColumnsZ,
  inverseRows,
} from '../fourier/single/lowpass-single.js';

export const PARALLEL_KERNELS = [
  maxFilterSlabs,
  forwardRows,
  forwardColumnsZ,
  forwardColumnsY,
  inverseColumnsZ,
  inverseColumnsY,
  inverseRows,
] as unknown as readonly ParallelKernel<never>[];

export function kernelByName(name: string): ParallelKernel<never> | undefined {
  return PARALLEL_KERNELS.find((k) => k.name === name);
}
