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

/**
 * The root of x^n + x - 1 on (0, 1) by Newton's method from x = 1, independently of the implementation's
 * bisection: the function is increasing and convex there, so the iterates fall monotonically to the root.
 */
function newtonRoot(n: number): number {
  let x = 1;
  for (let i = 0; i < 200; i++) {
    const next = x - (Math.pow(x, n) + x - 1) / (n * Math.pow(x, n - 1) + 1);
    if (!(next < x)) break;
    x = next;
  }
  return x;
}

test('tau is the root of x^n + x - 1 = 0, rounded to 4 decimals (to nearest) for every n up to 1000', () => {
  for (let n = 1; n <= 1000; n++) {
    const root = newtonRoot(n);
    assert.ok(Math.abs(Math.pow(root, n) + root - 1) < 1e-14, `Newton converged for n=${n}`);
    // No root lies so near a rounding boundary that the 4th decimal would be in doubt.
    const scaled = root * 1e4;
    assert.ok(Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-6, `n=${n}: root ${root} is at a rounding boundary`);
    assert.equal(tauForSampleCount(n), Math.round(scaled) / 1e4, `n=${n}`);
  }
  assert.equal(tauForSampleCount(1), 0.5); // x + x - 1 = 0
  // Above 1000 the exact root: residual at machine precision, and no crash at 7000 (the reference's Defect).
  for (const n of [1001, 2240, 7000, 50000]) {
    const t = tauForSampleCount(n);
    assert.ok(Math.abs(Math.pow(t, n) + t - 1) < 1e-12, `n=${n}`);
  }
});
