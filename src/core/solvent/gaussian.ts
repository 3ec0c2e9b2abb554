/** The one-component solvent model of METHOD.md §7.4: `g(x) = c * exp(-(x - mu)^2 / (2 sigma^2))`. */

export interface GaussianParameters {
  /** Height (a density, like the histogram it is fitted to). */
  readonly c: number;
  /** Centre: the solvent peak. */
  readonly mu: number;
  /** Width (only sigma^2 enters the model). */
  readonly sigma: number;
}

export function gaussian(x: number, p: GaussianParameters): number {
  const d = x - p.mu;
  return p.c * Math.exp(-(d * d) / (2 * p.sigma * p.sigma));
}

/** `g` at every point of `xs`. */
export function gaussianCurve(xs: ArrayLike<number>, p: GaussianParameters): Float64Array {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = gaussian(xs[i], p);
  return out;
}
