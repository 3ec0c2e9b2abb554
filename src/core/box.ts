/**
 * Any box to the even cube the method needs, and back (issue: "every map a user throws at it").
 *
 * The published program refuses non-cubic and odd boxes. Here such a map is embedded, centred, in the smallest
 * even cube that holds it; the margin is filled by mirroring the map at its faces (scipy `reflect` order), so
 * it carries the map's own solvent statistics instead of a constant spike in the histogram. Estimation then
 * runs unchanged, and outputs are cropped back to the input's box. For a cubic even map nothing changes: the
 * functions return the input itself.
 */
import { blockPlaneMakerWasm, planeSlots, type AxisSamples, type BlockPlaneMaker } from './box-sampling-kernel.js';
import { createVolume, type PlaneSource, type Volume } from './volume.js';
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

/**
 * A map's even cube, described rather than made: the map, the cube's edge and the map's place in it. Its rows
 * are those {@link embedInEvenCube} would hold ({@link copyCubeRow}), so a step that reads the cube a row at a
 * time (the down-sampling) can read them from the map and the cube need not exist.
 */
export interface MirroredCube {
  readonly map: Volume;
  readonly edge: number;
  /** Position of the map's first voxel in the cube (z, y, x). */
  readonly offset: readonly [number, number, number];
  /** Columns of the cube's rows outside the map, and the map's columns they mirror. */
  readonly marginXs: Int32Array;
  readonly sourceXs: Int32Array;
}

/** Whether `v` is a cube described ({@link MirroredCube}) rather than a volume. */
export function isMirroredCube(v: object): v is MirroredCube {
  return 'marginXs' in v && 'map' in v;
}

/** `v`'s even cube described; `edge` may be larger than its own (for a part of a map, e.g. one of its planes). */
export function mirroredCube(v: Volume, edge = evenCubeEdge([v.nz, v.ny, v.nx])): MirroredCube {
  const offset = [v.nz, v.ny, v.nx].map((s) => Math.floor((edge - s) / 2)) as [number, number, number];
  const margin: number[] = [];
  for (let x = 0; x < edge; x++) if (x < offset[2] || x >= offset[2] + v.nx) margin.push(x);
  const marginXs = Int32Array.from(margin);
  const sourceXs = Int32Array.from(margin, (x) => reflectIndex(x - offset[2], v.nx));
  return { map: v, edge, offset, marginXs, sourceXs };
}

/** Row (z, y) of the cube, `cube.edge` values, into `out` from `at`. */
export function copyCubeRow(cube: MirroredCube, z: number, y: number, out: Float32Array, at: number): void {
  const { map, offset, marginXs, sourceXs } = cube;
  const src = (reflectIndex(z - offset[0], map.nz) * map.ny + reflectIndex(y - offset[1], map.ny)) * map.nx;
  const data = map.data;
  out.set(data.subarray(src, src + map.nx), at + offset[2]);
  for (let i = 0; i < marginXs.length; i++) out[at + marginXs[i]] = data[src + sourceXs[i]];
}

