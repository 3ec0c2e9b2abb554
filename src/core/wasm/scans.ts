/**
 * Whole-map passes that run once per map, in WebAssembly SIMD: the value range (`valueRange`, and the test
 * for NaN or infinite values that rides on it) and the local scale's normalisation with the variability
 * limit's sum (src/core/scale/local-scale.ts). A JavaScript loop that runs once over 16 M voxels spends much
 * of its time before the optimising compiler takes over, and even optimised it costs several nanoseconds per
 * float32 value here; these kernels run at full speed from the first call. Each is exactly its JavaScript
 * loop (see the function comments; tested against them).
 *
 * Values are copied into the module's memory in chunks of whole vectors; the last values of an array that do
 * not fill a vector are left to the caller, who continues the same loop with them in order.
 */
import { lazyKernels, F64, I32, V128, type FunctionSpec, Code } from './assembler.js';

const CHUNK = 16384; // floats, a multiple of 4
const VALUES = 4 * CHUNK; // second input chunk (bytes)
const STATE = 8 * CHUNK; // lo (v128), hi (v128), divisor (f32), -, sum (f64), count (i32)
const LO = STATE;
const HI = STATE + 16;
const DIVISOR = STATE + 32;
const SUM = STATE + 40;
const COUNT = STATE + 48;

interface Exports {
  memory: WebAssembly.Memory;
  extremes: (vectors: number) => void;
  normalise: (vectors: number) => void;
}

/** extremes(vectors): lane-wise f32x4.min / f32x4.max of the chunk into lo / hi. */
function extremes(): FunctionSpec {
  const [VECTORS, P, V, L, H] = [0, 1, 2, 3, 4];
  const c = new Code();
  c.i32Const(0).v128Load(LO).localSet(L);
  c.i32Const(0).v128Load(HI).localSet(H);
  c.block().localGet(VECTORS).i32Eqz().brIf(0).loop();
  c.localGet(P).v128Load(0).localSet(V);
  c.localGet(L).localGet(V).f32x4Min().localSet(L);
  c.localGet(H).localGet(V).f32x4Max().localSet(H);
  c.localGet(P).i32Const(16).i32Add().localSet(P);
  c.localGet(VECTORS).i32Const(1).i32Sub().localTee(VECTORS).brIf(0);
  c.end().end();
  c.i32Const(0).localGet(L).v128Store(LO);
  c.i32Const(0).localGet(H).v128Store(HI);
  return { name: 'extremes', params: [I32], locals: [I32, V128, V128, V128], body: c };
}

/**
 * normalise(vectors): for each value d of the scale chunk (in place) `s = d / divisor` in float32 clipped to
 * [0, 1] as `s < 0 ? 0 : s > 1 ? 1 : s`, and for each s equal to 1 `sum += value; count++` with the value of
 * the same index in the values chunk, one after another in index order (float64, as the JavaScript loop).
 *
 * The JavaScript loop divides in double precision and compares before rounding to float32; the float32
 * quotient is the same number (a double quotient of two float32 values rounds to float32 exactly as the
 * float32 division does), and clipping commutes with that rounding, except for a non-zero value whose quotient
 * rounds to zero: the loop stores +0 for it (a negative double below 0 is clipped to 0, a positive one rounds
 * to +0) where the float32 division gives -0 for a negative one. Those lanes are set to +0 explicitly.
 */
function normalise(): FunctionSpec {
  const [VECTORS, P, D, R, E, V, DIV, ZERO, ONE, S, N] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const c = new Code();
  c.i32Const(0).f32Load(DIVISOR).f32x4Splat().localSet(DIV);
  c.f32x4Const(0).localSet(ZERO);
  c.f32x4Const(1).localSet(ONE);
  c.i32Const(0).f64Load(SUM).localSet(S);
  c.i32Const(0).i32Load(COUNT).localSet(N);
  c.block().localGet(VECTORS).i32Eqz().brIf(0).loop();
  normaliseVector(c, { P, D, R, E, DIV, ZERO, ONE });
  c.if();
  c.localGet(P).v128Load(VALUES).localSet(V);
  for (let lane = 0; lane < 4; lane++) {
    c.localGet(E).i32x4ExtractLane(lane);
    c.if();
    c.localGet(S).localGet(V).f32x4ExtractLane(lane).f64PromoteF32().f64Add().localSet(S);
    c.localGet(N).i32Const(1).i32Add().localSet(N);
    c.end();
  }
  c.end();
  c.localGet(P).i32Const(16).i32Add().localSet(P);
  c.localGet(VECTORS).i32Const(1).i32Sub().localTee(VECTORS).brIf(0);
  c.end().end();
  c.i32Const(0).localGet(S).f64Store(SUM);
  c.i32Const(0).localGet(N).i32Store(COUNT);
  return { name: 'normalise', params: [I32], locals: [I32, V128, V128, V128, V128, V128, V128, V128, F64, I32], body: c };
}

