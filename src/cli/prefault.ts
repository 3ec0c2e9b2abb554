/**
 * Zeroed arrays for the core's reserve (src/core/buffers.ts) with their memory mapped by other threads: a new
 * array's pages are mapped one by one when first written (about 45 ms for a 256³ map on this kind of
 * machine), on the thread that writes them. Two ways, both on the other core:
 *
 * - while the input is read (the main thread mostly waits then): /dev/zero is read into each array on the
 *   threads of libuv's pool ({@link prefaultedWhileReading}); the run awaits them before it starts;
 * - while the run goes on: a small worker thread writes one byte of every page of each array, in the order
 *   the run will take them, and marks each ready (Atomics) when done ({@link prefaultedInBackground}); the
 *   core takes an array only once it is marked ready and otherwise allocates as usual, so nothing waits. These
 *   arrays are on SharedArrayBuffers (the helper must see them).
 *
 * The contents are zeros either way, as new arrays' are, so the run computes the same.
 */
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { ReservedArray } from '../core/buffers.js';

/** Largest single read (fs reads are limited to 2 GiB per call). */
const READ_BYTES = 1024 * 1024 * 1024;

/** `count` arrays of `length` floats into which /dev/zero is read on libuv's pool; none where it cannot be. */
export async function prefaultedWhileReading(count: number, length: number): Promise<Float32Array[]> {
  if (count <= 0 || length <= 0) return [];
  let handle;
  try {
    handle = await open('/dev/zero', 'r');
  } catch {
    return [];
  }
  try {
    const arrays = Array.from({ length: count }, () => new Float32Array(length));
    await Promise.all(
      arrays.map(async (array) => {
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        for (let at = 0; at < bytes.length; ) {
          const { bytesRead } = await handle.read(bytes, at, Math.min(READ_BYTES, bytes.length - at), 0);
          if (bytesRead <= 0) throw new Error('/dev/zero ended');
          at += bytesRead;
        }
      }),
    );
    return arrays;
  } catch {
    return [];
  } finally {
    await handle.close();
  }
}

/** The helper thread: for each buffer in turn, one write per page, then its ready flag. */
const HELPER = `
const { workerData } = require('node:worker_threads');
const { buffers, ready } = workerData;
for (let k = 0; k < buffers.length; k++) {
  const bytes = new Uint8Array(buffers[k]);
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 0;
  Atomics.store(ready, k, 1);
}
`;

/**
 * `count` arrays of `length` floats, mapped by a helper thread in order; each is usable once its `isReady()`
 * says so. None (an empty list) where a thread or shared memory cannot be had.
 */
export function prefaultedInBackground(count: number, length: number): ReservedArray[] {
  if (count <= 0 || length <= 0 || typeof SharedArrayBuffer !== 'function') return [];
  let buffers: SharedArrayBuffer[];
  try {
    buffers = Array.from({ length: count }, () => new SharedArrayBuffer(4 * length));
  } catch {
    return [];
  }
  const ready = new Int32Array(new SharedArrayBuffer(4 * count));
  try {
    const worker = new Worker(HELPER, { eval: true, workerData: { buffers, ready } });
    worker.unref();
    worker.on('error', () => undefined); // the arrays it did not finish are simply never taken
  } catch {
    return [];
  }
  return buffers.map((buffer, k) => ({ array: new Float32Array(buffer), isReady: () => Atomics.load(ready, k) === 1 }));
}
