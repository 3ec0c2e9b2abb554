import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSettings, inputLowpass, defaultKernelSize } from '../../src/core/settings.js';

const apix16 = Math.fround(1.6);

test('default low-pass is max(3 apix, 8 Å)', () => {
  assert.equal(inputLowpass(apix16, {}).lowpass, 8);
  assert.equal(inputLowpass(4, {}).lowpass, 12);
});

test('--resolution alone sets the low-pass (the reference crashes here: a Defect)', () => {
  assert.equal(inputLowpass(apix16, { resolution: 5 }).lowpass, 5);
  const s = deriveSettings(apix16, 64, { resolution: 5 });
  assert.equal(s.lowpass, 5);
  assert.equal(s.kernel.size, 3);
});

test('both low-pass and resolution: the larger wins, with a warning when resolution is unused', () => {
  const r = inputLowpass(1, { lowpass: 10, resolution: 6 });
  assert.equal(r.lowpass, 10);
  assert.match(r.warning ?? '', /not used/);
  assert.equal(inputLowpass(1, { lowpass: 6, resolution: 10 }).lowpass, 10);
});

test('kernel size is floor(lp/apix) made odd and clipped to [3, 9], in float32 as the reference', () => {
  assert.equal(defaultKernelSize(8, apix16), 5);
  assert.equal(defaultKernelSize(100, 1), 9);
  assert.equal(defaultKernelSize(2, 1), 3);
  assert.equal(defaultKernelSize(8, Math.fround(1.1)), 7);
});

test('derived settings for the 64-voxel fixture match its reference log', () => {
  const s = deriveSettings(apix16, 64, {});
  assert.equal(s.kernel.size, 5);
  assert.equal(s.kernel.radius, 2.5);
  assert.equal(s.kernel.sampleCount, 81);
  assert.equal(s.tau.toFixed(3), '0.961');
  assert.equal(s.tileSize, 3);
  assert.equal(s.warnings.length, 0);
});

test('given settings are used as given', () => {
  const s = deriveSettings(apix16, 64, { kernelSize: 7, kernelRadius: 3, tau: 0.9, tileSize: 8, lowpass: 10 });
  assert.deepEqual([s.kernel.size, s.kernel.radius, s.kernel.sampleCount, s.tau, s.tileSize], [7, 3, 123, 0.9, 8]);
  assert.equal(s.recommendedTau.toFixed(3), '0.972');
  assert.ok(s.tauGiven);
});

test('small kernels warn', () => {
  const s = deriveSettings(1, 64, { lowpass: 3 });
  assert.ok(s.kernelWarning);
  assert.ok(s.warnings.some((w) => /small kernel size/.test(w)));
});
