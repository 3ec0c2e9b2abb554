import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealFftPlan } from '../../../src/core/fourier/real-fft.js';
import { directDft, relativeError, seededValues } from './dft.js';

const LENGTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 16, 30, 64, 97, 100, 128, 202, 240, 256];

test('forward gives bins 0..floor(n/2) of the direct DFT, from float32 or float64 input', () => {
  for (const n of LENGTHS) {
    const x = seededValues(n, n + 17);
    const expected = directDft(x, new Float64Array(n));
    const plan = new RealFftPlan(n);
    assert.equal(plan.bins, Math.floor(n / 2) + 1);
    for (const src of [x, Float32Array.from(x)]) {
      const exact = src instanceof Float32Array ? directDft(src, new Float64Array(n)) : expected;
      const re = new Float64Array(plan.bins + 3);
      const im = new Float64Array(plan.bins + 3);
      plan.forward(src, 0, re, im, 3);
      const err = relativeError(re.subarray(3), im.subarray(3), exact.re.subarray(0, plan.bins), exact.im.subarray(0, plan.bins));
      assert.ok(err < 1e-13, `n=${n}: ${err}`);
    }
  }
});

test('forward with keep < bins writes only the first keep bins', () => {
  const n = 16;
  const plan = new RealFftPlan(n);
  const x = seededValues(n, 5);
  const re = new Float64Array(9).fill(42);
  const im = new Float64Array(9).fill(42);
  plan.forward(x, 0, re, im, 0, 4);
  const expected = directDft(x, new Float64Array(n));
  assert.ok(relativeError(re.subarray(0, 4), im.subarray(0, 4), expected.re.subarray(0, 4), expected.im.subarray(0, 4)) < 1e-13);
  assert.ok(re.subarray(4).every((v) => v === 42) && im.subarray(4).every((v) => v === 42));
});

/** numpy irfft by its definition: the Hermitian extension of bins 0..count-1 (imag of 0 and n/2 dropped). */
function directIrfft(re: ArrayLike<number>, im: ArrayLike<number>, count: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const self = k === 0 || 2 * k === n;
      const angle = (2 * Math.PI * ((k * t) % n)) / n;
      const term = self ? re[k] * Math.cos(angle) : 2 * (re[k] * Math.cos(angle) - im[k] * Math.sin(angle));
      sum += term;
    }
    out[t] = sum / n;
  }
  return out;
}

test('inverse is numpy irfft: Hermitian extension, imaginary parts of bins 0 and n/2 ignored', () => {
  for (const n of LENGTHS) {
    const plan = new RealFftPlan(n);
    for (const count of new Set([plan.bins, Math.max(1, plan.bins - 2), 1])) {
      const re = seededValues(count, n * 3 + count);
      const im = seededValues(count, n * 5 + count);
      const expected = directIrfft(re, im, count, n);
      const out = new Float64Array(n + 2);
      plan.inverse(re, im, 0, count, out, 2, 3);
      for (let t = 0; t < n; t++) {
        assert.ok(Math.abs(out[2 + t] - 3 * expected[t]) < 1e-13, `n=${n} count=${count} t=${t}`);
      }
    }
  }
});

test('inverse(forward(x)) == x', () => {
  for (const n of LENGTHS) {
    const plan = new RealFftPlan(n);
    const x = seededValues(n, n);
    const re = new Float64Array(plan.bins);
    const im = new Float64Array(plan.bins);
    plan.forward(x, 0, re, im, 0);
    const back = new Float64Array(n);
    plan.inverse(re, im, 0, plan.bins, back, 0);
    for (let t = 0; t < n; t++) assert.ok(Math.abs(back[t] - x[t]) < 1e-14, `n=${n}`);
  }
});
