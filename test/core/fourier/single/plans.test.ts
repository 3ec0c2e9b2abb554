import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ComplexPlanSingle,
  RealPlanSingle,
  TwiddleTable,
  quarterPiOver,
  referenceUsesBluestein,
  supportsSinglePrecision,
} from '../../../../src/core/fourier/single/plans.js';
import { directDft } from '../dft.js';
import { randomFloat32 } from './random.js';

const f = Math.fround;

const LENGTHS = [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 24, 25, 27, 30, 32, 36, 40, 45, 48, 50, 60, 64, 72, 75, 80, 96, 100, 120, 125, 128, 7, 11, 13, 14, 17, 22, 26, 49, 98, 169, 224, 338];

/** Error bound for a float32 FFT of n values of size <= 1: a few ulp per stage times the sum of magnitudes. */
const bound = (n: number, sumAbs: number) => 8 * 2 ** -24 * Math.max(1, Math.log2(n)) * Math.max(sumAbs, 1);

test('every length is supported, with Bluestein exactly where the reference uses it', () => {
  for (const n of [1, 2, 3, 5, 7, 14, 22, 47, 49, 58, 77, 94, 98, 101, 106, 122, 134, 202, 224, 226, 302, 352, 478, 1000, 2039]) {
    assert.ok(supportsSinglePrecision(n), `${n}`);
  }
  for (const n of [0, 2.5, -4]) assert.ok(!supportsSinglePrecision(n), `${n}`);
  assert.throws(() => new ComplexPlanSingle(0), /got 0/);
  // pocketfft's cost estimate, worked by hand. 302 = 2·151: cost_guess(302) = (2 + 1.1·151)·302 = 50 766.2 against
  // Bluestein's 3·cost_guess(605) = 3·(5 + 2·1.1·11)·605 = 52 998 (605 = 5·11², the smallest 11-smooth length
  // from 2·302 - 1): the direct passes. 478 = 2·239: (2 + 1.1·239)·478 = 126 622.2, halved for the real transform
  // 63 311.1, against 3·cost_guess(960) = 3·(6·2 + 3 + 5)·960 = 57 600: Bluestein for both. 202 = 2·101: for the
  // complex transform only.
  assert.ok(!referenceUsesBluestein(302, false) && !referenceUsesBluestein(302, true));
  assert.ok(referenceUsesBluestein(202, false) && !referenceUsesBluestein(202, true));
  assert.ok(referenceUsesBluestein(478, false) && referenceUsesBluestein(478, true));
  // Below 50 and when p² <= n, never (pocketfft does not weigh it there).
  for (const n of [47, 2209, 4 * 37 * 37]) assert.ok(!referenceUsesBluestein(n, false) && !referenceUsesBluestein(n, true), `${n}`);
  // The plans follow: Bluestein (and no passes) where the reference uses it.
  assert.ok(new ComplexPlanSingle(202).bluestein && new ComplexPlanSingle(202).passes.length === 0);
  assert.ok(!new RealPlanSingle(202).bluestein && new RealPlanSingle(202).radices.includes(101));
  assert.ok(new RealPlanSingle(478).bluestein);
  assert.equal(new ComplexPlanSingle(478).bluestein?.n2, 960);
});
test('factor order follows the reference library: complex 8s, 4s, a 2 moved first, then odd; real 4s, a 2 first, odd', () => {
  // Worked by hand from the rules: complex: take 8 while divisible, then 4, a remaining 2 goes to the front,
  // then odd factors ascending; real: take 4 while divisible, a remaining 2 goes to the front, then odd.
  const complex: [number, number[]][] = [[2, [2]], [6, [2, 3]], [40, [8, 5]], [64, [8, 8]], [96, [8, 4, 3]], [128, [2, 8, 8]], [100, [4, 5, 5]], [18, [2, 3, 3]], [224, [8, 4, 7]], [338, [2, 13, 13]], [1001, [7, 11, 13]]];
  for (const [n, r] of complex) assert.deepEqual(new ComplexPlanSingle(n).radices, r, `complex ${n}`);
  const real: [number, number[]][] = [[2, [2]], [6, [2, 3]], [40, [2, 4, 5]], [64, [4, 4, 4]], [96, [2, 4, 4, 3]], [128, [2, 4, 4, 4]], [100, [4, 5, 5]], [224, [2, 4, 4, 7]], [352, [2, 4, 4, 11]], [98, [2, 7, 7]]];
  for (const [n, r] of real) assert.deepEqual(new RealPlanSingle(n).radices, r, `real ${n}`);
});

