/**
 * Reading and writing map files on disk (Node only; the format itself is in ../format/mrc-format.ts).
 *
 * Errors: every problem the user can fix is thrown with a one-line message naming the file (the CLI prints those
 * without a stack trace): a missing file, a directory, no permission, a full disk, an output in the way as a
 * {@link FileError}; damaged gzip or anything wrong inside the map as a {@link MapFormatError}. Anything else is
 * a bug and propagates unchanged.
 */
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { constants as fsConstants, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { Volume } from '../core/volume.js';
import { removeStaleTemporaries, temporaryFileFor } from './temporaries.js';
import { FileError, fileSystemError, pipeError } from './system-errors.js';
import { isFolder } from './folders.js';

export { temporaryFileFor };
import {
  MRC_HEADER_BYTES,
  MapFormatError,
  MrcStreamDecoder,
  expectedFileBytes,
  parseMrcHeader,
  truncatedMessage,
  type MrcHeader,
  encodeMrcBody,
  encodeMrcHeader,
  recogniseFileSignature,
  bytesPerVoxel,
  decodeVoxels,
  storedAsNativeFloat32,
  type PlaneSink,
  type StreamedMapFile,
  type StreamDecodeOptions,
  type DecodeOptions,
  type EncodeOptions,
  type MapFile,
  type MapGeometry,
  type FileWriter,
} from '../format/mrc-format.js';

/** Files are read in pieces of this size, so memory stays ≈ the decoded map plus one piece. */
const READ_CHUNK_BYTES = 16 * 1024 * 1024;
export interface ReadOptions extends DecodeOptions {
  /**
   * Size of the pieces a plain file is read in (default 16 MiB; tests use odd sizes); for a map read without
   * being kept ({@link readMapFileOrPlanes}), the float32 bytes of whole planes per piece (at least one plane).
   */
  chunkBytes?: number;
  /** See {@link readMapFileOrPlanes}. */
  planesTo?: StreamDecodeOptions['planesTo'];
}

/** Largest single read straight into a map (fs reads are limited to 2 GiB per call). */
const DIRECT_READ_BYTES = 1024 * 1024 * 1024;

/** Largest single write (fs writes are limited to 2 GiB per call). */
const WRITE_CHUNK_BYTES = 1024 * 1024 * 1024;

function gzipError(filePath: string, error: unknown): unknown {
  if (error instanceof MapFormatError || error instanceof FileError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'Z_BUF_ERROR') {
    return new MapFormatError(`${filePath}: the gzip-compressed file ends too early (truncated download or copy?)`);
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new MapFormatError(`${filePath}: the gzip compression is damaged (${(error as Error).message}); fetch or copy the file again`);
  }
  return fileSystemError(filePath, error, 'read');
}

/** The file opened for reading; a failure is one line naming the file (no such file, permission, ...). */
async function openForReading(filePath: string): Promise<FileHandle> {
  try {
    // A named pipe is refused before opening it: the open would wait, for ever, for something to write to it.
    if ((await stat(filePath)).isFIFO()) throw pipeError(filePath);
    return await open(filePath, 'r');
  } catch (error) {
    throw fileSystemError(filePath, error, 'read');
  }
}

/**
 * Reads an MRC/CCP4 map, gzip-compressed or not (recognised by its first bytes, whatever the name). The file
 * is read in pieces and decoded straight into the map's Float32Array, so files of any size (beyond the 2 GiB a
 * single `fs.readFile` allows) load with about 1× the decoded size in memory. A plain file's length is checked
 * against its header before the map is allocated; a gzipped one is checked as it decompresses.
 */
export async function readMapFile(filePath: string, options: ReadOptions = {}): Promise<MapFile> {
  const map = await readMapFileOrPlanes(filePath, { ...options, planesTo: undefined });
  if (!('volume' in map)) throw new Error('unreachable: a map read without a sink is kept');
  return map;
}

/**
 * {@link readMapFile}, except that a plain file whose header makes `planesTo` give a sink is not kept: its
 * planes go to the sink as they are read (a few at a time, in order; the next piece is read while the sink
 * works on the last), and only the map's description comes back. A gzipped file is always read whole.
 */
export async function readMapFileOrPlanes(filePath: string, options: ReadOptions = {}): Promise<MapFile | StreamedMapFile> {
  const handle = await openForReading(filePath);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new FileError(`${filePath}: is a directory, not a map file`);
    const first = new Uint8Array(4);
    const { bytesRead } = await handle.read(first, 0, first.length, 0);
    if (recogniseFileSignature(first.subarray(0, bytesRead)) === 'gzip') return await readGzipped(handle, filePath, options); // never streamed (its length is not known)
    return await readPlain(handle, filePath, info, options).catch((error: unknown) => {
      throw notGzipAsNamed(filePath, error);
    });
  } catch (error) {
    throw fileSystemError(filePath, error, 'read');
  } finally {
    await handle.close();
  }
}

