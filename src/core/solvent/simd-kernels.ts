/**
 * WebAssembly (SIMD) versions of the three voxel loops of the solvent model and the confidence map: value
 * range, histogram counts, and curve lookup. Each computes exactly what its JavaScript loop computes (tested
 * against it):
 *
 * - range: lane-wise f32x4 minimum and maximum over the selected values (NaN propagates, so a NaN anywhere
 *   is seen). They differ from the JavaScript `v < lo` scan only in the sign of a zero extreme (-0 is below
 *   +0 here; the scan keeps whichever zero came first); the caller restores the scan's choice.
 * - counts: a bin guess from float32 arithmetic, then the same correction against the float32 edges as the
 *   JavaScript loop. The corrected bin does not depend on the guess (it is the largest `i < bins` with
 *   `edges[i] <= v`, the edges being non-decreasing), so any guess gives the JavaScript result.
 * - confidence: `u = f32(f32(v / span) - offset)`, index `trunc(f32(f32(u * bins) - 1))` clamped to the
 *   curve, in f32x4 arithmetic (IEEE single precision, as the JavaScript `Math.fround` of each double
 *   operation), then one table load per voxel.
 *
 * The values are copied into the module's memory in chunks (only the selected ones: a region's runs are packed
 * one after another), so the module's memory stays small whatever the map size. A region given as row spans
 * (the central sphere) is packed by the module itself: blocks of whole rows are copied in with their spans and
 * `compact` moves each row's span into place, where packing run by run from JavaScript would cost a call and
 * a copy per row.
 */
import { Code, ensureMemoryBytes, lazyKernels, F32, I32, type FunctionSpec } from '../wasm/assembler.js';
import type { RowSpans } from './histogram.js';
import { FunctionWriter } from '../wasm/function-writer.js';

/** Floats per chunk (64 KiB). */
const CHUNK = 16384;
const IN = 0;
const OUT = 4 * CHUNK;
const STATE = 8 * CHUNK;
/** A block of rows' span starts and ends (i32), for `compact`; the rows themselves go to OUT. */
const SPAN_STARTS = STATE + 64;
const SPAN_ENDS = SPAN_STARTS + 4 * CHUNK;
const TABLES = SPAN_ENDS + 4 * CHUNK;

interface Exports {
  memory: WebAssembly.Memory;
  minmax: (ptr: number, vectors: number, state: number) => void;
  counts: (ptr: number, vectors: number, edges: number, counts: number, last: number, lo: number, scale: number) => void;
  lookup: (ptr: number, out: number, vectors: number, table: number, last: number, span: number, offset: number, bins: number) => void;
  compact: (rows: number, count: number, rowBytes: number, starts: number, ends: number, out: number) => number;
}

function minmaxFunction(): FunctionWriter {
  const g = new FunctionWriter('minmax', [I32, I32, I32]);
  const p = g.ptr(0);
  const count = g.ptr(1);
  const lo = g.ld(2, 0);
  const hi = g.ld(2, 16);
  g.repeatCounted(count, [[p, 16]], () => {
    const v = g.ld(p, 0);
    g.code.localGet(lo).localGet(v).f32x4Min().localSet(lo);
    g.code.localGet(hi).localGet(v).f32x4Max().localSet(hi);
  });
  g.st(2, 0, lo);
  g.st(2, 16, hi);
  return g;
}

