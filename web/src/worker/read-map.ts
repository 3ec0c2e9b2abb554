/**
 * Reads a map file the user picked or dropped (.mrc, .map, .ccp4, gzipped or not) into a MapFile, in the
 * browser: the bytes stream through the browser's own gunzip (DecompressionStream) into the same pure MRC
 * decoder the CLI uses, so the file is never held twice and never leaves the machine.
 */
import { MapFormatError, MrcStreamDecoder, type MapFile } from '../../../src/format/mrc-format.js';

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