/**
 * The vector at P (i32 local) normalised in place as `normalise` below says (D, R: v128 scratch locals; DIV,
 * ZERO, ONE: the splatted divisor, 0 and 1), leaving on the stack whether any lane came out 1 (E holds the
 * lanes equal to 1). Shared with the max filter, which normalises its output planes the same way.
 */
export function normaliseVector(c: Code, l: { P: number; D: number; R: number; E: number; DIV: number; ZERO: number; ONE: number }): void {
  c.localGet(l.P).v128Load(0).localSet(l.D);
  c.localGet(l.D).localGet(l.DIV).f32x4Div();
  c.localGet(l.ZERO).f32x4Pmax(); // s < 0 ? 0 : s
  c.localGet(l.ONE).f32x4Pmin(); // 1 < s ? 1 : s
  c.localSet(l.R);
  // Lanes whose quotient is zero while the value is not: +0 (r & ~(r == 0 & ~(d == 0))).
  c.localGet(l.R);
  c.localGet(l.R).localGet(l.ZERO).f32x4Eq();
  c.localGet(l.D).localGet(l.ZERO).f32x4Eq();
  c.v128AndNot();
  c.v128AndNot().localSet(l.R);
  c.localGet(l.P).localGet(l.R).v128Store(0);
  c.localGet(l.R).localGet(l.ONE).f32x4Eq().localTee(l.E).v128AnyTrue();
}

const kernels = lazyKernels<Exports>(() => [extremes(), normalise()], STATE + 64).get;

/** Whether the kernels run here (WebAssembly SIMD). */
export function scanKernelsAvailable(): boolean {
  return kernels() !== null;
}

/**
 * `Math.min` / `Math.max` over the first `done` values of `data` (the whole vectors; a NaN anywhere in them
 * makes both NaN, -0 is below +0). Null where WebAssembly SIMD is missing.
 */
export function extremesOf(data: Float32Array): { min: number; max: number; done: number } | null {
  const k = kernels();
  if (!k) return null;
  const f32 = new Float32Array(k.memory.buffer);
  f32.fill(Infinity, LO / 4, LO / 4 + 4);
  f32.fill(-Infinity, HI / 4, HI / 4 + 4);
  const done = data.length - (data.length % 4);
  for (let from = 0; from < done; from += CHUNK) {
    const to = Math.min(done, from + CHUNK);
    f32.set(data.subarray(from, to), 0);
    k.extremes((to - from) / 4);
  }
  let min = Infinity;
  let max = -Infinity;
  for (let l = 0; l < 4; l++) {
    min = Math.min(min, f32[LO / 4 + l]);
    max = Math.max(max, f32[HI / 4 + l]);
  }
  return { min, max, done };
}

/**
 * The first `done` values (whole vectors) of the loop
 *
 *     for (i) { s = scale[i] / divisor; scale[i] = s < 0 ? 0 : s > 1 ? 1 : s;
 *               if (scale[i] === 1) { sum += values[i]; count++; } }
 *
 * with `divisor` a finite float32 value above zero (`Math.fround` of it is itself; an infinite one would make
 * the quotient of a negative value -0, which the loop keeps), `sum` and `count` starting at 0.
 * Null where WebAssembly SIMD is missing; the caller continues the loop from `done`.
 */
export function normaliseAndSumOnes(
  scale: Float32Array,
  values: Float32Array,
  divisor: number,
): { sum: number; count: number; done: number } | null {
  const k = kernels();
  if (!k) return null;
  if (!(divisor > 0 && divisor < Infinity) || Math.fround(divisor) !== divisor || values.length !== scale.length) {
    throw new RangeError('normaliseAndSumOnes: the divisor must be a finite float32 above zero and the arrays of one length');
  }
  const f32 = new Float32Array(k.memory.buffer);
  const f64 = new Float64Array(k.memory.buffer);
  const i32 = new Int32Array(k.memory.buffer);
  f32[DIVISOR / 4] = divisor;
  f64[SUM / 8] = 0;
  i32[COUNT / 4] = 0;
  const done = scale.length - (scale.length % 4);
  for (let from = 0; from < done; from += CHUNK) {
    const to = Math.min(done, from + CHUNK);
    f32.set(scale.subarray(from, to), 0);
    f32.set(values.subarray(from, to), VALUES / 4);
    k.normalise((to - from) / 4);
    scale.set(f32.subarray(0, to - from), from);
  }
  return { sum: f64[SUM / 8], count: i32[COUNT / 4], done };
}