/** counts(ptr, vectors, edges, counts, last, lo, scale): adds the bins of 4·vectors values to the i32 counts. */
function countsFunction(): FunctionWriter {
  const [PTR, VECTORS, EDGES, COUNTS, LAST, LO, SCALE] = [0, 1, 2, 3, 4, 5, 6];
  const g = new FunctionWriter('counts', [I32, I32, I32, I32, I32, F32, F32]);
  const c = g.code;
  const loV = g.splat(LO);
  const scaleV = g.splat(SCALE);
  const zeroI = g.splatI32(0);
  const lastV = g.splat(LAST, 'i32x4');
  const p = g.ptr(PTR);
  const count = g.ptr(VECTORS);
  const x = g.f32();
  const i = g.i();
  const at = g.i();
  g.repeatCounted(count, [[p, 16]], () => {
    const v = g.ld(p, 0);
    const guess = g.v();
    c.localGet(v).localGet(loV).f32x4Sub().localGet(scaleV).f32x4Mul().i32x4TruncSatF32x4S();
    c.localGet(zeroI).i32x4MaxS().localGet(lastV).i32x4MinS().localSet(guess);
    for (let lane = 0; lane < 4; lane++) {
      c.localGet(v).f32x4ExtractLane(lane).localSet(x);
      c.localGet(guess).i32x4ExtractLane(lane).localSet(i);
      // while (i > 0 && x < edges[i]) i--
      c.block().loop();
      c.localGet(i).i32Eqz().brIf(1);
      c.localGet(x).localGet(EDGES).localGet(i).i32Const(2).i32Shl().i32Add().f32Load(0).f32Lt().i32Eqz().brIf(1);
      c.localGet(i).i32Const(1).i32Sub().localSet(i).br(0);
      c.end().end();
      // while (i < last && x >= edges[i + 1]) i++
      c.block().loop();
      c.localGet(i).localGet(LAST).i32LtS().i32Eqz().brIf(1);
      c.localGet(x).localGet(EDGES).localGet(i).i32Const(2).i32Shl().i32Add().f32Load(4).f32Ge().i32Eqz().brIf(1);
      c.localGet(i).i32Const(1).i32Add().localSet(i).br(0);
      c.end().end();
      // counts[i]++
      c.localGet(COUNTS).localGet(i).i32Const(2).i32Shl().i32Add().localTee(at);
      c.localGet(at).i32Load(0).i32Const(1).i32Add().i32Store(0);
    }
  });
  return g;
}

/** lookup(ptr, out, vectors, table, last, span, offset, bins): out = table[clamp(index(v))] for 4·vectors values. */
function lookupFunction(): FunctionWriter {
  const [PTR, OUTP, VECTORS, TABLE, LAST, SPAN, OFFSET, BINS] = [0, 1, 2, 3, 4, 5, 6, 7];
  const g = new FunctionWriter('lookup', [I32, I32, I32, I32, I32, F32, F32, F32]);
  const c = g.code;
  const spanV = g.splat(SPAN);
  const offsetV = g.splat(OFFSET);
  const binsV = g.splat(BINS);
  const one = g.konst(1);
  const zeroI = g.splatI32(0);
  const lastV = g.splat(LAST, 'i32x4');
  const p = g.ptr(PTR);
  const out = g.ptr(OUTP);
  const count = g.ptr(VECTORS);
  g.repeatCounted(count, [[p, 16], [out, 16]], () => {
    const u = g.sub(g.div(g.ld(p, 0), spanV), offsetV);
    const t = g.sub(g.mul(u, binsV), one);
    const index = g.v();
    c.localGet(t).i32x4TruncSatF32x4S().localGet(zeroI).i32x4MaxS().localGet(lastV).i32x4MinS().localSet(index);
    for (let lane = 0; lane < 4; lane++) {
      c.localGet(out);
      c.localGet(TABLE).localGet(index).i32x4ExtractLane(lane).i32Const(2).i32Shl().i32Add().f32Load(0);
      c.f32Store(4 * lane);
    }
  });
  return g;
}

/**
 * compact(rows, count, rowBytes, starts, ends, out) → the address after the last value written: for each of
 * `count` rows (`rowBytes` apart from `rows`), its values [starts[r], ends[r]) (i32 arrays; empty when
 * end <= start) copied one row after another from `out` on (memory.copy: the rows may lie after `out` in the
 * same memory).
 */
function compactFunction(): FunctionSpec {
  const [ROWS, COUNT, ROW_BYTES, STARTS, ENDS, OUT_AT] = [0, 1, 2, 3, 4, 5];
  const [AT, END, FROM, BYTES] = [6, 7, 8, 9];
  const c = new Code();
  c.i32Const(0).localSet(AT);
  c.localGet(COUNT).i32Const(2).i32Shl().localSet(END);
  c.block();
  c.localGet(AT).localGet(END).i32LtU().i32Eqz().brIf(0);
  c.loop();
  c.localGet(STARTS).localGet(AT).i32Add().i32Load().localSet(FROM);
  c.localGet(ENDS).localGet(AT).i32Add().i32Load().localGet(FROM).i32Sub().i32Const(2).i32Shl().localSet(BYTES);
  c.localGet(BYTES).i32Const(0).i32GtS().if();
  c.localGet(OUT_AT).localGet(ROWS).localGet(FROM).i32Const(2).i32Shl().i32Add().localGet(BYTES).memoryCopy();
  c.localGet(OUT_AT).localGet(BYTES).i32Add().localSet(OUT_AT);
  c.end();
  c.localGet(ROWS).localGet(ROW_BYTES).i32Add().localSet(ROWS);
  c.localGet(AT).i32Const(4).i32Add().localTee(AT).localGet(END).i32LtU().brIf(0);
  c.end();
  c.end();
  c.localGet(OUT_AT);
  return { name: 'compact', params: [I32, I32, I32, I32, I32, I32], results: [I32], locals: [I32, I32, I32, I32], body: c };
}