/**
 * A map format error of a file named `.gz` that is not gzip-compressed (read as a plain map, whatever its name),
 * saying so: a file renamed, or saved decompressed by a browser, reads as damaged otherwise.
 */
function notGzipAsNamed(filePath: string, error: unknown): unknown {
  if (!(error instanceof MapFormatError) || !/\.gz$/i.test(filePath)) return error;
  return new MapFormatError(`${error.message} (the file is named .gz but is not gzip-compressed)`);
}

/** {@link readMapFileOrPlanes} of a file that is not gzip-compressed. */
async function readPlain(handle: FileHandle, filePath: string, info: Stats, options: ReadOptions): Promise<MapFile | StreamedMapFile> {
  const decoder = new MrcStreamDecoder(filePath, { ...options, totalBytes: info.isFile() ? info.size : undefined });
  const buffer = new Uint8Array(options.chunkBytes ?? Math.min(READ_CHUNK_BYTES, Math.max(info.size, 1024)));
  for (let position = 0; ; ) {
    const streamed = decoder.streamedBody();
    if (streamed) {
      await readPlanes(handle, filePath, streamed, options.chunkBytes);
      return decoder.finishStreamed();
    }
    // A float32 body in this machine's byte order is read straight into the map (no copy on this thread;
    // the kernel fills the fresh pages on a thread of the pool); anything else in pieces through the decoder.
    const direct = options.chunkBytes === undefined ? decoder.directTarget() : undefined;
    if (direct) {
      const n = await readPieces(handle, direct.subarray(0, Math.min(direct.length, DIRECT_READ_BYTES)), position);
      if (n === 0) break;
      decoder.pushedDirect(n);
      position += n;
      continue;
    }
    const { bytesRead: n } = await handle.read(buffer, 0, Math.min(buffer.length, decoder.preferredPushBytes() ?? buffer.length), position);
    if (n === 0) break;
    decoder.push(buffer.subarray(0, n));
    position += n;
  }
  return decoder.finish();
}

/** Bytes of float32 planes per piece of a streamed read (at least one plane). */
const PLANE_PIECE_BYTES = 8 * 1024 * 1024;

/**
 * Reads a map's body whole planes at a time, from `bodyStart`, into one of two pieces in turn (the next piece is
 * read on libuv's pool while the sink works on the last), decodes each and hands it to the sink. `pieceBytes`
 * (tests) sets the size of a piece (still at least one plane).
 */
