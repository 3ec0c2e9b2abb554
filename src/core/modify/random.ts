/**
 * Seeded pseudo-random numbers for the synthetic solvent of METHOD.md §9, so that `--seed` reproduces a run
 * exactly.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/): 128 bits of state, 32-bit output,
 * period 2^128 − 1. All of its arithmetic is 32-bit (shifts, xor, rotations, multiplication by 5 and 9 via
 * `Math.imul`), so it is exact and fast in JavaScript without BigInt.
 *
 * Seeding: the four state words are four consecutive outputs of a 32-bit SplitMix-style generator started at
 * the seed: `w += 0x9e3779b9; z = w; z = (z ^ z>>>16) * 0x85ebca6b; z = (z ^ z>>>13) * 0xc2b2ae35;
 * z ^= z>>>16` (a Weyl sequence through the MurmurHash3 32-bit finaliser, all mod 2^32). The finaliser is a
 * bijection and the four inputs differ, so at most one word is zero and the all-zero state (the one state
 * xoshiro must avoid) cannot occur.
 *
 * Uniform doubles take 53 bits from two outputs (`(a >>> 5) * 2^26 + (b >>> 6)) / 2^53`, in [0, 1)).
 * Standard normal draws use the ziggurat method with 128 layers in Doornik's ZIGNOR form (J. A. Doornik, "An
 * Improved Ziggurat Method to Generate Normal Random Samples", 2005): each attempt takes one output a; its
 * low 7 bits choose the layer and its high 25 bits give u = (a >>> 7) / 2^24 - 1 in [-1, 1), so layer and
 * value come from disjoint bits and are independent (the flaw of the original Marsaglia–Tsang version, which
 * reused the index bits in the value). 25 bits are enough here: a draw is multiplied by the solvent sigma and
 * added to a float32 map, whose own resolution (2^-24 relative) is no finer. About 98.8 % of draws are
 * accepted at once with one multiplication; the rest go through the wedge test or the tail (exact
 * rejection, with 53-bit uniforms and `Math.exp` / `Math.log`). Synthetic solvent needs one draw per voxel,
 * and this is ~4x faster than Marsaglia's polar method (two 53-bit uniforms, a log and a square root per
 * pair), used before. The stream is
 * exactly reproducible for a given seed on one JavaScript engine; across engines `Math.exp` / `Math.log`
 * (rare wedge and tail draws only) could in principle differ in the last bit.
 *
 * This is not the reference's generator (NumPy's global Mersenne Twister, unseeded), so synthetic solvent
 * agrees with the reference only statistically — as METHOD.md §9 says it must be compared.
 */
import { assembleModule, Code, F64, I32 } from '../wasm/assembler.js';

export interface RandomSource {
  /** The next 32-bit output, as an unsigned integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform double in [0, 1) with 53 random bits. */
  nextUniform(): number;
  /** A draw from the standard normal distribution N(0, 1). */
  nextStandardNormal(): number;
  /** out[start .. end) = successive `nextStandardNormal()` draws (the same values), faster. */
  fillStandardNormal(out: Float64Array, start?: number, end?: number): void;
}

const MAX_SEED = 2 ** 32;

/** The first 32-bit word of each SplitMix32 step from `state`, and the advanced state. */
function splitMix32(state: number): { word: number; state: number } {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z = (z ^ (z >>> 16)) >>> 0;
  return { word: z, state: next };
}

/** The four xoshiro128** state words for a seed (see the module comment). */
export function seedState(seed: number): [number, number, number, number] {
  if (!Number.isInteger(seed) || seed < 0 || seed >= MAX_SEED) {
    throw new RangeError(`random seed must be an integer in [0, 2^32), got ${seed}`);
  }
  const words: number[] = [];
  let state = seed;
  for (let i = 0; i < 4; i++) {
    const step = splitMix32(state);
    words.push(step.word);
    state = step.state;
  }
  return [words[0], words[1], words[2], words[3]];
}