const module = lazyKernels<Exports>(
  () => [...[minmaxFunction(), countsFunction(), lookupFunction()].map((f) => f.spec()), compactFunction()],
  TABLES + 4 * 3 * 1024,
);
const kernels = module.get;

/** Turns the kernels off (the JavaScript loops run instead) or back on; for tests comparing the two. */
export const enableSolventKernels = module.setEnabled;

/** Whether the WebAssembly kernels run here. */
export function solventKernelsAvailable(): boolean {
  return kernels() !== null;
}

/** Makes the memory at least `bytes` long; returns a fresh Float32Array view. */
function ensureMemory(k: Exports, bytes: number): Float32Array {
  ensureMemoryBytes(k.memory, bytes);
  return new Float32Array(k.memory.buffer);
}

/**
 * Calls `visit(count)` with the selected values packed into the input chunk, in order, `count` (> 0) at a
 * time (everything, or the selection's runs: row spans packed by `compact`, other runs from JavaScript).
 */
function packChunks(k: Exports, mem: Float32Array, values: Float32Array, selection: Selection, visit: (count: number) => void): void {
  const spans = selection?.spans;
  if (spans && spans.rowLength <= CHUNK && spans.rowLength > 0) {
    const ints = new Int32Array(k.memory.buffer);
    const rowsPerBlock = Math.floor(CHUNK / spans.rowLength);
    for (let first = 0; first < spans.start.length; first += rowsPerBlock) {
      const rows = Math.min(rowsPerBlock, spans.start.length - first);
      mem.set(values.subarray(first * spans.rowLength, (first + rows) * spans.rowLength), OUT / 4);
      ints.set(spans.start.subarray(first, first + rows), SPAN_STARTS / 4);
      ints.set(spans.end.subarray(first, first + rows), SPAN_ENDS / 4);
      const count = (k.compact(OUT, rows, 4 * spans.rowLength, SPAN_STARTS, SPAN_ENDS, IN) - IN) / 4;
      if (count > 0) visit(count);
    }
    return;
  }
  const runs = selection?.runs;
  if (!runs) {
    for (let from = 0; from < values.length; from += CHUNK) {
      const to = Math.min(values.length, from + CHUNK);
      mem.set(values.subarray(from, to), IN / 4);
      visit(to - from);
    }
    return;
  }
  let filled = 0;
  runs((from, to) => {
    while (from < to) {
      const take = Math.min(to - from, CHUNK - filled);
      mem.set(values.subarray(from, from + take), IN / 4 + filled);
      filled += take;
      from += take;
      if (filled === CHUNK) {
        visit(filled);
        filled = 0;
      }
    }
  });
  if (filled > 0) visit(filled);
}

/** Calls `visit(from, to)` for each run of selected indices, in increasing order. */
export type RunVisitor = (visit: (from: number, to: number) => void) => void;

/** Which values a pass takes: all (null), or a region's runs (and its row spans, when it is given as such). */
export type Selection = { runs: RunVisitor; spans?: RowSpans } | null;

/**
 * `[min, max]` of the selected values with NaN reported (`nan: true`), and whether anything was selected;
 * zeros signed as the first-wins `v < lo` / `v > hi` scan would give them. Null without the kernels.
 */
