/**
 * Complex FFTs along a strided axis of a 3D array (the y and z passes of the 3D transforms).
 *
 * Why gather/scatter instead of strided butterflies: along y or z, consecutive elements of one line are a
 * whole row or plane apart, so a strided FFT touches one value per cache line. Adjacent lines, however,
 * are adjacent in memory. We therefore copy a tile of up to TILE adjacent lines, row by row (contiguous
 * runs), into a small scratch in the FFT plan's batch layout (element j of line l at
 * j * width + l), transform the whole tile with one batched call, and copy it back the same way. The
 * scratch stays in cache, and the batch shares twiddles and loop overhead across the tile.
 *
 * The same copy step crops or zero-pads in frequency for free: the source may hold only some of the FFT's
 * input positions (the rest are zero), and only some outputs may be stored. That is what the centred-block
 * transforms of low-pass and resampling need.
 */
import type { FftPlan } from './fft.js';

/** Adjacent lines in split-complex storage: element j of line c is at offset + c + j * stride. */
export interface LineBundle {
  readonly re: Float64Array;
  readonly im: Float64Array;
  readonly offset: number;
  readonly stride: number;
}

/**
 * Lines per tile. Measured on the target machine (256- and 512-point lines): 4 beats 1 (no batching) by
 * 10-40 % and 8-32 by 10-60 %: a 4-wide tile keeps the plan's buffers in L1/L2, while the partly used cache
 * lines of the source are still cached when the next tile reads their other half.
 */
export const TILE = 4;

/**
 * Transforms `count` adjacent lines of length plan.n (unnormalised, forward or backward).
 *
 * - srcBins: null when src holds all n input positions; otherwise src element j is FFT input position
 *   srcBins[j] and every other position is zero.
 * - dstBins: null to store all n outputs; otherwise dst element j receives FFT output dstBins[j].
 *
 * src and dst may be the same storage (in place): each tile is fully read before it is written.
 */
export function transformLines(
  plan: FftPlan,
  direction: 'forward' | 'backward',
  count: number,
  src: LineBundle,
  srcBins: Int32Array | null,
  dst: LineBundle,
  dstBins: Int32Array | null,
): void {
  const n = plan.n;
  const tile = Math.min(TILE, count);
  const scratchRe = new Float64Array(tile * n);
  const scratchIm = new Float64Array(tile * n);
  const srcLength = srcBins ? srcBins.length : n;
  const dstLength = dstBins ? dstBins.length : n;
  const { re: sRe, im: sIm, stride: sStride } = src;
  const { re: dRe, im: dIm, stride: dStride } = dst;
  for (let c0 = 0; c0 < count; c0 += tile) {
    const width = Math.min(tile, count - c0);
    if (srcBins) {
      scratchRe.fill(0, 0, width * n);
      scratchIm.fill(0, 0, width * n);
    }
    for (let j = 0; j < srcLength; j++) {
      const from = src.offset + c0 + j * sStride;
      const to = (srcBins ? srcBins[j] : j) * width;
      for (let t = 0; t < width; t++) {
        scratchRe[to + t] = sRe[from + t];
        scratchIm[to + t] = sIm[from + t];
      }
    }
    if (direction === 'forward') plan.forward(scratchRe, scratchIm, 0, width);
    else plan.backward(scratchRe, scratchIm, 0, width);
    for (let j = 0; j < dstLength; j++) {
      const to = dst.offset + c0 + j * dStride;
      const from = (dstBins ? dstBins[j] : j) * width;
      for (let t = 0; t < width; t++) {
        dRe[to + t] = scratchRe[from + t];
        dIm[to + t] = scratchIm[from + t];
      }
    }
  }
}

/**
 * FFT positions of the 2k frequencies -k .. k-1 in ascending order (fftshift order when 2k == n):
 * frequency f sits at position f mod n.
 */
export function centredBins(n: number, k: number): Int32Array {
  if (2 * k > n) throw new RangeError(`cannot take ${2 * k} centred frequencies of ${n}`);
  const bins = new Int32Array(2 * k);
  for (let i = 0; i < 2 * k; i++) bins[i] = (i - k + n) % n;
  return bins;
}
