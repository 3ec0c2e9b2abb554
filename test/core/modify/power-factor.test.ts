import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  amplificationFactor,
  attenuationFactor,
  thresholdScale,
} from '../../../src/core/modify/power-factor.js';
import { applyModification } from '../../../src/core/modify/apply.js';
import { seededValues } from '../../random.js';

/** Scales covering the threshold's neighbourhood, 0, 1 and the float32 neighbours of 0.05. */
function testScales(): Float32Array {
  const base = seededValues(2000, 3, 0, 1);
  const special = [0, 1, 0.05, Math.fround(0.05), 0.0499, 0.0501, 1e-9, 0.999999];
  return Float32Array.from([...special, ...base]);
}

test('thresholdScale: S where S > limit (in float32), else -1', () => {
  const s = testScales();
  const z = thresholdScale(s, 0.05);
  const limit32 = Math.fround(0.05);
  for (let i = 0; i < s.length; i++) assert.equal(z[i], s[i] > limit32 ? s[i] : -1);
  // fround(0.05) exceeds 0.05 in double, but in float32 it *is* the limit: not modified.
  const exactlyAtLimit = thresholdScale(Float32Array.of(0.05), 0.05);
  assert.equal(exactlyAtLimit[0], -1);
  const inPlace = Float32Array.from(s);
  thresholdScale(inPlace, 0.05, inPlace);
  assert.deepEqual(inPlace, z);
});

test('amplification and attenuation factors equal |Z|^(1/g-1) and |Z|^(g-1) (closed form, float32 rounding)', () => {
  const s = testScales();
  for (const g of [1.5, 2, 3, 7.3]) {
    const z = thresholdScale(s, 0.05);
    const amp = amplificationFactor(s, g, 0.05);
    const att = attenuationFactor(s, g, 0.05);
    for (let i = 0; i < s.length; i++) {
      // The reference's exponent is a float32 (NumPy casts the Python float): compare tightly against that,
      // and loosely against the exact exponent.
      const exactAmp = Math.abs(z[i]) ** (1 / g - 1);
      const exactAtt = Math.abs(z[i]) ** (g - 1);
      const roundedAmp = Math.abs(z[i]) ** Math.fround(1 / g - 1);
      const roundedAtt = Math.abs(z[i]) ** Math.fround(g - 1);
      assert.ok(Math.abs(amp[i] - roundedAmp) <= 1.2e-7 * roundedAmp, `amplify g=${g} S=${s[i]}`);
      assert.ok(Math.abs(att[i] - roundedAtt) <= 1.2e-7 * roundedAtt + 1e-38, `attenuate g=${g} S=${s[i]}`);
      assert.ok(Math.abs(amp[i] - exactAmp) <= 1e-5 * exactAmp);
      assert.ok(Math.abs(att[i] - exactAtt) <= 1e-5 * exactAtt + 1e-38);
      if (z[i] === -1) {
        assert.equal(amp[i], 1);
        assert.equal(att[i], 1);
      }
    }
  }
});

test('S = 0 is never modified by amplify or attenuate (below any limit >= 0); full scale keeps factor 1', () => {
  const s = Float32Array.of(0, 1);
  for (const limit of [0, 0.05]) {
    assert.deepEqual(amplificationFactor(s, 4, limit), Float32Array.of(1, 1));
    assert.deepEqual(attenuationFactor(s, 4, limit), Float32Array.of(1, 1));
  }
  assert.throws(() => amplificationFactor(s, 2, -0.1), RangeError);
  assert.throws(() => amplificationFactor(s, 0.5, 0.05), RangeError);
  assert.throws(() => attenuationFactor(s, NaN, 0.05), RangeError);
});

test('amplify with g = 1 returns the input exactly', () => {
  const s = testScales();
  const x = seededValues(s.length, 11, -2, 5);
  const factor = amplificationFactor(s, 1, 0.05);
  assert.ok(factor.every((f) => f === 1));
  assert.deepEqual(applyModification(x, factor, null, { excludeSolvent: false }), x);
  const fullConfidence = new Float32Array(s.length).fill(1);
  assert.deepEqual(applyModification(x, factor, fullConfidence, { excludeSolvent: false }), x);
  // With partial confidence, X*C + X*(1-C) is X up to float32 rounding of the two products.
  const c = seededValues(s.length, 5, 0, 1);
  const blended = applyModification(x, factor, c, { excludeSolvent: false });
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(blended[i] - x[i]) <= 3e-7 * Math.abs(x[i]) + 1e-30);
});

test('inside the confident region a higher power never shrinks amplification nor grows attenuation', () => {
  const s = testScales();
  const x = seededValues(s.length, 17, -2, 5);
  const confident = new Float32Array(s.length).fill(1);
  const powers = [1, 1.2, 2, 3.5, 8, 30];
  let previousAmp: Float32Array | null = null;
  let previousAtt: Float32Array | null = null;
  for (const g of powers) {
    const amp = applyModification(x, amplificationFactor(s, g, 0.05), confident, { excludeSolvent: false });
    const att = applyModification(x, attenuationFactor(s, g, 0.05), confident, { excludeSolvent: true });
    for (let i = 0; i < x.length; i++) {
      assert.ok(Math.abs(amp[i]) >= Math.abs(x[i]), 'amplification never lowers a magnitude');
      assert.ok(Math.abs(att[i]) <= Math.abs(x[i]), 'attenuation never raises a magnitude');
      if (previousAmp && previousAtt) {
        assert.ok(Math.abs(amp[i]) >= Math.abs(previousAmp[i]), `amplify g=${g} voxel ${i}`);
        assert.ok(Math.abs(att[i]) <= Math.abs(previousAtt[i]), `attenuate g=${g} voxel ${i}`);
      }
    }
    previousAmp = amp;
    previousAtt = att;
  }
});

test('power factors are bit-identical to the per-voxel formula, with many repeated and colliding scale values', () => {
  // Repeats (as a local-maximum map has), all float32 values near the limit, -0, 0, 1, and enough distinct
  // values to force collisions in the memo table.
  const base = seededValues(300_000, 11, -0.2, 1.2);
  const n = 600_000;
  const s = new Float32Array(n);
  for (let i = 0; i < n; i++) s[i] = i % 3 === 0 ? base[(i * 7919) % base.length] : base[i % 1000];
  s.set([0, -0, 1, Math.fround(0.05), 0.0500001, -1, 1e-30, 3], 0);
  for (const limit of [0.05, 0, -0.5]) {
    for (const g of [1.5, 3, 7.3]) {
      const amp = amplificationFactor(s, g, Math.max(limit, 0));
      const att = attenuationFactor(s, g, limit);
      const l = Math.fround(limit);
      const la = Math.fround(Math.max(limit, 0));
      for (let i = 0; i < n; i++) {
        const expectAmp = Math.fround(s[i] > la ? Math.pow(Math.abs(s[i]), Math.fround(1 / g - 1)) : 1);
        const expectAtt = Math.fround(s[i] > l ? Math.pow(Math.abs(s[i]), Math.fround(g - 1)) : 1);
        if (!Object.is(amp[i], expectAmp)) assert.fail(`amplify g=${g} limit=${limit} S=${s[i]}: ${amp[i]} vs ${expectAmp}`);
        if (!Object.is(att[i], expectAtt)) assert.fail(`attenuate g=${g} limit=${limit} S=${s[i]}: ${att[i]} vs ${expectAtt}`);
      }
    }
  }
});
