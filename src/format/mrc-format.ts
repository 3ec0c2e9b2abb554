/**
 * MRC2014 / CCP4 map format: decoding and encoding, pure (typed arrays only, no Node imports) so the browser
 * app can use it as well as the command line.
 *
 * What is read (METHOD.md §1):
 * - Modes 0 (int8, signed as MRC2014 says; IMOD's "unsigned bytes" flag is ignored, as mrcfile and gemmi do),
 *   1 (int16), 2 (float32), 6 (uint16) and 12 (float16), all decoded straight into one Float32Array.
 * - Byte order from the machine stamp (bytes 212–213: 0x44 0x44 or 0x44 0x41 little-endian, 0x11 0x11
 *   big-endian). When the stamp is missing or unknown, or the header makes no sense in the stamp's byte order
 *   but does in the other one (files "in the wild" carry a wrong stamp; mrcfile tolerates the same), the order
 *   in which the header is *plausible* is used: a known mode and every dimension in 1…2^24. A warning says so.
 * - The `MAP ` identifier (bytes 208–211; like mrcfile only `MAP` is compared). Old-style CCP4/MRC files
 *   without it are accepted only when the header is plausible in one byte order AND the file is exactly as long
 *   as the header says (1024 + nsymbt + data bytes); anything else without the identifier is refused as "not
 *   an MRC/CCP4 map". For such files the origin is still read from words 50–52 (bytes 196–207, usually 0).
 * - The extended header (`nsymbt` bytes after the 1024-byte header) is skipped.
 * - Trailing bytes after the data are ignored with a warning (mrcfile warns too), except in old-style files.
 * - Geometry (see {@link MapGeometry}): voxel size `cella / m` per spatial axis, start indices, origin, axis
 *   order, sampling. A cell of 0 Å (what `mrcfile.new` writes when no voxel size is set) gives voxel size 0
 *   and a warning: masks often look like that and are still usable; callers that need a voxel size must check
 *   {@link hasVoxelSize}. A zero or negative sampling `m` with a positive cell falls back to the grid count.
 *
 * Every problem with the bytes throws {@link MapFormatError} with one plain line naming the file. Values are
 * not checked here (NaN/Inf are a later layer's business).
 *
 * Writing is always MRC2014, mode 2 float32 little-endian, passing `mrcfile.validate` strictly.
 *
 * MRC words used below are 1-based as in the MRC2014 document (word n at byte 4(n-1)).
 */
import type { PlaneSource, Volume } from '../core/volume.js';
import { float16Table } from './float16.js';
import { PiecewiseStatistics, statisticsOfMany, type Statistics } from './map-statistics.js';

export type Triple = [number, number, number];

/**
 * Where a map sits in space, as stored in its header, kept so every output overlays its input.
 *
 * - `voxelSize`: Å per voxel along the spatial axes x, y, z (`cella.x / mx`, `cella.y / my`, `cella.z / mz`;
 *   rounded to float32 when read, as mrcfile does).
 * - `origin`: MRC2014 origin (words 50–52), Å, spatial x, y, z.
 * - `start`: `[nxstart, nystart, nzstart]`, the index of the first column, row and section — in *file* axis
 *   order (column, row, section), as MRC2014 defines them, not spatial order.
 * - `axisOrder`: `[mapc, mapr, maps]`, the spatial axis (1 = x, 2 = y, 3 = z) of columns, rows and sections.
 * - `sampling`: `[mx, my, mz]` as read (informational; the encoder writes the volume's own counts).
 */
export interface MapGeometry {
  voxelSize: Triple;
  origin: Triple;
  start: Triple;
  axisOrder: Triple;
  sampling: Triple;
}

export interface MapFile {
  /** Dims in file order: nz = sections, ny = rows, nx = columns. */
  volume: Volume;
  geometry: MapGeometry;
  /** MRC data mode of the file (0, 1, 2, 6 or 12). */
  mode: number;
  /** Byte order the file was actually read in. */
  littleEndian: boolean;
  /** The header's text labels (up to 10, `nlabl` of them), trailing blanks removed. */
  labels: string[];
  extendedHeaderBytes: number;
  /** Things that were tolerated (odd machine stamp, trailing bytes, no voxel size, ...), one line each. */
  warnings: string[];
}

/**
 * A map file that cannot be used as it is: what is wrong inside it (a file that cannot be read or written at
 * all is src/io's `FileError`). The message is one line: the file, then the problem in words a user can act on.
 */
export class MapFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MapFormatError';
  }
}

export const MRC_HEADER_BYTES = 1024;

/** The largest map decoded: one Float32Array (the JavaScript engines' typed-array limit, 16 GiB). */
export const DEFAULT_MAX_VOXELS = 2 ** 32;

interface ModeInfo {
  readonly bytes: number;
  readonly shortName: string;
  readonly description: string;
}

const READABLE_MODES: ReadonlyMap<number, ModeInfo> = new Map([
  [0, { bytes: 1, shortName: 'int8', description: '8-bit integer' }],
  [1, { bytes: 2, shortName: 'int16', description: '16-bit integer' }],
  [2, { bytes: 4, shortName: 'float32', description: '32-bit float' }],
  [6, { bytes: 2, shortName: 'uint16', description: '16-bit unsigned integer' }],
  [12, { bytes: 2, shortName: 'float16', description: '16-bit float' }],
]);

