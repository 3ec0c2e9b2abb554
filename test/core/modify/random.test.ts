import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom, freshSeed, normalTail, seedState, Xoshiro128StarStar, ZIG_R } from '../../../src/core/modify/random.js';

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

/** Standard normal CDF via the complementary error function (Abramowitz–Stegun 7.1.26 is too coarse; use a series/continued fraction). */
function normalCdf(z: number): number {
  // erfc by the continued fraction (Lentz) for |x| > 2, Taylor series below; relative accuracy ~1e-14.
  const x = Math.abs(z) / Math.SQRT2;
  let erfc: number;
  if (x < 2) {
    let sum = x;
    let term = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    erfc = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
    let f = x;
    for (let n = 200; n >= 1; n--) f = x + n / 2 / f;
    erfc = Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }
  return z < 0 ? erfc / 2 : 1 - erfc / 2;
}

test('normalCdf helper: known values of the standard normal distribution', () => {
  assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-15);
  assert.ok(Math.abs(normalCdf(1) - 0.8413447460685429) < 1e-13);
  assert.ok(Math.abs(normalCdf(-2.5) - 0.006209665325776132) < 1e-15);
  assert.ok(Math.abs(normalCdf(-4) - 3.167124183311992e-5) < 1e-17);
});

test('standard normal draws pass a Kolmogorov–Smirnov test against N(0, 1) and have its moments', () => {
  const rng = createRandom(31337);
  const n = 1_000_000;
  const z = new Float64Array(n);
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const v = rng.nextStandardNormal();
    z[i] = v;
    m1 += v;
    m2 += v * v;
    m3 += v * v * v;
    m4 += v * v * v * v;
  }
  z.sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = normalCdf(z[i]);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  // Critical value at the 0.1 % level: 1.95 / sqrt(n).
  assert.ok(d < 1.95 / Math.sqrt(n), `KS distance ${d}`);
  // Moments with ~6-sigma bounds: sd of the mean 1e-3, of m2 sqrt(2/n), of m3 sqrt(15/n), of m4 sqrt(96/n).
  assert.ok(Math.abs(m1 / n) < 0.006, `mean ${m1 / n}`);
  assert.ok(Math.abs(m2 / n - 1) < 0.009, `variance ${m2 / n}`);
  assert.ok(Math.abs(m3 / n) < 0.024, `third moment ${m3 / n}`);
  assert.ok(Math.abs(m4 / n - 3) < 0.06, `fourth moment ${m4 / n}`);
});

test('the tail beyond the ziggurat start follows the standard normal truncated there (KS, 200 000 draws a side)', () => {
  // The layer-0 draws are too rare among all draws (0.06 %) to test their shape there: the tail sampler alone,
  // against F(x) = 1 - Phi(-x) / Phi(-R) for x >= R.
  const rng = createRandom(77);
  const n = 200_000;
  const tailMass = normalCdf(-ZIG_R);
  for (const negative of [false, true]) {
    const x = Float64Array.from({ length: n }, () => normalTail(() => rng.nextUniform(), negative) * (negative ? -1 : 1)).sort();
    assert.ok(x[0] >= ZIG_R, `${x[0]} below the tail's start`);
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = 1 - normalCdf(-x[i]) / tailMass;
      d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
    }
    // Critical value at the 0.1 % level: 1.95 / sqrt(n).
    assert.ok(d < 1.95 / Math.sqrt(n), `negative ${negative}: KS distance ${d}`);
  }
});

test('standard normal draws: layer boundaries and tails have the right mass (ziggurat edges)', () => {
  const rng = createRandom(4242);
  const n = 4_000_000;
  // Points around the ziggurat's tail start (3.4426), deep in the tail, and inside the top layers.
  const cuts = [0.05, 0.3, 1.0, 2.5, 3.3, 3.4426, 3.6, 4.5];
  const beyond = new Float64Array(cuts.length);
  let positive = 0;
  for (let i = 0; i < n; i++) {
    const v = rng.nextStandardNormal();
    if (v > 0) positive++;
    const a = Math.abs(v);
    for (let c = 0; c < cuts.length; c++) if (a > cuts[c]) beyond[c]++;
  }
  assert.ok(Math.abs(positive / n - 0.5) < 6 * Math.sqrt(0.25 / n), `positive fraction ${positive / n}`);
  cuts.forEach((c, k) => {
    const p = 2 * normalCdf(-c);
    const sd = Math.sqrt(p * (1 - p) / n);
    assert.ok(Math.abs(beyond[k] / n - p) < 6 * sd + 1 / n, `P(|Z| > ${c}): ${beyond[k] / n} vs ${p}`);
  });
});

test('successive normal draws are uncorrelated (lag-1 and between the value and its layer bits)', () => {
  const rng = createRandom(99);
  const n = 500_000;
  let prev = rng.nextStandardNormal();
  let lag = 0;
  let sq = 0;
  let lagSq = 0;
  for (let i = 0; i < n; i++) {
    const v = rng.nextStandardNormal();
    lag += prev * v;
    lagSq += (prev * prev - 1) * (v * v - 1);
    sq += v * v;
    prev = v;
  }
  const bound = 6 / Math.sqrt(n);
  assert.ok(Math.abs(lag / n) < bound, `lag-1 correlation ${lag / n}`);
  assert.ok(Math.abs(lagSq / n / 2) < bound, `lag-1 correlation of squares ${lagSq / n / 2}`);
  assert.ok(Math.abs(sq / n - 1) < 0.01);
});

test('fillStandardNormal (JavaScript loop and WebAssembly kernel) gives exactly the draws of successive nextStandardNormal calls, wedges and tails included', () => {
  for (const seed of [1, 77, 2 ** 31 + 5]) {
    const one = createRandom(seed);
    const bulk = createRandom(seed);
    const n = 1_000_000;
    const filled = new Float64Array(n + 10);
    // Uneven pieces, with a gap in the array that must stay untouched; pieces of 1024 draws or more go through
    // the WebAssembly kernel (rectangle draws there, the others finished in JavaScript), shorter ones the loop.
    const GAP = [4097, 4100];
    bulk.fillStandardNormal(filled, 0, 1);
    bulk.fillStandardNormal(filled, 1, GAP[0]);
    bulk.fillStandardNormal(filled, GAP[1], 5003);
    bulk.fillStandardNormal(filled, 5003, n + 3);
    let rare = 0;
    for (let draw = 0; draw < n; draw++) {
      const v = one.nextStandardNormal();
      if (Math.abs(v) > 3.44) rare++;
      const i = draw < GAP[0] ? draw : draw + GAP[1] - GAP[0];
      if (!Object.is(v, filled[i])) assert.fail(`seed ${seed}, draw ${draw}: ${filled[i]} vs ${v}`);
    }
    assert.ok(rare > 100, 'the tail was exercised');
    for (let i = GAP[0]; i < GAP[1]; i++) assert.equal(filled[i], 0, 'the gap is untouched');
    for (let i = n + 3; i < n + 10; i++) assert.equal(filled[i], 0, 'past the end is untouched');
    // Both generators are left in the same state.
    for (let i = 0; i < 100; i++) assert.equal(bulk.nextUint32(), one.nextUint32());
  }
});
