/**
 * The local maximum filter of max-filter.ts in WebAssembly SIMD, four voxels per instruction and without
 * branches (the JS version's `a > b ? a : b` mispredicts on noisy maps and costs ~5 ns per comparison).
 *
 * Same decomposition and the same order of comparisons as the JS version, so the result is bit-identical:
 *   1. x pass, per input plane: running maxima over [x-w, x+w] for w = 0..W, each from w-1 with two more
 *      values (`m = pmax(pmax(m, v[x-w]), v[x+w])`);
 *   2. per output plane, the maximum over the footprint's x-runs (dz, dy, w) of the x-maxima of the planes
 *      z+dz, rows y+dy, in the order of `footprintRuns`.
 * `f32x4.pmax(m, v)` is `m < v ? v : m`, exactly the JS `v > m ? v : m` (ties and NaN keep m).
 *
 * The kernels are generated for the footprint and the plane shape, with every offset a constant, so the
 * inner loop is a straight line of loads and maxima. Edges: each input plane is copied into WebAssembly
 * memory as it is, then padded there (`pad`) with W reflected columns on each side and R reflected rows above
 * and below (scipy `reflect`), so the kernels never test an edge; planes z+dz outside the volume are reflected
 * when chosen.
 *
 * Memory (floats), with S' = nx rounded up to 16, S = S' + 2W, P = ny + 2R rows per padded plane:
 *   padded input plane  P * S
 *   ring of x-maxima    (2R+1) slots * (W+1) widths * P * S'
 *   output plane        ny * S'
 *   input plane         ny * nx, as in the volume
 *   row table           P (i32): the byte address of the input row each padded row copies
 * about 8 MB for a 256² plane and a 7³ kernel.
 */
import type { Kernel } from '../scale/kernel.js';
import type { Volume } from '../volume.js';
import { assembleModule, Code, F32, I32, V128 } from '../wasm/assembler.js';
import { reflectIndex } from './reflect.js';
import { normaliseVector } from '../wasm/scans.js';
import type { FootprintRun } from './max-filter.js';

interface Layout {
  /** Row length of the input (the rows, ny, are paddedRows - 2 reach). */
  nx: number;
  reach: number;
  maxHalfWidth: number;
  /** Row stride of the x-maxima and output planes (floats, multiple of 4 * UNROLL). */
  rowStride: number;
  /** Row stride of the padded input plane (floats). */
  paddedStride: number;
  paddedRows: number;
  /** Byte distance between the width planes of one ring slot. */
  widthBytes: number;
  slotBytes: number;
  inputBase: number;
  ringBase: number;
  outputBase: number;
  /** Plane indices of the normalised output equal to 1 (i32), and their count after them. */
  onesBase: number;
  onesCountAt: number;
  /** The input plane as in the volume, and the padded rows' source addresses (i32). */
  planeBase: number;
  rowTableBase: number;
  totalBytes: number;
}

