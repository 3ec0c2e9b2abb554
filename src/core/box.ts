/**
 * Any box to the even cube the method needs, and back (issue: "every map a user throws at it").
 *
 * The published program refuses non-cubic and odd boxes. Here such a map is embedded, centred, in the smallest
 * even cube that holds it; the margin is filled by mirroring the map at its faces (scipy `reflect` order), so
 * it carries the map's own solvent statistics instead of a constant spike in the histogram. Estimation then
 * runs unchanged, and outputs are cropped back to the input's box. For a cubic even map nothing changes: the
 * functions return the input itself.
 */
import { sampleBlockWasm } from './box-sampling-kernel.js';
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

/**
 * Values of a volume sampled on a coarser (or finer) grid of the same cube, at the voxels of a block of that
 * cube: for a cube of edge `n` Fourier-resampled to edge `m = grid.nx` (METHOD.md §3), grid voxel `j` sits at
 * cube coordinate `j * n / m` (the resampled map is the band-limited interpolant at those points). Each voxel
 * `i` of the block at `offset` with `shape` (cube coordinate `i + offset`) gets the trilinear interpolation of
 * `grid` at `(i + offset) * m / n`, clamped to the grid. Trilinear, not Fourier, so values stay within the
 * grid's range (a scale or confidence stays in [0, 1]) and no ringing appears.
 */
export function sampleBlockFromGrid(
  grid: Volume,
  cubeEdge: number,
  offset: readonly number[],
  shape: readonly [number, number, number],
  options: { wasm?: boolean } = {},
): Volume {
  const m = grid.nx;
  if (grid.ny !== m || grid.nz !== m) throw new RangeError(`expected a cubic grid, got ${grid.nz}x${grid.ny}x${grid.nx}`);
  const [nz, ny, nx] = shape;
  for (let a = 0; a < 3; a++) {
    if (offset[a] < 0 || offset[a] + shape[a] > cubeEdge) throw new RangeError(`block ${shape} at ${offset} is outside the ${cubeEdge}-cube`);
  }
  const axis = (count: number, off: number) => {
    const lo = new Int32Array(count);
    const hi = new Int32Array(count);
    const w = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const p = Math.min(Math.max(((i + off) * m) / cubeEdge, 0), m - 1);
      const f = Math.floor(p);
      lo[i] = f;
      hi[i] = Math.min(f + 1, m - 1);
      w[i] = p - f;
    }
    return { lo, hi, w };
  };
  const az = axis(nz, offset[0]);
  const ay = axis(ny, offset[1]);
  const ax = axis(nx, offset[2]);
  const g = grid.data;
  const out = createVolume(nz, ny, nx);
  const o = out.data;
  // The same formula in WebAssembly (./box-sampling-kernel.ts), bit for bit; `wasm: false` runs the loop below.
  if (options.wasm !== false && sampleBlockWasm(g, m, az, ay, ax, o)) return out;
  for (let z = 0; z < nz; z++) {
    const z0 = az.lo[z] * m * m;
    const z1 = az.hi[z] * m * m;
    const wz = az.w[z];
    for (let y = 0; y < ny; y++) {
      const y0 = ay.lo[y] * m;
      const y1 = ay.hi[y] * m;
      const wy = ay.w[y];
      const r00 = z0 + y0;
      const r01 = z0 + y1;
      const r10 = z1 + y0;
      const r11 = z1 + y1;
      const dst = (z * ny + y) * nx;
      for (let x = 0; x < nx; x++) {
        const x0 = ax.lo[x];
        const x1 = ax.hi[x];
        const wx = ax.w[x];
        const c00 = g[r00 + x0] + wx * (g[r00 + x1] - g[r00 + x0]);
        const c01 = g[r01 + x0] + wx * (g[r01 + x1] - g[r01 + x0]);
        const c10 = g[r10 + x0] + wx * (g[r10 + x1] - g[r10 + x0]);
        const c11 = g[r11 + x0] + wx * (g[r11 + x1] - g[r11 + x0]);
        const c0 = c00 + wy * (c01 - c00);
        const c1 = c10 + wy * (c11 - c10);
        o[dst + x] = c0 + wz * (c1 - c0);
      }
    }
  }
  return out;
}