async function readPlanes(
  handle: FileHandle,
  filePath: string,
  { header, sink, bodyStart }: { header: MrcHeader; sink: PlaneSink; bodyStart: number },
  pieceBytes = PLANE_PIECE_BYTES,
): Promise<void> {
  const planeVoxels = header.nx * header.ny;
  const voxelBytes = bytesPerVoxel(header.mode);
  const perPiece = Math.max(1, Math.floor(pieceBytes / (4 * planeVoxels)));
  const native = storedAsNativeFloat32(header);
  const values = [0, 1].map(() => new Float32Array(perPiece * planeVoxels));
  const raw = native ? values.map((v) => new Uint8Array(v.buffer)) : [0, 1].map(() => new Uint8Array(perPiece * planeVoxels * voxelBytes));
  const readPiece = async (first: number, slot: number): Promise<number> => {
    const count = Math.min(perPiece, header.nz - first);
    const bytes = raw[slot].subarray(0, count * planeVoxels * voxelBytes);
    // The length was checked against the header: only a file cut short meanwhile ends early.
    if ((await readUntilFull(handle, bytes, bodyStart + first * planeVoxels * voxelBytes)) < bytes.length) {
      throw new MapFormatError(truncatedMessage(filePath, header, (await handle.stat()).size, false));
    }
    return count;
  };
  let next: Promise<number> | undefined = readPiece(0, 0);
  try {
    for (let first = 0, slot = 0; first < header.nz; slot ^= 1) {
      const count: number = await next!;
      next = first + count < header.nz ? readPiece(first + count, slot ^ 1) : undefined;
      if (!native) decodeVoxels(header.mode, header.littleEndian, raw[slot], count * planeVoxels, values[slot], 0);
      sink(first, values[slot].subarray(0, count * planeVoxels));
      first += count;
    }
  } finally {
    // A sink that throws leaves a read going: it ends before the file is closed.
    await next?.catch(() => undefined);
  }
}

/** Reads file bytes from `position` into `bytes` until it is full or the file ends; returns how many were read. */
async function readUntilFull(handle: FileHandle, bytes: Uint8Array, position: number): Promise<number> {
  let at = 0;
  while (at < bytes.length) {
    const { bytesRead } = await handle.read(bytes, at, bytes.length - at, position + at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at;
}

/** A read straight into a map is split into this many pieces (of at least DIRECT_PIECE_BYTES) read at once. */
const DIRECT_PIECES = 4;
const DIRECT_PIECE_BYTES = 16 * 1024 * 1024;

/**
 * Reads file bytes from `position` into `target`, in pieces read at the same time on libuv's threads (the
 * copies and the page faults of the fresh memory then use both cores). Returns how many bytes from the start
 * of `target` were read without a gap: fewer than its length only at the end of the file.
 */
async function readPieces(handle: FileHandle, target: Uint8Array, position: number): Promise<number> {
  const pieces = Math.max(1, Math.min(DIRECT_PIECES, Math.floor(target.length / DIRECT_PIECE_BYTES)));
  const size = Math.ceil(target.length / pieces);
  const starts = Array.from({ length: pieces }, (_, k) => k * size);
  const counts = await Promise.all(
    starts.map((from) => readUntilFull(handle, target.subarray(from, Math.min(target.length, from + size)), position + from)),
  );
  let n = 0;
  for (let k = 0; k < pieces; k++) {
    n += counts[k];
    if (starts[k] + counts[k] < Math.min(target.length, starts[k] + size)) break;
  }
  return n;
}

/**
 * Checks that an uncompressed file is a complete MRC/CCP4 map without reading its voxels: the header must
 * parse, and the file must be as long as the header says. Returns the header.
 */
export async function checkMapFileHeader(filePath: string): Promise<MrcHeader> {
  const handle = await openForReading(filePath);
  try {
    const bytes = new Uint8Array(MRC_HEADER_BYTES);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    const header = parseMrcHeader(bytes.subarray(0, bytesRead), filePath);
    const size = (await handle.stat()).size;
    const expected = expectedFileBytes(header);
    if (size < expected) {
      throw new MapFormatError(truncatedMessage(filePath, header, size, false));
    }
    return header;
  } catch (error) {
    throw fileSystemError(filePath, error, 'read');
  } finally {
    await handle.close();
  }
}

/**
 * `pipeline` and `createGunzip`, loaded when first asked for: only gzipped maps and `--emdb` downloads need the
 * stream and zlib modules, and loading them at start-up would cost every run a few milliseconds.
 */
export async function gunzipModules(): Promise<{
  pipeline: typeof import('node:stream/promises').pipeline;
  createGunzip: typeof import('node:zlib').createGunzip;
}> {
  const [{ pipeline }, { createGunzip }] = await Promise.all([import('node:stream/promises'), import('node:zlib')]);
  return { pipeline, createGunzip };
}

async function readGzipped(handle: FileHandle, filePath: string, options: DecodeOptions): Promise<MapFile> {
  const { pipeline, createGunzip } = await gunzipModules();
  const decoder = new MrcStreamDecoder(filePath, { ...options, compressed: true });
  // The decoder's own refusal (a damaged header, a map too large): the pipeline reports only an AbortError.
  let refusal: unknown;
  try {
    await pipeline(handle.createReadStream({ start: 0, autoClose: false }), createGunzip(), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        try {
          decoder.push(chunk);
        } catch (error) {
          refusal = error;
          throw error;
        }
      }
    });
  } catch (error) {
    throw gzipError(filePath, refusal ?? error);
  }
  return decoder.finish();
}

