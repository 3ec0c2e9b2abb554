/**
 * Bit-for-bit cross-check of the single-precision transforms against `scipy.fft` (pocketfft in float32), the
 * library the reference computes METHOD.md §3 with: 1D real and complex transforms of many lengths, and the §3
 * low-pass and resampling of small cubes written out in NumPy from METHOD.md's description.
 *
 * Needs python3 with numpy and scipy (Debian/Ubuntu: apt-get install python3-scipy). When the environment
 * variable CI is set, a missing interpreter FAILS this test; elsewhere it skips with a visible message.
 * OCCUPY_PYTHON may name the interpreter (see test/python.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pythonWith } from '../../../python.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ComplexPlanSingle, RealPlanSingle } from '../../../../src/core/fourier/single/plans.js';
import { lowpassToResolutionSingle, resampleCubeSingle } from '../../../../src/core/fourier/single/lowpass-single.js';
import { createCube } from '../../../../src/core/volume.js';
import { lcg } from '../../../random.js';

const SCRIPT = String.raw`
import sys, json
import numpy as np
import scipy.fft as sf

spec = json.load(open(sys.argv[1]))
data = np.fromfile(sys.argv[2], dtype=np.float32)
out = []
pos = 0
for n in spec['lengths'] + spec['oddLengths']:
    x = data[pos:pos + 2 * n]; pos += 2 * n
    r = sf.rfft(x[:n])                                   # complex64
    half = np.zeros(n, np.float32)                       # [r0, r1, i1, ..., r_{n/2}]
    half[0] = r[0].real
    half[1::2] = r[1:(n + 1) // 2 + (n % 2 == 0)].real[:len(half[1::2])]
    half[2::2] = r[1:(n + 1) // 2].imag
    z = (x[0::2] + 1j * x[1::2]).astype(np.complex64)
    c = sf.fft(z)
    b = sf.ifft(z, norm='forward')                       # unnormalised backward
    h = x[:n]
    spectrum = np.zeros(n // 2 + 1, np.complex64)
    spectrum[0] = h[0]
    spectrum[1:(n + 1) // 2] = h[1:n - (n % 2 == 0):2] + 1j * h[2::2][:(n + 1) // 2 - 1]
    if n % 2 == 0:
        spectrum[n // 2] = h[n - 1]
    i = sf.irfft(spectrum, n=n)                          # backward, divided by n in float32
    for a in (half, c.real, c.imag, b.real, b.imag, i):
        out.append(np.asarray(a, np.float32))

def spherical_keep(n, k):
    # METHOD.md section 3, step 4: keep (i, j, l) when (i-n/2+0.5)^2 + (j-n/2+0.5)^2 + (l-0.5)^2 <= (k+1)^2
    i = np.arange(n)[:, None, None] - n / 2 + 0.5
    j = np.arange(n)[None, :, None] - n / 2 + 0.5
    l = np.arange(n // 2 + 1)[None, None, :] - 0.5
    return (i * i + j * j + l * l) <= (k + 1) ** 2

for case in spec['cubes']:
    n = case['n']
    x = data[pos:pos + n ** 3].reshape(n, n, n); pos += n ** 3
    F = sf.fftshift(sf.rfftn(x), axes=(0, 1))
    if case['kind'] == 'lowpass':
        ks = case['ks']; k = min(ks, n // 2); m = n; c = n // 2
    else:
        m = case['m']; ks = m // 2; k = min(ks, n // 2); c = ks
    T = np.zeros((m, m, m // 2 + 1), np.complex64) if case['kind'] != 'lowpass' else np.zeros(F.shape, np.complex64)
    T[c - k:c + k, c - k:c + k, :k + 1] = F[n // 2 - k:n // 2 + k, n // 2 - k:n // 2 + k, :k + 1]
    if case['kind'] == 'lowpass':
        T = T * spherical_keep(n, k)
    y = sf.irfftn(sf.ifftshift(T, axes=(0, 1)))
    if case['kind'] != 'lowpass':
        y *= (m / n) ** 3
    out.append(np.asarray(y, np.float32).ravel())

np.concatenate(out).astype(np.float32).tofile(sys.argv[3])
`;

const LENGTHS = [2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 18, 20, 24, 25, 27, 30, 32, 36, 40, 45, 48, 50, 54, 60, 64, 72, 75, 80, 90, 96, 100, 120, 125, 128, 150, 160, 192, 200, 240, 250, 256, 270, 300, 320, 384, 400, 480, 500, 512];
/**
 * Lengths with prime factors above 5 (the reference's radix-7 and radix-11 complex passes, its generic complex
 * pass for primes from 13 and its generic real pass for primes from 7), with those factors both last (ido = 1)
 * and earlier (ido > 1, the twiddled positions, up to 47² = 2209): box edges users have (224, 336, 352, 416,
 * 448), products of such primes, lengths whose largest prime p has p² > n where the reference's cost estimate
 * still picks these passes over Bluestein's algorithm (52, 66, 78, 88, 104, 106, 110, 130, 156, and with large
 * primes 134 = 2·67, 226 = 2·113, 302 = 2·151, 316 = 4·79, 452 = 4·113: the cubes odd boxes 225 and 301 are
 * embedded in), and p = 19 and 43, whose real passes split their sums into blocks of 4, 2 and 1.
 */
