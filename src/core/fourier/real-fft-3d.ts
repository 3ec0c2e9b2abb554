/**
 * 3D FFT of real volumes with numpy's `rfftn` / `irfftn` conventions.
 *
 * The half spectrum of an nz x ny x nx volume has shape nz x ny x (floor(nx/2) + 1): the last (fastest)
 * axis is halved, nothing is shifted, and frequency (kz, ky, kx) with kz, ky in [0, n) (negative
 * frequencies wrapped) and kx in [0, nx/2] sits at (kz * ny + ky) * nxHalf + kx. Forward is unnormalised;
 * irfft3 divides by nz * ny * nx, so irfft3(rfft3(v), v.nx) == v.
 *
 * Order of passes: forward does the real x pass row by row, then y (per plane) and z on complex data;
 * inverse mirrors it. All work is in float64; only the final real output is rounded to float32.
 * Memory: the half spectrum takes 16 * nz * ny * (nx/2 + 1) bytes (135 MB at 256^3, 1.1 GB at 512^3);
 * low-pass and resampling use the pruned transforms of centred-block.ts instead, which never hold it.
 */
import { FftPlan } from './fft.js';
import { transformLines } from './lines.js';
import { RealFftPlan } from './real-fft.js';
import { createVolume, type Volume } from '../volume.js';

export interface HalfSpectrum {
  readonly re: Float64Array;
  readonly im: Float64Array;
  readonly nz: number;
  readonly ny: number;
  /** Length of the halved last axis, floor(nx/2) + 1 for the nx it came from. */
  readonly nxHalf: number;
}

/** numpy.fft.rfftn(v) for any nz, ny, nx (odd nx too). */
export function rfft3(v: Volume): HalfSpectrum {
  const { nz, ny, nx } = v;
  const rowPlan = new RealFftPlan(nx);
  const nxHalf = rowPlan.bins;
  const planeSize = ny * nxHalf;
  const re = new Float64Array(nz * planeSize);
  const im = new Float64Array(nz * planeSize);
  const yPlan = new FftPlan(ny);
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      rowPlan.forward(v.data, (z * ny + y) * nx, re, im, z * planeSize + y * nxHalf);
    }
    const plane = { re, im, offset: z * planeSize, stride: nxHalf };
    transformLines(yPlan, 'forward', nxHalf, plane, null, plane, null);
  }
  const all = { re, im, offset: 0, stride: planeSize };
  transformLines(new FftPlan(nz), 'forward', planeSize, all, null, all, null);
  return { re, im, nz, ny, nxHalf };
}

export interface Irfft3Options {
  /** Let irfft3 overwrite the spectrum's arrays instead of allocating a working copy (saves memory). */
  readonly consumeInput?: boolean;
}

/**
 * numpy.fft.irfftn(spectrum, s=(nz, ny, nx)): an nz x ny x nx float32 volume. Along the last axis the
 * first min(nxHalf, floor(nx/2) + 1) bins are used (numpy crops or zero-pads to the requested nx), the
 * imaginary parts of bin 0 and (even nx) bin nx/2 are ignored, and the rest is read as half of a
 * Hermitian spectrum. The spectrum is left unchanged unless `consumeInput` is set.
 */
export function irfft3(spectrum: HalfSpectrum, nx: number, options: Irfft3Options = {}): Volume {
  const { nz, ny, nxHalf } = spectrum;
  if (spectrum.re.length !== nz * ny * nxHalf || spectrum.im.length !== nz * ny * nxHalf) {
    throw new RangeError(`half spectrum arrays do not match its shape ${nz}x${ny}x${nxHalf}`);
  }
  const rowPlan = new RealFftPlan(nx);
  const used = Math.min(nxHalf, rowPlan.bins);
  const planeSize = ny * nxHalf;
  const re = options.consumeInput ? spectrum.re : new Float64Array(nz * planeSize);
  const im = options.consumeInput ? spectrum.im : new Float64Array(nz * planeSize);
  // The z pass reads the input and writes the working arrays, so not consuming costs no extra copy.
  transformLines(
    new FftPlan(nz),
    'backward',
    planeSize,
    { re: spectrum.re, im: spectrum.im, offset: 0, stride: planeSize },
    null,
    { re, im, offset: 0, stride: planeSize },
    null,
  );
  const out = createVolume(nz, ny, nx);
  const yPlan = new FftPlan(ny);
  const scale = 1 / (nz * ny);
  for (let z = 0; z < nz; z++) {
    const plane = { re, im, offset: z * planeSize, stride: nxHalf };
    transformLines(yPlan, 'backward', used, plane, null, plane, null);
    for (let y = 0; y < ny; y++) {
      rowPlan.inverse(re, im, z * planeSize + y * nxHalf, used, out.data, (z * ny + y) * nx, scale);
    }
  }
  return out;
}
