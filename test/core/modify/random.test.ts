import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom, freshSeed, seedState, Xoshiro128StarStar } from '../../../src/core/modify/random.js';

const MASK32 = (1n << 32n) - 1n;

/** xoshiro128** written from the published algorithm with BigInt arithmetic (independent of the imul trick). */
function* xoshiroReference(state: [number, number, number, number]): Generator<number> {
  let [s0, s1, s2, s3] = state.map(BigInt);
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & MASK32;
  for (;;) {
    const result = (rotl((s1 * 5n) & MASK32, 7n) * 9n) & MASK32;
    const t = (s1 << 9n) & MASK32;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11n);
    yield Number(result);
  }
}

/** The documented seeding: a Weyl sequence (step 0x9e3779b9) through the MurmurHash3 fmix32 finaliser. */
function seedReference(seed: number): number[] {
  let w = BigInt(seed);
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    w = (w + 0x9e3779b9n) & MASK32;
    let z = w;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & MASK32;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & MASK32;
    z ^= z >> 16n;
    words.push(Number(z));
  }
  return words;
}

test('xoshiro128** from state (1, 2, 3, 4): hand-computed first outputs and a BigInt implementation', () => {
  const rng = new Xoshiro128StarStar([1, 2, 3, 4]);
  // By hand: s1 = 2 -> rotl(10, 7) * 9 = 1280 * 9; after one step s1 = 2 ^ (3 ^ 1) = 0.
  assert.equal(rng.nextUint32(), 11520);
  assert.equal(rng.nextUint32(), 0);
  const reference = xoshiroReference([1, 2, 3, 4]);
  reference.next();
  reference.next();
  for (let i = 0; i < 1000; i++) assert.equal(rng.nextUint32(), reference.next().value);
});

test('seeding matches the documented SplitMix32 construction, and the streams follow from it', () => {
  for (const seed of [0, 1, 42, 0x9e3779b9, 2 ** 32 - 1]) {
    const words = seedState(seed);
    assert.deepEqual(words, seedReference(seed));
    const rng = createRandom(seed);
    const reference = xoshiroReference(words);
    for (let i = 0; i < 50; i++) assert.equal(rng.nextUint32(), reference.next().value);
  }
});

test('seeds outside [0, 2^32) or non-integers are refused; the all-zero state is refused', () => {
  for (const bad of [-1, 2 ** 32, 1.5, NaN, Infinity]) assert.throws(() => createRandom(bad), RangeError);
  assert.throws(() => new Xoshiro128StarStar([0, 0, 0, 0]), RangeError);
});

test('same seed gives the same stream, different seeds different streams', () => {
  const draw = (seed: number) => {
    const rng = createRandom(seed);
    return Array.from({ length: 64 }, () => rng.nextStandardNormal());
  };
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
  const fresh = freshSeed();
  assert.ok(Number.isInteger(fresh) && fresh >= 0 && fresh < 2 ** 32);
});

test('uniform draws lie in [0, 1) with mean 1/2 and variance 1/12', () => {
  const rng = createRandom(12345);
  const n = 200_000;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.nextUniform();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    sumSq += u * u;
  }
  const mean = sum / n;
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(sumSq / n - mean * mean - 1 / 12) < 0.002);
});

test('standard normal draws: mean 0, variance 1, and the 1- and 2-sigma fractions of N(0, 1)', () => {
  const rng = createRandom(2024);
  const n = 400_000;
  let sum = 0;
  let sumSq = 0;
  let within1 = 0;
  let within2 = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.nextStandardNormal();
    sum += z;
    sumSq += z * z;
    if (Math.abs(z) < 1) within1++;
    if (Math.abs(z) < 2) within2++;
  }
  const mean = sum / n;
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(sumSq / n - mean * mean - 1) < 0.01, `variance ${sumSq / n}`);
  // P(|Z| < 1) = erf(1/sqrt 2) = 0.682689..., P(|Z| < 2) = 0.954499...
  assert.ok(Math.abs(within1 / n - 0.682689) < 0.003);
  assert.ok(Math.abs(within2 / n - 0.954499) < 0.002);
});
