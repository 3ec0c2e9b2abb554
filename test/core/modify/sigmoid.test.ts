import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sigmoidCurve,
  sigmoidFactor,
  sigmoidMidpoint,
  sigmoidTableIndex,
  SIGMOID_TABLE_POINTS,
} from '../../../src/core/modify/sigmoid.js';

/** The sigmoid in closed form, double precision, with the midpoint solved from y(p) = p independently. */
function closedFormSigmoid(x: number, g: number, p: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // y(p) = p  <=>  (mu (1-p) / (p (1-mu)))^g = 1/p - 1  <=>  mu/(1-mu) = (p/(1-p)) (1/p - 1)^(1/g)
  const odds = (p / (1 - p)) * (1 / p - 1) ** (1 / g);
  const mu = odds / (1 + odds);
  return 1 / (1 + ((mu * (1 - x)) / (x * (1 - mu))) ** g);
}

const SETTINGS: [number, number][] = [
  [2, 0.5],
  [4, 0.3],
  [3, 0.2],
  [1.5, 0.8],
  [10, 0.05],
  [25, 0.6],
];

test('sigmoid midpoint makes the curve pass through (p, p)', () => {
  for (const [g, p] of SETTINGS) {
    const mu = sigmoidMidpoint(g, p);
    const y = 1 / (1 + ((mu * (1 - p)) / (p * (1 - mu))) ** g);
    assert.ok(Math.abs(y - p) < 1e-12, `g=${g} p=${p}`);
    assert.ok(Math.abs(closedFormSigmoid(p, g, p) - p) < 1e-12);
  }
  assert.ok(Math.abs(sigmoidMidpoint(5, 0.5) - 0.5) < 1e-15, 'symmetric pivot');
  assert.throws(() => sigmoidMidpoint(2, 0), RangeError);
  assert.throws(() => sigmoidMidpoint(2, 1), RangeError);
  assert.throws(() => sigmoidMidpoint(0.9, 0.5), RangeError);
});

test('sigmoid table: closed form at x = i/(n-1), y[0] = 0, y[n-1] = 1, non-decreasing, within [0, 1]', () => {
  for (const [g, p] of SETTINGS) {
    for (const n of [SIGMOID_TABLE_POINTS, 1000, 7]) {
      const y = sigmoidCurve(g, p, n);
      assert.equal(y.length, n);
      assert.equal(y[0], 0);
      assert.equal(y[n - 1], 1);
      for (let i = 0; i < n; i++) {
        assert.ok(y[i] >= 0 && y[i] <= 1);
        if (i > 0) assert.ok(y[i] >= y[i - 1], `monotone g=${g} p=${p} i=${i}`);
        const expected = closedFormSigmoid(i / (n - 1), g, p);
        // float32 arithmetic: a few ulps in the ratio, amplified at most g/4 times in y.
        assert.ok(Math.abs(y[i] - expected) <= 1e-6 * Math.max(1, g), `g=${g} p=${p} n=${n} i=${i}: ${y[i]} vs ${expected}`);
      }
      // The curve crosses the diagonal at the pivot: below it under x, above it over x (nodes away from p).
      for (let i = 1; i < n - 1; i++) {
        const x = i / (n - 1);
        if (x < p - 1e-3) assert.ok(y[i] <= x + 1e-6);
        if (x > p + 1e-3) assert.ok(y[i] >= x - 1e-6);
      }
    }
  }
});

test('power 1 gives the identity curve', () => {
  const y = sigmoidCurve(1, 0.37);
  for (let i = 0; i < y.length; i++) assert.ok(Math.abs(y[i] - i / 99) < 3e-7);
});

test('table index is int(S*100 - 1) in float32, truncated towards zero, clamped to the table', () => {
  // float32(0.29) * 100 rounds to exactly 29 in float32, so the index is 28 (27 in double arithmetic).
  assert.equal(Math.fround(Math.fround(0.29) * 100), 29);
  assert.equal(sigmoidTableIndex(Math.fround(0.29)), 28);
  assert.equal(sigmoidTableIndex(0.5), 49);
  assert.equal(sigmoidTableIndex(1), 99);
  // (0, 0.02) all read entry 0: -0.5 truncates to 0, and 0.015*100-1 = 0.5 truncates to 0.
  for (const s of [0.005, 0.01, 0.015, 0.0199]) assert.equal(sigmoidTableIndex(Math.fround(s)), 0);
  // Where the reference's index would be -1 (S = 0 and tiny S), entry 0 is used.
  for (const s of [0, 1e-12, 2e-10]) assert.equal(sigmoidTableIndex(s), 0);
  assert.equal(sigmoidTableIndex(1.5), 99);
});

test('sigmoid factor: y[index(S)] / S, 0 where S = 0 and for S < 0.02', () => {
  for (const [g, p] of SETTINGS) {
    const y = sigmoidCurve(g, p);
    const scales = new Float32Array(1001);
    for (let i = 0; i < scales.length; i++) scales[i] = i / 1000;
    const factor = sigmoidFactor(scales, g, p);
    for (let i = 0; i < scales.length; i++) {
      const s = scales[i];
      if (s === 0) {
        assert.equal(factor[i], 0);
        continue;
      }
      // Independent index: the float32 value of S*100 - 1, truncated (S >= 0 here).
      const f32 = new Float32Array(1);
      f32[0] = s * 100;
      f32[0] = f32[0] - 1;
      const index = Math.max(0, Math.trunc(f32[0]));
      assert.equal(factor[i], Math.fround(y[index] / s));
      if (s < 0.0199) assert.equal(factor[i], 0); // up to float32 rounding of S*100 near 2
      // Below the pivot the sigmoid only attenuates.
      if (s <= p) assert.ok(factor[i] <= 1 + 1e-6, `g=${g} p=${p} S=${s}`);
    }
  }
});

test('at S = pivot the factor is 1 up to the table resolution: y(p - 2/99)/p <= mod <= 1', () => {
  // The lookup reads x = trunc(100 S - 1)/99, which lies in (S - 2/99, S]; y is increasing and y(p) = p.
  for (const [g, p] of SETTINGS) {
    const [mod] = sigmoidFactor(Float32Array.of(p), g, p);
    const lower = closedFormSigmoid(p - 2 / 99, g, p) / p;
    assert.ok(mod <= 1 + 1e-6, `g=${g} p=${p}: ${mod}`);
    assert.ok(mod >= lower - 1e-6, `g=${g} p=${p}: ${mod} < ${lower}`);
  }
  // With the pivot on a table node (x = 33/99 = 1/3, index trunc(100/3 - 1) = 32 reads x = 32/99 < 1/3)
  // the factor is still slightly below 1: the reference's lookup is biased low, reproduced on purpose.
  const p = 1 / 3;
  const [mod] = sigmoidFactor(Float32Array.of(p), 3, p);
  assert.ok(mod < 1 && mod > closedFormSigmoid(32 / 99, 3, p) / p - 1e-6);
});
