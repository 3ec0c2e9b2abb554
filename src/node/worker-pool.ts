/**
 * The Node implementation of the core's `ParallelPool` (src/core/parallel/pool.ts): worker_threads that take
 * parts of a parallel step from a shared counter while the main thread takes parts too and then waits with
 * `Atomics.wait` (the core is synchronous).
 *
 * The protocol is src/core/parallel/protocol.ts (a fresh control block per step, so a message that reaches a
 * worker late works on a finished step and does nothing). Workers are unref'd: they never keep the process
 * alive, and a run never waits for a worker that has not started yet (the main thread takes the remaining
 * parts itself).
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { ParallelKernel, ParallelPool } from '../core/parallel/pool.js';
import { runStep } from '../core/parallel/protocol.js';

export interface NodeWorkerPool extends ParallelPool {
  /** Stops the workers (the pool must not be used after). */
  close(): Promise<void>;
}

/**
 * A pool of `threads - 1` workers (default: the machine's available parallelism), so that `threads` threads
 * work, the main one included. Start it early: a worker needs some tens of milliseconds to load.
 */
export function createNodeWorkerPool(threads: number = availableParallelism()): NodeWorkerPool {
  const count = Math.max(0, Math.floor(threads) - 1);
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL('./parallel-worker.js', import.meta.url));
    worker.unref();
    workers.push(worker);
  }
  return {
    threads: count + 1,
    run<A>(kernel: ParallelKernel<A>, args: A, parts: number): void {
      runStep(workers, kernel, args, parts);
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