/**
 * Writes `bytes` (or the concatenation of several parts) so that `filePath` either keeps its old content or has
 * the complete new one: the data go to a hidden temporary file in the same directory ({@link temporaryFileFor}),
 * are flushed to disk, and the temporary is renamed over `filePath`. On any failure the temporary is removed,
 * and if the process ends first, however it ends, too (io/temporaries.ts): never a truncated file under the
 * final name.
 */
export async function writeFileAtomic(filePath: string, bytes: Uint8Array | readonly Uint8Array[]): Promise<void> {
  const staged = await stageFile(filePath, bytes);
  await staged.commit();
}

/** A file's content: its bytes in parts written one after the other, or a writer. */
export type FileContent = readonly Uint8Array[] | FileWriter;

/**
 * What a file for {@link writeFilesTogether} holds: its bytes in parts, its writer, or `last`: parts made only
 * once every other file is written (a run's report, whose times and peak memory then count the writing).
 */
export type FileSource = { parts: readonly Uint8Array[] } | { writer: FileWriter } | { last: () => readonly Uint8Array[] };

/** A file for {@link writeFilesTogether}: its path and what it holds. */
export type FileToWrite = FileSource & { path: string };

function contentOf(file: FileToWrite): FileContent {
  if ('last' in file) return file.last();
  return 'parts' in file ? file.parts : file.writer;
}

function isParts(content: FileContent): content is readonly Uint8Array[] {
  return Array.isArray(content);
}

/** A complete temporary file waiting to be renamed over its target (see {@link stageFile}). */
export interface StagedFile {
  readonly target: string;
  /** Renames the temporary over the target. */
  commit(): Promise<void>;
  /** Removes the temporary; the target is untouched. */
  discard(): Promise<void>;
}

/**
 * A temporary beside its target, created (empty) and open for writing before its content is known, so that
 * parts of it can be written ahead (see {@link prepareFiles}).
 */
export interface PreparedFile {
  readonly target: string;
  /**
   * Starts writing `bytes` at `position` at once, on a thread of libuv's pool, while this thread goes on with
   * other work (even synchronous work: the write is under way when this returns). The bytes must not change
   * until the file is written ({@link writeFilesTogether}), which uses what was written ahead only when the
   * file's final parts have exactly these bytes (the same memory) at that position.
   */
  writeAhead(bytes: Uint8Array, position: number): void;
}

/** A temporary beside its target, created (empty) and open for writing. */
interface OpenTemporary extends StagedFile, PreparedFile {
  /**
   * Writes the content: parts one after the other (those written ahead as they are), or what a writer writes;
   * then flushes it to disk, closes.
   */
  fill(content: FileContent): Promise<void>;
  /** Whether the parts written ahead are parts of the content, at their places (never for a writer). */
  aheadFits(content: FileContent): boolean;
}

/** Writes `bytes` at `position`, however many calls it takes (each at most WRITE_CHUNK_BYTES). */
async function writeAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const length = Math.min(bytes.length - offset, WRITE_CHUNK_BYTES);
    const { bytesWritten } = await handle.write(bytes, offset, length, position + offset);
    offset += bytesWritten;
  }
}

/** The position of each part when they are written one after the other. */
function positionsOf(parts: readonly Uint8Array[]): number[] {
  let at = 0;
  return parts.map((p) => {
    const position = at;
    at += p.length;
    return position;
  });
}

/**
 * Flags of a prepared temporary: created exclusively, and with O_DSYNC where the system has it, so that each
 * write returns only once its data are on disk. A part written ahead is then flushed on libuv's thread while
 * the run goes on, and the fsync at the end finds little left to do (about 30 ms less per map at the end).
 */
