/**
 * Every parallel kernel of the core, by name: what a worker thread imports to run the parts it is handed.
 * A kernel passed to `runParts` that is missing here fails in the worker with a clear message (and the unit
 * test of this list checks the names are unique).
 */
import type { ParallelKernel } from './pool.js';
import { takeParts, type RunMessage } from './protocol.js';
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

/**
 * What a worker does with a step its pool posts: takes the step's parts until none are left (the parts of a
 * kernel missing from the list fail, and the caller's `awaitParts` throws with the message).
 */
export function workOnStep(message: RunMessage): void {
  const kernel = kernelByName(message.kernel);
  takeParts(
    (part) => {
      if (!kernel) throw new Error(`no parallel kernel named ${message.kernel} (add it to src/core/parallel/kernels.ts)`);
      kernel.run(message.args as never, part);
    },
    message.parts,
    message.control,
    message.error,
  );
}
