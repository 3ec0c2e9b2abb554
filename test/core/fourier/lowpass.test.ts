import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keptShells, lowpassToResolution, resampleCube } from '../../../src/core/fourier/lowpass.js';
import { createCube, type Volume } from '../../../src/core/volume.js';
import { directDft3, seededValues } from './dft.js';

function randomCube(n: number, seed: number): Volume {
  return createCube(n, Float32Array.from(seededValues(n * n * n, seed)));
}

/**
 * Independent evaluation of METHOD.md §3 by explicit frequency loops: the full DFT of the n-cube, the kept
 * frequencies (fz, fy in [-k, k-1] from the fftshift block copy, fx in [0, k], optionally the sphere), and
 * numpy irfftn on the m grid written as a sum: x = scale / m^3 * sum w(fx) Re(F exp(+2 pi i f.r / m)),
 * w = 1 when fx is 0 or m/2 (irfft's self-conjugate bins), 2 otherwise.
 */
function directSection3(
  v: Volume,
  m: number,
  k: number,
  keep: (fz: number, fy: number, fx: number) => boolean,
  scale: number,
): Float64Array {
  const n = v.nx;
  const F = directDft3(v.data, n, n, n);
  const terms: { fz: number; fy: number; fx: number; re: number; im: number; w: number }[] = [];
  for (let fz = -k; fz < k; fz++)
    for (let fy = -k; fy < k; fy++)
      for (let fx = 0; fx <= k; fx++) {
        if (!keep(fz, fy, fx)) continue;
        const i = ((((fz % n) + n) % n) * n + (((fy % n) + n) % n)) * n + fx;
        terms.push({ fz, fy, fx, re: F.re[i], im: F.im[i], w: fx === 0 || 2 * fx === m ? 1 : 2 });
      }
  const out = new Float64Array(m * m * m);
  for (let z = 0; z < m; z++)
    for (let y = 0; y < m; y++)
      for (let x = 0; x < m; x++) {
        let sum = 0;
        for (const t of terms) {
          const phase = (2 * Math.PI * ((((t.fz * z + t.fy * y + t.fx * x) % m) + m) % m)) / m;
          sum += t.w * (t.re * Math.cos(phase) - t.im * Math.sin(phase));
        }
        out[(z * m + y) * m + x] = (scale * sum) / (m * m * m);
      }
  return out;
}

function assertClose(actual: Float32Array, expected: ArrayLike<number>, label: string): void {
  assert.equal(actual.length, expected.length, label);
  let peak = 0;
  for (let i = 0; i < expected.length; i++) peak = Math.max(peak, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-5 * peak + 1e-7, `${label}: i=${i} ${actual[i]} vs ${expected[i]}`);
  }
}

test('keptShells is floor(n * apix / d), with exact ratios landing on the integer (float32, as the reference)', () => {
  assert.equal(keptShells(64, 1.6, 8), 12);
  assert.equal(keptShells(96, 1.1, 8), 13);
  assert.equal(keptShells(10, 1, 5), 2);
  assert.equal(keptShells(10, 1, 100), 0);
  // 64 * 0.5 / 6.4 = 5 and 64 * 0.75 / 2.4 = 20 exactly; float64 would round both just below.
  assert.equal(keptShells(64, 0.5, 6.4), 5);
  assert.equal(keptShells(64, 0.75, 2.4), 20);
  assert.throws(() => keptShells(10, 0, 5), RangeError);
});

test('low-pass equals the direct evaluation of the spherical window with the half-voxel offsets', () => {
  for (const n of [8, 10, 12]) {
    const v = randomCube(n, n);
    const apix = 1.3;
    // d chosen to give ks from 1 up to beyond n/2 (where the block is the whole spectrum).
    for (const d of [n * apix, (n * apix) / 2.5, (n * apix) / 3.2, 2.6, 2 * apix, 1.5 * apix]) {
      const ks = keptShells(n, apix, d);
      const k = Math.min(ks, n / 2);
      const inSphere = (fz: number, fy: number, fx: number) =>
        (fz + 0.5) ** 2 + (fy + 0.5) ** 2 + (fx - 0.5) ** 2 <= (k + 1) ** 2;
      const expected = directSection3(v, n, k, inSphere, 1);
      const out = lowpassToResolution(v, apix, d);
      assert.deepEqual([out.nz, out.ny, out.nx], [n, n, n]);
      assertClose(out.data, expected, `n=${n} d=${d} ks=${ks}`);
    }
  }
});

