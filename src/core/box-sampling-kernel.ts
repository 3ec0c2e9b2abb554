/**
 * `sampleBlockFromGrid` (./box.ts) in WebAssembly SIMD, the same computation as its JavaScript fallback: grid
 * rows interpolated along x, grid planes along y, output planes along z, every step `a + w (b - a)` in double
 * precision and each output value rounded once to float32. WebAssembly's f64 arithmetic, scalar or in f64x2
 * lanes, is IEEE with no fused multiply-add, so the result is the JavaScript's, bit for bit (tested against
 * the formula evaluated voxel by voxel).
 *
 * One module per block shape (its loop counts and addresses are constants), kept for the next call of the same
 * shape: a run samples its scale and confidence maps alike. Memory layout, in bytes from 0:
 *
 * - the x table: one 16-byte entry per output column (padded to a multiple of 4 columns with copies of the last
 *   entry): byte offsets of the lower and upper grid column in a grid row (i32, i32), the weight (f64);
 * - the y table: one entry per output row: byte offsets of the lower and upper grid row among the x-interpolated
 *   rows (i32, i32), the weight (f64);
 * - the grid rows the block lies between, of the grid plane at hand (float32, copied in by the caller);
 * - those rows interpolated along x (float64, `stride` columns each);
 * - two grid planes interpolated along x and y (float64, `ny` rows of `stride` columns each);
 * - one output plane (float32, `ny · nx` values and a vector of slack: see `blend`).
 */
import { assembleModule, F64, hasWasmSimd, I32 } from './wasm/assembler.js';
import { FunctionWriter } from './wasm/function-writer.js';

/** For each voxel along an axis: the lower and upper grid index and the weight of the upper one. */
export interface AxisSamples {
  lo: Int32Array;
  hi: Int32Array;
  w: Float64Array;
}

const ENTRY = 16; // a table entry: lower offset (i32), upper offset (i32), weight (f64)

interface Layout {
  nx: number;
  ny: number;
  /** Grid edge. */
  m: number;
  /** Grid rows the block lies between (a contiguous range of each grid plane). */
  rows: number;
  /** Columns of the float64 rows and planes: nx rounded up to a whole number of f32x4 output vectors. */
  stride: number;
  xTable: number;
  yTable: number;
  gridRows: number;
  xRows: number;
  /** The two plane slots. */
  planes: [number, number];
  output: number;
  bytes: number;
}

function layoutFor(nx: number, ny: number, m: number, rows: number): Layout {
  const stride = Math.ceil(nx / 4) * 4;
  const xTable = 0;
  const yTable = xTable + ENTRY * stride;
  const gridRows = yTable + ENTRY * ny;
  const xRows = align(gridRows + 4 * rows * m);
  const planeBytes = 8 * ny * stride;
  const planes: [number, number] = [xRows + 8 * rows * stride, 0];
  planes[1] = planes[0] + planeBytes;
  const output = planes[1] + planeBytes;
  return { nx, ny, m, rows, stride, xTable, yTable, gridRows, xRows, planes, output, bytes: output + 4 * ny * nx + 16 };
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/**
 * Makes one output plane of the block: the one between grid planes `lo` and `hi` with weight `wz` on `hi`,
 * into `out` from `at` (`ny · nx` values). The grid planes are kept between calls (two of them: see
 * {@link planeSlots}), so planes asked for in increasing order cost about one grid plane each.
 */
export type BlockPlaneMaker = (lo: number, hi: number, wz: number, out: Float32Array, at: number) => void;

/**
 * The plane maker for a block sampled from `grid` (m³ values) with the y and x axes' samples; null where
 * WebAssembly SIMD is missing (the caller then runs the JavaScript version).
 */
export function blockPlaneMakerWasm(grid: Float32Array, m: number, ay: AxisSamples, ax: AxisSamples): BlockPlaneMaker | null {
  if (!hasWasmSimd()) return null;
  const [ny, nx] = [ay.lo.length, ax.lo.length];
  const firstRow = ay.lo[0];
  const rows = ay.hi[ny - 1] - firstRow + 1;
  const at = layoutFor(nx, ny, m, rows);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(at.bytes / 65536) });
  const ints = new Int32Array(memory.buffer);
  const doubles = new Float64Array(memory.buffer);
  const floats = new Float32Array(memory.buffer);
  for (let x = 0; x < at.stride; x++) {
    const i = Math.min(x, nx - 1); // padding columns repeat the last one (computed, never copied out)
    ints[at.xTable / 4 + 4 * x] = 4 * ax.lo[i];
    ints[at.xTable / 4 + 4 * x + 1] = 4 * ax.hi[i];
    doubles[at.xTable / 8 + 2 * x + 1] = ax.w[i];
  }
  for (let y = 0; y < ny; y++) {
    ints[at.yTable / 4 + 4 * y] = 8 * at.stride * (ay.lo[y] - firstRow);
    ints[at.yTable / 4 + 4 * y + 1] = 8 * at.stride * (ay.hi[y] - firstRow);
    doubles[at.yTable / 8 + 2 * y + 1] = ay.w[y];
  }
  const e = new WebAssembly.Instance(moduleFor(at), { env: { memory } }).exports as {
    plane: (slot: number) => void;
    blend: (lo: number, hi: number, wz: number) => void;
  };
  const slots = planeSlots((index, slot) => {
    const from = (index * m + firstRow) * m;
    floats.set(grid.subarray(from, from + rows * m), at.gridRows / 4);
    e.plane(at.planes[slot]);
  });
  const count = ny * nx;
  return (lo, hi, wz, out, to) => {
    const [a, b] = slots(lo, hi);
    e.blend(at.planes[a], at.planes[b], wz);
    out.set(floats.subarray(at.output / 4, at.output / 4 + count), to);
  };
}