function preparedFlags(): string | number {
  const { O_WRONLY, O_CREAT, O_EXCL, O_DSYNC } = fsConstants;
  return O_DSYNC ? O_WRONLY | O_CREAT | O_EXCL | O_DSYNC : 'wx';
}

/** A temporary for `filePath`, opened; the caller has removed the stale ones (removeStaleTemporaries). */
async function openTemporary(filePath: string, prepared = false): Promise<OpenTemporary> {
  const temporary = temporaryFileFor(filePath);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary.path, prepared ? preparedFlags() : 'wx');
  } catch (error) {
    temporary.release();
    throw fileSystemError(filePath, error, 'write');
  }
  const ahead: { bytes: Uint8Array; position: number; done: Promise<unknown> }[] = [];
  const discard = async () => {
    await Promise.all(ahead.map((a) => a.done));
    if (handle) await handle.close().catch(() => undefined);
    handle = undefined;
    await unlink(temporary.path).catch(() => undefined);
    temporary.release();
  };
  // The same part: the very memory written ahead, at the same place in the file.
  const samePart = (a: (typeof ahead)[number], part: Uint8Array, position: number) =>
    a.position === position && a.bytes.buffer === part.buffer && a.bytes.byteOffset === part.byteOffset && a.bytes.length === part.length;
  const isAhead = (part: Uint8Array, position: number) => ahead.some((a) => samePart(a, part, position));
  return {
    target: filePath,
    writeAhead: (bytes, position) => {
      // The first write is issued now (before any await); a failure is reported by fill().
      const done = writeAt(handle!, bytes, position).then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      ahead.push({ bytes, position, done });
    },
    aheadFits: (content) => {
      // A writer writes its own bytes, without O_DSYNC's wait on each write (see preparedFlags).
      if (!isParts(content)) return false;
      const positions = positionsOf(content);
      return ahead.every((a) => content.some((p, i) => samePart(a, p, positions[i])));
    },
    fill: async (content) => {
      try {
        if (isParts(content)) {
          const positions = positionsOf(content);
          for (let i = 0; i < content.length; i++) if (!isAhead(content[i], positions[i])) await writeAt(handle!, content[i], positions[i]);
        } else {
          await content((bytes, position) => writeAt(handle!, bytes, position));
        }
        for (const a of ahead) {
          const outcome = (await a.done) as { error: unknown } | undefined;
          if (outcome) throw outcome.error;
        }
        await handle!.sync();
        const closing = handle!;
        handle = undefined;
        await closing.close();
      } catch (error) {
        await discard();
        throw fileSystemError(filePath, error, 'write');
      }
    },
    commit: async () => {
      try {
        await rename(temporary.path, filePath);
      } catch (error) {
        await unlink(temporary.path).catch(() => undefined);
        throw fileSystemError(filePath, error, 'write');
      } finally {
        temporary.release();
      }
    },
    discard,
  };
}

/**
 * Creates the temporaries of files that will be written by {@link writeFilesTogether} (pass them to it), so
 * that parts can be written ahead while their other parts are still being computed. Until then they are
 * pending temporaries like any other (removed if the process ends first: io/temporaries.ts);
 * {@link discardPreparedFiles} removes them when the run fails before writing.
 */
export async function prepareFiles(paths: readonly string[]): Promise<PreparedFile[]> {
  const prepared: OpenTemporary[] = [];
  await removeStaleTemporaries(paths);
  try {
    for (const p of paths) prepared.push(await openTemporary(p, true));
  } catch (error) {
    await discardPreparedFiles(prepared);
    throw error;
  }
  return prepared;
}

/** Removes prepared temporaries that will not be written (see {@link prepareFiles}). */
export async function discardPreparedFiles(prepared: readonly PreparedFile[]): Promise<void> {
  for (const p of prepared) await (p as OpenTemporary).discard();
}

/**
 * The first half of {@link writeFileAtomic}: writes the bytes to a temporary beside `filePath` and flushes it
 * to disk, but does not rename it yet, so several files can be put in place together (see
 * {@link writeFilesTogether}). Until it is committed or discarded, the temporary is removed if the process
 * ends (io/temporaries.ts).
 */
