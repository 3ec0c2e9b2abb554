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

/** The float64 neighbours of `x`, `steps` ulps either way (nearest first). */
function neighbours(x: number, steps: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  const at = (k: number) => {
    view.setFloat64(0, x);
    view.setBigInt64(0, view.getBigInt64(0) + BigInt(k));
    return view.getFloat64(0);
  };
  return Array.from({ length: 2 * steps + 1 }, (_, i) => at(i % 2 === 0 ? i / 2 : -(i + 1) / 2));
}

test('each scan stops at a value exactly on its threshold: >= 1, content <= 0.01, >= tol^3; 1 - content never meets 0.01', () => {
  // content = (a + 0.001 - m) / (a + 0.001) is exactly 0.01 where a + 0.001 is 50 and m is 49.5: 0.5 / 50.
  const a = neighbours(49.999, 8).find((h) => h + 0.001 === 50);
  assert.ok(a !== undefined);
  assert.equal((a + 0.001 - 49.5) / (a + 0.001), 0.01);
  const floor = 0.001 ** 3; // the reference's tol^3
  // 1 - content = 0.01 cannot happen in float64: where the solvent fraction is near 0.01 the content lies in
  // [0.5, 1), so 1 - content is a multiple of 2^-53, and 0.01 is not. So midlow's boundary is never met.
  assert.notEqual((0.01 * 2 ** 53) % 1, 0);
  // bin:            0    1    2    3                  4  5     6      7
  const heights = [0.5, 1, 100, 10, 10, a, 10, 10];
  const model = [0.5, 1, 100, 0.01 * 10.001, 0, 49.5, floor, 0];
  const limits = detectSolventLimits(heights, model);
  // low: the first model value of at least 1 (bin 1 is exactly 1).
  assert.equal(limits.low, 1);
  // midlow: up from 0 while the solvent fraction 1 - content is above 0.01 (bin 3 is within an ulp of it).
  assert.equal(limits.midlow, 3);
  // midhigh: down from the top while the content is above 0.01; bin 5 is exactly 0.01.
  assert.equal(limits.midhigh, 5);
  // high: down from the top while the model is below tol^3; bin 6 is exactly tol^3.
  assert.equal(limits.high, 6);
  assert.deepEqual(limits.problems, []);
});
