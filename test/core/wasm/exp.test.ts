import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleModule } from '../../../src/core/wasm/assembler.js';
import { expFunction } from '../../../src/core/wasm/exp.js';
import { mulberry32 } from '../../../src/synthetic/random.js';

const { exp } = new WebAssembly.Instance(new WebAssembly.Module(assembleModule([expFunction()], 1)), {}).exports as {
  exp: (x: number) => number;
};

/** Bits of a double, to compare results exactly (NaN payloads included). */
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
function bitsOf(v: number): string {
  bits[0] = v;
  return `${words[1].toString(16)}:${words[0].toString(16)}`;
}

function assertSameAsMathExp(xs: Iterable<number>, label: string): number {
  let checked = 0;
  for (const x of xs) {
    const want = Math.exp(x);
    const got = exp(x);
    if (!Object.is(got, want) && !(Number.isNaN(got) && Number.isNaN(want))) {
      assert.fail(`${label}: exp(${x}) = ${got} (${bitsOf(got)}), Math.exp gives ${want} (${bitsOf(want)})`);
    }
    checked++;
  }
  return checked;
}

/** `count` arguments uniform in [lo, hi), from a seeded generator so that a failure can be reproduced. */
function* uniform(count: number, lo: number, hi: number, seed: number): Generator<number> {
  const random = mulberry32(seed);
  for (let i = 0; i < count; i++) yield lo + (hi - lo) * random();
}

test('exp: the special arguments and the branch boundaries of the method, exactly as Math.exp', () => {
  const ln2 = Math.LN2;
  const special = [
    0, -0, 1, -1, 0.5, -0.5, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE,
    709.782712893384, 709.7827128933841, 709.78, -745.1332191019411, -745.1332191019412, -745.2, -708.39, -708.4, -720,
    0.5 * ln2, -0.5 * ln2, 1.5 * ln2, -1.5 * ln2, 2 ** -28, -(2 ** -28), 2 ** -29, 2 ** -1074, 1e-300, 7.09782712893383973096e2,
  ];
  const near: number[] = [];
  for (const x of special) {
    if (!Number.isFinite(x) || x === 0) continue;
    // The neighbouring doubles of each, where a branch condition on the high word could flip.
    for (const f of [1 - 2 ** -52, 1 + 2 ** -52, 1 - 2 ** -30, 1 + 2 ** -30]) near.push(x * f);
  }
  assertSameAsMathExp([...special, ...near], 'special');
});

test('exp: millions of arguments over every branch (overflow, reduction with k = ±1 and larger, tiny x, subnormal results)', () => {
  let checked = 0;
  checked += assertSameAsMathExp(uniform(1_000_000, -750, 712, 1), 'uniform [-750, 712]');
  checked += assertSameAsMathExp(uniform(500_000, -50, 0, 2), 'the fit range [-50, 0]');
  checked += assertSameAsMathExp(uniform(200_000, -1.1, 1.1, 3), 'k = 0, ±1');
  checked += assertSameAsMathExp(uniform(200_000, -746, -707, 4), 'subnormal results');
  checked += assertSameAsMathExp(uniform(100_000, -1e-7, 1e-7, 5), 'tiny');
  // Random bit patterns: every exponent, NaNs with payloads.
  const raw = new Float64Array(400_000);
  const w = new Uint32Array(raw.buffer);
  const random = mulberry32(12345);
  for (let i = 0; i < w.length; i++) w[i] = Math.floor(random() * 2 ** 32);
  checked += assertSameAsMathExp(raw, 'random bits');
  assert.equal(checked, 2_400_000);
});
