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
 * not fill a vector are left to the caller, who continues the same sums with them in order. Several arrays
 * can be summed in one pass (the chains of additions of different arrays overlap).
 */
import { lazyKernels, F64, I32, V128, type FunctionSpec, type ValueType, Code } from './assembler.js';

/**
 * Several arrays of one length are summed together, their chunks side by side in memory: each array's sum is
 * a chain of additions that waits for the previous one (about four cycles each), and the chains of different
 * arrays overlap in the CPU, so a run's maps (scale, confidence, modified maps) cost little more than one.
 */
const MAX_ARRAYS = 6;
const CHUNK = 8192; // floats per array, a multiple of 4
const STATE = 4 * CHUNK * MAX_ARRAYS; // per array (64 bytes): lo (v128), hi (v128), sum (f64), mean (f64), squares (f64)
const STATE_BYTES = 64;

interface Exports {
  memory: WebAssembly.Memory;
  /** Function `k - 1` of each kind takes k arrays. */
  [name: string]: WebAssembly.Memory | ((vectors: number) => void);
}

/** Chunk of array k in memory (bytes) and its state. */
const chunkAt = (k: number) => 4 * CHUNK * k;
const stateAt = (k: number) => STATE + STATE_BYTES * k;

/** extremesAndSum<arrays>(vectors): per array, lo/hi lane-wise over its chunk, sum += each value in order. */
function extremesAndSum(arrays: number): FunctionSpec {
  const [VECTORS, P, V] = [0, 1, 2];
  const LO = (k: number) => 3 + 3 * k;
  const HI = (k: number) => 4 + 3 * k;
  const SUM = (k: number) => 5 + 3 * k;
  const c = new Code();
  for (let k = 0; k < arrays; k++) {
    c.i32Const(0).v128Load(stateAt(k)).localSet(LO(k));
    c.i32Const(0).v128Load(stateAt(k) + 16).localSet(HI(k));
    c.i32Const(0).f64Load(stateAt(k) + 32).localSet(SUM(k));
  }
  c.block().localGet(VECTORS).i32Eqz().brIf(0).loop();
  for (let k = 0; k < arrays; k++) {
    c.localGet(P).v128Load(chunkAt(k)).localSet(V);
    c.localGet(LO(k)).localGet(V).f32x4Min().localSet(LO(k));
    c.localGet(HI(k)).localGet(V).f32x4Max().localSet(HI(k));
    for (let lane = 0; lane < 4; lane++) c.localGet(SUM(k)).localGet(V).f32x4ExtractLane(lane).f64PromoteF32().f64Add().localSet(SUM(k));
  }
  c.localGet(P).i32Const(16).i32Add().localSet(P);
  c.localGet(VECTORS).i32Const(1).i32Sub().localTee(VECTORS).brIf(0);
  c.end().end();
  for (let k = 0; k < arrays; k++) {
    c.i32Const(0).localGet(LO(k)).v128Store(stateAt(k));
    c.i32Const(0).localGet(HI(k)).v128Store(stateAt(k) + 16);
    c.i32Const(0).localGet(SUM(k)).f64Store(stateAt(k) + 32);
  }
  const locals: ValueType[] = [I32, V128];
  for (let k = 0; k < arrays; k++) locals.push(V128, V128, F64);
  return { name: `extremesAndSum${arrays}`, params: [I32], locals, body: c };
}

/** squaredDeviations<arrays>(vectors): per array, squares += (v - mean)^2 for each value in order. */
function squaredDeviations(arrays: number): FunctionSpec {
  const [VECTORS, P, V, D] = [0, 1, 2, 3];
  const MEAN = (k: number) => 4 + 2 * k;
  const SQ = (k: number) => 5 + 2 * k;
  const c = new Code();
  for (let k = 0; k < arrays; k++) {
    c.i32Const(0).f64Load(stateAt(k) + 40).localSet(MEAN(k));
    c.i32Const(0).f64Load(stateAt(k) + 48).localSet(SQ(k));
  }
  c.block().localGet(VECTORS).i32Eqz().brIf(0).loop();
  for (let k = 0; k < arrays; k++) {
    c.localGet(P).v128Load(chunkAt(k)).localSet(V);
    for (let lane = 0; lane < 4; lane++) {
      c.localGet(V).f32x4ExtractLane(lane).f64PromoteF32().localGet(MEAN(k)).f64Sub().localSet(D);
      c.localGet(SQ(k)).localGet(D).localGet(D).f64Mul().f64Add().localSet(SQ(k));
    }
  }
  c.localGet(P).i32Const(16).i32Add().localSet(P);
  c.localGet(VECTORS).i32Const(1).i32Sub().localTee(VECTORS).brIf(0);
  c.end().end();
  for (let k = 0; k < arrays; k++) c.i32Const(0).localGet(SQ(k)).f64Store(stateAt(k) + 48);
  const locals: ValueType[] = [I32, V128, F64];
  for (let k = 0; k < arrays; k++) locals.push(F64, F64);
  return { name: `squaredDeviations${arrays}`, params: [I32], locals, body: c };
}