export function embedInEvenCube(v: Volume): CubeEmbedding {
  const shape: [number, number, number] = [v.nz, v.ny, v.nx];
  const n = evenCubeEdge(shape);
  if (v.nz === n && v.ny === n && v.nx === n) return { cube: v, offset: [0, 0, 0], shape, identity: true };
  const mirrored = mirroredCube(v);
  const [oz, oy] = mirrored.offset;
  const cube = createVolume(n, n, n);
  const out = cube.data;
  // Each margin voxel is a copy of an inner one (reflectIndex), and a whole margin row or plane of a whole inner
  // row or plane: the map's rows are copied in with their x margins, then the y margin rows and the z margin
  // planes copied from the inner ones.
  const plane = n * n;
  for (let z = oz; z < oz + v.nz; z++) {
    for (let y = oy; y < oy + v.ny; y++) copyCubeRow(mirrored, z, y, out, z * plane + y * n);
    for (let y = 0; y < n; y++) {
      if (y >= oy && y < oy + v.ny) continue;
      const from = z * plane + (oy + reflectIndex(y - oy, v.ny)) * n;
      out.copyWithin(z * plane + y * n, from, from + n);
    }
  }
  for (let z = 0; z < n; z++) {
    if (z >= oz && z < oz + v.nz) continue;
    const from = (oz + reflectIndex(z - oz, v.nz)) * plane;
    out.copyWithin(z * plane, from, from + plane);
  }
  return { cube, offset: [...mirrored.offset], shape, identity: false };
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

/** Grid positions `(i + off) * m / cubeEdge` of `count` voxels, clamped to [0, m - 1], as index pairs and weights. */
function axisSamples(count: number, off: number, m: number, cubeEdge: number): AxisSamples {
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
}

/**
 * Values of a volume sampled on a coarser (or finer) grid of the same cube, at the voxels of a block of that
 * cube: for a cube of edge `n` Fourier-resampled to edge `m = grid.nx` (METHOD.md §3), grid voxel `j` sits at
 * cube coordinate `j * n / m` (the resampled map is the band-limited interpolant at those points). Each voxel
 * `i` of the block at `offset` with `shape` (cube coordinate `i + offset`) gets the trilinear interpolation of
 * `grid` at `(i + offset) * m / n`, clamped to the grid. Trilinear, not Fourier, so values stay within the
 * grid's range (a scale or confidence stays in [0, 1]) and no ringing appears.
 *
 * The interpolation runs along x, then y, then z, in double precision (`a + w (b - a)` at each step), and
 * each value is rounded once to float32. Every step's result depends on fewer indices than the voxel's, so
 * each is computed once and reused rather than once per voxel: a grid row interpolated along x serves every
 * output row that lies next to it, and a grid plane interpolated along x and y serves every output plane next
 * to it. The operations on each value are still those of the formula voxel by voxel, so the result is that
 * formula's, bit for bit (tested); it takes about two interpolations a voxel instead of seven, and no gathers
 * but along x. WebAssembly SIMD runs it where there is some (./box-sampling-kernel.ts; `wasm: false` runs the
 * JavaScript here).
 */
export function sampleBlockFromGrid(
  grid: Volume,
  cubeEdge: number,
  offset: readonly number[],
  shape: readonly [number, number, number],
  options: { wasm?: boolean } = {},
): Volume {
  const sampler = blockSampler(grid, cubeEdge, offset, shape, options);
  const out = createVolume(shape[0], shape[1], shape[2]);
  if (out.data.length > 0) sampler.fillPlanes(0, out.data);
  return out;
}

/**
 * {@link sampleBlockFromGrid} made a run of planes at a time, when asked: the same values, bit for bit, and
 * never the whole block at once (a large map's scale is written to its file as it is made). Planes asked for
 * in increasing order cost the least (the grid planes between them are kept from one call to the next).
 */
export function blockSampler(
  grid: Volume,
  cubeEdge: number,
  offset: readonly number[],
  shape: readonly [number, number, number],
  options: { wasm?: boolean } = {},
): PlaneSource {
  const m = grid.nx;
  if (grid.ny !== m || grid.nz !== m) throw new RangeError(`expected a cubic grid, got ${grid.nz}x${grid.ny}x${grid.nx}`);
  const [nz, ny, nx] = shape;
  for (let a = 0; a < 3; a++) {
    if (offset[a] < 0 || offset[a] + shape[a] > cubeEdge) throw new RangeError(`block ${shape} at ${offset} is outside the ${cubeEdge}-cube`);
  }
  const az = axisSamples(nz, offset[0], m, cubeEdge);
  const count = ny * nx;
  // Made at the first call: an empty block needs none, and a block never asked for costs nothing.
  let makePlane: BlockPlaneMaker | undefined;
  return {
    nz,
    ny,
    nx,
    fillPlanes(firstPlane, into) {
      const planes = count > 0 ? into.length / count : 0;
      if (!Number.isInteger(planes) || !Number.isInteger(firstPlane) || firstPlane < 0 || firstPlane + planes > nz) {
        throw new RangeError(`${into.length} values from plane ${firstPlane} are not whole planes of the ${nz}x${ny}x${nx} block`);
      }
      if (planes === 0) return;
      if (!makePlane) {
        const ay = axisSamples(ny, offset[1], m, cubeEdge);
        const ax = axisSamples(nx, offset[2], m, cubeEdge);
        makePlane = (options.wasm !== false && blockPlaneMakerWasm(grid.data, m, ay, ax)) || blockPlaneMakerJs(grid.data, m, ay, ax);
      }
      for (let p = 0; p < planes; p++) {
        const z = firstPlane + p;
        makePlane(az.lo[z], az.hi[z], az.w[z], into, p * count);
      }
    },
  };
}

/** {@link blockPlaneMakerWasm} in JavaScript. */
function blockPlaneMakerJs(g: Float32Array, m: number, ay: AxisSamples, ax: AxisSamples): BlockPlaneMaker {
  const [ny, nx] = [ay.lo.length, ax.lo.length];
  const count = ny * nx;
  const planes = [0, 1].map(() => new Float64Array(count));
  const xRows = gridRowsAlongX(g, m, ay, ax);
  const slots = planeSlots((index, slot) => gridPlaneAlongXY(xRows(index), ay, nx, planes[slot]));
  return (lo, hi, wz, out, at) => {
    const [a, b] = slots(lo, hi);
    const [c0, c1] = [planes[a], planes[b]];
    for (let i = 0; i < count; i++) out[at + i] = c0[i] + wz * (c1[i] - c0[i]);
  };
}

/**
 * For grid plane `index`, its rows the block's rows lie between (a contiguous range from `ay.lo[0]`, since the
 * positions increase) interpolated along x to the block's columns; one buffer, refilled at each call.
 */
function gridRowsAlongX(g: Float32Array, m: number, ay: AxisSamples, ax: AxisSamples): (index: number) => Float64Array {
  const nx = ax.lo.length;
  const firstRow = ay.lo[0];
  const rows = new Float64Array((ay.hi[ay.hi.length - 1] - firstRow + 1) * nx);
  const { lo: x0, hi: x1, w: wx } = ax;
  return (index) => {
    for (let r = 0, count = rows.length / nx; r < count; r++) {
      const src = (index * m + firstRow + r) * m;
      const dst = r * nx;
      for (let x = 0; x < nx; x++) {
        const a = g[src + x0[x]];
        rows[dst + x] = a + wx[x] * (g[src + x1[x]] - a);
      }
    }
    return rows;
  };
}

/** The rows of `gridRowsAlongX` interpolated along y to the block's rows, into `values` (ny·nx). */
function gridPlaneAlongXY(rows: Float64Array, ay: AxisSamples, nx: number, values: Float64Array): void {
  const firstRow = ay.lo[0];
  for (let y = 0; y < ay.lo.length; y++) {
    const r0 = (ay.lo[y] - firstRow) * nx;
    const r1 = (ay.hi[y] - firstRow) * nx;
    const wy = ay.w[y];
    const dst = y * nx;
    for (let x = 0; x < nx; x++) values[dst + x] = rows[r0 + x] + wy * (rows[r1 + x] - rows[r0 + x]);
  }
}
