/**
 * The WebAssembly loops of a modification (src/core/modify/simd-kernels.ts) against the JavaScript loops they
 * replace, bit for bit: every application path (solvent and confidence, solvent alone, confidence alone,
 * excluding solvent) with the same seeded normal draws, the sigmoid factor, and clipping; on maps whose
 * length is not a multiple of the chunk or of 4, with signed zeros, NaN, infinities, factors outside [0, 1],
 * confidences of exactly 0 and 1, and subnormal values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyModification } from '../../../src/core/modify/apply.js';
import { sigmoidFactor } from '../../../src/core/modify/sigmoid.js';
import { clipToRange } from '../../../src/core/modify/value-range.js';
import { createRandom } from '../../../src/core/modify/random.js';
import { CHUNK, enableModifyKernels } from '../../../src/core/modify/simd-kernels.js';
import { hasWasmSimd } from '../../../src/core/wasm/assembler.js';
import { withKernelsOff } from '../../kernels.js';
import { lcg } from '../../random.js';

const skip = !hasWasmSimd() && 'no WebAssembly SIMD';

function withSpecials(length: number, seed: number, make: (r: number) => number, specials: number[]): Float32Array {
  const next = lcg(seed);
  return Float32Array.from({ length }, () => (next() < 0.05 ? specials[Math.floor(next() * specials.length)] : make(next())));
}

function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length);
  const ia = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ib = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) {
    if (ia[i] !== ib[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) assert.fail(`${what}: index ${i}: ${a[i]} vs ${b[i]}`);
  }
}

/** The result of `f` with the kernels and with the JavaScript loops. */
function both<T>(f: () => T): [T, T] {
  const simd = f();
  return [simd, withKernelsOff(enableModifyKernels, f)];
}

const LENGTHS = [CHUNK * 2 + 7, 5, 3 * CHUNK];
const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1, -1, 3.4e38];

test('applying a factor: every path bit for bit as the JavaScript loops, the same normal draws', { skip }, () => {
  for (const n of LENGTHS) {
    const map = withSpecials(n, 1, (r) => Math.fround((r - 0.4) * 3), SPECIAL);
    const factor = withSpecials(n, 2, (r) => Math.fround(r * 2.5 - 0.2), [0, -0, 1, NaN, 2, Infinity, 1e-45]);
    const confidence = withSpecials(n, 3, (r) => Math.fround(r), [0, 1, -0, NaN, 0.5]);
    const solvent = (seed: number) => {
      const random = createRandom(seed);
      return { mu: 0.0123, sigma: -0.0456, standardNormal: () => random.nextStandardNormal(), fillStandardNormal: (out: Float64Array) => random.fillStandardNormal(out) };
    };
    for (const [what, conf, excludeSolvent, withSolvent] of [
      ['solvent and confidence', confidence, false, true],
      ['solvent alone', null, false, true],
      ['confidence alone', confidence, false, false],
      ['excluding solvent', confidence, true, false],
    ] as const) {
      const [simd, js] = both(() => applyModification(map, factor, conf, { excludeSolvent, solvent: withSolvent ? solvent(9) : undefined }));
      sameBits(simd, js, `${what}, ${n} voxels`);
    }
    // Draws one at a time (no bulk source) give the same map.
    const random = createRandom(9);
    const oneByOne = applyModification(map, factor, confidence, { excludeSolvent: false, solvent: { mu: 0.0123, sigma: -0.0456, standardNormal: () => random.nextStandardNormal() } });
    sameBits(oneByOne, applyModification(map, factor, confidence, { excludeSolvent: false, solvent: solvent(9) }), 'one draw at a time');
  }
});

test('sigmoid factor and clipping: bit for bit as the JavaScript loops', { skip }, () => {
  for (const n of LENGTHS) {
    const scale = withSpecials(n, 4, (r) => Math.fround(r * 1.1 - 0.05), [0, -0, NaN, 1, 1e-45, 3e-10, 1e-2, 0.02, Infinity, -1]);
    for (const [power, pivot] of [[3, 0.3], [1, 0.5], [8, 0.9]]) {
      const [simd, js] = both(() => sigmoidFactor(scale, power, pivot));
      sameBits(simd, js, `sigmoid ${power} ${pivot}, ${n} voxels`);
    }
    const values = withSpecials(n, 5, (r) => Math.fround((r - 0.5) * 4), [0, -0, NaN, Infinity, -Infinity, 1e-45]);
    for (const range of [[-1, 1], [0, 1.5], [-0, 0], [Math.fround(-0.3), Math.fround(0.7)]] as [number, number][]) {
      const [simd, js] = both(() => clipToRange(values, range));
      sameBits(simd, js, `clip to ${range}, ${n} voxels`);
      const inPlace = values.slice();
      clipToRange(inPlace, range, inPlace);
      sameBits(inPlace, js, `clip in place to ${range}`);
    }
  }
});
