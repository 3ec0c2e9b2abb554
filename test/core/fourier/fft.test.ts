import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FftPlan, factorize, GENERIC_RADIX_LIMIT } from '../../../src/core/fourier/fft.js';
import { directDft, relativeError, seededValues } from './dft.js';

const LENGTHS = [
  ...Array.from({ length: 40 }, (_, i) => i + 1),
  49, 53, 64, 77, 96, 97, 101, 121, 125, 128, 160, 200, 240, 251, 256, 300, 360, 420, 502,
];

function largestPrimeFactor(n: number): number {
  let largest = 1;
  for (let p = 2; n > 1; p++) {
    while (n % p === 0) {
      largest = p;
      n /= p;
    }
  }
  return largest;
}

test('factorize multiplies back to n into radices 2, 4, 8 and odd primes', () => {
  for (const n of [2, 4, 6, 8, 12, 97, 240, 360, 420, 768, 2 * 3 * 5 * 7 * 11 * 13, 4 * 101]) {
    const f = factorize(n);
    assert.equal(f.reduce((a, b) => a * b, 1), n, `n=${n}`);
    const odd = f.filter((p) => p % 2 === 1);
    const largest = odd.length > 0 ? Math.max(...odd) : 2;
    assert.equal(largest, largestPrimeFactor(n), `n=${n}`);
    for (const p of odd) assert.equal(largestPrimeFactor(p), p, `n=${n}: ${p} is prime`);
  }
  assert.deepEqual(factorize(1), []);
});

for (const direction of ['forward', 'backward'] as const) {
  test(`${direction} FFT matches the direct DFT for many lengths (mixed radix and Bluestein)`, () => {
    for (const n of LENGTHS) {
      const re = seededValues(n, 7 * n + 1);
      const im = seededValues(n, 11 * n + 3);
      const expected = directDft(re, im, direction === 'forward' ? -1 : 1);
      const plan = new FftPlan(n);
      const outRe = Float64Array.from(re);
      const outIm = Float64Array.from(im);
      plan[direction](outRe, outIm);
      const err = relativeError(outRe, outIm, expected.re, expected.im);
      assert.ok(err < 1e-12, `n=${n}: relative error ${err}`);
    }
  });
}

test('the lengths above exercise both the generic odd radix and Bluestein', () => {
  assert.ok(LENGTHS.some((n) => factorize(n).some((p) => p > 5 && p <= GENERIC_RADIX_LIMIT)));
  assert.ok(LENGTHS.some((n) => factorize(n).some((p) => p > GENERIC_RADIX_LIMIT)));
});

test('inverse(forward(x)) == x, at an offset, leaving the rest of the array alone', () => {
  for (const n of [1, 2, 3, 16, 45, 97, 240, 256, 384, 420, 768]) {
    const offset = 5;
    const re = seededValues(n + 2 * offset, n);
    const im = seededValues(n + 2 * offset, n + 99);
    const re0 = Float64Array.from(re);
    const im0 = Float64Array.from(im);
    const plan = new FftPlan(n);
    plan.forward(re, im, offset);
    plan.inverse(re, im, offset);
    for (let i = 0; i < re.length; i++) {
      assert.ok(Math.abs(re[i] - re0[i]) < 1e-13 && Math.abs(im[i] - im0[i]) < 1e-13, `n=${n} i=${i}`);
    }
  }
});

test('a plan can be reused: two transforms with one plan equal transforms with fresh plans', () => {
  const n = 360;
  const plan = new FftPlan(n);
  for (const seed of [1, 2]) {
    const a = { re: seededValues(n, seed), im: seededValues(n, seed + 10) };
    const b = { re: Float64Array.from(a.re), im: Float64Array.from(a.im) };
    plan.forward(a.re, a.im);
    new FftPlan(n).forward(b.re, b.im);
    assert.deepEqual(a, b);
  }
});
