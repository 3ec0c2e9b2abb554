import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipToRange, restoreValueRange } from '../../../src/core/modify/value-range.js';
import { histogramMatch } from '../../../src/core/modify/histogram-match.js';

test('clipToRange: numpy.clip semantics, NaN passes through, in place allowed', () => {
  const values = Float32Array.of(-5, -1, 0, 0.5, 1, 2, NaN, Infinity, -Infinity);
  const out = clipToRange(values, [-1, 1]);
  assert.deepEqual(Array.from(out), [-1, -1, 0, 0.5, 1, 1, NaN, 1, -1]);
  assert.deepEqual(Array.from(values.slice(0, 2)), [-5, -1], 'input untouched by default');
  clipToRange(values, [-1, 1], values);
  assert.deepEqual(Array.from(values), Array.from(out));
  assert.deepEqual(Array.from(clipToRange(Float32Array.of(-1, 3, 7), [3, 3])), [3, 3, 3]);
  assert.throws(() => clipToRange(values, [1, 0]), RangeError);
  assert.throws(() => clipToRange(values, [NaN, 1]), RangeError);
  assert.throws(() => clipToRange(values, [0, 1], new Float32Array(2)), RangeError);
});

test('restoreValueRange clips to [min, max] of the original, or histogram-matches to it', () => {
  const original = Float32Array.of(-1.5, 0, 2.25, 4, 0.5);
  const modified = Float32Array.of(-3, 1, 5, 2, 0.1);
  const clipped = Float32Array.from(modified);
  assert.equal(restoreValueRange(clipped, original, false), clipped, 'clipping works in place');
  assert.deepEqual(Array.from(clipped), [-1.5, 1, 4, 2, Math.fround(0.1)]);
  // The remembered range is the original's, also on a second call.
  assert.deepEqual(Array.from(restoreValueRange(Float32Array.of(9, -9), original, false)), [4, -1.5]);
  const matched = histogramMatch(modified, original);
  assert.equal(restoreValueRange(modified, original, true), modified, 'histogram matching works in place too');
  assert.deepEqual(modified, matched);
  // Equal sizes, distinct values: histogram matching hands back the original's values in the map's order.
  assert.deepEqual(Array.from(modified), [-1.5, 0.5, 4, 2.25, 0]);
});
