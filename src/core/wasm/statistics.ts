/**
 * The two passes of a float32 array's summary statistics in WebAssembly, for the MRC header (src/io): the
 * first gives the minimum and maximum (f32x4 minimum/maximum: NaN propagates, -0 is below +0, exactly as
 * Math.min/Math.max) and the sum, the second the sum of squared deviations from a mean. Both sums are
 * accumulated in double precision one value after another in index order, with the same IEEE operations as
 * the JavaScript loops `sum += v` and `d = v - mean; squares += d * d` (WebAssembly has no fused multiply-add),
 * so they are bit-identical to them; the loops are not faster, but they run at full speed from the first call,
 * where a JavaScript loop run once spends much of its time before the optimising compiler takes over.
 *
 * Values are copied into the module's memory in chunks of whole vectors; the last values of an array that do
 * not fill a vector are left to the caller, who continues the same sums with them in order.
 */
import { assembleModule, F64, hasWasmSimd, I32, V128, type FunctionSpec, Code } from './assembler.js';

const CHUNK = 16384; // floats, a multiple of 4
const STATE = 4 * CHUNK; // lo (v128), hi (v128), sum (f64), mean (f64), squares (f64)

interface Exports {
  memory: WebAssembly.Memory;
  extremesAndSum: (vectors: number) => void;
  squaredDeviations: (vectors: number) => void;
}

/** extremesAndSum(vectors): lo/hi lane-wise over the chunk, sum += each value in order. */
function extremesAndSum(): FunctionSpec {
  const [VECTORS, P, V, LO, HI, SUM] = [0, 1, 2, 3, 4, 5];
  const c = new Code();
  c.i32Const(STATE).v128Load(0).localSet(LO);
  c.i32Const(STATE).v128Load(16).localSet(HI);
  c.i32Const(STATE).f64Load(32).localSet(SUM);
  c.block().localGet(VECTORS).i32Eqz().brIf(0).loop();
  c.localGet(P).v128Load(0).localSet(V);
  c.localGet(LO).localGet(V).f32x4Min().localSet(LO);
  c.localGet(HI).localGet(V).f32x4Max().localSet(HI);
  for (let lane = 0; lane < 4; lane++) c.localGet(SUM).localGet(V).f32x4ExtractLane(lane).f64PromoteF32().f64Add().localSet(SUM);
  c.localGet(P).i32Const(16).i32Add().localSet(P);
  c.localGet(VECTORS).i32Const(1).i32Sub().localTee(VECTORS).brIf(0);
  c.end().end();
  c.i32Const(STATE).localGet(LO).v128Store(0);
  c.i32Const(STATE).localGet(HI).v128Store(16);
  c.i32Const(STATE).localGet(SUM).f64Store(32);
  return { name: 'extremesAndSum', params: [I32], locals: [I32, V128, V128, V128, F64], body: c };
}

/** squaredDeviations(vectors): squares += (v - mean)^2 for each value in order. */
function squaredDeviations(): FunctionSpec {
  const [VECTORS, P, V, MEAN, SQ, D] = [0, 1, 2, 3, 4, 5];
  const c = new Code();
  c.i32Const(STATE).f64Load(40).localSet(MEAN);
  c.i32Const(STATE).f64Load(48).localSet(SQ);
  c.block().localGet(VECTORS).i32Eqz().brIf(0).loop();
  c.localGet(P).v128Load(0).localSet(V);
  for (let lane = 0; lane < 4; lane++) {
    c.localGet(V).f32x4ExtractLane(lane).f64PromoteF32().localGet(MEAN).f64Sub().localSet(D);
    c.localGet(SQ).localGet(D).localGet(D).f64Mul().f64Add().localSet(SQ);
  }
  c.localGet(P).i32Const(16).i32Add().localSet(P);
  c.localGet(VECTORS).i32Const(1).i32Sub().localTee(VECTORS).brIf(0);
  c.end().end();
  c.i32Const(STATE).localGet(SQ).f64Store(48);
  return { name: 'squaredDeviations', params: [I32], locals: [I32, V128, F64, F64, F64], body: c };
}

let compiled: Exports | null | undefined;

function kernels(): Exports | null {
  if (compiled === undefined) {
    compiled = null;
    if (hasWasmSimd()) {
      const bytes = assembleModule([extremesAndSum(), squaredDeviations()], Math.ceil((STATE + 64) / 65536));
      compiled = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Exports;
    }
  }
  return compiled;
}

/** Values handled by the kernels: the whole vectors of `data` (the rest, `data.length % 4`, is the caller's). */
function wholeVectors(length: number): number {
  return length - (length % 4);
}

/**
 * `min`/`max` as Math.min/Math.max over `data`, and `sum` (float64, index order) of its first `done` values,
 * a multiple of 4 (the caller continues with the rest). Null where WebAssembly SIMD is missing.
 */
export function extremesAndSumOf(data: Float32Array): { min: number; max: number; sum: number; done: number } | null {
  const k = kernels();
  if (!k) return null;
  const f32 = new Float32Array(k.memory.buffer);
  const f64 = new Float64Array(k.memory.buffer);
  f32.fill(Infinity, STATE / 4, STATE / 4 + 4);
  f32.fill(-Infinity, STATE / 4 + 4, STATE / 4 + 8);
  f64[STATE / 8 + 4] = 0;
  const done = wholeVectors(data.length);
  for (let from = 0; from < done; from += CHUNK) {
    const to = Math.min(done, from + CHUNK);
    f32.set(data.subarray(from, to), 0);
    k.extremesAndSum((to - from) / 4);
  }
  let min = Infinity;
  let max = -Infinity;
  for (let l = 0; l < 4; l++) {
    min = Math.min(min, f32[STATE / 4 + l]);
    max = Math.max(max, f32[STATE / 4 + 4 + l]);
  }
  return { min, max, sum: f64[STATE / 8 + 4], done };
}

/**
 * The sum (float64, index order) of `(v - mean)^2` over the first `done` values of `data` (a multiple of 4;
 * the caller continues with the rest). Null where WebAssembly SIMD is missing.
 */
export function squaredDeviationsOf(data: Float32Array, mean: number): { squares: number; done: number } | null {
  const k = kernels();
  if (!k) return null;
  const f32 = new Float32Array(k.memory.buffer);
  const f64 = new Float64Array(k.memory.buffer);
  f64[STATE / 8 + 5] = mean;
  f64[STATE / 8 + 6] = 0;
  const done = wholeVectors(data.length);
  for (let from = 0; from < done; from += CHUNK) {
    const to = Math.min(done, from + CHUNK);
    f32.set(data.subarray(from, to), 0);
    k.squaredDeviations((to - from) / 4);
  }
  return { squares: f64[STATE / 8 + 6], done };
}
