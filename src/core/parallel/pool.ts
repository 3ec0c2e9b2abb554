/**
 * Data-parallel loops over threads, behind an interface the core can use without knowing the platform.
 *
 * The core stays synchronous and isomorphic: a parallel step is `runParts(kernel, args, parts)`, which calls
 * `kernel.run(args, part)` for every part in [0, parts) and returns when all are done. With no pool installed
 * (the default, and in tests) the parts simply run in order on the calling thread. A platform installs a pool
 * (Node: worker_threads, src/node/worker-pool.ts; the browser: Web Workers, web/src/worker/parallel-pool.ts)
 * whose threads take parts from a shared counter, the calling thread included, so a slow or late worker only
 * means the others take more parts.
 *
 * Rules for kernels:
 * - a kernel is a named, module-level `ParallelKernel`, listed in ./kernels.ts so that every worker can find it
 *   by name; it must give the same result whichever thread runs which part, and parts must not write to
 *   overlapping memory;
 * - `args` is copied to the workers (structured clone), except typed arrays on a SharedArrayBuffer, which are
 *   shared: anything a kernel writes, and any large input, must live on one (see `sharedFloat32Array`);
 * - the calling thread blocks until all parts are done (`Atomics.wait`, allowed in Node's main thread and in
 *   Web Workers, where the browser app runs the core).
 */
import { zeroedFloat32Array } from '../buffers.js';

/** One parallel step, run on part `part` of `args`. Looked up by `name` in the workers. */
export interface ParallelKernel<A = never> {
  readonly name: string;
  run(args: A, part: number): void;
}

export interface ParallelPool {
  /** Threads that take parts, the calling thread included (so 1 means no parallelism). */
  readonly threads: number;
  /** Runs `kernel` on parts [0, parts) across the threads; returns when all are done, throws if one failed. */
  run<A>(kernel: ParallelKernel<A>, args: A, parts: number): void;
}

let installed: ParallelPool | null = null;

/** Installs (or with null removes) the pool that `runParts` uses. */
export function installParallelPool(pool: ParallelPool | null): void {
  installed = pool;
}

/** Threads available to `runParts` (1 without a pool). */
export function parallelThreads(): number {
  return installed ? installed.threads : 1;
}

/** Calls `kernel.run(args, part)` for every part in [0, parts), on the installed pool's threads when there is one. */
export function runParts<A>(kernel: ParallelKernel<A>, args: A, parts: number): void {
  if (installed && installed.threads > 1 && parts > 1) {
    installed.run(kernel, args, parts);
    return;
  }
  for (let p = 0; p < parts; p++) kernel.run(args, p);
}

/** Whether arrays can be shared between threads here (SharedArrayBuffer exists and a pool is installed). */
export function canShareMemory(): boolean {
  return parallelThreads() > 1 && typeof SharedArrayBuffer === 'function';
}

/** A zeroed Float32Array that the pool's threads can all write: on a SharedArrayBuffer when there is a pool. */
export function sharedFloat32Array(length: number): Float32Array {
  return canShareMemory() ? new Float32Array(new SharedArrayBuffer(4 * length)) : zeroedFloat32Array(length);
}

/** Whether the pool's workers see this array itself (not a copy). */
export function isShared(array: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer === 'function' && array.buffer instanceof SharedArrayBuffer;
}

/** `array` itself when it is shared (or no pool is installed), else a shared copy. */
export function asShared(array: Float32Array): Float32Array {
  if (!canShareMemory() || isShared(array)) return array;
  const copy = sharedFloat32Array(array.length);
  copy.set(array);
  return copy;
}

/** Splits [0, length) into `parts` contiguous ranges of near-equal size; the range of part `part`. */
export function partRange(length: number, parts: number, part: number): [number, number] {
  return [Math.floor((length * part) / parts), Math.floor((length * (part + 1)) / parts)];
}

/**
 * How many parts to cut `length` units of work into: a few per thread (so a thread slowed by another process
 * hands work to the others), each at least `minimum` units; 1 without a pool.
 */
export function partsFor(length: number, minimum: number): number {
  const threads = parallelThreads();
  if (threads <= 1) return 1;
  return Math.max(1, Math.min(4 * threads, Math.floor(length / Math.max(1, minimum))));
}
