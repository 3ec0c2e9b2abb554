/**
 * Reading and writing map files on disk (Node only; the format itself is in ./mrc-format.ts).
 *
 * Errors: every problem the user can fix — missing file, a directory, no permission, disk full, damaged gzip,
 * anything wrong inside the map — is thrown as {@link MapFormatError} with a one-line message naming the file
 * (the CLI prints those without a stack trace). Anything else is a bug and propagates unchanged.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Volume } from '../core/volume.js';
import {
  MapFormatError,
  MrcStreamDecoder,
  encodeMrcBody,
  encodeMrcHeader,
  recogniseFileSignature,
  type DecodeOptions,
  type EncodeOptions,
  type MapFile,
  type MapGeometry,
} from './mrc-format.js';

/** Files are read in pieces of this size, so memory stays ≈ the decoded map plus one piece. */
const READ_CHUNK_BYTES = 16 * 1024 * 1024;
export interface ReadOptions extends DecodeOptions {
  /** Size of the pieces a plain file is read in (default 16 MiB; tests use odd sizes). */
  chunkBytes?: number;
}

/** Largest single write (fs writes are limited to 2 GiB per call). */
const WRITE_CHUNK_BYTES = 1024 * 1024 * 1024;

/** One line for a file-system failure, or the error itself when it is not one. */
function fileSystemError(filePath: string, error: unknown, action: 'read' | 'write'): unknown {
  if (error instanceof MapFormatError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // Only system errors (ENOENT, EACCES, ...) are the user's to fix; Node's ERR_* codes are programming errors.
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return error;
  const directory = path.dirname(filePath);
  switch (code) {
    case 'ENOENT':
      return new MapFormatError(
        action === 'read' ? `${filePath}: no such file` : `${filePath}: cannot write, the directory ${directory} does not exist`,
      );
    case 'EISDIR':
      return new MapFormatError(`${filePath}: is a directory, not a map file`);
    case 'ENOTDIR':
      return new MapFormatError(`${filePath}: part of this path is a file, not a directory`);
    case 'EACCES':
    case 'EPERM':
      return new MapFormatError(
        action === 'read'
          ? `${filePath}: permission denied; the file cannot be read`
          : `${filePath}: permission denied; cannot write in ${directory}`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new MapFormatError(`${filePath}: the disk is full (or over quota); nothing was written`);
    case 'EROFS':
      return new MapFormatError(`${filePath}: the file system is read-only; write the outputs elsewhere`);
    case 'ENAMETOOLONG':
      return new MapFormatError(`${filePath}: the file name is too long`);
    default:
      return new MapFormatError(`${filePath}: cannot ${action} the file (${code}: ${(error as Error).message})`);
  }
}

function gzipError(filePath: string, error: unknown): unknown {
  if (error instanceof MapFormatError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'Z_BUF_ERROR') {
    return new MapFormatError(`${filePath}: the gzip-compressed file ends too early (truncated download or copy?)`);
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new MapFormatError(`${filePath}: the gzip compression is damaged (${(error as Error).message}); fetch or copy the file again`);
  }
  return fileSystemError(filePath, error, 'read');
}

/**
 * Reads an MRC/CCP4 map, gzip-compressed or not (recognised by its first bytes, whatever the name). The file
 * is read in pieces and decoded straight into the map's Float32Array, so files of any size (beyond the 2 GiB a
 * single `fs.readFile` allows) load with about 1× the decoded size in memory. A plain file's length is checked
 * against its header before the map is allocated; a gzipped one is checked as it decompresses.
 */
export async function readMapFile(filePath: string, options: ReadOptions = {}): Promise<MapFile> {
  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    throw fileSystemError(filePath, error, 'read');
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new MapFormatError(`${filePath}: is a directory, not a map file`);
    const first = new Uint8Array(4);
    const { bytesRead } = await handle.read(first, 0, first.length, 0);
    if (recogniseFileSignature(first.subarray(0, bytesRead)) === 'gzip') return await readGzipped(handle, filePath, options);
    const decoder = new MrcStreamDecoder(filePath, { ...options, totalBytes: info.isFile() ? info.size : undefined });
    const buffer = new Uint8Array(options.chunkBytes ?? Math.min(READ_CHUNK_BYTES, Math.max(info.size, 1024)));
    for (let position = 0; ; ) {
      const { bytesRead: n } = await handle.read(buffer, 0, buffer.length, position);
      if (n === 0) break;
      decoder.push(buffer.subarray(0, n));
      position += n;
    }
    return decoder.finish();
  } catch (error) {
    throw fileSystemError(filePath, error, 'read');
  } finally {
    await handle.close();
  }
}

async function readGzipped(handle: FileHandle, filePath: string, options: DecodeOptions): Promise<MapFile> {
  const decoder = new MrcStreamDecoder(filePath, { ...options, compressed: true });
  try {
    await pipeline(handle.createReadStream({ start: 0, autoClose: false }), createGunzip(), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) decoder.push(chunk);
    });
  } catch (error) {
    throw gzipError(filePath, error);
  }
  return decoder.finish();
}

/**
 * Writes `bytes` (or the concatenation of several parts) so that `filePath` either keeps its old content or has
 * the complete new one: the data go to a hidden temporary file in the same directory (same file system, so the
 * rename is atomic), are flushed to disk, and the temporary is renamed over `filePath`. On any failure the
 * temporary is removed. A process killed mid-write can leave the temporary (`.<name>.<pid>.<random>.tmp`) but
 * never a truncated file under the final name.
 */
export async function writeFileAtomic(filePath: string, bytes: Uint8Array | readonly Uint8Array[]): Promise<void> {
  const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
  const temporary = path.join(
    path.dirname(filePath),
    `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx');
    for (const part of parts) {
      for (let offset = 0; offset < part.length; ) {
        const length = Math.min(part.length - offset, WRITE_CHUNK_BYTES);
        const { bytesWritten } = await handle.write(part, offset, length);
        offset += bytesWritten;
      }
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, filePath);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw fileSystemError(filePath, error, 'write');
  }
}

/** Writes `volume` as an MRC2014 float32 map (see `encodeMrcHeader`), atomically, without copying the data. */
export async function writeMapFile(
  filePath: string,
  volume: Volume,
  geometry: MapGeometry,
  options: EncodeOptions = {},
): Promise<void> {
  await writeFileAtomic(filePath, [encodeMrcHeader(volume, geometry, options), encodeMrcBody(volume)]);
}
