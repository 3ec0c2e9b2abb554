import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfft3, irfft3 } from '../../../src/core/fourier/real-fft-3d.js';
import { createVolume, type Volume } from '../../../src/core/volume.js';
import { directDft3, relativeError, seededValues } from './dft.js';

const SHAPES: [number, number, number][] = [
  [6, 4, 8],
  [5, 6, 6],
  [8, 8, 8],
  [4, 6, 5],
  [3, 7, 9],
  [1, 1, 4],
  [2, 36, 6], // more adjacent lines than one tile
  [2, 53, 3], // Bluestein length along y
];

function randomVolume(nz: number, ny: number, nx: number, seed: number): Volume {
  return createVolume(nz, ny, nx, Float32Array.from(seededValues(nz * ny * nx, seed)));
}

test('rfft3 equals the direct 3D DFT on the non-negative half of the last axis', () => {
  for (const [nz, ny, nx] of SHAPES) {
    const v = randomVolume(nz, ny, nx, nz * 100 + ny * 10 + nx);
    const spectrum = rfft3(v);
    const nxHalf = Math.floor(nx / 2) + 1;
    assert.deepEqual([spectrum.nz, spectrum.ny, spectrum.nxHalf], [nz, ny, nxHalf]);
    const full = directDft3(v.data, nz, ny, nx);
    const expRe = new Float64Array(nz * ny * nxHalf);
    const expIm = new Float64Array(nz * ny * nxHalf);
    for (let zy = 0; zy < nz * ny; zy++)
      for (let x = 0; x < nxHalf; x++) {
        expRe[zy * nxHalf + x] = full.re[zy * nx + x];
        expIm[zy * nxHalf + x] = full.im[zy * nx + x];
      }
    const err = relativeError(spectrum.re, spectrum.im, expRe, expIm);
    assert.ok(err < 1e-12, `${nz}x${ny}x${nx}: ${err}`);
  }
});

test('irfft3(rfft3(v), nx) == v and leaves the spectrum unchanged', () => {
  for (const [nz, ny, nx] of SHAPES) {
    const v = randomVolume(nz, ny, nx, nx * 7 + 1);
    const spectrum = rfft3(v);
    const before = { re: Float64Array.from(spectrum.re), im: Float64Array.from(spectrum.im) };
    const back = irfft3(spectrum, nx);
    assert.deepEqual([back.nz, back.ny, back.nx], [nz, ny, nx]);
    for (let i = 0; i < v.data.length; i++) assert.ok(Math.abs(back.data[i] - v.data[i]) < 1e-6, `${nz}x${ny}x${nx} i=${i}`);
    assert.deepEqual({ re: spectrum.re, im: spectrum.im }, before);
    const consumed = irfft3(spectrum, nx, { consumeInput: true });
    assert.deepEqual(consumed.data, back.data);
  }
});

/**
 * numpy irfftn(H, s=(nz, ny, nx)) by definition: complex inverse DFT over z and y, then irfft along x of
 * the first min(nxHalf, nx/2+1) bins, which takes the real part of bin 0 and (even nx) bin nx/2 and doubles
 * the real part of the others. Together: x = (1/N) sum w(kx) Re(H exp(+i phase)), w = 1 for the
 * self-conjugate bins and 2 otherwise.
 */
function directIrfft3(re: Float64Array, im: Float64Array, nz: number, ny: number, nxHalf: number, nx: number) {
  const used = Math.min(nxHalf, Math.floor(nx / 2) + 1);
  const out = new Float64Array(nz * ny * nx);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        let sum = 0;
        for (let kz = 0; kz < nz; kz++)
          for (let ky = 0; ky < ny; ky++)
            for (let kx = 0; kx < used; kx++) {
              const i = (kz * ny + ky) * nxHalf + kx;
              const weight = kx === 0 || 2 * kx === nx ? 1 : 2;
              const phase = 2 * Math.PI * (((kz * z) % nz) / nz + ((ky * y) % ny) / ny + ((kx * x) % nx) / nx);
              sum += weight * (re[i] * Math.cos(phase) - im[i] * Math.sin(phase));
            }
        out[(z * ny + y) * nx + x] = sum / (nz * ny * nx);
      }
  return out;
}

test('irfft3 of an arbitrary (non-Hermitian) half spectrum follows numpy irfftn, cropping or padding x', () => {
  const cases: [number, number, number, number][] = [
    // nz, ny, nxHalf, requested nx
    [4, 6, 5, 8], // matching even
    [3, 5, 4, 7], // matching odd
    [4, 4, 5, 6], // crop: 4 of 5 bins used, bin 3 is Nyquist
    [4, 4, 3, 10], // pad: bins 3..5 zero
    [2, 3, 4, 5], // crop to odd
  ];
  for (const [nz, ny, nxHalf, nx] of cases) {
    const re = seededValues(nz * ny * nxHalf, nx * 31 + nxHalf);
    const im = seededValues(nz * ny * nxHalf, nx * 37 + nxHalf);
    const out = irfft3({ re, im, nz, ny, nxHalf }, nx);
    const expected = directIrfft3(re, im, nz, ny, nxHalf, nx);
    assert.deepEqual([out.nz, out.ny, out.nx], [nz, ny, nx]);
    for (let i = 0; i < expected.length; i++) {
      assert.ok(Math.abs(out.data[i] - expected[i]) < 1e-6, `${nz}x${ny}x${nxHalf}->${nx} i=${i}`);
    }
  }
});
