/** Deterministic float32 test data for the single-precision Fourier tests. */
import { createCube, type Volume } from '../../../../src/core/volume.js';
import { lcg } from '../../../random.js';

/** `n` float32 values uniform in [-1, 1). */
export function randomFloat32(n: number, seed: number): Float32Array {
  const next = lcg(seed);
  return Float32Array.from({ length: n }, () => Math.fround(next() * 2 - 1));
}

/** A cube of edge `n` with values uniform in [-1, 1). */
export function randomCube(n: number, seed: number): Volume {
  return createCube(n, randomFloat32(n ** 3, seed));
}