const module = lazyKernels<Exports>(() => {
  const functions: FunctionSpec[] = [];
  for (let k = 1; k <= MAX_ARRAYS; k++) functions.push(extremesAndSum(k), squaredDeviations(k));
  return functions;
}, STATE + STATE_BYTES * MAX_ARRAYS);
const kernels = module.get;

/** Values handled by the kernels: the whole vectors of `data` (the rest, `data.length % 4`, is the caller's). */
function wholeVectors(length: number): number {
  return length - (length % 4);
}

/**
 * Runs `pass` over groups of at most MAX_ARRAYS arrays of one length: `begin(group, k)` sets array k's
 * state, the chunks are copied side by side and the kernel for the group's size runs on each, `end(group, k)`
 * reads the state back.
 */
function overGroups(
  k: Exports,
  datas: readonly Float32Array[],
  pass: 'extremesAndSum' | 'squaredDeviations',
  begin: (index: number, slot: number) => void,
  end: (index: number, slot: number) => void,
): void {
  const f32 = new Float32Array(k.memory.buffer);
  const byLength = new Map<number, number[]>();
  datas.forEach((d, i) => byLength.set(d.length, [...(byLength.get(d.length) ?? []), i]));
  for (const [length, indices] of byLength) {
    for (let g = 0; g < indices.length; g += MAX_ARRAYS) {
      const group = indices.slice(g, g + MAX_ARRAYS);
      const kernel = k[`${pass}${group.length}`] as (vectors: number) => void;
      group.forEach((index, slot) => begin(index, slot));
      const done = wholeVectors(length);
      for (let from = 0; from < done; from += CHUNK) {
        const to = Math.min(done, from + CHUNK);
        group.forEach((index, slot) => f32.set(datas[index].subarray(from, to), chunkAt(slot) / 4));
        kernel((to - from) / 4);
      }
      group.forEach((index, slot) => end(index, slot));
    }
  }
}

export interface ExtremesAndSum {
  min: number;
  max: number;
  sum: number;
  /** Values covered (a multiple of 4): the caller continues with the rest. */
  done: number;
}

/**
 * For each array: `min`/`max` as Math.min/Math.max over `data`, and `sum` (float64, index order) of its first
 * `done` values, a multiple of 4 (the caller continues with the rest). Null where WebAssembly SIMD is missing.
 * `sums` continues sums begun on earlier values (one per array; 0 when absent), so that a map summed a piece
 * at a time gets the very sum of the whole.
 */
export function extremesAndSumsOf(datas: readonly Float32Array[], sums?: readonly number[]): ExtremesAndSum[] | null {
  const k = kernels();
  if (!k) return null;
  const f32 = new Float32Array(k.memory.buffer);
  const f64 = new Float64Array(k.memory.buffer);
  const results: ExtremesAndSum[] = new Array(datas.length);
  overGroups(
    k,
    datas,
    'extremesAndSum',
    (index, slot) => {
      f32.fill(Infinity, stateAt(slot) / 4, stateAt(slot) / 4 + 4);
      f32.fill(-Infinity, stateAt(slot) / 4 + 4, stateAt(slot) / 4 + 8);
      f64[stateAt(slot) / 8 + 4] = sums?.[index] ?? 0;
    },
    (index, slot) => {
      let min = Infinity;
      let max = -Infinity;
      for (let l = 0; l < 4; l++) {
        min = Math.min(min, f32[stateAt(slot) / 4 + l]);
        max = Math.max(max, f32[stateAt(slot) / 4 + 4 + l]);
      }
      results[index] = { min, max, sum: f64[stateAt(slot) / 8 + 4], done: wholeVectors(datas[index].length) };
    },
  );
  return results;
}

/**
 * For each array, the sum (float64, index order) of `(v - means[i])^2` over its first `done` values (a
 * multiple of 4; the caller continues with the rest). Null where WebAssembly SIMD is missing. `squares`
 * continues sums begun on earlier values, as `sums` does for {@link extremesAndSumsOf}.
 */
export function squaredDeviationsOfMany(
  datas: readonly Float32Array[],
  means: readonly number[],
  squares?: readonly number[],
): { squares: number; done: number }[] | null {
  const k = kernels();
  if (!k) return null;
  const f64 = new Float64Array(k.memory.buffer);
  const results: { squares: number; done: number }[] = new Array(datas.length);
  overGroups(
    k,
    datas,
    'squaredDeviations',
    (index, slot) => {
      f64[stateAt(slot) / 8 + 5] = means[index];
      f64[stateAt(slot) / 8 + 6] = squares?.[index] ?? 0;
    },
    (index, slot) => {
      results[index] = { squares: f64[stateAt(slot) / 8 + 6], done: wholeVectors(datas[index].length) };
    },
  );
  return results;
}

/** {@link extremesAndSumsOf} of one array. */
export function extremesAndSumOf(data: Float32Array): ExtremesAndSum | null {
  return extremesAndSumsOf([data])?.[0] ?? null;
}

/** {@link squaredDeviationsOfMany} of one array. */
export function squaredDeviationsOf(data: Float32Array, mean: number): { squares: number; done: number } | null {
  return squaredDeviationsOfMany([data], [mean])?.[0] ?? null;
}
