import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSolventLimits } from '../../../src/core/solvent/limits.js';

test('limits on a constructed case (worked by hand)', () => {
  const model = [0.002, 0.5, 2, 5, 2, 0.5, 1e-8, 1e-10, 0, 0];
  const heights = [0, 0.5, 2, 5, 2, 0.6, 0.5, 1, 1, 0];
  // f = clip(model, 1e-6, 5); content = (h + 0.001 - f) / (h + 0.001):
  //   i0 -1, i1 0.0020, i2 0.0005, i3 0.0002, i4 0.0005, i5 0.168, i6 0.999998, i7 0.999999, i8 0.999999, i9 0.999
  // high: last m >= 1e-9 -> 6; midhigh: last content <= 0.01 -> 4;
  // midlow: first 1 - content <= 0.01 -> 6; low: first m >= 1 -> 2.
  const l = detectSolventLimits(heights, model);
  assert.deepEqual({ low: l.low, midlow: l.midlow, midhigh: l.midhigh, high: l.high }, { low: 2, midlow: 6, midhigh: 4, high: 6 });
  assert.deepEqual(l.problems, []);
});

test('the model is clipped at 1e-6 from below before the content ratio', () => {
  // A model of 1e-8 against an empty bin: unclipped the content would be ~1 (solvent fraction ~0);
  // clipped it is (0.001 - 1e-6) / 0.001 = 0.999, so 1 - content = 0.001 <= 0.01 still, but with 2e-5 it is not.
  const a = detectSolventLimits([0, 0, 5], [2e-5, 1e-8, 5]);
  assert.equal(a.midlow, 1);
  // The model's own maximum caps it from above: a bin where the model is the maximum is pure solvent.
  assert.equal(a.midhigh, 2);
});

test('scans that find nothing: high and midhigh end at 0 (reported), low and midlow at the last index', () => {
  const l = detectSolventLimits([1, 1, 1], [1e-12, 1e-12, 1e-12]);
  assert.equal(l.high, 0);
  assert.equal(l.midhigh, 0);
  assert.equal(l.low, 2);
  assert.equal(l.midlow, 0); // content = (1.001 - 1e-6) / 1.001 -> solvent fraction 1e-6 <= 0.01 at once
  assert.equal(l.problems.length, 2);
  const none = detectSolventLimits([0, 0, 0], [0.5, 0.5, 0.5]);
  assert.equal(none.midlow, 2); // solvent everywhere: 1 - content = (0.5 - 0) / 0.001 - ... > 0.01 throughout
  assert.equal(none.low, 2); // the model never reaches 1
});
