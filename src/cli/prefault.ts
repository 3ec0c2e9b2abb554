/**
 * Zeroed arrays for the core's reserve (src/core/buffers.ts) with their memory mapped by other threads: a new
 * array's pages are mapped one by one when first written (about 45 ms for a 256³ map on this kind of
 * machine), on the thread that writes them. Two ways, both on the other core:
 *
 * - while the input is read (the main thread mostly waits then): /dev/zero is read into each array on the
 *   threads of libuv's pool ({@link prefaultedWhileReading}; also the Fourier steps' working memory,
 *   {@link workspaceMappedWhileReading}); the run awaits them before it starts;
 * - while the run goes on: a small worker thread writes one byte of every page of each array, in the order
 *   the run will take them, and marks each ready (Atomics) when done ({@link prefaultedInBackground}). When
 *   the run wants an array before it is ready, it takes it as it is if the helper has not begun it (the helper
 *   then leaves it alone, and the run's own writes map it, as they would a new array's), or waits for the
 *   rest of it if the helper is at it (about as long, at most, as mapping it itself); so an array is never
 *   made twice. Arrays released from the reserve unused are skipped too. These arrays are on
 *   SharedArrayBuffers (the helper must see them).
 *
 * The contents are zeros either way, as new arrays' are, so the run computes the same.
 */
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { ReservedArray } from '../core/buffers.js';

/** Largest single read (fs reads are limited to 2 GiB per call). */
const READ_BYTES = 1024 * 1024 * 1024;

/** Arrays of these lengths (floats) into which /dev/zero is read on libuv's pool; none where it cannot be. */
export async function prefaultedWhileReading(lengths: readonly number[]): Promise<Float32Array[]> {
  if (lengths.length === 0 || lengths.some((length) => !(length > 0))) return [];
  const arrays = lengths.map((length) => new Float32Array(length));
  return (await readZerosInto(arrays.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)))) ? arrays : [];
}

/**
 * A WebAssembly memory of at least `bytes` (the Fourier steps' working memory, see `offerLowpassWorkspace`),
 * its pages mapped on libuv's pool as {@link prefaultedWhileReading}'s; undefined where that cannot be done.
 */
export async function workspaceMappedWhileReading(bytes: number): Promise<WebAssembly.Memory | undefined> {
  if (!(bytes > 0)) return undefined;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  } catch {
    return undefined;
  }
  return (await readZerosInto([new Uint8Array(memory.buffer)])) ? memory : undefined;
}

/** Reads /dev/zero into each of `targets` at once on libuv's pool; false (the targets unusable) where it fails. */
async function readZerosInto(targets: readonly Uint8Array[]): Promise<boolean> {
  let handle;
  try {
    handle = await open('/dev/zero', 'r');
  } catch {
    return false;
  }
  try {
    await Promise.all(
      targets.map(async (bytes) => {
        for (let at = 0; at < bytes.length; ) {
          const { bytesRead } = await handle.read(bytes, at, Math.min(READ_BYTES, bytes.length - at), 0);
          if (bytesRead <= 0) throw new Error('/dev/zero ended');
          at += bytesRead;
        }
      }),
    );
    return true;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

/** States of an array prepared by the helper thread (an Int32Array on shared memory, one entry per array). */
const PENDING = 0;
const MAPPING = 1;
const READY = 2;
const TAKEN = 3;

/**
 * The helper thread: for each buffer in turn, unless the run has taken it already, one write per page, then
 * its ready state (and a wake-up for a run waiting for it).
 */
const HELPER = `
const { workerData } = require('node:worker_threads');
const { buffers, states } = workerData;
for (let k = 0; k < buffers.length; k++) {
  if (Atomics.compareExchange(states, k, ${PENDING}, ${MAPPING}) !== ${PENDING}) continue;
  const bytes = new Uint8Array(buffers[k]);
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 0;
  Atomics.store(states, k, ${READY});
  Atomics.notify(states, k);
}
`;

/**
 * How long the run waits for the helper to finish an array it is mapping before it gives up on it for good
 * (and takes another, or makes a new one): far more than mapping a map-size array takes; reached only if the
 * helper thread were stuck.
 */
const TAKE_TIMEOUT_MS = 30_000;

/** Where an array the helper thread prepares stands (`taken`: by the run, before the helper began it). */
export type PreparationState = 'pending' | 'mapping' | 'ready' | 'taken';
const STATE_NAMES: readonly PreparationState[] = ['pending', 'mapping', 'ready', 'taken'];

/** An array the helper thread prepares. */
export interface PreparedArray extends ReservedArray {
  state: () => PreparationState;
}

/**
 * Arrays of the given lengths (floats), mapped by a helper thread in that order (see the module comment for
 * how the run takes them). None (an empty list) where a thread or shared memory cannot be had.
 */
export function prefaultedInBackground(lengths: readonly number[]): PreparedArray[] {
  if (lengths.length === 0 || lengths.some((length) => !(length > 0)) || typeof SharedArrayBuffer !== 'function') return [];
  let buffers: SharedArrayBuffer[];
  try {
    buffers = lengths.map((length) => new SharedArrayBuffer(4 * length));
  } catch {
    return [];
  }
  const states = new Int32Array(new SharedArrayBuffer(4 * lengths.length));
  try {
    const worker = new Worker(HELPER, { eval: true, workerData: { buffers, states } });
    worker.unref();
    worker.on('error', () => undefined); // arrays it had not begun are taken as they are; see take()
  } catch {
    return [];
  }
  const abandoned = new Set<number>();
  const take = (k: number): boolean => {
    if (abandoned.has(k)) return false;
    const state = Atomics.compareExchange(states, k, PENDING, TAKEN);
    if (state !== MAPPING) return true; // pending (now taken: the helper will skip it), or ready
    if (Atomics.wait(states, k, MAPPING, TAKE_TIMEOUT_MS) !== 'timed-out' || Atomics.load(states, k) === READY) return true;
    abandoned.add(k); // a helper stuck this long is not waited for again
    return false;
  };
  return buffers.map((buffer, k) => ({
    array: new Float32Array(buffer),
    take: () => take(k),
    // Not to be taken: the helper skips it if it has not begun it (as when taken).
    release: () => void Atomics.compareExchange(states, k, PENDING, TAKEN),
    state: () => STATE_NAMES[Atomics.load(states, k)],
  }));
}
