import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGaussianLeastSquares } from '../../../src/core/solvent/levenberg-marquardt.js';
import { gaussian, type GaussianParameters } from '../../../src/core/solvent/gaussian.js';
import { lcg } from '../../random.js';

const linspace = (a: number, b: number, n: number) => Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

/**
 * Independent closed form: ln y = A + B x + C x^2 fitted by linear least squares (3x3 normal equations by
 * Cramer's rule), then sigma^2 = -1 / (2C), mu = B sigma^2, c = exp(A + mu^2 / (2 sigma^2)).
 * Exact for noiseless Gaussian samples.
 */
function logParabolaFit(x: ArrayLike<number>, y: ArrayLike<number>): GaussianParameters {
  const S = new Array(5).fill(0);
  const T = [0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    if (!(y[i] > 0)) continue;
    const l = Math.log(y[i]);
    for (let k = 0; k < 5; k++) S[k] += x[i] ** k;
    for (let k = 0; k < 3; k++) T[k] += l * x[i] ** k;
  }
  const det3 = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const M = [
    [S[0], S[1], S[2]],
    [S[1], S[2], S[3]],
    [S[2], S[3], S[4]],
  ];
  const D = det3(M);
  const withColumn = (j: number) => M.map((row, r) => row.map((v, c) => (c === j ? T[r] : v)));
  const [A, B, C] = [0, 1, 2].map((j) => det3(withColumn(j)) / D);
  const s2 = -1 / (2 * C);
  const mu = B * s2;
  return { c: Math.exp(A + (mu * mu) / (2 * s2)), mu, sigma: Math.sqrt(s2) };
}

const cost = (x: Float64Array, y: Float64Array, p: GaussianParameters) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (gaussian(x[i], p) - y[i]) ** 2;
  return s;
};

test('noiseless Gaussian samples: LM recovers the parameters the log-parabola closed form gives', () => {
  const truth = { c: 2.1, mu: 0.0123, sigma: 0.155 };
  const x = linspace(-0.9, 3.4, 1000);
  const y = x.map((v) => gaussian(v, truth));
  // The closed form on the well-conditioned part (far tails underflow the logarithm's precision).
  const central = [...x.keys()].filter((i) => Math.abs(x[i] - truth.mu) < 4 * truth.sigma);
  const closed = logParabolaFit(central.map((i) => x[i]), central.map((i) => y[i]));
  const fit = fitGaussianLeastSquares(x, y, { c: 2.3, mu: -0.02, sigma: 0.23 });
  assert.ok(fit.converged, fit.stop);
  for (const k of ['c', 'mu', 'sigma'] as const) {
    assert.ok(Math.abs(fit.params[k] - closed[k]) < 1e-9 * Math.max(1, Math.abs(closed[k])), `${k}: ${fit.params[k]} vs ${closed[k]}`);
  }
  assert.ok(fit.cost < 1e-20);
});

test('noisy samples: the LM result is a stationary point and a local minimum, near the closed form', () => {
  const truth = { c: 1.74, mu: 0.008, sigma: 0.19 };
  const x = linspace(-1.0, 3.0, 1000);
  let s = 12345;
  const noise = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5) * 0.04;
  // Noise plus a "content" tail on the right, like a map's histogram.
  const y = x.map((v) => gaussian(v, truth) + noise() + (v > 0.6 ? 0.05 * Math.exp(-(v - 0.6)) : 0));
  const fit = fitGaussianLeastSquares(x, y, { c: 1.8, mu: -0.01, sigma: 0.27 });
  assert.ok(fit.converged, fit.stop);
  const p = fit.params;
  // Gradient of the cost, by central differences, relative to the parameter scale.
  for (const k of ['c', 'mu', 'sigma'] as const) {
    const h = 1e-6 * Math.max(Math.abs(p[k]), 0.01);
    const up = cost(x, y, { ...p, [k]: p[k] + h });
    const down = cost(x, y, { ...p, [k]: p[k] - h });
    assert.ok(up >= fit.cost && down >= fit.cost, `${k}: not a minimum along this axis`);
    assert.ok(Math.abs(up - down) / (2 * h) < 1e-6 * fit.cost / Math.max(Math.abs(p[k]), 0.01), `${k}: gradient`);
  }
  const next = lcg(99);
  const rnd = () => next() - 0.5;
  for (let trial = 0; trial < 20; trial++) {
    const q = { c: p.c * (1 + 1e-4 * rnd()), mu: p.mu + 1e-4 * rnd(), sigma: p.sigma * (1 + 1e-4 * rnd()) };
    assert.ok(cost(x, y, q) >= fit.cost, 'a random nearby point is lower');
  }
  assert.ok(Math.abs(fit.cost - cost(x, y, p)) <= 1e-12 * fit.cost);
  const central = [...x.keys()].filter((i) => Math.abs(x[i] - truth.mu) < 1.5 * truth.sigma);
  const closed = logParabolaFit(central.map((i) => x[i]), central.map((i) => y[i]));
  assert.ok(Math.abs(p.mu - closed.mu) < 0.01, `mu ${p.mu} vs ${closed.mu}`);
  assert.ok(Math.abs(p.sigma / closed.sigma - 1) < 0.05, `sigma ${p.sigma} vs ${closed.sigma}`);
  assert.ok(Math.abs(p.c / closed.c - 1) < 0.05, `c ${p.c} vs ${closed.c}`);
});

test('a start at the minimum stops at once; bad input is refused', () => {
  const truth = { c: 1, mu: 0, sigma: 1 };
  const x = linspace(-5, 5, 101);
  const y = x.map((v) => gaussian(v, truth));
  const fit = fitGaussianLeastSquares(x, y, truth);
  assert.equal(fit.iterations, 0);
  assert.equal(fit.stop, 'gradient');
  assert.throws(() => fitGaussianLeastSquares(x, y, { c: 1, mu: 0, sigma: 0 }), /sigma/);
  assert.throws(() => fitGaussianLeastSquares(x, y.subarray(1), truth), /as many/);
});

test('the iteration limit is reported as not converged', () => {
  const x = linspace(-5, 5, 101);
  const y = x.map((v) => gaussian(v, { c: 3, mu: 1, sigma: 0.7 }));
  const fit = fitGaussianLeastSquares(x, y, { c: 1, mu: 0, sigma: 2 }, { maxIterations: 1 });
  assert.equal(fit.stop, 'iterations');
  assert.equal(fit.converged, false);
});