export class Xoshiro128StarStar implements RandomSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Starts from explicit state words (not all zero); use `createRandom(seed)` for seeded use. */
  constructor(state: readonly [number, number, number, number]) {
    if (state.every((w) => (w >>> 0) === 0)) throw new RangeError('xoshiro128** state must not be all zero');
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w >>> 0);
  }

  nextUint32(): number {
    const s1 = this.s1;
    const times5 = Math.imul(s1, 5);
    const result = Math.imul((times5 << 7) | (times5 >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  nextUniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  nextStandardNormal(): number {
    const a = this.nextUint32();
    const u = (a >>> 7) * ZIG_UNIT - 1;
    const layer = a & 127;
    // Inside the layer's rectangle, wholly under the density: accept at once.
    if (Math.abs(u) < ZIG_RATIO[layer]) return u * ZIG_X[layer];
    return this.finishDraw(u, layer);
  }

  /** The rest of a draw whose first attempt (u, layer) missed the layer's rectangle. */
  private finishDraw(u: number, layer: number): number {
    for (;;) {
      if (layer === 0) return normalTail(() => this.nextUniform(), u < 0);
      // The wedge between the rectangle and the density: accept with the right probability.
      const x = u * ZIG_X[layer];
      const x2 = x * x;
      const f0 = Math.exp(-0.5 * (ZIG_X[layer] * ZIG_X[layer] - x2));
      const f1 = Math.exp(-0.5 * (ZIG_X[layer + 1] * ZIG_X[layer + 1] - x2));
      if (f1 + this.nextUniform() * (f0 - f1) < 1) return x;
      // Rejected: a fresh attempt.
      const a = this.nextUint32();
      u = (a >>> 7) * ZIG_UNIT - 1;
      layer = a & 127;
      if (Math.abs(u) < ZIG_RATIO[layer]) return u * ZIG_X[layer];
    }
  }

  /**
   * Fills out[start .. end) with standard normal draws: exactly the values that as many `nextStandardNormal()`
   * calls would return, in order, and leaves the generator where they would. Several times faster, because
   * the generator's state stays in local variables for the common (rectangle) case.
   */
  fillStandardNormal(out: Float64Array, start = 0, end = out.length): void {
    if (end - start >= KERNEL_MIN_DRAWS && this.fillWithKernel(out, start, end)) return;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = start; i < end; i++) {
      // nextUint32, inlined.
      const times5 = Math.imul(s1, 5);
      const a = Math.imul((times5 << 7) | (times5 >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const u = (a >>> 7) * ZIG_UNIT - 1;
      const layer = a & 127;
      if (Math.abs(u) < ZIG_RATIO[layer]) {
        out[i] = u * ZIG_X[layer];
        continue;
      }
      // Rare: finish this draw (and any further attempts) the ordinary way, from the same state.
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      out[i] = this.finishDraw(u, layer);
      s0 = this.s0;
      s1 = this.s1;
      s2 = this.s2;
      s3 = this.s3;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /**
   * `fillStandardNormal` by the WebAssembly kernel (see `normalKernel`): the rectangle draws there, each other
   * draw finished here by `finishDraw` from the same state, exactly as the loop above does. False without it.
   */
  private fillWithKernel(out: Float64Array, start: number, end: number): boolean {
    const k = normalKernel();
    if (!k) return false;
    const i32 = new Int32Array(k.memory.buffer);
    const f64 = new Float64Array(k.memory.buffer);
    const draws = f64.subarray(DRAWS_AT / 8, DRAWS_AT / 8 + DRAW_CHUNK);
    const save = () => {
      i32[STATE_AT / 4] = this.s0;
      i32[STATE_AT / 4 + 1] = this.s1;
      i32[STATE_AT / 4 + 2] = this.s2;
      i32[STATE_AT / 4 + 3] = this.s3;
    };
    const load = () => {
      this.s0 = i32[STATE_AT / 4] >>> 0;
      this.s1 = i32[STATE_AT / 4 + 1] >>> 0;
      this.s2 = i32[STATE_AT / 4 + 2] >>> 0;
      this.s3 = i32[STATE_AT / 4 + 3] >>> 0;
    };
    for (let from = start; from < end; from += DRAW_CHUNK) {
      const n = Math.min(DRAW_CHUNK, end - from);
      save();
      for (let i = 0; i < n; ) {
        k.normals(i, n);
        i = i32[STOP_AT / 4];
        if (i < n) {
          load();
          draws[i] = this.finishDraw(f64[RARE_U_AT / 8], i32[RARE_LAYER_AT / 4]);
          save();
          i++;
        }
      }
      load();
      out.set(draws.subarray(0, n), from);
    }
    return true;
  }
}

/**
 * A draw from the standard normal's tail beyond ZIG_R (Marsaglia's exact method), negated when `negative`,
 * from uniforms in [0, 1).
 */
export function normalTail(uniform: () => number, negative: boolean): number {
  let x: number;
  let y: number;
  do {
    // 1 - uniform lies in (0, 1], so the logarithms are finite.
    x = Math.log(1 - uniform()) / ZIG_R;
    y = Math.log(1 - uniform());
  } while (-2 * y < x * x);
  return negative ? x - ZIG_R : ZIG_R - x;
}

/** Ziggurat constants for 128 layers (Doornik 2005): the start of the tail, and the area of each layer. */
const ZIG_LAYERS = 128;
export const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
/** 2^-24: (a >>> 7) * ZIG_UNIT lies in [0, 2). */
const ZIG_UNIT = 1 / 16777216;

/**
 * Layer edges X[0..128] (X[0] = V / f(R) is the bottom layer's width including the tail, X[1] = R, X[128] = 0,
 * each layer between X[i+1] and X[i] of area V) and the ratios X[i+1] / X[i] of the quick-accept test.
 */
const [ZIG_X, ZIG_RATIO] = ((): [Float64Array, Float64Array] => {
  const x = new Float64Array(ZIG_LAYERS + 1);
  let f = Math.exp(-0.5 * ZIG_R * ZIG_R);
  x[0] = ZIG_V / f;
  x[1] = ZIG_R;
  x[ZIG_LAYERS] = 0;
  for (let i = 2; i < ZIG_LAYERS; i++) {
    x[i] = Math.sqrt(-2 * Math.log(ZIG_V / x[i - 1] + f));
    f = Math.exp(-0.5 * x[i] * x[i]);
  }
  const ratio = new Float64Array(ZIG_LAYERS);
  for (let i = 0; i < ZIG_LAYERS; i++) ratio[i] = x[i + 1] / x[i];
  return [x, ratio];
})();

/** Draws taken by the WebAssembly kernel at a time (below this many, the JavaScript loop). */
const DRAW_CHUNK = 8192;
const KERNEL_MIN_DRAWS = 1024;
const DRAWS_AT = 0;
const X_AT = 8 * DRAW_CHUNK; // ZIG_X, 129 doubles
const RATIO_AT = X_AT + 8 * (ZIG_LAYERS + 1); // ZIG_RATIO, 128 doubles
const STATE_AT = RATIO_AT + 8 * ZIG_LAYERS; // s0..s3
const STOP_AT = STATE_AT + 16;
const RARE_LAYER_AT = STOP_AT + 4;
const RARE_U_AT = STOP_AT + 8;

interface NormalKernel {
  memory: WebAssembly.Memory;
  normals: (from: number, end: number) => void;
}

let normalKernelCompiled: NormalKernel | null | undefined;

/**
 * `normals(from, end)`: the rectangle case of `fillStandardNormal` in WebAssembly (plain i32 and f64
 * instructions, the same operations as the JavaScript loop: xoshiro128** on i32, `u = (a >>> 7) · 2^-24 − 1`,
 * `|u| < ratio[layer]` then `u · x[layer]`), draws i in [from, end) into the draws area, the state in memory.
 * At the first draw that misses its rectangle it stops, leaving that draw's u and layer and its index (else
 * `end`) for the JavaScript side to finish it. Null where WebAssembly is missing.
 */
function normalKernel(): NormalKernel | null {
  if (normalKernelCompiled !== undefined) return normalKernelCompiled;
  normalKernelCompiled = null;
  if (typeof WebAssembly !== 'object') return null;
  const [FROM, END, S0, S1, S2, S3, A, T, LAYER, U] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const c = new Code();
  [S0, S1, S2, S3].forEach((s, j) => c.i32Const(0).i32Load(STATE_AT + 4 * j).localSet(s));
  c.block().loop();
  c.localGet(FROM).localGet(END).i32GeU().brIf(1);
  // a = rotl(s1 * 5, 7) * 9; t = s1 << 9; then the state update.
  c.localGet(S1).i32Const(5).i32Mul().i32Const(7).i32Rotl().i32Const(9).i32Mul().localSet(A);
  c.localGet(S1).i32Const(9).i32Shl().localSet(T);
  c.localGet(S2).localGet(S0).i32Xor().localSet(S2);
  c.localGet(S3).localGet(S1).i32Xor().localSet(S3);
  c.localGet(S1).localGet(S2).i32Xor().localSet(S1);
  c.localGet(S0).localGet(S3).i32Xor().localSet(S0);
  c.localGet(S2).localGet(T).i32Xor().localSet(S2);
  c.localGet(S3).i32Const(11).i32Rotl().localSet(S3);
  c.localGet(A).i32Const(7).i32ShrU().f64ConvertI32U().f64Const(ZIG_UNIT).f64Mul().f64Const(1).f64Sub().localSet(U);
  c.localGet(A).i32Const(127).i32And().i32Const(3).i32Shl().localSet(LAYER); // byte offset of the layer's entries
  c.localGet(U).f64Abs().localGet(LAYER).f64Load(RATIO_AT).f64Lt();
  c.if();
  c.localGet(FROM).i32Const(3).i32Shl();
  c.localGet(U).localGet(LAYER).f64Load(X_AT).f64Mul();
  c.f64Store(DRAWS_AT);
  c.localGet(FROM).i32Const(1).i32Add().localSet(FROM);
  c.br(1); // next draw
  c.end();
  c.i32Const(0).localGet(U).f64Store(RARE_U_AT);
  c.i32Const(0).localGet(LAYER).i32Const(3).i32ShrU().i32Store(RARE_LAYER_AT);
  c.end().end();
  [S0, S1, S2, S3].forEach((s, j) => c.i32Const(0).localGet(s).i32Store(STATE_AT + 4 * j));
  c.i32Const(0).localGet(FROM).i32Store(STOP_AT);
  const bytes = assembleModule([{ name: 'normals', params: [I32, I32], locals: [I32, I32, I32, I32, I32, I32, I32, F64], body: c }], Math.ceil((RARE_U_AT + 8) / 65536));
  const kernel = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as NormalKernel;
  const f64 = new Float64Array(kernel.memory.buffer);
  f64.set(ZIG_X, X_AT / 8);
  f64.set(ZIG_RATIO, RATIO_AT / 8);
  normalKernelCompiled = kernel;
  return kernel;
}

/** A generator seeded from an integer in [0, 2^32). Equal seeds give identical streams. */
export function createRandom(seed: number): RandomSource {
  return new Xoshiro128StarStar(seedState(seed));
}

/**
 * A fresh seed for runs without `--seed`, from the platform's cryptographic source when there is one (Node
 * 20, browsers and workers all have `globalThis.crypto`). Log it: it is what reproduces the run.
 */
export function freshSeed(): number {
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (webCrypto?.getRandomValues) return webCrypto.getRandomValues(new Uint32Array(1))[0];
  return Math.floor(Math.random() * MAX_SEED);
}