test('the low-pass sphere really cuts: a tighter window differs from the plain block', () => {
  // Guards the test above against a window that never removes anything.
  const n = 12;
  const v = randomCube(n, 3);
  const ks = keptShells(n, 1, 2.4); // 5
  const blockOnly = directSection3(v, n, ks, () => true, 1);
  const out = lowpassToResolution(v, 1, 2.4);
  let differs = 0;
  for (let i = 0; i < blockOnly.length; i++) differs = Math.max(differs, Math.abs(out.data[i] - blockOnly[i]));
  assert.ok(differs > 1e-3, `max difference ${differs}`);
});

test('low-pass of a constant map is the constant; keeping no shell gives zeros like the reference', () => {
  const n = 16;
  const v = createCube(n, new Float32Array(n * n * n).fill(2.5));
  for (const d of [3, 7, 15]) {
    const out = lowpassToResolution(v, 1, d);
    for (const value of out.data) assert.ok(Math.abs(value - 2.5) < 1e-6, `d=${d}: ${value}`);
  }
  const none = lowpassToResolution(v, 1, 17); // ks = 0
  assert.ok(none.data.every((value) => value === 0));
});

test('low-pass refuses odd or non-cubic boxes', () => {
  assert.throws(() => lowpassToResolution(createCube(9), 1, 4), RangeError);
  assert.throws(() => resampleCube(createCube(8), 5), RangeError);
});

test('resample crop and pad equal the direct evaluation of the block copy and (m/n)^3', () => {
  const cases: [number, number][] = [
    [12, 8], // crop: -m/2 planes and the x bin m/2 become the m grid's Nyquist
    [12, 6],
    [10, 4],
    [8, 12], // pad: the n grid's Nyquist planes become ordinary frequencies
    [6, 10],
    [8, 8], // identity
    [8, 2],
  ];
  for (const [n, m] of cases) {
    const v = randomCube(n, n * 13 + m);
    const k = Math.min(m / 2, n / 2);
    const expected = directSection3(v, m, k, () => true, (m / n) ** 3);
    const out = resampleCube(v, m);
    assert.deepEqual([out.nz, out.ny, out.nx], [m, m, m]);
    assertClose(out.data, expected, `${n}->${m}`);
  }
});

test('resampling to the same edge returns the map', () => {
  const v = randomCube(10, 77);
  const out = resampleCube(v, 10);
  for (let i = 0; i < v.data.length; i++) assert.ok(Math.abs(out.data[i] - v.data[i]) < 1e-6);
});

test('resampling a band-limited map samples the same continuous function on the new grid', () => {
  // f(r) = c + sum of cosines with frequencies below both grids' Nyquist, evaluated at r * n / m voxels.
  const waves = [
    { a: 1.0, f: [1, 2, 1], phi: 0.3 },
    { a: -0.7, f: [-2, 1, 3], phi: 1.1 },
    { a: 0.4, f: [0, -3, 2], phi: -0.5 },
  ];
  const field = (z: number, y: number, x: number, n: number) =>
    0.25 +
    waves.reduce(
      (s, w) => s + w.a * Math.cos((2 * Math.PI * (w.f[0] * z + w.f[1] * y + w.f[2] * x)) / n + w.phi),
      0,
    );
  const sample = (n: number, edge: number) => {
    const v = createCube(edge);
    for (let z = 0; z < edge; z++)
      for (let y = 0; y < edge; y++)
        for (let x = 0; x < edge; x++) v.data[(z * edge + y) * edge + x] = field(z * n / edge, y * n / edge, x * n / edge, n);
    return v;
  };
  for (const [n, m] of [
    [16, 10],
    [16, 24],
    [20, 8],
  ]) {
    const out = resampleCube(sample(n, n), m);
    const expected = sample(n, m);
    assertClose(out.data, expected.data, `${n}->${m}`);
  }
});
