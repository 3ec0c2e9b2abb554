import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enableGaussianKernels, gaussianSumsKernel } from '../../../src/core/solvent/gaussian-kernels.js';
import { fitGaussianLeastSquares, type GaussianFit } from '../../../src/core/solvent/levenberg-marquardt.js';
import { gaussian, type GaussianParameters } from '../../../src/core/solvent/gaussian.js';
import { mulberry32 } from '../../../src/synthetic/random.js';
import { withKernelsOff } from '../../kernels.js';

const withoutKernels = <T>(fn: () => T): T => withKernelsOff(enableGaussianKernels, fn);

/** A solvent-like histogram: a Gaussian peak, noise, and a content tail on one side. */
function problem(seed: number): { x: Float64Array; y: Float64Array; start: GaussianParameters } {
  const rnd = mulberry32(seed);
  const n = 3 + Math.floor(rnd() * 1500);
  const truth = { c: 0.1 + 5 * rnd(), mu: rnd() - 0.5, sigma: 0.01 + 0.5 * rnd() };
  const lo = truth.mu - (1 + 5 * rnd()) * truth.sigma;
  const hi = truth.mu + (2 + 20 * rnd()) * truth.sigma;
  const noise = 0.1 * rnd() * truth.c;
  const x = Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const y = x.map((v) => Math.max(0, gaussian(v, truth) + noise * (rnd() - 0.5) + (v > truth.mu + truth.sigma ? 0.2 * truth.c * rnd() : 0)));
  // Starts near and far, some with a negative width (only sigma^2 enters the model).
  const start = {
    c: truth.c * (0.5 + rnd()),
    mu: truth.mu + truth.sigma * (rnd() - 0.5) * 4,
    sigma: truth.sigma * (0.2 + 3 * rnd()) * (rnd() < 0.1 ? -1 : 1),
  };
  return { x, y, start };
}

function sameFit(a: GaussianFit, b: GaussianFit, label: string): void {
  for (const k of ['c', 'mu', 'sigma'] as const) assert.ok(Object.is(a.params[k], b.params[k]), `${label}: ${k} ${a.params[k]} vs ${b.params[k]}`);
  assert.ok(Object.is(a.cost, b.cost), `${label}: cost ${a.cost} vs ${b.cost}`);
  assert.equal(a.iterations, b.iterations, `${label}: iterations`);
  assert.equal(a.stop, b.stop, `${label}: stop`);
}

test('the kernels are there to compare (WebAssembly SIMD in this Node)', () => {
  assert.ok(gaussianSumsKernel([0, 1, 2], [1, 1, 1]));
  assert.equal(withoutKernels(() => gaussianSumsKernel([0, 1, 2], [1, 1, 1])), null);
});

test('whole fits are bit for bit the same with the WebAssembly sums as with the JavaScript loops', () => {
  const stops = new Set<string>();
  for (let seed = 1; seed <= 300; seed++) {
    const { x, y, start } = problem(seed);
    const withKernels = fitGaussianLeastSquares(x, y, start);
    const withLoops = withoutKernels(() => fitGaussianLeastSquares(x, y, start));
    sameFit(withKernels, withLoops, `problem ${seed} (${x.length} points)`);
    stops.add(withKernels.stop);
  }
  // The problems reach more than one way of stopping (each path through the fit's loop is compared).
  assert.ok(stops.size >= 2, [...stops].join(', '));
});

test('the sums against a direct evaluation of the model', () => {
  const { x, y } = problem(7);
  const sums = gaussianSumsKernel(x, y);
  assert.ok(sums);
  const p = { c: 1.3, mu: 0.02, sigma: 0.17 };
  let direct = 0;
  const JtJ = new Float64Array(9);
  const Jtr = new Float64Array(3);
  const wantJtJ = new Float64Array(9);
  const wantJtr = new Float64Array(3);
  for (let i = 0; i < x.length; i++) {
    const r = gaussian(x[i], p) - y[i];
    direct += r * r;
    // The Jacobian by central differences of the model.
    const row = (['c', 'mu', 'sigma'] as const).map((k) => {
      const h = 1e-6 * Math.max(1, Math.abs(p[k]));
      return (gaussian(x[i], { ...p, [k]: p[k] + h }) - gaussian(x[i], { ...p, [k]: p[k] - h })) / (2 * h);
    });
    for (let a = 0; a < 3; a++) {
      wantJtr[a] += row[a] * r;
      for (let b = 0; b < 3; b++) wantJtJ[3 * a + b] += row[a] * row[b];
    }
  }
  const cost = sums.costAndNormalEquations(p.c, p.mu, p.sigma, JtJ, Jtr);
  assert.ok(Math.abs(cost - direct) <= 1e-12 * direct, `${cost} vs ${direct}`);
  assert.ok(Object.is(sums.cost(p.c, p.mu, p.sigma), cost));
  const scale = Math.max(...wantJtJ.map(Math.abs));
  for (let k = 0; k < 9; k++) assert.ok(Math.abs(JtJ[k] - wantJtJ[k]) <= 1e-6 * scale, `J'J[${k}] ${JtJ[k]} vs ${wantJtJ[k]}`);
  const rScale = Math.sqrt(direct * scale);
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(Jtr[k] - wantJtr[k]) <= 1e-6 * rScale, `J'r[${k}] ${Jtr[k]} vs ${wantJtr[k]}`);
});
