/**
 * Unweighted least-squares fit of the solvent Gaussian (METHOD.md §7.4) by Levenberg–Marquardt, standing in
 * for the reference's `scipy.optimize.curve_fit` (MINPACK `lmdif`, forward-difference Jacobian, stopping at
 * relative tolerances of 1.49e-8). From the same start both descend into the same local minimum of
 *   S(c, mu, sigma) = sum_i (c exp(-(x_i - mu)^2 / (2 sigma^2)) - y_i)^2;
 * this one uses the analytic Jacobian and converges more tightly, so the two agree to about the reference's
 * own tolerance (1e-8 relative), far inside what any output shows.
 *
 * Method: Marquardt's scaled damping, solving `(J'J + lambda diag(J'J)) delta = -J'r` (invariant to the very
 * different scales of c, mu and sigma), with Nielsen's gain-ratio update of lambda.
 *
 * Stopping (first that holds, checked after every accepted step unless noted):
 * - `gradient`: every column of J is orthogonal to the residual to within `gtol`,
 *   `|J_j . r| <= gtol * |J_j| |r|` (also checked before the first step);
 * - `step`: every parameter moved by at most `xtol * (|p_j| + xtol)`;
 * - `cost`: the accepted step lowered S by at most `ftol * S`, and the linear model predicted no more;
 * - `stalled`: lambda grew beyond 1e30 without finding a lower S (the minimum is resolved to rounding);
 * - `iterations`: `maxIterations` steps tried (then `converged` is false).
 */
import type { GaussianParameters } from './gaussian.js';
import { gaussianSumsKernel, type GaussianSums } from './gaussian-kernels.js';

export interface GaussianFitOptions {
  maxIterations?: number;
  xtol?: number;
  ftol?: number;
  gtol?: number;
}

export type GaussianFitStop = 'gradient' | 'step' | 'cost' | 'stalled' | 'iterations';

export interface GaussianFit {
  readonly params: GaussianParameters;
  /** Sum of squared residuals at `params`. */
  readonly cost: number;
  /** Steps tried (accepted or not). */
  readonly iterations: number;
  readonly stop: GaussianFitStop;
  readonly converged: boolean;
}

/**
 * The sums in JavaScript (where WebAssembly is missing; the tests compare the kernels with them): residuals
 * `g(x_i) - y_i` and the Jacobian's rows (d/dc, d/dmu, d/dsigma) point by point, then the normal equations.
 */
function javascriptSums(x: ArrayLike<number>, y: ArrayLike<number>): GaussianSums {
  const n = x.length;
  const r = new Float64Array(n);
  const J = new Float64Array(3 * n);
  const residuals = (c: number, mu: number, sigma: number, withJacobian: boolean): number => {
    const s2 = sigma * sigma;
    let cost = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - mu;
      const e = Math.exp(-(d * d) / (2 * s2));
      const ri = c * e - y[i];
      r[i] = ri;
      cost += ri * ri;
      if (withJacobian) {
        const ce = c * e;
        J[3 * i] = e;
        J[3 * i + 1] = (ce * d) / s2;
        J[3 * i + 2] = (ce * d * d) / (s2 * sigma);
      }
    }
    return cost;
  };
  return {
    cost: (c, mu, sigma) => residuals(c, mu, sigma, false),
    costAndNormalEquations(c, mu, sigma, A, g) {
      const cost = residuals(c, mu, sigma, true);
      A.fill(0);
      g.fill(0);
      for (let i = 0; i < n; i++) {
        const j0 = J[3 * i];
        const j1 = J[3 * i + 1];
        const j2 = J[3 * i + 2];
        const ri = r[i];
        A[0] += j0 * j0;
        A[1] += j0 * j1;
        A[2] += j0 * j2;
        A[4] += j1 * j1;
        A[5] += j1 * j2;
        A[8] += j2 * j2;
        g[0] += j0 * ri;
        g[1] += j1 * ri;
        g[2] += j2 * ri;
      }
      A[3] = A[1];
      A[6] = A[2];
      A[7] = A[5];
      return cost;
    },
  };
}

