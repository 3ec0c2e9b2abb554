/**
 * Reads a map file the user picked or dropped (.mrc, .map, .ccp4, gzipped or not) into a MapFile, in the
 * browser: the bytes stream through the browser's own gunzip (DecompressionStream) into the same pure MRC
 * decoder the CLI uses, so the file is never held twice and never leaves the machine.
 */
import { MapFormatError, MrcStreamDecoder, type MapFile } from '../../../src/io/mrc-format.js';
import type { Volume } from '../../../src/core/volume.js';
import { InputError } from '../../../src/run/errors.js';

const GZIP_MAGIC = [0x1f, 0x8b];

export async function readMapBlob(file: Blob, fileName: string): Promise<MapFile> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const gzipped = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  const decoder = new MrcStreamDecoder(fileName, gzipped ? { compressed: true } : { totalBytes: file.size });
  const raw = file.stream();
  const stream: ReadableStream<Uint8Array> = gzipped ? raw.pipeThrough(new DecompressionStream('gzip')) : raw;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      decoder.push(value);
    }
  } catch (error) {
    if (error instanceof MapFormatError) throw error;
    // The browser's gunzip reports a corrupt or cut-off archive as a TypeError with an engine-specific text.
    throw new MapFormatError(`${fileName}: the gzip data is damaged or incomplete (${error instanceof Error ? error.message : String(error)})`);
  }
  return decoder.finish();
}

/** Refuses NaN or infinite values (a map with them has no usable statistics), saying where the first is. */
export function checkFiniteValues(volume: Volume, fileName: string): void {
  const { data, nx, ny } = volume;
  let count = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count === 0) return;
  const where = `column ${first % nx}, row ${Math.floor(first / nx) % ny}, section ${Math.floor(first / (nx * ny))}`;
  throw new InputError(`${fileName}: ${count} voxel(s) are NaN or infinite (first at ${where}); fix the map first.`);
}

/**
 * The input map must be an even cube for now, as on the command line (src/cli/execute.ts): the method's
 * Fourier steps and tiling are defined on one. Masks are checked against the input when a run starts.
 */
export function checkInputBox(volume: Volume, fileName: string): void {
  const { nx, ny, nz } = volume;
  if (!(nx === ny && ny === nz)) throw new InputError(`${fileName}: the map is ${nx}x${ny}x${nz} voxels; only cubic maps are supported so far.`);
  if (nx % 2 !== 0) throw new InputError(`${fileName}: the map box (${nx}) is odd; only even boxes are supported so far.`);
}
