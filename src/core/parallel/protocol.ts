/**
 * The part-taking protocol shared by the pool implementations (Node worker_threads in src/node/, Web Workers in
 * the browser app): isomorphic, only Atomics on shared memory.
 *
 * One step uses a fresh 3-word Int32Array control block on a SharedArrayBuffer:
 *   word 0: next part to take (Atomics.add by whoever takes one);
 *   word 1: parts finished (Atomics.add + notify);
 *   word 2: set to 1 when a part threw; its message goes to the shared `error` bytes.
 * Every thread, the caller included, runs `takeParts` until no part is left; the caller then waits on word 1.
 */
import type { ParallelKernel } from './pool.js';

/** What a pool posts to each of its workers for one step. */
export interface RunMessage {
  kernel: string;
  args: unknown;
  parts: number;
  control: Int32Array;
  error: Uint8Array;
}

/** Size of the shared buffer for a failed part's message. */
export const ERROR_BYTES = 4096;

/** A fresh control block and error buffer for one step. */
export function newStep(): { control: Int32Array; error: Uint8Array } {
  return { control: new Int32Array(new SharedArrayBuffer(12)), error: new Uint8Array(new SharedArrayBuffer(ERROR_BYTES)) };
}

/** Takes parts from `control` until none are left, running each with `run`; failures are recorded, not thrown. */
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
 * Blocks until all `parts` of the step are finished (Atomics.wait: Node's main thread or a Web Worker, not a
 * browser's main thread), then throws if one of them failed.
 */
export function awaitParts(kernel: string, parts: number, control: Int32Array, error: Uint8Array): void {
  for (let done = Atomics.load(control, 1); done < parts; done = Atomics.load(control, 1)) Atomics.wait(control, 1, done);
  if (Atomics.load(control, 2) !== 0) {
    const end = error.indexOf(0);
    const text = new TextDecoder().decode(error.slice(0, end < 0 ? error.length : end));
    throw new Error(`parallel step ${kernel} failed: ${text}`);
  }
}

/**
 * A pool's side of one step: posts it to every worker, takes parts on the calling thread too, and returns when
 * all are done (throws if one failed).
 */
export function runStep<A>(
  workers: readonly { postMessage(message: RunMessage): void }[],
  kernel: ParallelKernel<A>,
  args: A,
  parts: number,
): void {
  const { control, error } = newStep();
  const message: RunMessage = { kernel: kernel.name, args, parts, control, error };
  for (const w of workers) w.postMessage(message);
  takeParts((part) => kernel.run(args, part), parts, control, error);
  awaitParts(kernel.name, parts, control, error);
}
