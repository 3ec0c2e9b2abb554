/**
 * Any box to the even cube the method needs, and back (issue: "every map a user throws at it").
 *
 * The published program refuses non-cubic and odd boxes. Here such a map is embedded, centred, in the smallest
 * even cube that holds it; the margin is filled by mirroring the map at its faces (scipy `reflect` order), so
 * it carries the map's own solvent statistics instead of a constant spike in the histogram. Estimation then
 * runs unchanged, and outputs are cropped back to the input's box. For a cubic even map nothing changes: the
 * functions return the input itself.
 */
import { createVolume, type Volume } from './volume.js';
import { reflectIndex } from './filters/reflect.js';

export interface CubeEmbedding {
  cube: Volume;
  /** Position of the input's first voxel in the cube (z, y, x). */
  offset: [number, number, number];
  /** The input's shape (nz, ny, nx). */
  shape: [number, number, number];
  /** True when the input already was an even cube (then `cube` is the input). */
  identity: boolean;
}

export function evenCubeEdge(shape: readonly number[]): number {
  const m = Math.max(...shape);
  return m % 2 === 0 ? m : m + 1;
}

export function embedInEvenCube(v: Volume): CubeEmbedding {
  const shape: [number, number, number] = [v.nz, v.ny, v.nx];
  const n = evenCubeEdge(shape);
  if (v.nz === n && v.ny === n && v.nx === n) return { cube: v, offset: [0, 0, 0], shape, identity: true };
  const offset = shape.map((s) => Math.floor((n - s) / 2)) as [number, number, number];
  const cube = createVolume(n, n, n);
  const out = cube.data;
  const xs = new Int32Array(n);
  for (let x = 0; x < n; x++) xs[x] = reflectIndex(x - offset[2], v.nx);
  for (let z = 0; z < n; z++) {
    const sz = reflectIndex(z - offset[0], v.nz);
    for (let y = 0; y < n; y++) {
      const sy = reflectIndex(y - offset[1], v.ny);
      const src = (sz * v.ny + sy) * v.nx;
      const dst = (z * n + y) * n;
      for (let x = 0; x < n; x++) out[dst + x] = v.data[src + xs[x]];
    }
  }
  return { cube, offset, shape, identity: false };
}

/** The block of `cube` at `offset` with `shape`: undoes {@link embedInEvenCube}. */
export function cropFromCube(cube: Volume, offset: readonly number[], shape: readonly [number, number, number]): Volume {
  const [nz, ny, nx] = shape;
  const out = createVolume(nz, ny, nx);
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const src = ((z + offset[0]) * cube.ny + (y + offset[1])) * cube.nx + offset[2];
      out.data.set(cube.data.subarray(src, src + nx), (z * ny + y) * nx);
    }
  }
  return out;
}
