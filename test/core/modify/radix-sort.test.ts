import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floatFromSortKey, floatSortKey, sortFloat32Keys } from '../../../src/core/modify/radix-sort.js';
import { lcg } from '../../random.js';

function bitsOf(v: number): number {
  return new Uint32Array(Float32Array.of(v).buffer)[0];
}

function specialValues(): number[] {
  return [0, -0, 1, -1, Infinity, -Infinity, 1e-45, -1e-45, 1.1754942e-38, -3.4028235e38, 3.4028235e38, 0.5, -0.5, 2, 1e-7];
}

function seededValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  const next = lcg(seed);
  for (let i = 0; i < n; i++) {
    // Wide dynamic range and both signs, with some exact repeats.
    const u = next();
    out[i] = i % 7 === 0 ? Math.round(u * 10) - 5 : (u - 0.5) * 10 ** Math.floor(u * 12 - 6);
  }
  return out;
}

test('sort keys order like the numbers; -0 is keyed as +0; keys invert back to the value', () => {
  const values = specialValues();
  const scratch = new Uint32Array(1);
  const view = new Float32Array(scratch.buffer);
  for (const a of values) {
    const ka = floatSortKey(bitsOf(a));
    assert.equal(floatFromSortKey(ka, scratch, view), Math.fround(a) === 0 ? 0 : Math.fround(a));
    for (const b of values) {
      const kb = floatSortKey(bitsOf(b));
      const fa = Math.fround(a);
      const fb = Math.fround(b);
      assert.equal(Math.sign(ka - kb), fa < fb ? -1 : fa > fb ? 1 : 0, `${a} vs ${b}`);
    }
  }
});

test('sortFloat32Keys sorts like a numeric sort and returns a stable sorting permutation', () => {
  for (const n of [0, 1, 2, 17, 5000]) {
    const values = seededValues(n, n + 1);
    const { keys, order } = sortFloat32Keys(values, true);
    const expectedOrder = Array.from(values.keys()).sort((a, b) => values[a] - values[b] || a - b);
    assert.deepEqual(Array.from(order!), expectedOrder);
    const scratch = new Uint32Array(1);
    const view = new Float32Array(scratch.buffer);
    const sorted = Array.from(keys, (k) => floatFromSortKey(k, scratch, view));
    assert.deepEqual(sorted, expectedOrder.map((i) => (values[i] === 0 ? 0 : values[i])));
    assert.equal(sortFloat32Keys(values, false).order, undefined);
  }
  // All keys sharing digits (passes skipped) still come out sorted.
  const narrow = Float32Array.of(3, 1, 2, 1, 3);
  assert.deepEqual(Array.from(sortFloat32Keys(narrow, true).order!), [1, 3, 2, 0, 4]);
  assert.throws(() => sortFloat32Keys(Float32Array.of(1, NaN), false), RangeError);
});
