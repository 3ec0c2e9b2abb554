import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sphericalKernel, tauForSampleCount } from '../../../src/core/scale/kernel.js';

test('spherical kernel counts match a closed-form lattice-point count', () => {
  // Count lattice points (i,j,k) in [-c,c]^3 with i²+j²+k² <= r², independently of the kernel code.
  const count = (size: number, r: number) => {
    const c = (size - 1) / 2;
    let n = 0;
    for (let i = -c; i <= c; i++) for (let j = -c; j <= c; j++) for (let k = -c; k <= c; k++) if (i * i + j * j + k * k <= r * r) n++;
    return n;
  };
  for (const [size, r] of [[3, 1], [5, 2.5], [7, 3], [9, 4.5], [9, 10]] as const) {
    assert.equal(sphericalKernel(size, r).sampleCount, count(size, r));
  }
  // Known small values: radius 1 in a 3-cube is the 7-voxel cross; radius 10 fills the cube.
  assert.equal(sphericalKernel(3, 1).sampleCount, 7);
  assert.equal(sphericalKernel(9, 10).sampleCount, 729);
});

test('sphericalKernel rejects even sizes and non-positive radii', () => {
  assert.throws(() => sphericalKernel(4, 2), /odd/);
  assert.throws(() => sphericalKernel(5, 0), /positive/);
});

test('tau is the root of x^n + x - 1 = 0, rounded to 4 decimals up to n = 1000', () => {
  for (const n of [1, 7, 81, 123, 203, 1000]) {
    const t = tauForSampleCount(n);
    assert.ok(Math.abs(Math.pow(t, n) + t - 1) < 1e-3 * n, `n=${n}`);
    assert.ok(Math.abs(t * 1e4 - Math.round(t * 1e4)) < 1e-6);
  }
  assert.equal(tauForSampleCount(1), 0.5); // x + x - 1 = 0
  // Above 1000 the exact root: residual at machine precision, and no crash at 7000 (the reference's Defect).
  for (const n of [1001, 2240, 7000, 50000]) {
    const t = tauForSampleCount(n);
    assert.ok(Math.abs(Math.pow(t, n) + t - 1) < 1e-12, `n=${n}`);
  }
});