/**
 * Two slots for the grid planes an output plane lies between, `(lo, hi)`: a plane held in a slot is kept, and
 * one not held is made (`make(index, slot)`) in the slot holding neither. Output planes ask in increasing
 * order, mostly for the pair before, so each grid plane is made about once. Gives the slots of lo and hi.
 */
export function planeSlots(make: (index: number, slot: number) => void): (lo: number, hi: number) => [number, number] {
  const held = [-1, -1];
  const slotOf = (index: number, other: number): number => {
    let slot = held.indexOf(index);
    if (slot >= 0) return slot;
    slot = held[0] !== other ? 0 : 1;
    make(index, slot);
    held[slot] = index;
    return slot;
  };
  return (lo, hi) => [slotOf(lo, hi), slotOf(hi, lo)];
}

/** The module for a block shape, kept for the next call (a run samples its scale and confidence maps alike). */
let last: { key: string; module: WebAssembly.Module } | undefined;
function moduleFor(at: Layout): WebAssembly.Module {
  const key = `${at.nx}:${at.ny}:${at.m}:${at.rows}`;
  if (last?.key !== key) {
    const bytes = assembleModule([planeFunction(at), blendFunction(at)], { minimumPages: Math.ceil(at.bytes / 65536) });
    last = { key, module: new WebAssembly.Module(bytes) };
  }
  return last.module;
}

/**
 * `plane(slot)`: the grid rows at hand interpolated along x (scalar: each column gathers its own two values),
 * then along y into the plane at byte address `slot` (two columns at a time).
 */
function planeFunction(at: Layout) {
  const g = new FunctionWriter('plane', [I32]);
  const c = g.code;
  const SLOT = 0;
  const src = g.constPtr(at.gridRows);
  const dst = g.constPtr(at.xRows);
  const a = g.f64();
  g.repeat(at.rows, [[src, 4 * at.m]], () => {
    const xEntry = g.constPtr(at.xTable);
    g.repeat(at.stride, [[xEntry, ENTRY], [dst, 8]], () => {
      c.localGet(src).localGet(xEntry).i32Load(0).i32Add().f32Load(0).f64PromoteF32().localSet(a);
      c.localGet(dst);
      c.localGet(a).localGet(xEntry).f64Load(8).localGet(src).localGet(xEntry).i32Load(4).i32Add().f32Load(0).f64PromoteF32();
      c.localGet(a).f64Sub().f64Mul().f64Add().f64Store(0);
    });
  });
  const yEntry = g.constPtr(at.yTable);
  const out = g.ptr(SLOT);
  const r0 = g.i();
  const r1 = g.i();
  const w = g.v();
  g.repeat(at.ny, [[yEntry, ENTRY]], () => {
    c.localGet(yEntry).i32Load(0).i32Const(at.xRows).i32Add().localSet(r0);
    c.localGet(yEntry).i32Load(4).i32Const(at.xRows).i32Add().localSet(r1);
    c.localGet(yEntry).f64Load(8).f64x2Splat().localSet(w);
    g.repeat(at.stride / 2, [[r0, 16], [r1, 16], [out, 16]], () => lerp2(g, out, r0, r1, w));
  });
  return g.spec();
}

/** Stores at `out` the f64x2 `a + w (b - a)` of the vectors at `p0` (a) and `p1` (b). */
function lerp2(g: FunctionWriter, out: number, p0: number, p1: number, w: number): void {
  const c = g.code;
  const a = g.ld(p0, 0);
  c.localGet(out).localGet(a).localGet(w).localGet(p1).v128Load(0).localGet(a).f64x2Sub().f64x2Mul().f64x2Add().v128Store(0);
}

/**
 * `blend(lo, hi, wz)`: the output plane between the planes at byte addresses `lo` and `hi`, four columns at a
 * time, each value rounded to float32. A row's last vector may run up to three values into the next row, which
 * that row then overwrites (the last row's run into the slack after the plane).
 */
function blendFunction(at: Layout) {
  const g = new FunctionWriter('blend', [I32, I32, F64]);
  const c = g.code;
  const [LO, HI, WZ] = [0, 1, 2];
  const w = g.splat(WZ, 'f64x2');
  const p0 = g.ptr(LO);
  const p1 = g.ptr(HI);
  const out = g.constPtr(at.output);
  const row = g.i();
  const lerped = (offset: number) => {
    const a = g.ld(p0, offset);
    const r = g.v();
    c.localGet(a).localGet(w).localGet(p1).v128Load(offset).localGet(a).f64x2Sub().f64x2Mul().f64x2Add().f32x4DemoteF64x2Zero().localSet(r);
    return r;
  };
  g.repeat(at.ny, [[out, 4 * at.nx]], () => {
    g.mov(row, out);
    g.repeat(at.stride / 4, [[p0, 32], [p1, 32], [row, 16]], () => {
      const low = lerped(0);
      const high = lerped(16);
      g.st(row, 0, g.shuffle(low, high, [0, 1, 4, 5]));
    });
  });
  return g.spec();
}
