/**
 * The one data type of the numerical core: a 3D grid of float32 values in file order.
 *
 * `data[(z * ny + y) * nx + x]`, where z is the slowest axis (sections), y the rows and x the fastest
 * (columns) — the order the MRC body is stored in, and the order METHOD.md computes in. Nothing in the
 * core depends on which spatial axis is which.
 */
import { extremesOf } from './wasm/scans.js';
import { zeroedFloat32Array } from './buffers.js';

export interface Volume {
  readonly data: Float32Array;
  readonly nz: number;
  readonly ny: number;
  readonly nx: number;
}

export function createVolume(nz: number, ny: number, nx: number, data?: Float32Array): Volume {
  const size = nz * ny * nx;
  if (data && data.length !== size) {
    throw new RangeError(`volume data has ${data.length} values, expected ${nz}x${ny}x${nx} = ${size}`);
  }
  return { data: data ?? zeroedFloat32Array(size), nz, ny, nx };
}

/**
 * A map whose values are made a run of whole z-planes at a time when asked, and never held whole: a large
 * map's scale and confidence at the input's box, written to their files as they are made (run/outputs.ts).
 * Making the same planes again gives the same values.
 */
export interface PlaneSource {
  readonly nz: number;
  readonly ny: number;
  readonly nx: number;
  /** Fills `into` (a whole number of planes, `ny · nx` values each) with the planes from `firstPlane` on. */
  fillPlanes(firstPlane: number, into: Float32Array): void;
}

export function isPlaneSource(v: Volume | PlaneSource): v is PlaneSource {
  return 'fillPlanes' in v;
}

/** The map of a plane source, made whole (for what needs every value at once). */
export function wholeVolume(v: Volume | PlaneSource): Volume {
  if (!isPlaneSource(v)) return v;
  const volume = createVolume(v.nz, v.ny, v.nx);
  v.fillPlanes(0, volume.data);
  return volume;
}

/** A cube of edge n. */
export function createCube(n: number, data?: Float32Array): Volume {
  return createVolume(n, n, n, data);
}

/** Whether two volumes have the same box (nz, ny, nx). */
export function sameShape(a: Pick<Volume, 'nz' | 'ny' | 'nx'>, b: Pick<Volume, 'nz' | 'ny' | 'nx'>): boolean {
  return a.nz === b.nz && a.ny === b.ny && a.nx === b.nx;
}

export function isCube(v: Volume): boolean {
  return v.nz === v.ny && v.ny === v.nx;
}

/** Edge of a cubic volume; throws for a non-cubic one (callers pad first, see core/box.ts). */
export function cubeEdge(v: Volume): number {
  if (!isCube(v)) throw new RangeError(`expected a cubic volume, got ${v.nz}x${v.ny}x${v.nx}`);
  return v.nx;
}

/** A block of a cube: the position of its first voxel (z, y, x) and its box (nz, ny, nx). */
export interface CubeBlock {
  readonly offset: readonly [number, number, number];
  readonly shape: readonly [number, number, number];
}

/** Throws unless `block` is a non-empty box of whole voxels within a cube of edge `n`. */
export function checkBlockInCube(block: CubeBlock, n: number): void {
  for (let a = 0; a < 3; a++) {
    const [o, s] = [block.offset[a], block.shape[a]];
    if (!Number.isInteger(o) || !Number.isInteger(s) || o < 0 || s < 1 || o + s > n) {
      throw new RangeError(`block ${block.shape.join('x')} at ${block.offset.join(', ')} is outside the ${n}-cube`);
    }
  }
}

export function voxelCount(v: Volume): number {
  return v.nz * v.ny * v.nx;
}

/** Arrays at least this long go through the WebAssembly kernel (below it, compiling it costs more). */
const KERNEL_MIN_VALUES = 4096;

/**
 * [min, max] of the values as the scan `if (v < lo) lo = v; if (v > hi) hi = v` from ±Infinity gives them:
 * NaN ignored, and a zero extreme signed as the first zero met. A large Float32Array goes through the
 * WebAssembly extremes (src/core/wasm/scans.ts) when it holds no NaN, with the sign of a zero extreme taken
 * from the first zero; otherwise (or for the values after its whole vectors) the scan itself.
 */
export function valueRange(data: ArrayLike<number>): [number, number] {
  return scanRange(data).range;
}

/**
 * `valueRange`, and whether every value is finite (false also when that was not looked at: no NaN seen).
 * Nothing is remembered (unlike {@link allFiniteAndFixed}): for arrays whose contents change, e.g. a buffer
 * that a reader refills.
 */
export function scanRange(data: ArrayLike<number>): { range: [number, number]; finite: boolean } {
  let lo = Infinity;
  let hi = -Infinity;
  let from = 0;
  let finite = false;
  if (data instanceof Float32Array && data.length >= KERNEL_MIN_VALUES) {
    const found = extremesOf(data);
    if (found && !Number.isNaN(found.min) && !Number.isNaN(found.max)) {
      ({ min: lo, max: hi, done: from } = found);
      finite = Number.isFinite(lo) && Number.isFinite(hi);
      if (lo === 0 || hi === 0) {
        const zero = firstZero(data, from);
        if (lo === 0) lo = zero;
        if (hi === 0) hi = zero;
      }
    }
  }
  for (let i = from; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (!Number.isFinite(v)) finite = false;
  }
  return { range: [lo, hi], finite };
}

const fixedRanges = new WeakMap<Float32Array, [number, number]>();

/**
 * `valueRange` of an array that no longer changes (the input map as read and checked), computed once: the
 * finite-values check, the report and the clipping of every modified map all ask for it.
 */
export function fixedValueRange(data: Float32Array): [number, number] {
  let range = fixedRanges.get(data);
  if (!range) {
    range = valueRange(data);
    fixedRanges.set(data, range);
  }
  return range;
}

/**
 * Whether every value is finite, decided from the WebAssembly extremes (a NaN makes them NaN, an infinity is
 * one of them) and a scan of the values after the whole vectors; false when it cannot be decided that way
 * (no WebAssembly SIMD, a small array) or a value is not finite. When true, the range is remembered for
 * {@link fixedValueRange} (the array must then no longer change).
 */
export function allFiniteAndFixed(data: Float32Array): boolean {
  const { range, finite } = scanRange(data);
  if (finite) fixedRanges.set(data, range);
  return finite;
}

/** The first zero (+0 or -0) among the first `end` values (there is one). */
function firstZero(data: Float32Array, end: number): number {
  for (let i = 0; i < end; i++) if (data[i] === 0) return data[i];
  return 0;
}
