/**
 * Pruned 3D transforms between a real cube and the low-frequency block of its half spectrum, the engine
 * of METHOD.md §3 (low-pass and Fourier resampling).
 *
 * A centred block of half-width k holds the frequencies fz, fy in [-k, k-1] and fx in [0, k] of a cube's
 * numpy `rfftn`, i.e. the slice F[n/2-k : n/2+k, n/2-k : n/2+k, 0 : k+1] of the spectrum after `fftshift`
 * over the first two axes. Element (a, b, l) of the 2k x 2k x (k+1) block, at index (a * 2k + b) * (k+1) + l,
 * is frequency (a - k, b - k, l).
 *
 * Only that block is ever computed or read: the x pass keeps k+1 bins, the y pass keeps 2k outputs of each
 * of those columns, and the z pass 2k of each remaining column (and the reverse for the inverse, where the
 * zeros outside the block are never transformed). Working slab by slab also bounds memory: forward holds
 * one n x (k+1) plane and an n x 2k x (k+1) slab, not the whole n^3 spectrum, which matters for the
 * 512^3 and 768^3 inputs that are cropped to the processing size.
 */
import { FftPlan } from './fft.js';
import { centredBins, transformLines } from './lines.js';
import { RealFftPlan } from './real-fft.js';
import { createCube, cubeEdge, type Volume } from '../volume.js';

export interface CentredBlock {
  /** Half-width: frequencies -k .. k-1 on the first two axes, 0 .. k on the last. */
  readonly k: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** Length of a block's arrays: 2k * 2k * (k+1). */
export function blockSize(k: number): number {
  return 4 * k * k * (k + 1);
}

/** The centred block of half-width k (k <= n/2) of rfftn(v), for a cube v of edge n. */
export function forwardCentredBlock(v: Volume, k: number): CentredBlock {
  const n = cubeEdge(v);
  checkHalfWidth(k, n);
  if (k === 0) return { k, re: new Float64Array(0), im: new Float64Array(0) };
  const width = k + 1;
  const edge = 2 * k;
  const rowPlan = new RealFftPlan(n);
  const linePlan = new FftPlan(n);
  const bins = centredBins(n, k);
  const plane = { re: new Float64Array(n * width), im: new Float64Array(n * width), offset: 0, stride: width };
  const slabSize = n * edge * width;
  const slabRe = new Float64Array(slabSize);
  const slabIm = new Float64Array(slabSize);
  for (let z = 0; z < n; z++) {
    for (let y = 0; y < n; y++) rowPlan.forward(v.data, (z * n + y) * n, plane.re, plane.im, y * width, width);
    const slabPlane = { re: slabRe, im: slabIm, offset: z * edge * width, stride: width };
    transformLines(linePlan, 'forward', width, plane, null, slabPlane, bins);
  }
  // In place: the z pass writes the first 2k of n planes of the slab.
  const slab = { re: slabRe, im: slabIm, offset: 0, stride: edge * width };
  transformLines(linePlan, 'forward', edge * width, slab, null, slab, bins);
  const size = blockSize(k);
  return { k, re: slabRe.slice(0, size), im: slabIm.slice(0, size) };
}

/**
 * numpy `irfftn` to an m^3 cube of a half spectrum that is zero except for the centred block (k <= m/2),
 * times `scale`. On the m grid, block frequency f sits at f mod m; as in numpy, the imaginary parts of the
 * x bins 0 and m/2 are ignored after the z and y passes.
 */
export function inverseCentredBlock(block: CentredBlock, m: number, scale = 1): Volume {
  const { k } = block;
  checkHalfWidth(k, m);
  if (m % 2 !== 0) throw new RangeError(`output edge must be even, got ${m}`);
  const out = createCube(m);
  if (k === 0) return out;
  const width = k + 1;
  const edge = 2 * k;
  const rowPlan = new RealFftPlan(m);
  const linePlan = new FftPlan(m);
  const bins = centredBins(m, k);
  const slabRe = new Float64Array(m * edge * width);
  const slabIm = new Float64Array(m * edge * width);
  transformLines(
    linePlan,
    'backward',
    edge * width,
    { re: block.re, im: block.im, offset: 0, stride: edge * width },
    bins,
    { re: slabRe, im: slabIm, offset: 0, stride: edge * width },
    null,
  );
  const plane = { re: new Float64Array(m * width), im: new Float64Array(m * width), offset: 0, stride: width };
  const rowScale = scale / (m * m); // the z and y passes are unnormalised; the row inverse divides by m
  for (let z = 0; z < m; z++) {
    const slabPlane = { re: slabRe, im: slabIm, offset: z * edge * width, stride: width };
    transformLines(linePlan, 'backward', width, slabPlane, bins, plane, null);
    for (let y = 0; y < m; y++) rowPlan.inverse(plane.re, plane.im, y * width, width, out.data, (z * m + y) * m, rowScale);
  }
  return out;
}

function checkHalfWidth(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 0 || 2 * k > n) {
    throw new RangeError(`block half-width must be an integer in [0, ${Math.floor(n / 2)}], got ${k}`);
  }
}