/** Modes MRC2014 defines but a real-valued density map never uses. */
const UNREADABLE_MODES: ReadonlyMap<number, string> = new Map([
  [3, 'complex 16-bit integers, i.e. a Fourier transform'],
  [4, 'complex 32-bit floats, i.e. a Fourier transform'],
  [101, '4-bit packed integers'],
]);

/** Largest per-axis dimension still considered plausible when guessing the byte order (not a limit). */
const PLAUSIBLE_DIMENSION = 2 ** 24;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Whether a map's voxels are stored exactly as this machine's Float32Array holds them (no decoding). */
export function storedAsNativeFloat32(header: Pick<MrcHeader, 'mode' | 'littleEndian'>): boolean {
  return header.mode === 2 && header.littleEndian === HOST_LITTLE_ENDIAN;
}

/** Everything the header says, in the byte order it was read in. */
export interface MrcHeader {
  nx: number;
  ny: number;
  nz: number;
  mode: number;
  littleEndian: boolean;
  start: Triple;
  sampling: Triple;
  cell: Triple;
  cellAngles: Triple;
  axisOrder: Triple;
  dmin: number;
  dmax: number;
  dmean: number;
  rms: number;
  ispg: number;
  extendedHeaderBytes: number;
  exttyp: string;
  nversion: number;
  origin: Triple;
  hasMapStamp: boolean;
  labels: string[];
  voxelSize: Triple;
  warnings: string[];
}

/** What a header's reader tells `onHeader` besides the header. */
export interface HeaderContext {
  /** Whether `planesTo` will be asked for a sink next (a plain file, whose length is known, read with one). */
  canStream: boolean;
}

export interface DecodeOptions {
  /** Refuse maps with more voxels than this (default {@link DEFAULT_MAX_VOXELS}). */
  maxVoxels?: number;
  /**
   * Called once the header is read and checked (and, for a plain file, its length), before the map's memory is
   * allocated: a caller can refuse a map that would not fit up front by throwing.
   */
  onHeader?: (header: MrcHeader, reading: HeaderContext) => void;
}

/**
 * Where the planes (sections) of a map read without keeping it go: `values` holds whole planes, from
 * section `first` on, in file order (rows of nx values). Valid only during the call.
 */
export type PlaneSink = (first: number, values: Float32Array) => void;

/** A map whose voxels went to a {@link PlaneSink} as they were read, not kept: everything else of a `MapFile`. */
export type StreamedMapFile = Omit<MapFile, 'volume'> & {
  /** Sections, rows, columns. */
  shape: Triple;
};

export interface StreamDecodeOptions extends DecodeOptions {
  /** Total length of the (uncompressed) file when known up front: lets a short file fail before allocating. */
  totalBytes?: number;
  /**
   * Asked once the header is checked (after `onHeader`), when the file's length is known: a sink for the
   * planes, for a map to be read without keeping it (see `MrcStreamDecoder.streamedBody`), or undefined to read it
   * as usual.
   */
  planesTo?: (header: MrcHeader) => PlaneSink | undefined;
  /** The bytes come out of a decompressor: messages then speak of the "decompressed file". */
  compressed?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------------------------------------

function int32(view: DataView, word: number, littleEndian: boolean): number {
  return view.getInt32(4 * (word - 1), littleEndian);
}

function float32(view: DataView, word: number, littleEndian: boolean): number {
  return view.getFloat32(4 * (word - 1), littleEndian);
}

function isPlausible(view: DataView, littleEndian: boolean): boolean {
  const mode = int32(view, 4, littleEndian);
  if (!READABLE_MODES.has(mode) && !UNREADABLE_MODES.has(mode)) return false;
  for (let word = 1; word <= 3; word++) {
    const n = int32(view, word, littleEndian);
    if (n < 1 || n > PLAUSIBLE_DIMENSION) return false;
  }
  return true;
}

function stampByteOrder(bytes: Uint8Array): boolean | undefined {
  if (bytes[212] === 0x44 && (bytes[213] === 0x44 || bytes[213] === 0x41)) return true;
  if (bytes[212] === 0x11 && bytes[213] === 0x11) return false;
  return undefined;
}

function hex(bytes: Uint8Array, from: number, to: number): string {
  return Array.from(bytes.subarray(from, to), (b) => '0x' + b.toString(16).padStart(2, '0')).join(' ');
}

function asciiText(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0 ? ' ' : '?';
  return text.replace(/\s+$/, '');
}

/** Name of a compression or other well-known format the bytes start with, if any. */
export function recogniseFileSignature(bytes: Uint8Array): string | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x1f, 0x8b)) return 'gzip';
  if (starts(0x42, 0x5a, 0x68)) return 'bzip2';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'zip';
  if (starts(0x89, 0x48, 0x44, 0x46)) return 'HDF5';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'PNG';
  if (starts(0xff, 0xd8, 0xff)) return 'JPEG';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'TIFF';
  return undefined;
}

function describeSignature(signature: string): string {
  switch (signature) {
    case 'gzip':
      return 'is gzip-compressed; decompress it first (gunzip)';
    case 'bzip2':
    case 'xz':
    case 'zstd':
      return `is ${signature}-compressed, which is not read directly; decompress it first`;
    case 'zip':
      return 'is a zip archive, not a map; extract the map from it first';
    default:
      return `is a ${signature} file, not an MRC/CCP4 map`;
  }
}

/** True when the first bytes look like text (an atomic model, a script, ...), not a binary header. */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 256);
  if (n < 16) return false;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (!(b === 9 || b === 10 || b === 13 || (b >= 0x20 && b < 0x7f))) return false;
  }
  return true;
}

