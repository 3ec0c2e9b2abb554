/**
 * Zeroed arrays for the core's reserve (src/core/buffers.ts) with their memory already mapped: /dev/zero is
 * read into each, so the kernel maps the fresh pages on the threads of libuv's pool, on the other core, while
 * this thread reads the input, instead of page by page when a step first writes the array. Where /dev/zero
 * cannot be read (not Linux or macOS), none are prepared and the steps allocate as usual.
 */
import { open } from 'node:fs/promises';

/** Largest single read (fs reads are limited to 2 GiB per call). */
const READ_BYTES = 1024 * 1024 * 1024;

export async function prefaultedArrays(count: number, length: number): Promise<Float32Array[]> {
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
