import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramMatch } from '../../../src/core/modify/histogram-match.js';
import { lcg } from '../../random.js';

function seededValues(n: number, seed: number, lo: number, hi: number, levels = 0): Float32Array {
  const out = new Float32Array(n);
  const next = lcg(seed);
  for (let i = 0; i < n; i++) {
    const u = next();
    // With levels > 0, quantise to that many values to create ties.
    out[i] = lo + (hi - lo) * (levels > 0 ? Math.floor(u * levels) / levels : u);
  }
  return out;
}

/**
 * Quantile mapping by brute force, straight from the definition (no sorting): a voxel's quantile is the
 * fraction of voxels <= it; the reference's distinct values carry the fraction of reference voxels <= them;
 * linear interpolation between the two bracketing reference values, the smallest below the first quantile.
 */
function bruteForceMatch(values: Float32Array, reference: Float32Array): Float64Array {
  const distinct = [...new Set(Array.from(reference, (v) => (v === 0 ? 0 : v)))];
  const nodes = distinct.map((r) => ({ r, q: reference.filter((v) => v <= r).length / reference.length }));
  nodes.sort((a, b) => a.q - b.q);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const q = values.filter((v) => v <= values[i]).length / values.length;
    let mapped = nodes[0].r;
    for (let j = 0; j < nodes.length; j++) {
      if (nodes[j].q === q) {
        mapped = nodes[j].r;
        break;
      }
      if (nodes[j].q < q && j + 1 < nodes.length && nodes[j + 1].q > q) {
        const t = (q - nodes[j].q) / (nodes[j + 1].q - nodes[j].q);
        mapped = nodes[j].r + t * (nodes[j + 1].r - nodes[j].r);
        break;
      }
    }
    out[i] = mapped;
  }
  return out;
}

function assertClose(got: Float32Array, expected: Float64Array, what: string): void {
  assert.equal(got.length, expected.length);
  for (let i = 0; i < got.length; i++) {
    const tol = 1e-6 * Math.max(1, Math.abs(expected[i]));
    assert.ok(Math.abs(got[i] - expected[i]) <= tol, `${what} voxel ${i}: ${got[i]} vs ${expected[i]}`);
  }
}

test('matches the brute-force quantile mapping: distinct values, ties on either side, unequal sizes', () => {
  const cases: [string, Float32Array, Float32Array][] = [
    ['distinct, equal size', seededValues(300, 1, -2, 5), seededValues(300, 2, -1, 1)],
    ['distinct, smaller reference', seededValues(400, 3, 0, 1), seededValues(157, 4, -3, 3)],
    ['distinct, larger reference', seededValues(123, 5, 0, 1), seededValues(511, 6, 10, 20)],
    ['ties in the map', seededValues(400, 7, -1, 1, 17), seededValues(400, 8, 0, 4)],
    ['ties in the reference', seededValues(350, 9, -1, 1), seededValues(280, 10, 0, 4, 9)],
    ['ties in both', seededValues(500, 11, -1, 1, 23), seededValues(333, 12, 0, 4, 11)],
    ['constant map', new Float32Array(50).fill(1.5), seededValues(80, 13, 0, 1)],
    ['constant reference', seededValues(60, 14, 0, 1), new Float32Array(40).fill(-2)],
    ['single reference value', seededValues(10, 15, 0, 1), Float32Array.of(3)],
  ];
  for (const [what, values, reference] of cases) {
    assertClose(histogramMatch(values, reference), bruteForceMatch(values, reference), what);
  }
});

test('equal sizes and distinct values: the output is exactly the reference values, in the map\'s rank order', () => {
  const values = seededValues(2000, 21, -5, 5);
  const reference = seededValues(2000, 22, 0.1, 7);
  assert.equal(new Set(values).size, values.length);
  assert.equal(new Set(reference).size, reference.length);
  const out = histogramMatch(values, reference);
  assert.deepEqual(out.slice().sort(), reference.slice().sort());
  const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);
  const sortedReference = reference.slice().sort();
  order.forEach((voxel, rank) => assert.equal(out[voxel], sortedReference[rank]));
});

test('the output stays within the reference range; ties map to one value; max maps to the reference max', () => {
  const values = seededValues(5000, 31, -1, 1, 50);
  const reference = seededValues(3000, 32, -0.5, 4);
  const out = histogramMatch(values, reference);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of reference) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const byValue = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    assert.ok(out[i] >= lo && out[i] <= hi);
    const seen = byValue.get(values[i]);
    if (seen !== undefined) assert.equal(out[i], seen);
    byValue.set(values[i], out[i]);
  }
  const maxValue = Math.max(...values);
  assert.equal(out[values.indexOf(maxValue)], hi);
});

test('-0 and +0 are one value; NaN and an empty reference are refused; out may be the input', () => {
  const out = histogramMatch(Float32Array.of(-0, 0, 1, 2), Float32Array.of(10, 20, 30, 40));
  assert.equal(out[0], out[1]);
  assert.throws(() => histogramMatch(Float32Array.of(1, NaN), Float32Array.of(1, 2)), RangeError);
  assert.throws(() => histogramMatch(Float32Array.of(1, 2), Float32Array.of(NaN, 2)), RangeError);
  assert.throws(() => histogramMatch(Float32Array.of(1, 2), new Float32Array(0)), RangeError);
  assert.deepEqual(histogramMatch(new Float32Array(0), Float32Array.of(1)), new Float32Array(0));
  const values = seededValues(100, 41, 0, 1);
  const reference = seededValues(70, 42, 0, 1);
  const expected = histogramMatch(values, reference);
  histogramMatch(values, reference, values);
  assert.deepEqual(values, expected);
});
