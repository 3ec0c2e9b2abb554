import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentFraction, hedgeConfidence, monotoneConfidence } from '../../../src/core/solvent/confidence-curve.js';
import { lcg } from '../../random.js';

/**
 * A second implementation of the reference's pass, written like the Python it copies: Python list indexing
 * (negative indices count from the end) and slice assignment `r[:stop] = 0` with Python's slice rules.
 */
function pythonStylePass(input: ArrayLike<number>): number[] {
  const out = Array.from(input);
  const at = (i: number) => out[i < 0 ? out.length + i : i];
  const zeroSliceTo = (stop: number) => {
    const end = stop < 0 ? Math.max(out.length + stop, 0) : Math.min(stop, out.length);
    for (let k = 0; k < end; k++) out[k] = 0;
  };
  let dt = 0;
  const indices = [...Array(out.length - 1).keys()].reverse(); // np.flip(np.arange(n - 1))
  for (const i of indices) {
    out[i] = [out[i], out[i + 1], out[i + 1] - dt].reduce((m, v) => (v < m ? v : m));
    dt = out[i + 1] - out[i];
    if (at(i - 1) <= 0) {
      zeroSliceTo(i - 1);
      break;
    }
  }
  return out;
}

test('monotone pass agrees with a Python-style re-implementation on random curves', () => {
  const next = lcg(11);
  let stoppedEarly = 0;
  let wrapped = 0;
  for (let trial = 0; trial < 400; trial++) {
    const n = [2, 3, 5, 50, 1000][trial % 5];
    const r = Float64Array.from({ length: n }, (_, i) => {
      // A rising, noisy curve from about -1 to 1, sometimes with a non-positive top entry.
      const base = -1 + (2 * i) / Math.max(n - 1, 1);
      return base + (next() - 0.5) * (trial % 3 === 0 ? 1.5 : 0.3);
    });
    if (trial % 7 === 0) r[n - 1] = -0.1 * next();
    const expected = pythonStylePass(r);
    const got = monotoneConfidence(r);
    assert.deepEqual(Array.from(got), expected, `trial ${trial}`);
    if (got.some((v, i) => v === 0 && r[i] !== 0)) stoppedEarly++;
    if (r[n - 1] <= 0 && n > 2) wrapped++;
  }
  assert.ok(stoppedEarly > 50 && wrapped > 20, 'the random cases exercise the early stop and the wrap-around');
});

test('monotone pass: the top entry is kept; below it the curve falls with a non-decreasing step', () => {
  const r = Float64Array.from([0.9, 0.2, 0.95, 0.5, 0.97, 0.99, 1.0, 0.98, 1.0]);
  const m = monotoneConfidence(r);
  assert.equal(m[8], r[8]);
  for (let i = 0; i < r.length; i++) assert.ok(m[i] <= r[i]);
  for (let i = r.length - 2; i >= 1; i--) {
    assert.ok(m[i] <= m[i + 1]);
    assert.ok(m[i] - m[i - 1] >= m[i + 1] - m[i] - 1e-15, `step at ${i}`);
  }
});

test('monotone pass: a non-positive entry zeroes everything below the one above it, and stops', () => {
  // i = 3 sees r[2] = -0.5 <= 0: zero r[0..1], stop; r[2] is left as it was.
  const m = monotoneConfidence(Float64Array.from([0.7, 0.8, -0.5, 0.9, 1.0]));
  assert.deepEqual(Array.from(m), [0, 0, -0.5, 0.9, 1.0]);
  // The reference's wrap-around at i = 0: a non-positive top entry zeroes all but the top.
  const w = monotoneConfidence(Float64Array.from([0.1, 0.05, 0.02, -0.01]));
  assert.deepEqual(Array.from(w), [0, 0, 0, -0.01]);
});

test('content fraction: (A + 0.01 - G) / (A + 0.01), G the model on the left edges clipped to [0, max]', () => {
  const heights = [0, 1, 0.5];
  const edges = [-1, 0, 1, 2];
  const model = { c: 2, mu: 0, sigma: 1 };
  const g = (x: number) => 2 * Math.exp(-(x * x) / 2);
  const r = contentFraction(heights, edges, model);
  assert.equal(r.length, 3);
  assert.ok(Math.abs(r[0] - (0.01 - g(-1)) / 0.01) < 1e-12);
  assert.ok(Math.abs(r[1] - (1.01 - 2) / 1.01) < 1e-12);
  assert.ok(Math.abs(r[2] - (0.51 - g(1)) / 0.51) < 1e-12);
});

test('hedge: clip to [0, 1] then power (even powers keep negative entries at 0); h <= 1 leaves the curve', () => {
  const r = Float64Array.from([-0.5, 0, 0.25, 0.5, 1.5]);
  assert.deepEqual(Array.from(hedgeConfidence(r, 2)), [0, 0, 0.0625, 0.25, 1]);
  assert.deepEqual(Array.from(hedgeConfidence(r, 3)), [0, 0, 0.015625, 0.125, 1]);
  const h = hedgeConfidence(r, 2.5);
  assert.ok(h.every(Number.isFinite));
  assert.deepEqual(Array.from(hedgeConfidence(r, 1)), Array.from(r));
  assert.deepEqual(Array.from(hedgeConfidence(r, undefined)), Array.from(r));
  assert.deepEqual(Array.from(hedgeConfidence(r, 0.5)), Array.from(r));
});
