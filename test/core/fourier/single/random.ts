/** Deterministic float32 test data for the single-precision Fourier tests. */
import { createCube, type Volume } from '../../../../src/core/volume.js';

/** A linear congruential generator of numbers in [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** `n` float32 values uniform in [-1, 1). */
export function randomFloat32(n: number, seed: number): Float32Array {
  const next = lcg(seed);
  return Float32Array.from({ length: n }, () => Math.fround(next() * 2 - 1));
}

/** A cube of edge `n` with values uniform in [-1, 1). */
export function randomCube(n: number, seed: number): Volume {
  return createCube(n, randomFloat32(n ** 3, seed));
}