export async function stageFile(filePath: string, bytes: Uint8Array | readonly Uint8Array[]): Promise<StagedFile> {
  await removeStaleTemporaries([filePath]);
  const staged = await openTemporary(filePath);
  await staged.fill(bytes instanceof Uint8Array ? [bytes] : bytes);
  return staged;
}

/**
 * Writes several files so that a failure while writing any of them (a full disk, a missing folder, Ctrl-C)
 * leaves every target as it was: all are staged first, and only when every one is complete on disk are they
 * renamed into place, in order. A run's outputs therefore never mix with an earlier run's.
 *
 * The temporaries are created one after the other, then written and flushed all at once: the copies into the
 * page cache and the flushes of several files overlap on the threads of libuv's pool (two 64 MB maps take
 * about the time of one). On a failure every temporary is removed and the first failure is thrown. `prepared`
 * temporaries ({@link prepareFiles}) are used for their targets, with what was written ahead of them, when that
 * is part of the final content; any other is removed. Files made `last` are made and written after the others.
 */
export async function writeFilesTogether(files: readonly FileToWrite[], prepared: readonly PreparedFile[] = []): Promise<void> {
  const staged: OpenTemporary[] = [];
  const unused = new Set(prepared as readonly OpenTemporary[]);
  try {
    await refuseUnreplaceableTargets(files.map((f) => f.path));
    // The prepared files' stale temporaries went when they were prepared.
    await removeStaleTemporaries(files.filter((file) => !prepared.some((p) => p.target === file.path)).map((f) => f.path));
    for (const file of files) {
      const ready = 'last' in file ? undefined : [...unused].find((p) => p.target === file.path && p.aheadFits(contentOf(file)));
      unused.delete(ready!);
      staged.push(ready ?? (await openTemporary(file.path)));
    }
  } catch (error) {
    for (const s of [...staged, ...unused]) await s.discard();
    throw error;
  }
  for (const p of unused) await p.discard();
  const indices = files.map((_, i) => i);
  for (const phase of [indices.filter((i) => !('last' in files[i])), indices.filter((i) => 'last' in files[i])]) {
    // async: content made `last` that throws is a failure like a failed write.
    const filled = await Promise.allSettled(phase.map(async (i) => staged[i].fill(contentOf(files[i]))));
    const failure = filled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      for (const s of staged) await s.discard();
      throw failure.reason;
    }
  }
  for (const s of staged) await s.commit();
}

/**
 * What would make the renames fail part-way (some outputs replaced, others not), refused before any is made:
 * two outputs under one name, or a folder where an output goes.
 */
export async function refuseUnreplaceableTargets(targets: readonly string[]): Promise<void> {
  const seen = new Set<string>();
  for (const target of targets.map((t) => path.resolve(t))) {
    if (seen.has(target)) throw new FileError(`${target}: two outputs of this run would have this name (check -o); nothing was written`);
    seen.add(target);
    // Not there is the usual case; not reachable, the temporary's creation says why.
    if (await isFolder(target)) throw new FileError(`${target}: a folder of this name is in the way of the output; nothing was written`);
  }
}

/**
 * Refuses, before anything is written, outputs that would replace one of the run's input files (the same
 * file, whatever path, symbolic or hard link leads to it): e.g. `-o` naming the input map, or a mask that is
 * an earlier run's output of the same name. `howToAvoid` says, for the output, what the user can change.
 */
export async function refuseToOverwriteInputs(
  outputs: readonly string[],
  inputs: readonly string[],
  howToAvoid: (output: string) => string = () => 'choose another output name or --output-dir',
): Promise<void> {
  const identity = async (file: string) => {
    try {
      const info = await stat(file);
      return `${info.dev}:${info.ino}`;
    } catch {
      return undefined;
    }
  };
  const inputIds = new Map<string, string>();
  for (const input of inputs) {
    const id = await identity(input);
    if (id) inputIds.set(id, input);
  }
  for (const output of outputs) {
    const id = await identity(output);
    const input = id && inputIds.get(id);
    if (input) {
      throw new FileError(
        `${output}: this output would replace the input ${input}; nothing was written (${howToAvoid(output)})`,
      );
    }
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
