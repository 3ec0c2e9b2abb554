/**
 * The browser implementation of the core's `ParallelPool` (src/core/parallel/pool.ts), for the job worker:
 * nested Web Workers that take parts of each parallel step while the job worker takes parts too and then
 * waits with `Atomics.wait`. The protocol is the core's (src/core/parallel/protocol.ts), as in the Node pool
 * (src/node/worker-pool.ts): a worker that starts late finds the step finished and does nothing.
 *
 * Shared memory needs a cross-origin isolated page (`occupy gui` sends the COOP/COEP headers); elsewhere,
 * e.g. on a static host without them, no pool is made and the core runs each step on one thread.
 */
import type { ParallelKernel, ParallelPool } from '../../../src/core/parallel/pool.js';
import { runStep } from '../../../src/core/parallel/protocol.js';

/** A pool of `threads - 1` workers beside the calling worker, or undefined where memory cannot be shared. */
export function createBrowserPool(threads: number): ParallelPool | undefined {
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer !== 'function' || threads < 2) return undefined;
  const workers = Array.from(
    { length: threads - 1 },
    (_, i) => new Worker(new URL('./parallel.worker.ts', import.meta.url), { type: 'module', name: `occupy-parallel-${i + 1}` }),
  );
  return {
    threads,
    run<A>(kernel: ParallelKernel<A>, args: A, parts: number): void {
      runStep(workers, kernel, args, parts);
    },
  };
}
