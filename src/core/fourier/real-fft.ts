/**
 * 1D FFT of real data (numpy `rfft` / `irfft` conventions), the fastest-axis pass of the 3D transforms.
 *
 * forward: X[k] = sum_t x[t] exp(-2 pi i t k / n) for k = 0 .. floor(n/2)   (unnormalised)
 * inverse: numpy `irfft(X, n)`: X is taken as the non-negative half of a Hermitian spectrum, so the
 *          imaginary parts of X[0] and (n even) X[n/2] are ignored, and x = (1/n) sum over the full
 *          Hermitian extension. Bins not supplied count as zero (numpy's zero-padding).
 *
 * Even n uses the half-length complex trick: z[j] = x[2j] + i x[2j+1] is transformed with an n/2-point
 * complex FFT and split into the even- and odd-sample spectra E and O, X[k] = E[k] + exp(-2 pi i k/n) O[k].
 * That halves the work compared with a complex transform of a real row. Odd n (rare here: boxes are padded
 * to even) simply runs an n-point complex transform.
 */
import { FftPlan } from './fft.js';

export type RealArray = Float32Array | Float64Array;

export class RealFftPlan {
  readonly n: number;
  /** Number of non-redundant bins, floor(n/2) + 1. */
  readonly bins: number;
  private readonly complex: FftPlan;
  private readonly zRe: Float64Array;
  private readonly zIm: Float64Array;
  /** exp(-2 pi i k / n) for k = 0 .. n/2 (even n only). */
  private readonly wRe: Float64Array;
  private readonly wIm: Float64Array;
  /** Zero-padded copy of the bins handed to `inverse`. */
  private readonly xRe: Float64Array;
  private readonly xIm: Float64Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT length must be a positive integer, got ${n}`);
    this.n = n;
    this.bins = Math.floor(n / 2) + 1;
    const even = n % 2 === 0;
    const m = even ? n / 2 : n;
    this.complex = new FftPlan(m);
    this.zRe = new Float64Array(m);
    this.zIm = new Float64Array(m);
    this.wRe = new Float64Array(even ? m + 1 : 0);
    this.wIm = new Float64Array(even ? m + 1 : 0);
    if (even) {
      for (let k = 0; k <= m; k++) {
        this.wRe[k] = Math.cos((-2 * Math.PI * k) / n);
        this.wIm[k] = Math.sin((-2 * Math.PI * k) / n);
      }
    }
    this.xRe = new Float64Array(this.bins);
    this.xIm = new Float64Array(this.bins);
  }

  /**
   * Writes bins 0 .. keep-1 of the DFT of src[srcOffset .. srcOffset + n) to re/im[dstOffset ..].
   * keep <= bins (default: all of them).
   */
  forward(
    src: RealArray,
    srcOffset: number,
    re: Float64Array,
    im: Float64Array,
    dstOffset: number,
    keep: number = this.bins,
  ): void {
    if (keep > this.bins) throw new RangeError(`cannot keep ${keep} of ${this.bins} bins`);
    const { n, zRe, zIm } = this;
    if (n % 2 === 1) {
      for (let t = 0; t < n; t++) zRe[t] = src[srcOffset + t];
      zIm.fill(0);
      this.complex.forward(zRe, zIm);
      for (let k = 0; k < keep; k++) {
        re[dstOffset + k] = zRe[k];
        im[dstOffset + k] = zIm[k];
      }
      return;
    }
    const h = n / 2;
    for (let j = 0; j < h; j++) {
      zRe[j] = src[srcOffset + 2 * j];
      zIm[j] = src[srcOffset + 2 * j + 1];
    }
    this.complex.forward(zRe, zIm);
    if (keep === 0) return;
    re[dstOffset] = zRe[0] + zIm[0];
    im[dstOffset] = 0;
    if (keep > h) {
      re[dstOffset + h] = zRe[0] - zIm[0];
      im[dstOffset + h] = 0;
    }
    const { wRe, wIm } = this;
    const end = Math.min(keep, h);
    for (let k = 1; k < end; k++) {
      const j = h - k;
      // E = (Z[k] + conj Z[h-k]) / 2, O = (Z[k] - conj Z[h-k]) / 2i, X[k] = E + w^k O.
      const zkr = zRe[k];
      const zki = zIm[k];
      const zjr = zRe[j];
      const zji = zIm[j];
      const or = 0.5 * (zki + zji);
      const oi = 0.5 * (zjr - zkr);
      const wr = wRe[k];
      const wi = wIm[k];
      re[dstOffset + k] = 0.5 * (zkr + zjr) + wr * or - wi * oi;
      im[dstOffset + k] = 0.5 * (zki - zji) + wr * oi + wi * or;
    }
  }

  /**
   * numpy `irfft`: reads bins 0 .. count-1 from re/im[srcOffset ..] (the rest are zero; count <= bins),
   * writes the n real samples times `scale` to dst[dstOffset ..].
   */
  inverse(
    re: Float64Array,
    im: Float64Array,
    srcOffset: number,
    count: number,
    dst: RealArray,
    dstOffset: number,
    scale = 1,
  ): void {
    if (count > this.bins) throw new RangeError(`cannot read ${count} of ${this.bins} bins`);
    const { n, zRe, zIm } = this;
    // Read the bins in place when all are given; otherwise from a zero-padded copy.
    let xRe = re;
    let xIm = im;
    let x0 = srcOffset;
    if (count < this.bins) {
      xRe = this.xRe;
      xIm = this.xIm;
      x0 = 0;
      for (let k = 0; k < count; k++) {
        xRe[k] = re[srcOffset + k];
        xIm[k] = im[srcOffset + k];
      }
      xRe.fill(0, count);
      xIm.fill(0, count);
    }
    if (n % 2 === 1) {
      zRe[0] = xRe[x0];
      zIm[0] = 0; // numpy ignores the imaginary part of bin 0
      for (let k = 1; k < this.bins; k++) {
        zRe[k] = xRe[x0 + k];
        zIm[k] = xIm[x0 + k];
        zRe[n - k] = xRe[x0 + k];
        zIm[n - k] = -xIm[x0 + k];
      }
      this.complex.backward(zRe, zIm);
      const s = scale / n;
      for (let t = 0; t < n; t++) dst[dstOffset + t] = zRe[t] * s;
      return;
    }
    const h = n / 2;
    // Bins 0 and h are real (numpy ignores their imaginary parts): Z[0] = E + i O with E, O real.
    const r0 = xRe[x0];
    const rh = xRe[x0 + h];
    zRe[0] = 0.5 * (r0 + rh);
    zIm[0] = 0.5 * (r0 - rh);
    const { wRe, wIm } = this;
    for (let k = 1; k < h; k++) {
      const j = h - k;
      // E = (X[k] + conj X[h-k]) / 2, O = (X[k] - conj X[h-k]) conj(w^k) / 2, Z[k] = E + i O.
      const xkr = xRe[x0 + k];
      const xki = xIm[x0 + k];
      const xjr = xRe[x0 + j];
      const xji = xIm[x0 + j];
      const dr = 0.5 * (xkr - xjr);
      const di = 0.5 * (xki + xji);
      const wr = wRe[k];
      const wi = wIm[k];
      zRe[k] = 0.5 * (xkr + xjr) - (di * wr - dr * wi);
      zIm[k] = 0.5 * (xki - xji) + (dr * wr + di * wi);
    }
    this.complex.backward(zRe, zIm);
    const s = scale / h;
    for (let j = 0; j < h; j++) {
      dst[dstOffset + 2 * j] = zRe[j] * s;
      dst[dstOffset + 2 * j + 1] = zIm[j] * s;
    }
  }
}