/** Solves the 3x3 system `M z = b` by Gaussian elimination with partial pivoting; false if singular. */
function solve3(M: Float64Array, b: Float64Array, z: Float64Array): boolean {
  const a = [
    [M[0], M[1], M[2], b[0]],
    [M[3], M[4], M[5], b[1]],
    [M[6], M[7], M[8], b[2]],
  ];
  for (let col = 0; col < 3; col++) {
    let piv = col;
    for (let row = col + 1; row < 3; row++) if (Math.abs(a[row][col]) > Math.abs(a[piv][col])) piv = row;
    if (a[piv][col] === 0 || !Number.isFinite(a[piv][col])) return false;
    [a[col], a[piv]] = [a[piv], a[col]];
    for (let row = col + 1; row < 3; row++) {
      const f = a[row][col] / a[col][col];
      for (let k = col; k < 4; k++) a[row][k] -= f * a[col][k];
    }
  }
  for (let row = 2; row >= 0; row--) {
    let s = a[row][3];
    for (let k = row + 1; k < 3; k++) s -= a[row][k] * z[k];
    z[row] = s / a[row][row];
  }
  return z.every(Number.isFinite);
}

export function fitGaussianLeastSquares(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  start: GaussianParameters,
  options: GaussianFitOptions = {},
): GaussianFit {
  const n = x.length;
  if (y.length !== n || n < 3) throw new RangeError(`a Gaussian fit needs at least 3 points and as many x as y (${n}, ${y.length})`);
  if (!(start.sigma !== 0) || ![start.c, start.mu, start.sigma].every(Number.isFinite)) {
    throw new RangeError(`the fit needs a finite start with non-zero sigma, got ${JSON.stringify(start)}`);
  }
  const maxIterations = options.maxIterations ?? 1000;
  const xtol = options.xtol ?? 1e-12;
  const ftol = options.ftol ?? 1e-15;
  const gtol = options.gtol ?? 1e-13;

  const p = new Float64Array([start.c, start.mu, start.sigma]);
  const trial = new Float64Array(3);
  const A = new Float64Array(9);
  const g = new Float64Array(3);
  const M = new Float64Array(9);
  const rhs = new Float64Array(3);
  const delta = new Float64Array(3);
  const sums = gaussianSumsKernel(x, y) ?? javascriptSums(x, y);

  let cost = sums.costAndNormalEquations(p[0], p[1], p[2], A, g);
  const gradientSmall = () => {
    const rNorm = Math.sqrt(cost);
    for (let j = 0; j < 3; j++) if (Math.abs(g[j]) > gtol * Math.sqrt(A[4 * j]) * rNorm) return false;
    return true;
  };

  const finish = (stop: GaussianFitStop, iterations: number): GaussianFit => ({
    params: { c: p[0], mu: p[1], sigma: p[2] },
    cost,
    iterations,
    stop,
    converged: stop !== 'iterations',
  });
  if (!Number.isFinite(cost)) throw new RangeError('the Gaussian fit starts at a non-finite cost');
  if (gradientSmall()) return finish('gradient', 0);

  let lambda = 1e-3;
  let nu = 2;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    for (let k = 0; k < 9; k++) M[k] = A[k];
    for (let j = 0; j < 3; j++) {
      const d = A[4 * j] > 0 ? A[4 * j] : Number.MIN_VALUE;
      M[4 * j] += lambda * d;
      rhs[j] = -g[j];
    }
    let accepted = false;
    let newCost = Infinity;
    let predicted = 0;
    if (solve3(M, rhs, delta)) {
      for (let j = 0; j < 3; j++) trial[j] = p[j] + delta[j];
      newCost = trial[2] !== 0 ? sums.cost(trial[0], trial[1], trial[2]) : Infinity;
      // Linear model: |r + J delta|^2 = cost + 2 delta.g + delta' A delta.
      let dAd = 0;
      for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) dAd += delta[j] * A[3 * j + k] * delta[k];
      predicted = -(2 * (delta[0] * g[0] + delta[1] * g[1] + delta[2] * g[2]) + dAd);
      accepted = Number.isFinite(newCost) && newCost < cost;
    }
    if (!accepted) {
      lambda *= nu;
      nu *= 2;
      if (lambda > 1e30) return finish('stalled', iteration);
      continue;
    }
    const rho = predicted > 0 ? (cost - newCost) / predicted : 1;
    lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
    nu = 2;
    const decrease = cost - newCost;
    const previousCost = cost;
    p.set(trial);
    cost = sums.costAndNormalEquations(p[0], p[1], p[2], A, g);
    if (gradientSmall()) return finish('gradient', iteration);
    let smallStep = true;
    for (let j = 0; j < 3; j++) if (Math.abs(delta[j]) > xtol * (Math.abs(p[j]) + xtol)) smallStep = false;
    if (smallStep) return finish('step', iteration);
    if (decrease <= ftol * previousCost && predicted <= ftol * previousCost) return finish('cost', iteration);
  }
  return finish('iterations', maxIterations);
}