const ODD_LENGTHS = [
  7, 11, 13, 14, 17, 21, 22, 23, 26, 28, 31, 33, 34, 35, 39, 44, 47, 49, 52, 56, 63, 66, 78, 84, 86, 88, 98, 104, 106, 110, 112, 121, 122,
  126, 130, 134, 156, 169, 176, 196, 208, 224, 226, 231, 252, 289, 302, 308, 316, 336, 338, 352, 361, 416, 448, 452, 529, 961, 1001,
  1849, 2209,
  // Lengths the reference transforms with Bluestein's algorithm: 101 and 202 (complex only), 214, 254, 262, and
  // 478, 1018, 2039 (both).
  101, 202, 214, 254, 262, 478, 1018, 2039,
];

interface Cube {
  kind: 'lowpass' | 'resample';
  n: number;
  ks?: number;
  m?: number;
  /** Only the SIMD path (the scalar one's radix-101 pass would take minutes on this cube). */
  simdOnly?: boolean;
}

const CUBES: Cube[] = [
  { kind: 'lowpass', n: 24, ks: 7 },
  { kind: 'lowpass', n: 30, ks: 15 },
  { kind: 'lowpass', n: 32, ks: 5 },
  { kind: 'resample', n: 30, m: 20 },
  { kind: 'resample', n: 20, m: 30 },
  { kind: 'resample', n: 36, m: 24 },
  // Edges with the factors 7, 11 and 13 (the odd passes; 98 = 2·7·7 has a radix-7 pass with twiddles).
  { kind: 'lowpass', n: 28, ks: 9 },
  { kind: 'lowpass', n: 26, ks: 13 },
  { kind: 'resample', n: 44, m: 26 },
  { kind: 'resample', n: 22, m: 28 },
  { kind: 'resample', n: 98, m: 14 },
  // 202 = 2·101: Bluestein's algorithm for the complex transforms, a radix-101 pass for the real ones.
  { kind: 'resample', n: 202, m: 16, simdOnly: true },
  { kind: 'resample', n: 16, m: 202, simdOnly: true },
];

test('single-precision transforms equal scipy.fft (float32 pocketfft) bit for bit', (t) => {
  const python = pythonWith(t, ['numpy', 'scipy.fft'], 'python3-scipy');
  if (!python) return;
  const next = lcg(2024);
  const inputs: Float32Array[] = [];
  for (const n of [...LENGTHS, ...ODD_LENGTHS]) inputs.push(Float32Array.from({ length: 2 * n }, () => Math.fround(next() * 2 - 1)));
  for (const c of CUBES) inputs.push(Float32Array.from({ length: c.n ** 3 }, () => Math.fround(next() * 2 - 1)));

  const dir = mkdtempSync(path.join(tmpdir(), 'occupy-scipy-'));
  try {
    const specFile = path.join(dir, 'spec.json');
    const inFile = path.join(dir, 'in.f32');
    const outFile = path.join(dir, 'out.f32');
    writeFileSync(specFile, JSON.stringify({ lengths: LENGTHS, oddLengths: ODD_LENGTHS, cubes: CUBES }));
    writeFileSync(inFile, Buffer.concat(inputs.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
    const run = spawnSync(python, ['-c', SCRIPT, specFile, inFile, outFile], { encoding: 'utf8' });
    assert.equal(run.status, 0, `python failed: ${run.stderr}`);
    const bytes = readFileSync(outFile);
    const expected = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let pos = 0;
    const take = (count: number) => expected.subarray(pos, (pos += count));
    const same = (got: ArrayLike<number>, want: Float32Array, what: string) => {
      assert.equal(got.length, want.length, what);
      for (let i = 0; i < want.length; i++) if (!Object.is(got[i] + 0, want[i] + 0)) assert.fail(`${what}: element ${i} is ${got[i]}, scipy ${want[i]}`);
    };

    [...LENGTHS, ...ODD_LENGTHS].forEach((n, li) => {
      const x = inputs[li];
      const half = Float32Array.from(x.subarray(0, n));
      new RealPlanSingle(n).exec(half, 1, true);
      same(half, take(n), `rfft ${n}`);
      const plan = new ComplexPlanSingle(n);
      const c = Float32Array.from(x);
      plan.exec(c, 1, true);
      same(c.filter((_, i) => i % 2 === 0), take(n), `fft ${n} re`);
      same(c.filter((_, i) => i % 2 === 1), take(n), `fft ${n} im`);
      const b = Float32Array.from(x);
      plan.exec(b, 1, false);
      same(b.filter((_, i) => i % 2 === 0), take(n), `backward ${n} re`);
      same(b.filter((_, i) => i % 2 === 1), take(n), `backward ${n} im`);
      const inv = Float32Array.from(x.subarray(0, n));
      new RealPlanSingle(n).exec(inv, Math.fround(1 / n), false);
      same(inv, take(n), `irfft ${n}`);
    });

    CUBES.forEach((c, ci) => {
      const v = createCube(c.n, inputs[LENGTHS.length + ODD_LENGTHS.length + ci]);
      if (c.kind === 'lowpass') {
        // voxel size 1 and resolution n / (ks + 1/2) give exactly ks kept shells.
        // Both the SIMD path (the default where available) and the scalar one.
        const want = take(c.n ** 3);
        for (const simd of c.simdOnly ? [true] : [true, false]) {
          const got = lowpassToResolutionSingle(v, 1, c.n / (c.ks! + 0.5), { simd });
          same(got.data, want, `low-pass n=${c.n} ks=${c.ks}${simd ? '' : ' (scalar)'}`);
        }
      } else {
        const want = take(c.m! ** 3);
        for (const simd of c.simdOnly ? [true] : [true, false]) {
          const got = resampleCubeSingle(v, c.m!, { simd });
          same(got.data, want, `resample ${c.n} -> ${c.m}${simd ? '' : ' (scalar)'}`);
        }
      }
    });
    assert.equal(pos, expected.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
