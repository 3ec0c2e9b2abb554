/**
 * Planes of a volume for the slice viewer. Axes are the file's: x = columns (fastest), y = rows,
 * z = sections (slowest) — the spatial x, y, z for the usual axis order 1, 2, 3.
 *
 * Image layout: pixel (u, v) with u across and v down, v = 0 at the top —
 *   z slice: u = column, v = row;  y slice: u = column, v = section;  x slice: u = row, v = section.
 */
import type { SliceAxis } from '../state/app-state.js';

export interface SliceSource {
  data: Float32Array;
  /** File order: [sections, rows, columns]. */
  shape: readonly [number, number, number];
}

export interface Slice {
  width: number;
  height: number;
  /** Row-major, `values[v * width + u]`. */
  values: Float32Array;
  /** The plane's index along the axis. */
  index: number;
}

/** Planes along an axis. */
export function planeCount(shape: SliceSource['shape'], axis: SliceAxis): number {
  const [nz, ny, nx] = shape;
  return axis === 'x' ? nx : axis === 'y' ? ny : nz;
}

/** The plane at a fractional position (0…1) of the box, so volumes of different boxes show the same place. */
export function planeAt(shape: SliceSource['shape'], axis: SliceAxis, position: number): number {
  const n = planeCount(shape, axis);
  return Math.min(n - 1, Math.max(0, Math.floor(position * n)));
}

/** The fractional position at the centre of a plane (the inverse of planeAt). */
export function positionOf(shape: SliceSource['shape'], axis: SliceAxis, index: number): number {
  return (index + 0.5) / planeCount(shape, axis);
}

export function extractSlice(source: SliceSource, axis: SliceAxis, index: number): Slice {
  const [nz, ny, nx] = source.shape;
  const { data } = source;
  if (axis === 'z') {
    return { width: nx, height: ny, index, values: data.slice(index * ny * nx, (index + 1) * ny * nx) };
  }
  if (axis === 'y') {
    const values = new Float32Array(nx * nz);
    for (let z = 0; z < nz; z++) values.set(data.subarray((z * ny + index) * nx, (z * ny + index + 1) * nx), z * nx);
    return { width: nx, height: nz, index, values };
  }
  const values = new Float32Array(ny * nz);
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) values[z * ny + y] = data[(z * ny + y) * nx + index];
  return { width: ny, height: nz, index, values };
}

export interface SliceStatistics {
  min: number;
  max: number;
  mean: number;
}

/** Summed in float64 in index order, so the same values give the same mean anywhere (tests compare it). */
export function sliceStatistics(values: Float32Array): SliceStatistics {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: sum / values.length };
}