test('pi / (4 n) is the double nearest to the exact value', () => {
  assert.equal(quarterPiOver(1), Math.PI / 4);
  for (const n of [3, 7, 64, 96, 1000, 4096]) {
    const q = quarterPiOver(n);
    // Within half an ulp of the double-double value (pi/4 = PI/4 + 3.0616e-17).
    const exactMinusQ = Math.PI / 4 - q * n + 3.061616997868383e-17;
    const ulp = 2 ** (Math.floor(Math.log2(q)) - 52);
    assert.ok(Math.abs(exactMinusQ / n) <= 0.5 * ulp * 1.0001, `n=${n}`);
  }
});

test('twiddle factors are float32 roundings of exp(2 pi i k / n)', () => {
  for (const n of [1, 2, 5, 12, 64, 96, 125, 384]) {
    const t = new TwiddleTable(n);
    for (let k = 0; k < n; k++) {
      const c = Math.cos((2 * Math.PI * k) / n);
      const s = Math.sin((2 * Math.PI * k) / n);
      assert.equal(f(t.re(k)), t.re(k));
      assert.equal(f(t.im(k)), t.im(k));
      // Within one float32 ulp of the exact value (rounded once from a double-accurate value).
      assert.ok(Math.abs(t.re(k) - c) <= 2 ** -24 + 1e-15, `n=${n} k=${k} re`);
      assert.ok(Math.abs(t.im(k) - s) <= 2 ** -24 + 1e-15, `n=${n} k=${k} im`);
    }
  }
});

test('complex transforms agree with the direct DFT, forward and backward, and apply the factor last', () => {
  for (const n of LENGTHS) {
    const x = randomFloat32(2 * n, n);
    const re = Array.from({ length: n }, (_, i) => x[2 * i]);
    const im = Array.from({ length: n }, (_, i) => x[2 * i + 1]);
    const sumAbs = re.reduce((s, v, i) => s + Math.abs(v) + Math.abs(im[i]), 0);
    const plan = new ComplexPlanSingle(n);
    for (const forward of [true, false]) {
      const c = Float32Array.from(x);
      plan.exec(c, 1, forward);
      const d = directDft(re, im, forward ? -1 : 1);
      for (let k = 0; k < n; k++) {
        assert.ok(Math.abs(c[2 * k] - d.re[k]) <= bound(n, sumAbs), `n=${n} k=${k} re`);
        assert.ok(Math.abs(c[2 * k + 1] - d.im[k]) <= bound(n, sumAbs), `n=${n} k=${k} im`);
      }
      const scaled = Float32Array.from(x);
      plan.exec(scaled, f(1 / n), forward);
      for (let i = 0; i < 2 * n; i++) assert.equal(scaled[i], f(c[i] * f(1 / n)), `n=${n} scaled ${i}`);
    }
  }
});

test('real transforms agree with the direct DFT in half-complex order, and the backward one inverts them', () => {
  for (const n of LENGTHS) {
    const x = randomFloat32(n, 1000 + n);
    const sumAbs = x.reduce((s, v) => s + Math.abs(v), 0);
    const plan = new RealPlanSingle(n);
    const h = Float32Array.from(x);
    plan.exec(h, 1, true);
    const d = directDft(x, new Float64Array(n), -1);
    // [r0, r1, i1, r2, i2, ..., r_{n/2} for even n]
    assert.ok(Math.abs(h[0] - d.re[0]) <= bound(n, sumAbs), `n=${n} r0`);
    for (let k = 1; 2 * k - 1 < n; k++) {
      assert.ok(Math.abs(h[2 * k - 1] - d.re[k]) <= bound(n, sumAbs), `n=${n} r${k}`);
      if (2 * k < n) assert.ok(Math.abs(h[2 * k] - d.im[k]) <= bound(n, sumAbs), `n=${n} i${k}`);
    }
    const back = Float32Array.from(h);
    plan.exec(back, f(1 / n), false);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(back[i] - x[i]) <= 4 * bound(n, 1), `n=${n} round trip ${i}`);
  }
});

test('a plan can be reused: the same input gives the same output', () => {
  const plan = new ComplexPlanSingle(96);
  const x = randomFloat32(192, 5);
  const a = Float32Array.from(x);
  const b = Float32Array.from(x);
  plan.exec(a, 1, true);
  plan.exec(b, 1, true);
  assert.deepEqual(a, b);
});
