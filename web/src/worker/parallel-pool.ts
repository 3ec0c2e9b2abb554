/**
 * The browser implementation of the core's `ParallelPool` (src/core/parallel/pool.ts), for the job worker:
 * nested Web Workers that take parts of each parallel step from a shared counter while the job worker takes
 * parts too and then waits with `Atomics.wait`. Same protocol as the Node pool (src/node/worker-pool.ts):
 * a fresh control block per step (next part, parts done, failed flag) and a shared buffer for the first
 * error, so a worker that starts late finds the step finished and does nothing.
 *
 * Shared memory needs a cross-origin isolated page (`occupy gui` sends the COOP/COEP headers); elsewhere,
 * e.g. on a static host without them, no pool is made and the core runs each step on one thread.
 */
import type { ParallelKernel, ParallelPool } from '../../../src/core/parallel/pool.js';

const ERROR_BYTES = 4096;

export interface PartsMessage {
  kernel: string;
  args: unknown;
  parts: number;
  control: Int32Array;
  error: Uint8Array;
}

/** Takes parts from `control` until none are left; run by the job worker and by every pool worker. */
export function takeParts(run: (part: number) => void, parts: number, control: Int32Array, error: Uint8Array): void {
  for (;;) {
    const part = Atomics.add(control, 0, 1);
    if (part >= parts) return;
    try {
      if (Atomics.load(control, 2) === 0) run(part);
    } catch (e) {
      if (Atomics.compareExchange(control, 2, 0, 1) === 0) {
        error.set(new TextEncoder().encode(e instanceof Error ? (e.stack ?? e.message) : String(e)).subarray(0, ERROR_BYTES));
      }
    } finally {
      Atomics.add(control, 1, 1);
      Atomics.notify(control, 1);
    }
  }
}

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
      const control = new Int32Array(new SharedArrayBuffer(12));
      const error = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES));
      const message: PartsMessage = { kernel: kernel.name, args, parts, control, error };
      for (const w of workers) w.postMessage(message);
      takeParts((part) => kernel.run(args, part), parts, control, error);
      for (let done = Atomics.load(control, 1); done < parts; done = Atomics.load(control, 1)) Atomics.wait(control, 1, done);
      if (Atomics.load(control, 2) !== 0) {
        const end = error.indexOf(0);
        throw new Error(`parallel step ${kernel.name} failed: ${new TextDecoder().decode(error.slice(0, end < 0 ? error.length : end))}`);
      }
    },
  };
}
