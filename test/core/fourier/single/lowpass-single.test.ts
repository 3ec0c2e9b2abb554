import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applySphericalWindowSingle,
  forwardBlockSingle,
  inverseBlockSingle,
  lowpassLikeReference,
  lowpassToResolutionSingle,
  resampleCubeSingle,
  resampleLikeReference,
  resampleMirroredLikeReference,
  roundsLikeReference,
  singlePrecisionAvailable,
} from '../../../../src/core/fourier/single/lowpass-single.js';
import { lowpassToResolution, resampleCube } from '../../../../src/core/fourier/lowpass.js';
import { directDft3 } from '../dft.js';
import { randomCube } from './random.js';
import { cropFromCube, embedInEvenCube, mirroredCube } from '../../../../src/core/box.js';
import { createVolume } from '../../../../src/core/volume.js';
import { lcg } from '../../../random.js';

const f = Math.fround;

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

test('forward block: the kept frequencies of the direct 3D DFT', () => {
  for (const [n, k] of [[6, 2], [8, 3], [8, 4], [10, 1]]) {
    const v = randomCube(n, n + k);
    const block = forwardBlockSingle(v, k);
    const d = directDft3(v.data, n, n, n);
    const sumAbs = v.data.reduce((s, x) => s + Math.abs(x), 0);
    for (let dz = 0; dz < 2 * k; dz++)
      for (let dy = 0; dy < 2 * k; dy++)
        for (let fx = 0; fx <= k; fx++) {
          const z = (dz - k + n) % n;
          const y = (dy - k + n) % n;
          const o = 2 * ((dz * 2 * k + dy) * (k + 1) + fx);
          const e = (z * n + y) * n + fx;
          const tol = 1e-6 * sumAbs;
          assert.ok(Math.abs(block[o] - d.re[e]) <= tol, `n=${n} k=${k} (${dz},${dy},${fx}) re`);
          assert.ok(Math.abs(block[o + 1] - d.im[e]) <= tol, `n=${n} k=${k} (${dz},${dy},${fx}) im`);
        }
  }
});

/**
 * The inverse of METHOD.md §3 by definition: the block placed at its frequencies of an m x m x (m/2+1)
 * half spectrum, inverse-transformed along z and y as complex data, then along x as a half-complex real
 * transform (imaginary parts at x-frequency 0 and m/2 ignored), divided by m^3.
 */
function directInverse(block: Float32Array, k: number, m: number): Float64Array {
  const out = new Float64Array(m ** 3);
  const w = k + 1;
  for (let z = 0; z < m; z++)
    for (let y = 0; y < m; y++) {
      // G[fx] = sum over (fz, fy) of T e^{+2 pi i (fz z + fy y)/m}
      const gr = new Float64Array(w);
      const gi = new Float64Array(w);
      for (let dz = 0; dz < 2 * k; dz++)
        for (let dy = 0; dy < 2 * k; dy++) {
          const phase = (2 * Math.PI * ((((dz - k) * z + (dy - k) * y) % m) + m)) / m;
          const c = Math.cos(phase);
          const s = Math.sin(phase);
          for (let fx = 0; fx < w; fx++) {
            const o = 2 * ((dz * 2 * k + dy) * w + fx);
            gr[fx] += block[o] * c - block[o + 1] * s;
            gi[fx] += block[o] * s + block[o + 1] * c;
          }
        }
      for (let x = 0; x < m; x++) {
        let sum = gr[0];
        for (let fx = 1; fx < w; fx++) {
          if (2 * fx === m) {
            sum += gr[fx] * (x % 2 === 0 ? 1 : -1);
          } else {
            const phase = (2 * Math.PI * ((fx * x) % m)) / m;
            sum += 2 * (gr[fx] * Math.cos(phase) - gi[fx] * Math.sin(phase));
          }
        }
        out[(z * m + y) * m + x] = sum / m ** 3;
      }
    }
  return out;
}

test('inverse block: the direct half-complex inverse, including a Nyquist plane', () => {
  for (const [k, m] of [[2, 6], [3, 8], [4, 8], [3, 10]]) {
    const next = lcg(31 * k + m);
    const block = Float32Array.from({ length: 2 * (2 * k) ** 2 * (k + 1) }, () => f(next() * 2 - 1));
    const got = inverseBlockSingle(block, k, m).data;
    const expected = directInverse(block, k, m);
    const sumAbs = block.reduce((s, x) => s + Math.abs(x), 0);
    for (let i = 0; i < got.length; i++) {
      assert.ok(Math.abs(got[i] - expected[i]) <= (1e-6 * sumAbs) / m ** 2, `k=${k} m=${m} voxel ${i}: ${got[i]} vs ${expected[i]}`);
    }
  }
});

test('the spherical window keeps (fz+1/2)^2 + (fy+1/2)^2 + (fx-1/2)^2 <= (k+1)^2', () => {
  const k = 5;
  const block = new Float32Array(2 * (2 * k) ** 2 * (k + 1)).fill(1);
  applySphericalWindowSingle(block, k);
  for (let dz = 0; dz < 2 * k; dz++)
    for (let dy = 0; dy < 2 * k; dy++)
      for (let fx = 0; fx <= k; fx++) {
        const kept = (dz - k + 0.5) ** 2 + (dy - k + 0.5) ** 2 + (fx - 0.5) ** 2 <= (k + 1) ** 2;
        const o = 2 * ((dz * 2 * k + dy) * (k + 1) + fx);
        assert.equal(block[o], kept ? 1 : 0);
        assert.equal(block[o + 1], kept ? 1 : 0);
      }
});