function modeName(mode: number): string {
  const info = READABLE_MODES.get(mode);
  return info ? info.shortName : `mode-${mode}`;
}

function readableModesText(): string {
  return [...READABLE_MODES].map(([m, info]) => `${m} (${info.description})`).join(', ');
}

/** "64x64x64" in MRC order: columns x rows x sections. */
function dimsText(nx: number, ny: number, nz: number): string {
  return `${nx}x${ny}x${nz}`;
}

/** Human size in binary units, e.g. "1.5 GiB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export type AxisName = 'x' | 'y' | 'z';

/** The spatial axis that file axis `fileAxis` (0 = columns, 1 = rows, 2 = sections) runs along. */
export function spatialAxisOf(axisOrder: Triple, fileAxis: 0 | 1 | 2): AxisName {
  return (['x', 'y', 'z'] as const)[axisOrder[fileAxis] - 1];
}

/** `columns along x, rows along y, sections along z` for an axis order: how a file stores its voxels. */
export function storageOf(axisOrder: Triple): string {
  return `columns along ${spatialAxisOf(axisOrder, 0)}, rows along ${spatialAxisOf(axisOrder, 1)}, sections along ${spatialAxisOf(axisOrder, 2)}`;
}

/** Whether the file's columns, rows and sections run along x, y and z, as in nearly every cryo-EM map. */
export function isStandardAxisOrder(axisOrder: Triple): boolean {
  return axisOrder[0] === 1 && axisOrder[1] === 2 && axisOrder[2] === 3;
}

/**
 * A map's voxel counts along x, y and z, from its volume's shape ([sections, rows, columns], file order): they
 * differ from the file order when the axis order is not 1, 2, 3.
 */
export function spatialCounts(shape: Triple, axisOrder: Triple): Triple {
  const fileCounts = [shape[2], shape[1], shape[0]];
  return [1, 2, 3].map((a) => fileCounts[axisOrder.indexOf(a)]) as Triple;
}

function isPermutationOf123(order: readonly number[]): boolean {
  return [...order].sort().join(',') === '1,2,3';
}

/**
 * Parses and checks the 1024-byte header (`bytes` may be longer; only the first 1024 are read). Throws
 * {@link MapFormatError} for anything that makes the map unusable; notes tolerated oddities in `warnings`.
 * Does not know the file length: compare {@link expectedFileBytes} with it.
 */
