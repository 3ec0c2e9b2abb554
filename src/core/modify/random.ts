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
 * Standard normal draws use Marsaglia's polar method, which returns the two normals of each accepted pair on
 * successive calls. The stream is exactly reproducible for a given seed on one JavaScript engine; across
 * engines `Math.log` / `Math.sqrt` could in principle differ in the last bit (V8 and SpiderMonkey both use
 * fdlibm-derived `log`).
 *
 * This is not the reference's generator (NumPy's global Mersenne Twister, unseeded), so synthetic solvent
 * agrees with the reference only statistically — as METHOD.md §9 says it must be compared.
 */

export interface RandomSource {
  /** The next 32-bit output, as an unsigned integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform double in [0, 1) with 53 random bits. */
  nextUniform(): number;
  /** A draw from the standard normal distribution N(0, 1). */
  nextStandardNormal(): number;
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
  private spareNormal = 0;
  private hasSpareNormal = false;

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
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spareNormal;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.nextUniform() - 1;
      v = 2 * this.nextUniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    this.hasSpareNormal = true;
    return u * factor;
  }
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