function layoutFor(ny: number, nx: number, reach: number, maxHalfWidth: number): Layout {
  const rowStride = Math.ceil(nx / (4 * UNROLL)) * 4 * UNROLL;
  const paddedStride = rowStride + 2 * maxHalfWidth;
  const paddedRows = ny + 2 * reach;
  const widthBytes = paddedRows * rowStride * 4;
  const slotBytes = (maxHalfWidth + 1) * widthBytes;
  const inputBase = 0;
  const ringBase = align16(inputBase + paddedRows * paddedStride * 4);
  const outputBase = ringBase + (2 * reach + 1) * slotBytes;
  const onesBase = outputBase + ny * rowStride * 4;
  const onesCountAt = onesBase + ny * rowStride * 4;
  const planeBase = onesCountAt + 16;
  const rowTableBase = align16(planeBase + ny * nx * 4);
  const totalBytes = rowTableBase + paddedRows * 4;
  return {
    nx,
    reach,
    maxHalfWidth,
    rowStride,
    paddedStride,
    paddedRows,
    widthBytes,
    slotBytes,
    inputBase,
    ringBase,
    outputBase,
    onesBase,
    onesCountAt,
    planeBase,
    rowTableBase,
    totalBytes,
  };
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/**
 * `xpass(src, dst, rows)`: for each of `rows` padded input rows at `src` (stride S), the running maxima for
 * w = 0..W into the width planes of the slot at `dst` (stride S').
 */
function xPassKernel(l: Layout): Code {
  const [SRC, DST, ROWS, COL_END, ACC] = [0, 1, 2, 3, 4];
  const W = l.maxHalfWidth;
  const c = new Code();
  c.loop(); // rows
  c.localGet(SRC).i32Const(l.rowStride * 4).i32Add().localSet(COL_END);
  c.loop(); // columns, four at a time
  c.localGet(DST).localGet(SRC).v128Load(W * 4).localTee(ACC).v128Store(0);
  for (let w = 1; w <= W; w++) {
    c.localGet(DST);
    c.localGet(ACC).localGet(SRC).v128Load((W - w) * 4).f32x4Pmax();
    c.localGet(SRC).v128Load((W + w) * 4).f32x4Pmax();
    c.localTee(ACC).v128Store(w * l.widthBytes);
  }
  c.localGet(SRC).i32Const(16).i32Add().localSet(SRC);
  c.localGet(DST).i32Const(16).i32Add().localSet(DST);
  c.localGet(SRC).localGet(COL_END).i32LtU().brIf(0);
  c.end();
  c.localGet(SRC).i32Const((l.paddedStride - l.rowStride) * 4).i32Add().localSet(SRC);
  c.localGet(ROWS).i32Const(1).i32Sub().localTee(ROWS).brIf(0);
  c.end();
  return c;
}

/**
 * `pad()`: the padded input plane from the input plane (both in memory): each padded row r is the input row
 * whose address the row table holds (row r - R, reflected), with W columns reflected on each side. The same
 * copies the JavaScript loop made, without a call and a view per row.
 */
function padKernel(l: Layout): Code {
  const [TABLE, DST, SRC] = [0, 1, 2];
  const W = l.maxHalfWidth;
  const c = new Code();
  c.i32Const(l.rowTableBase).localSet(TABLE);
  c.i32Const(l.inputBase).localSet(DST);
  c.loop();
  c.localGet(TABLE).i32Load(0).localSet(SRC);
  c.localGet(DST).i32Const(W * 4).i32Add().localGet(SRC).i32Const(l.nx * 4).memoryCopy();
  for (let j = 1; j <= W; j++) {
    c.localGet(DST).localGet(SRC).f32Load(reflectIndex(-j, l.nx) * 4).f32Store((W - j) * 4);
    c.localGet(DST).localGet(SRC).f32Load(reflectIndex(l.nx - 1 + j, l.nx) * 4).f32Store((W + l.nx - 1 + j) * 4);
  }
  c.localGet(DST).i32Const(l.paddedStride * 4).i32Add().localSet(DST);
  c.localGet(TABLE).i32Const(4).i32Add().localTee(TABLE).i32Const(l.rowTableBase + l.paddedRows * 4).i32LtU().brIf(0);
  c.end();
  return c;
}

/** Vectors per iteration of the plane kernel: independent chains of maxima, so the CPU overlaps them. */
const UNROLL = 4;

/**
 * `planeMax(p_0 .. p_2R, out, end)`: p_k is the ring slot of input plane z + k - R; writes the footprint
 * maximum of the whole output plane (all its rows are one contiguous run of stride S') to [out, end).
 * Each output vector's maxima form a chain in footprint order (one pmax waits for the previous); UNROLL
 * neighbouring vectors are interleaved so that their chains run in parallel. The runs are taken in groups
 * (those of one dz, in footprint order): one pass over the plane per group, the chain carried from group to
 * group through the output plane, so each pass reads only a few source streams at a time (the hardware
 * prefetchers follow a handful of streams, not the footprint's dozens). Same comparisons in the same order.
 */
function planeKernel(l: Layout, runs: readonly FootprintRun[]): Code {
  const planes = 2 * l.reach + 1;
  const END = planes + 1; // parameter `end` (parameter `planes` is `out`)
  const ACC = planes + 2; // UNROLL v128 locals
  const P = ACC + UNROLL; // planes + 1 i32 locals: moving copies of the slot pointers and of out
  const groups: FootprintRun[][] = [];
  for (const run of runs) {
    const last = groups[groups.length - 1];
    if (last && last[0].dz === run.dz && last.length < GROUP_LIMIT) last.push(run);
    else groups.push([run]);
  }
  const c = new Code();
  groups.forEach((group, g) => {
    for (let k = 0; k <= planes; k++) c.localGet(k).localSet(P + k);
    c.loop();
    group.forEach((run, r) => {
      const offset = run.halfWidth * l.widthBytes + (run.dy + l.reach) * l.rowStride * 4;
      for (let u = 0; u < UNROLL; u++) {
        if (r > 0) c.localGet(ACC + u);
        else if (g > 0) c.localGet(P + planes).v128Load(16 * u);
        c.localGet(P + run.dz + l.reach).v128Load(offset + 16 * u);
        if (r > 0 || g > 0) c.f32x4Pmax();
        c.localSet(ACC + u);
      }
    });
    for (let u = 0; u < UNROLL; u++) c.localGet(P + planes).localGet(ACC + u).v128Store(16 * u);
    for (let k = 0; k < planes; k++) c.localGet(P + k).i32Const(16 * UNROLL).i32Add().localSet(P + k);
    c.localGet(P + planes).i32Const(16 * UNROLL).i32Add().localTee(P + planes).localGet(END).i32LtU().brIf(0);
    c.end();
  });
  return c;
}

/**
 * `normalise(divisor)`: the output plane in place, `s = v / divisor` in float32 clipped as
 * `s < 0 ? 0 : s > 1 ? 1 : s` (zero quotients of non-zero values +0), exactly as src/core/wasm/scans.ts's
 * normalise (see there why that is the double-precision loop of local-scale.ts), and the plane indices
 * (row stride S') of the values that came out 1, in increasing order, with their count.
 */
function normaliseKernel(l: Layout): Code {
  const [DIV, P, END, LIST, D, R, E, DIVV, ZERO, ONE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const c = new Code();
  c.localGet(DIV).f32x4Splat().localSet(DIVV);
  c.f32x4Const(0).localSet(ZERO);
  c.f32x4Const(1).localSet(ONE);
  c.i32Const(l.outputBase).localSet(P);
  c.i32Const(l.onesBase).localSet(END); // the output plane ends where the list begins
  c.i32Const(l.onesBase).localSet(LIST);
  c.loop();
  normaliseVector(c, { P, D, R, E, DIV: DIVV, ZERO, ONE });
  c.if();
  for (let lane = 0; lane < 4; lane++) {
    c.localGet(E).i32x4ExtractLane(lane);
    c.if();
    c.localGet(LIST).localGet(P).i32Const(l.outputBase - 4 * lane).i32Sub().i32Const(2).i32ShrU().i32Store(0);
    c.localGet(LIST).i32Const(4).i32Add().localSet(LIST);
    c.end();
  }
  c.end();
  c.localGet(P).i32Const(16).i32Add().localTee(P).localGet(END).i32LtU().brIf(0);
  c.end();
  c.i32Const(l.onesCountAt).localGet(LIST).i32Const(l.onesBase).i32Sub().i32Const(2).i32ShrU().i32Store(0);
  return c;
}

/** At most this many runs per pass of the plane kernel. */
const GROUP_LIMIT = 8;

interface Kernels {
  memory: WebAssembly.Memory;
  pad: () => void;
  xpass: (src: number, dst: number, rows: number) => void;
  planeMax: (...args: number[]) => void;
  normalise: (divisor: number) => void;
}

/** The last compiled kernels: slabs of one filter (and repeated filters of one shape) reuse them. */
let cached: { key: string; kernels: Kernels } | undefined;

function compile(l: Layout, runs: readonly FootprintRun[]): Kernels {
  const key = JSON.stringify([l, runs]);
  if (cached?.key !== key) cached = { key, kernels: compileUncached(l, runs) };
  return cached.kernels;
}

function compileUncached(l: Layout, runs: readonly FootprintRun[]): Kernels {
  const planes = 2 * l.reach + 1;
  const bytes = assembleModule(
    [
      { name: 'xpass', params: [I32, I32, I32], locals: [I32, V128], body: xPassKernel(l) },
      {
        name: 'planeMax',
        params: new Array(planes + 2).fill(I32),
        locals: [...new Array(UNROLL).fill(V128), ...new Array(planes + 1).fill(I32)],
        body: planeKernel(l, runs),
      },
      { name: 'normalise', params: [F32], locals: [I32, I32, I32, V128, V128, V128, V128, V128, V128], body: normaliseKernel(l) },
      { name: 'pad', params: [], locals: [I32, I32, I32], body: padKernel(l) },
    ],
    Math.ceil(l.totalBytes / 65536),
  );
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const e = instance.exports as unknown as Kernels;
  return { memory: e.memory, pad: e.pad, xpass: e.xpass, planeMax: e.planeMax, normalise: e.normalise };
}

/**
 * With the local maximum, its normalisation (local-scale.ts): each output value divided by `divisor` (a
 * finite float32 above 0) and clipped to [0, 1], and `sum`, `count` accumulating `values[i]` over the outputs
 * equal to 1, in index order (float64).
 */
export interface NormaliseInto {
  divisor: number;
  values: Float32Array;
  sum: number;
  count: number;
}

/**
 * Output planes [first, end) of the local maximum of `volume` over `kernel` (decomposed into `runs`) into
 * `result` (the whole output array, file order).
 */
export function maximumFilterSimd(
  volume: Volume,
  kernel: Kernel,
  runs: readonly FootprintRun[],
  first: number,
  end: number,
  result: Float32Array,
  normalise?: NormaliseInto,
): void {
  const { nz, ny, nx, data } = volume;
  if (runs.length === 0 || first >= end) return;
  const reach = (kernel.size - 1) / 2;
  const W = runs.reduce((m, r) => Math.max(m, r.halfWidth), 0);
  const l = layoutFor(ny, nx, reach, W);
  const k = compile(l, runs);
  const mem = new Float32Array(k.memory.buffer);
  const ringLength = 2 * reach + 1;
  const slotPlane = new Int32Array(ringLength).fill(-1);
  const planeSize = ny * nx;
  // Padded rows -R .. ny+R-1 copy input rows reflected (the columns are reflected by `pad` itself).
  const rowTable = new Int32Array(k.memory.buffer, l.rowTableBase, l.paddedRows);
  for (let r = 0; r < l.paddedRows; r++) rowTable[r] = l.planeBase + reflectIndex(r - reach, ny) * nx * 4;

  const loadPlane = (plane: number): number => {
    const slot = plane % ringLength;
    const base = l.ringBase + slot * l.slotBytes;
    if (slotPlane[slot] === plane) return base;
    mem.set(data.subarray(plane * planeSize, (plane + 1) * planeSize), l.planeBase / 4);
    k.pad();
    k.xpass(l.inputBase, base, l.paddedRows);
    slotPlane[slot] = plane;
    return base;
  };

  const args = new Array<number>(ringLength + 2);
  const outFloats = l.outputBase / 4;
  for (let z = first; z < end; z++) {
    for (let dz = -reach; dz <= reach; dz++) args[dz + reach] = loadPlane(reflectIndex(z + dz, nz));
    // A slot may have been refilled by a later plane of this loop only if two planes collide modulo the
    // ring length, which cannot happen: the planes used for one z lie within 2R of each other.
    args[ringLength] = l.outputBase;
    args[ringLength + 1] = l.outputBase + ny * l.rowStride * 4;
    k.planeMax(...args);
    if (normalise) {
      k.normalise(normalise.divisor);
      const ints = new Int32Array(k.memory.buffer);
      const ones = ints[l.onesCountAt / 4];
      const values = normalise.values;
      const planeStart = z * planeSize;
      for (let j = 0; j < ones; j++) {
        const index = ints[l.onesBase / 4 + j];
        const x = index % l.rowStride;
        if (x >= nx) continue; // a column of the padding
        normalise.sum += values[planeStart + ((index - x) / l.rowStride) * nx + x];
        normalise.count++;
      }
    }
    if (l.rowStride === nx) {
      result.set(mem.subarray(outFloats, outFloats + planeSize), z * planeSize);
    } else {
      for (let y = 0; y < ny; y++) {
        const from = outFloats + y * l.rowStride;
        result.set(mem.subarray(from, from + nx), z * planeSize + y * nx);
      }
    }
  }
}
