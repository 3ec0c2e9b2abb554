/**
 * `sampleBlockFromGrid` (./box.ts) in WebAssembly: the same trilinear formula, voxel by voxel, along x, then y,
 * then z, in double precision, each value rounded once to float32 as a Float32Array store rounds; WebAssembly's
 * f64 operations are the IEEE ones (no fused multiply-add), so the results are the JavaScript loop's, bit for bit
 * (tested). The loop costs ~15–20 ns a voxel in JavaScript, most of a down-sampled map's interpolation back to
 * its box (0.5 s per map for 301³); here it is a few.
 *
 * One module per block shape (its loop counts and addresses are constants): the axis tables (byte offsets into
 * the grid and weights), the grid, and one output plane, written by `plane(z0, z1, wz)` for each output z.
 */
import { assembleModule, F64, I32 } from './wasm/assembler.js';
import { FunctionWriter } from './wasm/function-writer.js';

/** For each voxel along an axis: the lower and upper grid index and the weight of the upper one. */
export interface AxisSamples {
  lo: Int32Array;
  hi: Int32Array;
  w: Float64Array;
}

const ENTRY = 16; // a table entry: lower offset (i32), upper offset (i32), weight (f64)

/**
 * The block sampled from `grid` (m³ values) with the axes' samples, into `out` (nz·ny·nx values); false when
 * WebAssembly is missing (the caller then runs the JavaScript loop).
 */
export function sampleBlockWasm(grid: Float32Array, m: number, az: AxisSamples, ay: AxisSamples, ax: AxisSamples, out: Float32Array): boolean {
  if (typeof WebAssembly !== 'object') return false;
  const [nz, ny, nx] = [az.lo.length, ay.lo.length, ax.lo.length];
  const xTable = 0;
  const yTable = xTable + ENTRY * nx;
  const gridAt = Math.ceil((yTable + ENTRY * ny) / 64) * 64;
  const planeAt = gridAt + 4 * grid.length;
  const bytes = planeAt + 4 * ny * nx;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const ints = new Int32Array(memory.buffer);
  const doubles = new Float64Array(memory.buffer);
  const table = (at: number, axis: AxisSamples, scale: number) => {
    for (let i = 0; i < axis.lo.length; i++) {
      ints[at / 4 + 4 * i] = axis.lo[i] * scale;
      ints[at / 4 + 4 * i + 1] = axis.hi[i] * scale;
      doubles[at / 8 + 2 * i + 1] = axis.w[i];
    }
  };
  table(xTable, ax, 4);
  table(yTable, ay, 4 * m);
  const floats = new Float32Array(memory.buffer);
  floats.set(grid, gridAt / 4);
  const module = moduleFor(nx, ny, xTable, yTable, planeAt);
  const plane = new WebAssembly.Instance(module, { env: { memory } }).exports.plane as (z0: number, z1: number, wz: number) => void;
  const count = ny * nx;
  for (let z = 0; z < nz; z++) {
    plane(gridAt + 4 * m * m * az.lo[z], gridAt + 4 * m * m * az.hi[z], az.w[z]);
    out.set(floats.subarray(planeAt / 4, planeAt / 4 + count), z * count);
  }
  return true;
}

/** The module for a block shape, kept for the next call (a run samples its scale and confidence maps alike). */
let last: { key: string; module: WebAssembly.Module } | undefined;
function moduleFor(nx: number, ny: number, xTable: number, yTable: number, planeAt: number): WebAssembly.Module {
  const key = `${nx}:${ny}:${xTable}:${yTable}:${planeAt}`;
  if (last?.key !== key) last = { key, module: new WebAssembly.Module(assembleModule([planeFunction(nx, ny, xTable, yTable, planeAt)], { minimumPages: 1 })) };
  return last.module;
}

/** `plane(z0, z1, wz)`: the output plane between the grid planes at byte addresses z0 and z1. */
function planeFunction(nx: number, ny: number, xTable: number, yTable: number, planeAt: number) {
  const g = new FunctionWriter('plane', [I32, I32, F64]);
  const c = g.code;
  const [z0, z1, wz] = [0, 1, 2];
  const yEntry = g.constPtr(yTable);
  const out = g.constPtr(planeAt);
  const rows = [g.i(), g.i(), g.i(), g.i()]; // r00, r01, r10, r11: (z0, y0), (z0, y1), (z1, y0), (z1, y1)
  const wy = g.f64();
  const wx = g.f64();
  const x0 = g.i();
  const x1 = g.i();
  const lerped = [g.f64(), g.f64(), g.f64(), g.f64()];
  const c0 = g.f64();
  const c1 = g.f64();
  g.repeat(ny, [[yEntry, ENTRY]], () => {
    [
      [z0, 0],
      [z0, 4],
      [z1, 0],
      [z1, 4],
    ].forEach(([z, at], r) => c.localGet(z).localGet(yEntry).i32Load(at).i32Add().localSet(rows[r]));
    c.localGet(yEntry).f64Load(8).localSet(wy);
    const xEntry = g.constPtr(xTable);
    g.repeat(nx, [[xEntry, ENTRY], [out, 4]], () => {
      c.localGet(xEntry).i32Load(0).localSet(x0);
      c.localGet(xEntry).i32Load(4).localSet(x1);
      c.localGet(xEntry).f64Load(8).localSet(wx);
      // a + wx (b - a) with a, b the row's values at x0 and x1.
      rows.forEach((row, r) => {
        const a = lerped[r];
        c.localGet(row).localGet(x0).i32Add().f32Load(0).f64PromoteF32().localSet(a);
        c.localGet(a).localGet(wx).localGet(row).localGet(x1).i32Add().f32Load(0).f64PromoteF32().localGet(a).f64Sub().f64Mul().f64Add().localSet(a);
      });
      const blend = (lo: number, hi: number, w: number, into: number) =>
        c.localGet(lo).localGet(w).localGet(hi).localGet(lo).f64Sub().f64Mul().f64Add().localSet(into);
      blend(lerped[0], lerped[1], wy, c0);
      blend(lerped[2], lerped[3], wy, c1);
      c.localGet(out).localGet(c0).localGet(wz).localGet(c1).localGet(c0).f64Sub().f64Mul().f64Add().f32DemoteF64().f32Store(0);
    });
  });
  return g.spec();
}