test('low-pass and resample agree with the double-precision implementation to float32 rounding', () => {
  const v = randomCube(30, 3);
  const scale = maxAbs(v.data);
  const a = lowpassToResolutionSingle(v, 1.1, 5).data;
  const b = lowpassToResolution(v, 1.1, 5).data;
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 2e-6 * scale, `low-pass voxel ${i}`);
  for (const m of [20, 30, 40]) {
    const c = resampleCubeSingle(v, m);
    const d = resampleCube(v, m);
    assert.equal(c.nx, m);
    for (let i = 0; i < c.data.length; i++) assert.ok(Math.abs(c.data[i] - d.data[i]) <= 2e-6 * scale, `resample to ${m}, voxel ${i}`);
  }
});

test('the single-precision path is taken for every even edge with SIMD, and without it where the scalar passes are quick', () => {
  assert.ok(roundsLikeReference(224, 30, 224, true) && roundsLikeReference(224, 30, 224, false));
  // 226 = 2·113: the SIMD passes, or else the double-precision path (the scalar generic pass would be ~7× slower).
  assert.ok(roundsLikeReference(226, 30, 226, true));
  assert.ok(!roundsLikeReference(226, 30, 226, false));
  assert.ok(!roundsLikeReference(302, 128, 256, false) && roundsLikeReference(302, 128, 256, true));
  assert.ok(roundsLikeReference(122, 20, 122, false), '122 = 2·61 still scalar');
  // 202 = 2·101: Bluestein for the complex transforms, a radix-101 pass for the real ones: SIMD only. 478: Bluestein
  // for both, quick in scalar too.
  assert.ok(roundsLikeReference(202, 30, 202, true) && !roundsLikeReference(202, 30, 202, false));
  assert.ok(roundsLikeReference(478, 30, 478, false));
  // Odd edges: never (the method's cube is even; odd boxes are embedded in one).
  assert.ok(!roundsLikeReference(63, 20, 63, true) && !roundsLikeReference(64, 20, 63, true));
});

test('the reference-rounding entry points use single precision where they can and double elsewhere', () => {
  for (const n of [42, 48, 202, 478]) assert.ok(singlePrecisionAvailable(64, n) && singlePrecisionAvailable(n, 64), `${n}`);
  const v = randomCube(16, 9);
  assert.deepEqual(lowpassLikeReference(v, 1, 4).data, lowpassToResolutionSingle(v, 1, 4).data);
  assert.deepEqual(resampleLikeReference(v, 12).data, resampleCubeSingle(v, 12).data);
  // The dispatch: an edge with the factor 7 takes the single-precision path (whose values other tests check).
  const seven = randomCube(14, 10);
  assert.deepEqual(lowpassLikeReference(seven, 1, 4).data, lowpassToResolutionSingle(seven, 1, 4).data);
  assert.deepEqual(resampleLikeReference(v, 14).data, resampleCubeSingle(v, 14).data);
  assert.throws(() => lowpassToResolutionSingle(randomCube(5, 1), 1, 4), /even/);
  assert.throws(() => resampleCubeSingle(v, 13), /even/);
});

test('a block of a resampled cube is that block of the whole result, bit for bit (SIMD and scalar, clipped or not)', () => {
  // Padded (the finishing of a map of another box: padded back to its cube, cropped to its box) and cropped.
  const cases: [number, number, [number, number, number], [number, number, number]][] = [
    [16, 26, [0, 3, 5], [26, 19, 21]],
    [16, 26, [4, 0, 0], [1, 26, 7]],
    [20, 14, [2, 1, 0], [11, 13, 14]],
    [12, 14, [0, 0, 0], [14, 14, 14]],
  ];
  for (const [n, m, offset, shape] of cases) {
    const v = randomCube(n, n + m);
    for (const simd of [true, false]) {
      for (const clipTo of [undefined, [-0.25, 0.5] as [number, number]]) {
        const whole = resampleCubeSingle(v, m, { simd, clipTo });
        const block = resampleCubeSingle(v, m, { simd, clipTo, region: { offset, shape } });
        assert.deepEqual([block.nz, block.ny, block.nx], shape);
        assert.deepEqual(block.data, cropFromCube(whole, offset, shape).data, `${n} → ${m}, block ${shape} at ${offset}, simd ${simd}, clip ${clipTo}`);
      }
    }
    assert.deepEqual(resampleLikeReference(v, m, undefined, { offset, shape }).data, cropFromCube(resampleLikeReference(v, m), offset, shape).data);
  }
  assert.throws(() => resampleCubeSingle(randomCube(8, 1), 10, { region: { offset: [0, 0, 1], shape: [10, 10, 10] } }), /outside the 10-cube/);
  assert.throws(() => resampleCubeSingle(randomCube(8, 1), 10, { region: { offset: [0, 0, 0], shape: [0, 10, 10] } }), /outside the 10-cube/);
});

test("a map's cube resampled without making it: the made cube's values, bit for bit", () => {
  // Non-cubic and odd maps, their cubes down-sampled (as --max-box does) and up-sampled, margins wider than the map too.
  const cases: [[number, number, number], number][] = [
    [[20, 17, 13], 12],
    [[9, 22, 22], 16],
    [[15, 15, 15], 10],
    [[6, 30, 5], 20],
    [[13, 10, 14], 20],
  ];
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  for (const [[nz, ny, nx], m] of cases) {
    const map = createVolume(nz, ny, nx, Float32Array.from({ length: nz * ny * nx }, next));
    const made = resampleLikeReference(embedInEvenCube(map).cube, m);
    const read = resampleMirroredLikeReference(mirroredCube(map), m);
    assert.deepEqual(read.data, made.data, `${nz}x${ny}x${nx} → ${m}`);
  }
});
