/**
 * Deterministic pseudo-random test data: one linear congruential generator (Numerical Recipes' constants) for
 * every test that needs arbitrary values, so that a test's data are the same from run to run and file to file.
 * (Synthetic maps use src/synthetic/random.ts.)
 */

/** Numbers in [0, 1) from `seed`. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** `n` float32 values uniform in [lo, hi), [-0.5, 0.5) by default. */
export function seededValues(n: number, seed: number, lo = -0.5, hi = 0.5): Float32Array {
  const next = lcg(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}
