/**
 * The one data type of the numerical core: a 3D grid of float32 values in file order.
 *
 * `data[(z * ny + y) * nx + x]`, where z is the slowest axis (sections), y the rows and x the fastest
 * (columns) — the order the MRC body is stored in, and the order METHOD.md computes in. Nothing in the
 * core depends on which spatial axis is which.
 */
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
  return { data: data ?? new Float32Array(size), nz, ny, nx };
}

/** A cube of edge n. */
export function createCube(n: number, data?: Float32Array): Volume {
  return createVolume(n, n, n, data);
}

export function isCube(v: Volume): boolean {
  return v.nz === v.ny && v.ny === v.nx;
}

/** Edge of a cubic volume; throws for a non-cubic one (callers pad first, see core/box.ts). */
export function cubeEdge(v: Volume): number {
  if (!isCube(v)) throw new RangeError(`expected a cubic volume, got ${v.nz}x${v.ny}x${v.nx}`);
  return v.nx;
}

export function voxelCount(v: Volume): number {
  return v.nz * v.ny * v.nx;
}

/** [min, max] of the values, ignoring nothing (callers reject NaN first). */
export function valueRange(data: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