export function parseMrcHeader(bytes: Uint8Array, fileName: string, options: DecodeOptions = {}): MrcHeader {
  if (bytes.length < MRC_HEADER_BYTES) {
    throw new MapFormatError(
      bytes.length === 0
        ? `${fileName}: file is empty`
        : `${fileName}: file is ${bytes.length} bytes, shorter than the ${MRC_HEADER_BYTES}-byte MRC header; it is not a map or it is truncated`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, MRC_HEADER_BYTES);
  const warnings: string[] = [];
  const hasMapStamp = bytes[208] === 0x4d && bytes[209] === 0x41 && bytes[210] === 0x50; // "MAP"

  if (!hasMapStamp) {
    const signature = recogniseFileSignature(bytes);
    if (signature) throw new MapFormatError(`${fileName}: file ${describeSignature(signature)}`);
    if (looksLikeText(bytes)) {
      throw new MapFormatError(`${fileName}: file is text (an atomic model or a script?), not an MRC/CCP4 map`);
    }
  }

  const stamp = stampByteOrder(bytes);
  const candidates = stamp === undefined ? [true, false] : [stamp, !stamp];
  const plausibleOrder = candidates.find((le) => isPlausible(view, le));
  const littleEndian = plausibleOrder ?? candidates[0];
  if (!hasMapStamp && plausibleOrder === undefined) {
    throw new MapFormatError(
      `${fileName}: not an MRC/CCP4 map (no 'MAP ' identifier at byte 208 and the header values make no sense)`,
    );
  }
  if (stamp === undefined) {
    warnings.push(
      `${fileName}: unrecognised machine stamp (${hex(bytes, 212, 216)}); read as ${littleEndian ? 'little' : 'big'}-endian, the byte order in which the header makes sense`,
    );
  } else if (littleEndian !== stamp) {
    warnings.push(
      `${fileName}: the machine stamp says ${stamp ? 'little' : 'big'}-endian but the header only makes sense ${littleEndian ? 'little' : 'big'}-endian; read it that way`,
    );
  }
  if (!hasMapStamp) {
    warnings.push(`${fileName}: no 'MAP ' identifier (an old-style CCP4/MRC file); read it as MRC2014`);
  }

  const read3i = (word: number): Triple => [int32(view, word, littleEndian), int32(view, word + 1, littleEndian), int32(view, word + 2, littleEndian)];
  const read3f = (word: number): Triple => [float32(view, word, littleEndian), float32(view, word + 1, littleEndian), float32(view, word + 2, littleEndian)];

  const [nx, ny, nz] = read3i(1);
  const mode = int32(view, 4, littleEndian);

  const modeInfo = READABLE_MODES.get(mode);
  if (!modeInfo) {
    const known = UNREADABLE_MODES.get(mode);
    throw new MapFormatError(
      known
        ? `${fileName}: data mode ${mode} (${known}) cannot be read; readable modes are ${readableModesText()}`
        : `${fileName}: unknown data mode ${mode}; the file is damaged or not a map (readable modes are ${readableModesText()})`,
    );
  }
  if (nx < 1 || ny < 1 || nz < 1) {
    throw new MapFormatError(
      `${fileName}: the header gives a map size of ${dimsText(nx, ny, nz)} voxels; every dimension must be at least 1, so the header is damaged`,
    );
  }
  const voxels = nx * ny * nz;
  const maxVoxels = options.maxVoxels ?? DEFAULT_MAX_VOXELS;
  if (voxels > maxVoxels) {
    throw new MapFormatError(
      `${fileName}: the header describes ${dimsText(nx, ny, nz)} voxels, which would need ${formatBytes(voxels * 4)} of memory as float32; at most ${maxVoxels} voxels (${formatBytes(maxVoxels * 4)}) can be loaded, so crop or bin the map first, or the header is damaged`,
    );
  }

  const extendedHeaderBytes = int32(view, 24, littleEndian);
  if (extendedHeaderBytes < 0) {
    throw new MapFormatError(`${fileName}: the extended header size (nsymbt) is negative (${extendedHeaderBytes}); the header is damaged`);
  }

  let axisOrder = read3i(17);
  if (!isPermutationOf123(axisOrder)) {
    if (axisOrder.every((a) => a === 0)) {
      warnings.push(`${fileName}: axis order (mapc, mapr, maps) is not set; assumed columns = x, rows = y, sections = z`);
      axisOrder = [1, 2, 3];
    } else {
      throw new MapFormatError(
        `${fileName}: the axis order (mapc, mapr, maps) = (${axisOrder.join(', ')}) is not an arrangement of 1, 2, 3; the header is damaged`,
      );
    }
  }

  const cell = read3f(11);
  const sampling = read3i(8);
  const fileAxisCounts: Triple = [nx, ny, nz];
  const voxelSize: Triple = [0, 0, 0];
  const axisNames = ['x', 'y', 'z'];
  for (let a = 0; a < 3; a++) {
    if (!Number.isFinite(cell[a]) || cell[a] < 0) {
      throw new MapFormatError(`${fileName}: the cell size along ${axisNames[a]} is ${cell[a]} Å; the header is damaged`);
    }
    // The grid count along spatial axis a: the file axis whose mapc/mapr/maps names a.
    const countAlongAxis = fileAxisCounts[axisOrder.indexOf(a + 1)];
    let m = sampling[a];
    if (m <= 0 && cell[a] > 0) {
      warnings.push(`${fileName}: sampling m${axisNames[a]} is ${m}; used the grid size ${countAlongAxis} to get the voxel size`);
      m = countAlongAxis;
    }
    // Rounded to float32 as mrcfile reports it, so the processing voxel size matches the reference's.
    voxelSize[a] = cell[a] === 0 ? 0 : Math.fround(cell[a] / m);
  }
  if (cell.some((c) => c === 0)) {
    warnings.push(`${fileName}: the header gives no voxel size (cell dimensions ${cell.join(', ')} Å)`);
  }

  const cellAngles = read3f(14);
  const orthogonal = cellAngles.every((angle) => angle === 90) || cellAngles.every((angle) => angle === 0);
  if (!orthogonal) {
    warnings.push(`${fileName}: cell angles are ${cellAngles.join(', ')}°, not 90°; the map is treated as if its voxels were rectangular`);
  }

  let origin = read3f(50);
  if (!origin.every(Number.isFinite)) {
    warnings.push(`${fileName}: the origin (${origin.join(', ')}) is not a number; used 0, 0, 0`);
    origin = [0, 0, 0];
  }

  const ispg = int32(view, 23, littleEndian);
  if (ispg >= 401 && ispg <= 630) {
    warnings.push(`${fileName}: the header marks a stack of volumes (space group ${ispg}); read as one volume of ${nz} sections`);
  }

  if (mode === 0 && int32(view, 39, littleEndian) === IMOD_STAMP && (int32(view, 40, littleEndian) & 1) === 0) {
    warnings.push(
      `${fileName}: the header's IMOD flags say its bytes are unsigned (0 to 255); read as signed (-128 to 127), as MRC2014 says and as mrcfile (and so the published program) reads them`,
    );
  }

  const labelCount = Math.max(0, Math.min(10, int32(view, 56, littleEndian)));
  const labels: string[] = [];
  for (let i = 0; i < labelCount; i++) labels.push(asciiText(bytes.subarray(224 + 80 * i, 224 + 80 * (i + 1))));

  return {
    nx,
    ny,
    nz,
    mode,
    littleEndian,
    start: read3i(5),
    sampling,
    cell,
    cellAngles,
    axisOrder,
    dmin: float32(view, 20, littleEndian),
    dmax: float32(view, 21, littleEndian),
    dmean: float32(view, 22, littleEndian),
    rms: float32(view, 55, littleEndian),
    ispg,
    extendedHeaderBytes,
    exttyp: asciiText(bytes.subarray(104, 108)),
    nversion: int32(view, 28, littleEndian),
    origin,
    hasMapStamp,
    labels,
    voxelSize,
    warnings,
  };
}

/** Bytes per voxel of a readable mode. */
export function bytesPerVoxel(mode: number): number {
  const info = READABLE_MODES.get(mode);
  if (!info) throw new RangeError(`MRC mode ${mode} is not readable`);
  return info.bytes;
}

/** Length of a file holding exactly what the header describes: header, extended header and data. */
export function expectedFileBytes(header: MrcHeader): number {
  return MRC_HEADER_BYTES + header.extendedHeaderBytes + header.nx * header.ny * header.nz * bytesPerVoxel(header.mode);
}

export function truncatedMessage(fileName: string, header: MrcHeader, actualBytes: number, compressed: boolean): string {
  const need = expectedFileBytes(header);
  const extended = header.extendedHeaderBytes > 0 ? `, including a ${header.extendedHeaderBytes}-byte extended header` : '';
  const what = compressed ? 'decompressed file' : 'file';
  return `${fileName}: ${what} is ${actualBytes} bytes but its header describes ${dimsText(header.nx, header.ny, header.nz)} ${modeName(header.mode)} voxels (${need} bytes${extended}); the file is truncated`;
}

export function hasVoxelSize(geometry: MapGeometry): boolean {
  return geometry.voxelSize.every((v) => Number.isFinite(v) && v > 0);
}

/** IMOD's header stamp (word 39): its flags (word 40) are set, bit 0 saying mode 0 bytes are signed. */
const IMOD_STAMP = 1146047817;

// ---------------------------------------------------------------------------------------------------------
// Body
// ---------------------------------------------------------------------------------------------------------

/**
 * Decodes `count` voxels of `mode` from the start of `src` into `dest[destIndex …]`. `src` may start at any
 * byte offset (no alignment needed).
 */
export function decodeVoxels(
  mode: number,
  littleEndian: boolean,
  src: Uint8Array,
  count: number,
  dest: Float32Array,
  destIndex: number,
): void {
  if (count === 0) return;
  const view = new DataView(src.buffer, src.byteOffset, count * bytesPerVoxel(mode));
  switch (mode) {
    case 0: {
      const signed = new Int8Array(src.buffer, src.byteOffset, count);
      for (let i = 0; i < count; i++) dest[destIndex + i] = signed[i];
      break;
    }
    case 1:
      for (let i = 0; i < count; i++) dest[destIndex + i] = view.getInt16(2 * i, littleEndian);
      break;
    case 2:
      if (littleEndian === HOST_LITTLE_ENDIAN) {
        new Uint8Array(dest.buffer, dest.byteOffset + 4 * destIndex, 4 * count).set(src.subarray(0, 4 * count));
      } else {
        for (let i = 0; i < count; i++) dest[destIndex + i] = view.getFloat32(4 * i, littleEndian);
      }
      break;
    case 6:
      for (let i = 0; i < count; i++) dest[destIndex + i] = view.getUint16(2 * i, littleEndian);
      break;
    case 12: {
      const table = float16Table();
      for (let i = 0; i < count; i++) dest[destIndex + i] = table[view.getUint16(2 * i, littleEndian)];
      break;
    }
    default:
      throw new RangeError(`MRC mode ${mode} is not readable`);
  }
}

/**
 * Decodes a map from consecutive pieces of its (uncompressed) bytes, so a file of any size can be read with
 * memory ≈ the decoded Float32Array plus one piece. Feed every piece to {@link push}, then call {@link finish}.
 */
export class MrcStreamDecoder {
  private readonly headerBytes = new Uint8Array(MRC_HEADER_BYTES);
  private headerFilled = 0;
  private header?: MrcHeader;
  private extendedRemaining = 0;
  private data?: Float32Array;
  private voxelsDone = 0;
  private readonly carry = new Uint8Array(4);
  private carryLength = 0;
  private trailingBytes = 0;
  private bytesSeen = 0;
  private sink?: PlaneSink;

  constructor(
    private readonly fileName: string,
    private readonly options: StreamDecodeOptions = {},
  ) {}

  push(chunk: Uint8Array): void {
    this.bytesSeen += chunk.length;
    let offset = 0;
    if (!this.header) {
      const take = Math.min(MRC_HEADER_BYTES - this.headerFilled, chunk.length);
      this.headerBytes.set(chunk.subarray(0, take), this.headerFilled);
      this.headerFilled += take;
      offset = take;
      if (this.headerFilled < MRC_HEADER_BYTES) return;
      this.begin();
    }
    if (this.extendedRemaining > 0) {
      const skip = Math.min(this.extendedRemaining, chunk.length - offset);
      this.extendedRemaining -= skip;
      offset += skip;
    }
    if (offset < chunk.length) this.decodeBody(chunk.subarray(offset));
  }

  finish(): MapFile {
    if (this.sink) throw new Error('finish: the map was streamed (finishStreamed)');
    const { header, warnings } = this.finishedHeader();
    const data = this.data!;
    if (this.extendedRemaining > 0 || this.voxelsDone < data.length) {
      throw new MapFormatError(truncatedMessage(this.fileName, header, this.bytesSeen, this.options.compressed ?? false));
    }
    return { volume: { data, nz: header.nz, ny: header.ny, nx: header.nx }, ...mapFileInfo(header, warnings) };
  }

  /**
   * When the caller's `planesTo` gave a sink: the header, the sink and where the body starts in the file, once
   * the header and extended header have been pushed (undefined before, and for a map read as usual). The
   * caller then reads the body itself, whole planes at a time, decodes them (`decodeVoxels`) and hands them to
   * the sink; the file's length was checked against the header already.
   */
  streamedBody(): { header: MrcHeader; sink: PlaneSink; bodyStart: number } | undefined {
    if (!this.header || !this.sink || this.extendedRemaining > 0) return undefined;
    return { header: this.header, sink: this.sink, bodyStart: MRC_HEADER_BYTES + this.header.extendedHeaderBytes };
  }

  /** A streamed map's description (its body read by the caller), with the warnings `finish` would give. */
  finishStreamed(): StreamedMapFile {
    const body = this.streamedBody();
    if (!body) throw new Error('finishStreamed: not a streamed map, or its header is not read');
    const { header } = body;
    const total = this.options.totalBytes!;
    this.bytesSeen = total;
    this.trailingBytes = total - expectedFileBytes(header);
    const { warnings } = this.finishedHeader();
    return { shape: [header.nz, header.ny, header.nx], ...mapFileInfo(header, warnings) };
  }

  /** The header (a short one refused), and the warnings of a complete read (trailing bytes). */
  private finishedHeader(): { header: MrcHeader; warnings: string[] } {
    const header = this.header;
    if (!header) {
      // Let the header parser phrase "empty" / "too short" for the bytes actually seen.
      parseMrcHeader(this.headerBytes.subarray(0, this.headerFilled), this.fileName, this.options);
      throw new Error('unreachable: a short header must have been refused');
    }
    const warnings = [...header.warnings];
    if (this.trailingBytes > 0) {
      if (!header.hasMapStamp) throw this.oldStyleSizeMismatch(this.bytesSeen);
      warnings.push(`${this.fileName}: ${this.trailingBytes} bytes after the map data were ignored`);
    }
    return { header, warnings };
  }

  private oldStyleSizeMismatch(actualBytes: number): MapFormatError {
    const header = this.header!;
    return new MapFormatError(
      `${this.fileName}: no 'MAP ' identifier and the file is ${actualBytes} bytes, not the ${expectedFileBytes(header)} its header describes; it is not an MRC/CCP4 map or it is damaged`,
    );
  }

  private begin(): void {
    const header = parseMrcHeader(this.headerBytes, this.fileName, this.options);
    this.header = header;
    const total = this.options.totalBytes;
    if (total !== undefined) {
      const need = expectedFileBytes(header);
      if (!header.hasMapStamp && total !== need) throw this.oldStyleSizeMismatch(total);
      if (total < need) throw new MapFormatError(truncatedMessage(this.fileName, header, total, this.options.compressed ?? false));
    }
    // Streamed only where the file's length is known (checked above), so that it reads to its end.
    const canStream = total !== undefined && this.options.planesTo !== undefined;
    this.options.onHeader?.(header, { canStream });
    this.extendedRemaining = header.extendedHeaderBytes;
    this.sink = canStream ? this.options.planesTo?.(header) : undefined;
    if (this.sink) return;
    const voxels = header.nx * header.ny * header.nz;
    try {
      this.data = new Float32Array(voxels);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new MapFormatError(
        `${this.fileName}: not enough memory to load ${dimsText(header.nx, header.ny, header.nz)} voxels (${formatBytes(voxels * 4)} as float32)`,
      );
    }
  }

  /**
   * Where the next bytes of the file can be read straight into the map, with no copy and no decoding: the
   * rest of the map's bytes when the body is float32 in this machine's byte order and the header, extended
   * header and any partial voxel are behind; otherwise undefined (feed {@link push}). After reading n bytes
   * into it, call {@link pushedDirect}(n).
   */
  directTarget(): Uint8Array | undefined {
    const header = this.header;
    const data = this.data;
    if (!header || !data || this.extendedRemaining > 0 || this.carryLength > 0) return undefined;
    if (!storedAsNativeFloat32(header) || this.voxelsDone >= data.length) return undefined;
    return new Uint8Array(data.buffer, data.byteOffset + 4 * this.voxelsDone, 4 * (data.length - this.voxelsDone));
  }

  /** Accounts for `count` bytes read into {@link directTarget}. */
  pushedDirect(count: number): void {
    const target = this.directTarget();
    if (!target || count > target.length) throw new RangeError('pushedDirect: no direct target, or more bytes than it holds');
    this.bytesSeen += count;
    const whole = Math.floor(count / 4);
    this.voxelsDone += whole;
    // A partial voxel waits in the carry, as push() keeps one (its bytes in the map are overwritten later).
    this.carryLength = count - 4 * whole;
    this.carry.set(target.subarray(4 * whole, count), 0);
  }

  /** Bytes the next {@link push} should bring: the rest of the header, then of the extended header, else any. */
  preferredPushBytes(): number | undefined {
    if (!this.header) return MRC_HEADER_BYTES - this.headerFilled;
    return this.extendedRemaining > 0 ? this.extendedRemaining : undefined;
  }

  private decodeBody(bytes: Uint8Array): void {
    const header = this.header!;
    const data = this.data!;
    const size = bytesPerVoxel(header.mode);
    let offset = 0;
    if (this.carryLength > 0) {
      const take = Math.min(size - this.carryLength, bytes.length);
      this.carry.set(bytes.subarray(0, take), this.carryLength);
      this.carryLength += take;
      offset = take;
      if (this.carryLength < size) return;
      decodeVoxels(header.mode, header.littleEndian, this.carry, 1, data, this.voxelsDone);
      this.voxelsDone++;
      this.carryLength = 0;
    }
    const count = Math.min(Math.floor((bytes.length - offset) / size), data.length - this.voxelsDone);
    decodeVoxels(header.mode, header.littleEndian, bytes.subarray(offset), count, data, this.voxelsDone);
    this.voxelsDone += count;
    offset += count * size;
    const rest = bytes.length - offset;
    if (rest === 0) return;
    if (this.voxelsDone === data.length) {
      this.trailingBytes += rest;
    } else {
      this.carry.set(bytes.subarray(offset), 0);
      this.carryLength = rest;
    }
  }
}

/** What a `MapFile` says besides its voxels. */
function mapFileInfo(header: MrcHeader, warnings: string[]): Omit<MapFile, 'volume'> {
  return {
    geometry: {
      voxelSize: header.voxelSize,
      origin: header.origin,
      start: header.start,
      axisOrder: header.axisOrder,
      sampling: header.sampling,
    },
    mode: header.mode,
    littleEndian: header.littleEndian,
    labels: header.labels,
    extendedHeaderBytes: header.extendedHeaderBytes,
    warnings,
  };
}

/** Decodes a whole uncompressed MRC/CCP4 file held in memory. */
export function decodeMrc(bytes: Uint8Array, fileName: string, options: DecodeOptions = {}): MapFile {
  const decoder = new MrcStreamDecoder(fileName, { ...options, totalBytes: bytes.length });
  decoder.push(bytes);
  return decoder.finish();
}

// ---------------------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------------------

export interface EncodeOptions {
  /** Text labels, at most 10 of 80 ASCII characters (longer ones are cut, other characters become '?'). */
  labels?: readonly string[];
}

function checkGeometry(volume: Volume | PlaneSource, geometry: MapGeometry): void {
  if (!isPermutationOf123(geometry.axisOrder)) {
    throw new RangeError(`axis order must be an arrangement of 1, 2, 3, got ${geometry.axisOrder.join(', ')}`);
  }
  if (!geometry.voxelSize.every((v) => Number.isFinite(v) && v >= 0)) {
    throw new RangeError(`voxel size must be finite and not negative, got ${geometry.voxelSize.join(', ')}`);
  }
  if (!geometry.start.every((s) => Number.isInteger(s) && s >= -(2 ** 31) && s < 2 ** 31)) {
    throw new RangeError(`start indices must be 32-bit integers, got ${geometry.start.join(', ')}`);
  }
  const values = 'data' in volume ? volume.data.length : volume.nx * volume.ny * volume.nz;
  if (values !== volume.nx * volume.ny * volume.nz || volume.nx < 1 || volume.ny < 1 || volume.nz < 1) {
    throw new RangeError(`volume ${volume.nx}x${volume.ny}x${volume.nz} does not match its ${values} values`);
  }
}

/**
 * The 1024-byte MRC2014 header for `volume` written as mode 2 float32 little-endian. Cell and sampling follow
 * the volume's own grid: along spatial axis a, `m_a` = the count of the file axis mapped to a (so `mx = nx`
 * etc. for the usual axis order) and `cella_a = voxelSize_a * m_a`. Start, origin and axis order are copied.
 */
export function encodeMrcHeader(volume: Volume, geometry: MapGeometry, options: EncodeOptions = {}): Uint8Array {
  return encodeMrcHeaders([{ volume, geometry, options }])[0];
}

/**
 * The headers of several maps ({@link encodeMrcHeader} of each), their statistics computed together (the
 * WebAssembly sums of several maps overlap: see src/core/wasm/statistics.ts).
 */
export function encodeMrcHeaders(maps: readonly { volume: Volume; geometry: MapGeometry; options?: EncodeOptions }[]): Uint8Array[] {
  for (const { volume, geometry } of maps) checkGeometry(volume, geometry);
  const stats = statisticsOfMany(maps.map((m) => m.volume.data));
  return maps.map((m, i) => headerBytes(m.volume, m.geometry, m.options ?? {}, stats[i]));
}

function headerBytes(volume: Pick<Volume, 'nz' | 'ny' | 'nx'>, geometry: MapGeometry, options: EncodeOptions, stats: Statistics): Uint8Array {
  const bytes = new Uint8Array(MRC_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  const setInt = (word: number, value: number) => view.setInt32(4 * (word - 1), value, true);
  const setFloat = (word: number, value: number) => view.setFloat32(4 * (word - 1), value, true);
  const fileAxisCounts = [volume.nx, volume.ny, volume.nz];

  setInt(1, volume.nx);
  setInt(2, volume.ny);
  setInt(3, volume.nz);
  setInt(4, 2);
  geometry.start.forEach((s, i) => setInt(5 + i, s));
  for (let a = 0; a < 3; a++) {
    const m = fileAxisCounts[geometry.axisOrder.indexOf(a + 1)];
    setInt(8 + a, m);
    setFloat(11 + a, geometry.voxelSize[a] * m);
    setFloat(14 + a, 90);
  }
  geometry.axisOrder.forEach((axis, i) => setInt(17 + i, axis));
  setFloat(20, stats.min);
  setFloat(21, stats.max);
  setFloat(22, stats.mean);
  setInt(23, 1); // a single volume
  setInt(24, 0); // no extended header; exttyp (word 27) stays blank
  setInt(28, 20140);
  geometry.origin.forEach((o, i) => setFloat(50 + i, o));
  bytes.set([0x4d, 0x41, 0x50, 0x20], 208); // "MAP "
  bytes.set([0x44, 0x44, 0x00, 0x00], 212); // little-endian
  setFloat(55, stats.rms);

  const labels = (options.labels ?? []).map((l) => l.replace(/[^\x20-\x7e]/g, '?').slice(0, 80)).filter((l) => l.trim() !== '');
  if (labels.length > 10) throw new RangeError(`at most 10 labels fit in an MRC header, got ${labels.length}`);
  setInt(56, labels.length);
  bytes.fill(0x20, 224, 224 + 80 * labels.length);
  labels.forEach((label, i) => {
    for (let c = 0; c < label.length; c++) bytes[224 + 80 * i + c] = label.charCodeAt(c);
  });
  return bytes;
}

/** The voxel values as little-endian float32 bytes; a view of the data itself on a little-endian machine. */
export function encodeMrcBody(volume: Volume): Uint8Array {
  return littleEndianBytes(volume.data);
}

function littleEndianBytes(data: Float32Array): Uint8Array {
  if (HOST_LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  return bytes;
}

/** Writes `bytes` at `position` of a file; resolves once they are written (the bytes may be reused then). */
export type PositionalWrite = (bytes: Uint8Array, position: number) => Promise<void>;

/**
 * What a file writes itself, instead of bytes in hand: it calls `write` for its bytes at their positions, one
 * call after another finished or several at once, and resolves when it has written them all (a map made as it
 * is written: {@link writeMrcAsMade}).
 */
export type FileWriter = (write: PositionalWrite) => Promise<void>;

/** Values made per piece by {@link writeMrcAsMade}: whole planes of about this many bytes (at least one plane). */
const PIECE_BYTES = 8 * 2 ** 20;

/**
 * The file {@link encodeMrc} would give for the map of `source`, written through `write` as the map is made,
 * whole planes at a time, so that the map is never held whole (a large map's scale at the input's box, 1.4 GB
 * at 700×768×640, which took longer to map into memory than to compute). The statistics in the header need two
 * passes over the values (the mean, then the deviations from it: map-statistics.ts): the first pass is the one
 * written, the second makes the planes again, and the header goes last. Two pieces are in hand, so that the
 * next one is made while the last is written.
 */
export async function writeMrcAsMade(
  source: PlaneSource,
  geometry: MapGeometry,
  options: EncodeOptions,
  write: PositionalWrite,
  pieceBytes = PIECE_BYTES,
): Promise<void> {
  checkGeometry(source, geometry);
  const { nz, ny, nx } = source;
  const plane = ny * nx;
  const planesPerPiece = Math.max(1, Math.min(nz, Math.floor(pieceBytes / (4 * plane))));
  const statistics = new PiecewiseStatistics(nz * plane);
  const pieces = [0, 1].map(() => new Float32Array(planesPerPiece * plane));
  const writing: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
  // The pieces of a pass: the planes from `first` on, in `values` (the last piece may be shorter).
  const eachPiece = async (use: (first: number, values: Float32Array, index: number) => Promise<void> | void) => {
    for (let first = 0, index = 0; first < nz; first += planesPerPiece, index++) {
      const count = Math.min(planesPerPiece, nz - first);
      await use(first, pieces[index % 2].subarray(0, count * plane), index % 2);
    }
  };
  try {
    await eachPiece(async (first, values, slot) => {
      await writing[slot]; // that piece's memory is free again
      source.fillPlanes(first, values);
      statistics.addToFirstPass(values);
      const written = write(littleEndianBytes(values), MRC_HEADER_BYTES + 4 * first * plane);
      // Handled now: a write that fails while the other piece is awaited would otherwise be an unhandled
      // rejection, which ends the process. The awaits below still see the failure.
      written.catch(() => undefined);
      writing[slot] = written;
    });
  } finally {
    // Nothing is left writing from memory that is about to be reused or dropped (a failure is the first one's).
    await Promise.allSettled(writing);
  }
  await Promise.all(writing);
  if (statistics.needsSecondPass) {
    await eachPiece((first, values) => {
      source.fillPlanes(first, values);
      statistics.addToSecondPass(values);
    });
  }
  await write(headerBytes(source, geometry, options, statistics.result()), 0);
}

/** A complete MRC2014 file: mode 2, float32 little-endian (see {@link encodeMrcHeader}). */
export function encodeMrc(volume: Volume, geometry: MapGeometry, options: EncodeOptions = {}): Uint8Array {
  const header = encodeMrcHeader(volume, geometry, options);
  const bytes = new Uint8Array(MRC_HEADER_BYTES + 4 * volume.data.length);
  bytes.set(header, 0);
  bytes.set(encodeMrcBody(volume), MRC_HEADER_BYTES);
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------
// Geometry of outputs at another box size
// ---------------------------------------------------------------------------------------------------------

/** Python's round(): nearest integer, ties to even (the reference rounds start indices this way). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Geometry for a map resampled from `inputBox` to `outputBox` (both `[nz, ny, nx]`, file order) over the same
 * field of view, so it overlays the input (METHOD.md §11). Per file axis with counts `n_in → n_out`:
 * the voxel size of the spatial axis it maps to is multiplied by `n_in / n_out`, and its start index becomes
 * `round(start * n_out / n_in)` (computed as one division, then ties to even like Python's `round` in the
 * reference; a start that does not scale to an integer cannot be represented exactly and moves by at most half
 * an output voxel). Origin and
 * axis order are copied; sampling becomes the output counts.
 */
export function geometryForBox(input: MapGeometry, inputBox: Triple, outputBox: Triple): MapGeometry {
  const voxelSize: Triple = [...input.voxelSize];
  const start: Triple = [...input.start];
  const sampling: Triple = [...input.sampling];
  for (let f = 0; f < 3; f++) {
    const nIn = inputBox[2 - f];
    const nOut = outputBox[2 - f];
    if (!(nIn > 0 && nOut > 0)) throw new RangeError(`box sizes must be positive, got ${inputBox} and ${outputBox}`);
    const a = input.axisOrder[f] - 1;
    voxelSize[a] = input.voxelSize[a] * (nIn / nOut);
    sampling[a] = nOut;
    start[f] = roundHalfEven((input.start[f] * nOut) / nIn) + 0; // + 0 turns -0 into 0
  }
  return { voxelSize, origin: [...input.origin], start, axisOrder: [...input.axisOrder], sampling };
}