export function simdRange(values: Float32Array, selection: Selection): { lo: number; hi: number; nan: boolean; any: boolean } | null {
  const k = kernels();
  if (!k) return null;
  let mem = ensureMemory(k, TABLES);
  mem.fill(Infinity, STATE / 4, STATE / 4 + 4);
  mem.fill(-Infinity, STATE / 4 + 4, STATE / 4 + 8);
  let any = false;
  packChunks(k, mem, values, selection, (count) => {
    any = true;
    // Pad to whole vectors with a copy of a selected value (changes neither extreme).
    const padded = Math.ceil(count / 4) * 4;
    mem.fill(mem[IN / 4], IN / 4 + count, IN / 4 + padded);
    k.minmax(IN, padded / 4, STATE);
  });
  mem = new Float32Array(k.memory.buffer);
  let lo = Infinity;
  let hi = -Infinity;
  for (let l = 0; l < 4; l++) {
    lo = Math.min(lo, mem[STATE / 4 + l]);
    hi = Math.max(hi, mem[STATE / 4 + 4 + l]);
  }
  const nan = Number.isNaN(lo) || Number.isNaN(hi);
  if (!nan && (lo === 0 || hi === 0)) {
    // The scan keeps the first zero it meets as the extreme: find the first selected zero.
    let first = 0;
    let found = false;
    const scan = (from: number, to: number) => {
      for (let i = from; i < to && !found; i++) {
        if (values[i] === 0) {
          first = values[i];
          found = true;
        }
      }
    };
    if (selection) selection.runs(scan);
    else scan(0, values.length);
    if (lo === 0) lo = first;
    if (hi === 0) hi = first;
  }
  return { lo, hi, nan, any };
}

/**
 * Adds the histogram bins of the selected values to `counts` (float32 edges `edges`, bins = counts.length;
 * every value must lie in [edges[0], edges[bins]]). Returns the number of values, or null without the kernels.
 * `tail(from, to)` bins values on the JavaScript side (the last values of a chunk that do not fill a vector).
 */
export function simdCounts(
  values: Float32Array,
  selection: Selection,
  edges: Float64Array,
  counts: Float64Array,
  tail: (chunk: Float32Array, count: number) => void,
): number | null {
  const k = kernels();
  if (!k) return null;
  const bins = counts.length;
  const edgesAt = TABLES;
  const countsAt = TABLES + 4 * (bins + 1);
  const mem = ensureMemory(k, countsAt + 4 * bins);
  const ints = new Int32Array(k.memory.buffer);
  for (let i = 0; i <= bins; i++) mem[edgesAt / 4 + i] = edges[i];
  ints.fill(0, countsAt / 4, countsAt / 4 + bins);
  const lo = Math.fround(edges[0]);
  const scale = Math.fround(bins / (edges[bins] - edges[0]));
  let total = 0;
  let sinceFlush = 0;
  const flush = () => {
    for (let i = 0; i < bins; i++) counts[i] += ints[countsAt / 4 + i];
    ints.fill(0, countsAt / 4, countsAt / 4 + bins);
    sinceFlush = 0;
  };
  packChunks(k, mem, values, selection, (count) => {
    const whole = count & ~3;
    k.counts(IN, whole / 4, edgesAt, countsAt, bins - 1, lo, Number.isFinite(scale) ? scale : 0);
    if (whole < count) tail(mem.subarray(IN / 4 + whole, IN / 4 + count), count - whole);
    total += count;
    sinceFlush += count;
    if (sinceFlush > 2 ** 30) flush();
  });
  flush();
  return total;
}

/**
 * `out[i] = table[clamp(trunc(f32(f32(f32(f32(v / span) - offset) * bins) - 1)))]` for every value; false
 * without the kernels.
 */
export function simdLookup(values: Float32Array, out: Float32Array, table: Float32Array, span: number, offset: number): boolean {
  const k = kernels();
  if (!k) return false;
  const bins = table.length;
  const tableAt = TABLES;
  const mem = ensureMemory(k, tableAt + 4 * bins);
  mem.set(table, tableAt / 4);
  for (let from = 0; from < values.length; from += CHUNK) {
    const to = Math.min(values.length, from + CHUNK);
    mem.set(values.subarray(from, to), IN / 4);
    const vectors = Math.ceil((to - from) / 4);
    k.lookup(IN, OUT, vectors, tableAt, bins - 1, span, offset, bins);
    out.set(mem.subarray(OUT / 4, OUT / 4 + (to - from)), from);
  }
  return true;
}
