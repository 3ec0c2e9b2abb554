/**
 * The Node implementation of the core's `ParallelPool` (src/core/parallel/pool.ts): worker_threads that take
 * parts of a parallel step from a shared counter while the main thread takes parts too and then waits with
 * `Atomics.wait` (the core is synchronous).
 *
 * Protocol of one `run` (a fresh 3-word control block on a SharedArrayBuffer each time, so a message that
 * reaches a worker late works on a finished step and does nothing):
 *   word 0: next part to take (Atomics.add by whoever takes one);
 *   word 1: parts finished (Atomics.add + notify);
 *   word 2: set to 1 when a part threw; the message goes to a shared byte buffer.
 * Workers are unref'd: they never keep the process alive, and a run never waits for a worker that has not
 * started yet (the main thread takes the remaining parts itself).
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { ParallelKernel, ParallelPool } from '../core/parallel/pool.js';

export interface NodeWorkerPool extends ParallelPool {
  /** Stops the workers (the pool must not be used after). */
  close(): Promise<void>;
}

const ERROR_BYTES = 4096;

export interface RunMessage {
  kernel: string;
  args: unknown;
  parts: number;
  control: Int32Array;
  error: Uint8Array;
}

/** Takes parts from `control` until none are left; shared by the main thread and the workers. */
export function takeParts(run: (part: number) => void, parts: number, control: Int32Array, error: Uint8Array): void {
  for (;;) {
    const part = Atomics.add(control, 0, 1);
    if (part >= parts) return;
    try {
      if (Atomics.load(control, 2) === 0) run(part);
    } catch (e) {
      if (Atomics.compareExchange(control, 2, 0, 1) === 0) {
        const text = new TextEncoder().encode(e instanceof Error ? (e.stack ?? e.message) : String(e));
        error.set(text.subarray(0, ERROR_BYTES));
      }
    } finally {
      Atomics.add(control, 1, 1);
      Atomics.notify(control, 1);
    }
  }
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
      const control = new Int32Array(new SharedArrayBuffer(12));
      const error = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES));
      const message: RunMessage = { kernel: kernel.name, args, parts, control, error };
      for (const w of workers) w.postMessage(message);
      takeParts((part) => kernel.run(args, part), parts, control, error);
      for (let done = Atomics.load(control, 1); done < parts; done = Atomics.load(control, 1)) {
        Atomics.wait(control, 1, done);
      }
      if (Atomics.load(control, 2) !== 0) {
        const end = error.indexOf(0);
        const text = new TextDecoder().decode(error.slice(0, end < 0 ? error.length : end));
        throw new Error(`parallel step ${kernel.name} failed: ${text}`);
      }
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
