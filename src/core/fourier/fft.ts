/**
 * Complex 1D FFT of any length, in place on split (re, im) Float64Arrays.
 *
 * Convention (numpy's default "backward" normalisation):
 *   forward:  X[k] = sum_t x[t] exp(-2 pi i t k / n)          (unnormalised)
 *   backward: x[t] = sum_k X[k] exp(+2 pi i t k / n)          (unnormalised)
 *   inverse:  backward / n, so inverse(forward(x)) == x.
 *
 * Algorithm: Stockham autosort (self-sorting, no bit reversal) over the factors of n, with hand-written
 * butterflies for radix 2, 3, 4 and 5, a generic butterfly for other odd primes, and Bluestein's chirp-z
 * convolution (through a power-of-two plan) when n has a prime factor larger than GENERIC_RADIX_LIMIT,
 * where the O(p) generic butterfly would cost more than three power-of-two transforms.
 *
 * Twiddles are evaluated directly with cos/sin per entry (no recurrences), so the error stays at a few
 * ulps times log n. A plan owns scratch buffers: it is cheap to reuse and must not be used re-entrantly.
 *
 * The backward transform reuses the forward code by swapping the real and imaginary arrays:
 * swap(z) = i * conj(z), and F(i conj z) = i conj(n F^-1 z), so forward(im, re) == backward(re, im).
 */

/** Largest prime handled by the generic odd butterfly; larger prime factors switch to Bluestein. */
export const GENERIC_RADIX_LIMIT = 47;

interface Stage {
  /** Radix of this pass. */
  readonly radix: number;
  /** Product of the radices of the earlier passes (length of the sub-transforms already done). */
  readonly done: number;
  /** n / (done * radix): number of interleaved sub-sequences still to combine. */
  readonly stride: number;
  /** exp(-2 pi i u k / (done * radix)) at [k * (radix - 1) + u - 1], for k < done, 1 <= u < radix. */
  readonly twRe: Float64Array;
  readonly twIm: Float64Array;
}

export class FftPlan {
  readonly n: number;
  private readonly stages: Stage[];
  private readonly bufARe: Float64Array;
  private readonly bufAIm: Float64Array;
  private readonly bufBRe: Float64Array;
  private readonly bufBIm: Float64Array;
  /** cos/sin(2 pi j / p) and p-long scratch for the generic butterfly (sized for the largest generic radix). */
  private readonly genericCos: Map<number, Float64Array> = new Map();
  private readonly genericSin: Map<number, Float64Array> = new Map();
  private readonly genericRe: Float64Array;
  private readonly genericIm: Float64Array;
  private readonly bluestein: Bluestein | null;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT length must be a positive integer, got ${n}`);
    this.n = n;
    const radices = factorize(n);
    const useBluestein = radices[radices.length - 1] > GENERIC_RADIX_LIMIT;
    this.bluestein = useBluestein ? new Bluestein(n) : null;
    this.stages = useBluestein ? [] : buildStages(n, radices);
    const work = useBluestein ? 0 : n;
    this.bufARe = new Float64Array(work);
    this.bufAIm = new Float64Array(work);
    this.bufBRe = new Float64Array(work);
    this.bufBIm = new Float64Array(work);
    let largestGeneric = 0;
    for (const s of this.stages) {
      if (s.radix > 5 && !this.genericCos.has(s.radix)) {
        const c = new Float64Array(s.radix);
        const si = new Float64Array(s.radix);
        for (let j = 0; j < s.radix; j++) {
          c[j] = Math.cos((2 * Math.PI * j) / s.radix);
          si[j] = Math.sin((2 * Math.PI * j) / s.radix);
        }
        this.genericCos.set(s.radix, c);
        this.genericSin.set(s.radix, si);
        largestGeneric = Math.max(largestGeneric, s.radix);
      }
    }
    this.genericRe = new Float64Array(largestGeneric);
    this.genericIm = new Float64Array(largestGeneric);
  }

  /** Unnormalised forward DFT of re/im[offset .. offset + n), in place. */
  forward(re: Float64Array, im: Float64Array, offset = 0): void {
    if (this.bluestein) this.bluestein.forward(re, im, offset);
    else this.run(re, im, offset);
  }

  /** Unnormalised backward DFT (exponent +), in place: inverse without the 1/n. */
  backward(re: Float64Array, im: Float64Array, offset = 0): void {
    this.forward(im, re, offset);
  }

  /** Inverse DFT (backward / n), in place. */
  inverse(re: Float64Array, im: Float64Array, offset = 0): void {
    this.backward(re, im, offset);
    const s = 1 / this.n;
    const end = offset + this.n;
    for (let i = offset; i < end; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }

  private run(re: Float64Array, im: Float64Array, offset: number): void {
    const stages = this.stages;
    const count = stages.length;
    if (count === 0) return; // n == 1
    // Ping-pong io -> A -> B -> A ... -> io, so the last pass lands in the caller's array without a copy.
    let srcRe = re;
    let srcIm = im;
    let srcOff = offset;
    for (let s = 0; s < count; s++) {
      const last = s === count - 1 && count > 1;
      const useA = s % 2 === 0;
      const dstRe = last ? re : useA ? this.bufARe : this.bufBRe;
      const dstIm = last ? im : useA ? this.bufAIm : this.bufBIm;
      const dstOff = last ? offset : 0;
      this.pass(stages[s], srcRe, srcIm, srcOff, dstRe, dstIm, dstOff);
      srcRe = dstRe;
      srcIm = dstIm;
      srcOff = dstOff;
    }
    if (count === 1) {
      re.set(this.bufARe, offset);
      im.set(this.bufAIm, offset);
    }
  }

  private pass(
    st: Stage,
    xr: Float64Array,
    xi: Float64Array,
    xo: number,
    yr: Float64Array,
    yi: Float64Array,
    yo: number,
  ): void {
    switch (st.radix) {
      case 2:
        return pass2(st.done, st.stride, st.twRe, st.twIm, xr, xi, xo, yr, yi, yo);
      case 3:
        return pass3(st.done, st.stride, st.twRe, st.twIm, xr, xi, xo, yr, yi, yo);
      case 4:
        return pass4(st.done, st.stride, st.twRe, st.twIm, xr, xi, xo, yr, yi, yo);
      case 5:
        return pass5(st.done, st.stride, st.twRe, st.twIm, xr, xi, xo, yr, yi, yo);
      default:
        return passOdd(
          st.radix,
          st.done,
          st.stride,
          st.twRe,
          st.twIm,
          this.genericCos.get(st.radix)!,
          this.genericSin.get(st.radix)!,
          this.genericRe,
          this.genericIm,
          xr,
          xi,
          xo,
          yr,
          yi,
          yo,
        );
    }
  }
}

/** Radices for the Stockham passes: 4s first (fewest passes), then a 2, then odd primes ascending. */
export function factorize(n: number): number[] {
  const out: number[] = [];
  let m = n;
  while (m % 4 === 0) {
    out.push(4);
    m /= 4;
  }
  if (m % 2 === 0) {
    out.push(2);
    m /= 2;
  }
  for (let p = 3; p * p <= m; p += 2) {
    while (m % p === 0) {
      out.push(p);
      m /= p;
    }
  }
  if (m > 1) out.push(m);
  // Keep the list sorted by "difficulty" so the largest prime is last (used to decide on Bluestein).
  return out.sort((a, b) => (a === 4 ? 2 : a) - (b === 4 ? 2 : b));
}

function buildStages(n: number, radices: number[]): Stage[] {
  const stages: Stage[] = [];
  let done = 1;
  for (const radix of radices) {
    const span = done * radix;
    const twRe = new Float64Array(done * (radix - 1));
    const twIm = new Float64Array(done * (radix - 1));
    for (let k = 0; k < done; k++) {
      for (let u = 1; u < radix; u++) {
        // Reduce u*k modulo span before scaling, so the angle is as exact as possible.
        const angle = (-2 * Math.PI * ((u * k) % span)) / span;
        twRe[k * (radix - 1) + u - 1] = Math.cos(angle);
        twIm[k * (radix - 1) + u - 1] = Math.sin(angle);
      }
    }
    stages.push({ radix, done, stride: n / span, twRe, twIm });
    done = span;
  }
  return stages;
}

/*
 * One Stockham decimation-in-time pass. With L = done, s = stride, r = radix * s:
 * the input holds, for every residue c < r, the L-point DFT of x[c + r t] at [k r + c];
 * the pass combines the residues c + s u (u < radix) into the (L radix)-point DFTs of x[c + s t']:
 *   y[(k + L v) s + c] = sum_u omega_radix^(u v) * (w^(u k) * x[k r + u s + c]),  w = exp(-2 pi i / (L radix)).
 */

function pass2(
  L: number,
  s: number,
  twRe: Float64Array,
  twIm: Float64Array,
  xr: Float64Array,
  xi: Float64Array,
  xo: number,
  yr: Float64Array,
  yi: Float64Array,
  yo: number,
): void {
  const r = 2 * s;
  const outStep = L * s;
  for (let k = 0; k < L; k++) {
    const wr = twRe[k];
    const wi = twIm[k];
    const inBase = xo + k * r;
    const outBase = yo + k * s;
    for (let c = 0; c < s; c++) {
      const i0 = inBase + c;
      const i1 = i0 + s;
      const ar = xr[i0];
      const ai = xi[i0];
      const xr1 = xr[i1];
      const xi1 = xi[i1];
      const br = xr1 * wr - xi1 * wi;
      const bi = xr1 * wi + xi1 * wr;
      const o = outBase + c;
      yr[o] = ar + br;
      yi[o] = ai + bi;
      yr[o + outStep] = ar - br;
      yi[o + outStep] = ai - bi;
    }
  }
}

const SIN_60 = Math.sqrt(3) / 2;

function pass3(
  L: number,
  s: number,
  twRe: Float64Array,
  twIm: Float64Array,
  xr: Float64Array,
  xi: Float64Array,
  xo: number,
  yr: Float64Array,
  yi: Float64Array,
  yo: number,
): void {
  const r = 3 * s;
  const outStep = L * s;
  for (let k = 0; k < L; k++) {
    const w1r = twRe[2 * k];
    const w1i = twIm[2 * k];
    const w2r = twRe[2 * k + 1];
    const w2i = twIm[2 * k + 1];
    const inBase = xo + k * r;
    const outBase = yo + k * s;
    for (let c = 0; c < s; c++) {
      const i0 = inBase + c;
      const t0r = xr[i0];
      const t0i = xi[i0];
      let ur = xr[i0 + s];
      let ui = xi[i0 + s];
      const t1r = ur * w1r - ui * w1i;
      const t1i = ur * w1i + ui * w1r;
      ur = xr[i0 + 2 * s];
      ui = xi[i0 + 2 * s];
      const t2r = ur * w2r - ui * w2i;
      const t2i = ur * w2i + ui * w2r;
      const sr = t1r + t2r;
      const si = t1i + t2i;
      // -i * sin60 * (t1 - t2)
      const dr = SIN_60 * (t1i - t2i);
      const di = -SIN_60 * (t1r - t2r);
      const mr = t0r - 0.5 * sr;
      const mi = t0i - 0.5 * si;
      const o = outBase + c;
      yr[o] = t0r + sr;
      yi[o] = t0i + si;
      yr[o + outStep] = mr + dr;
      yi[o + outStep] = mi + di;
      yr[o + 2 * outStep] = mr - dr;
      yi[o + 2 * outStep] = mi - di;
    }
  }
}

function pass4(
  L: number,
  s: number,
  twRe: Float64Array,
  twIm: Float64Array,
  xr: Float64Array,
  xi: Float64Array,
  xo: number,
  yr: Float64Array,
  yi: Float64Array,
  yo: number,
): void {
  const r = 4 * s;
  const outStep = L * s;
  for (let k = 0; k < L; k++) {
    const w1r = twRe[3 * k];
    const w1i = twIm[3 * k];
    const w2r = twRe[3 * k + 1];
    const w2i = twIm[3 * k + 1];
    const w3r = twRe[3 * k + 2];
    const w3i = twIm[3 * k + 2];
    const inBase = xo + k * r;
    const outBase = yo + k * s;
    for (let c = 0; c < s; c++) {
      const i0 = inBase + c;
      const t0r = xr[i0];
      const t0i = xi[i0];
      let ur = xr[i0 + s];
      let ui = xi[i0 + s];
      const t1r = ur * w1r - ui * w1i;
      const t1i = ur * w1i + ui * w1r;
      ur = xr[i0 + 2 * s];
      ui = xi[i0 + 2 * s];
      const t2r = ur * w2r - ui * w2i;
      const t2i = ur * w2i + ui * w2r;
      ur = xr[i0 + 3 * s];
      ui = xi[i0 + 3 * s];
      const t3r = ur * w3r - ui * w3i;
      const t3i = ur * w3i + ui * w3r;
      const ar = t0r + t2r;
      const ai = t0i + t2i;
      const br = t0r - t2r;
      const bi = t0i - t2i;
      const cr = t1r + t3r;
      const ci = t1i + t3i;
      const dr = t1r - t3r;
      const di = t1i - t3i;
      const o = outBase + c;
      yr[o] = ar + cr;
      yi[o] = ai + ci;
      yr[o + outStep] = br + di; // b - i d
      yi[o + outStep] = bi - dr;
      yr[o + 2 * outStep] = ar - cr;
      yi[o + 2 * outStep] = ai - ci;
      yr[o + 3 * outStep] = br - di; // b + i d
      yi[o + 3 * outStep] = bi + dr;
    }
  }
}

const C1_5 = Math.cos((2 * Math.PI) / 5);
const C2_5 = Math.cos((4 * Math.PI) / 5);
const S1_5 = Math.sin((2 * Math.PI) / 5);
const S2_5 = Math.sin((4 * Math.PI) / 5);

function pass5(
  L: number,
  s: number,
  twRe: Float64Array,
  twIm: Float64Array,
  xr: Float64Array,
  xi: Float64Array,
  xo: number,
  yr: Float64Array,
  yi: Float64Array,
  yo: number,
): void {
  const r = 5 * s;
  const outStep = L * s;
  for (let k = 0; k < L; k++) {
    const w1r = twRe[4 * k];
    const w1i = twIm[4 * k];
    const w2r = twRe[4 * k + 1];
    const w2i = twIm[4 * k + 1];
    const w3r = twRe[4 * k + 2];
    const w3i = twIm[4 * k + 2];
    const w4r = twRe[4 * k + 3];
    const w4i = twIm[4 * k + 3];
    const inBase = xo + k * r;
    const outBase = yo + k * s;
    for (let c = 0; c < s; c++) {
      const i0 = inBase + c;
      const t0r = xr[i0];
      const t0i = xi[i0];
      let ur = xr[i0 + s];
      let ui = xi[i0 + s];
      const t1r = ur * w1r - ui * w1i;
      const t1i = ur * w1i + ui * w1r;
      ur = xr[i0 + 2 * s];
      ui = xi[i0 + 2 * s];
      const t2r = ur * w2r - ui * w2i;
      const t2i = ur * w2i + ui * w2r;
      ur = xr[i0 + 3 * s];
      ui = xi[i0 + 3 * s];
      const t3r = ur * w3r - ui * w3i;
      const t3i = ur * w3i + ui * w3r;
      ur = xr[i0 + 4 * s];
      ui = xi[i0 + 4 * s];
      const t4r = ur * w4r - ui * w4i;
      const t4i = ur * w4i + ui * w4r;
      const a1r = t1r + t4r;
      const a1i = t1i + t4i;
      const b1r = t1r - t4r;
      const b1i = t1i - t4i;
      const a2r = t2r + t3r;
      const a2i = t2i + t3i;
      const b2r = t2r - t3r;
      const b2i = t2i - t3i;
      // y1,4 = t0 + c1 a1 + c2 a2 -/+ i (s1 b1 + s2 b2);  y2,3 = t0 + c2 a1 + c1 a2 -/+ i (s2 b1 - s1 b2)
      const p1r = t0r + C1_5 * a1r + C2_5 * a2r;
      const p1i = t0i + C1_5 * a1i + C2_5 * a2i;
      const q1r = S1_5 * b1r + S2_5 * b2r;
      const q1i = S1_5 * b1i + S2_5 * b2i;
      const p2r = t0r + C2_5 * a1r + C1_5 * a2r;
      const p2i = t0i + C2_5 * a1i + C1_5 * a2i;
      const q2r = S2_5 * b1r - S1_5 * b2r;
      const q2i = S2_5 * b1i - S1_5 * b2i;
      const o = outBase + c;
      yr[o] = t0r + a1r + a2r;
      yi[o] = t0i + a1i + a2i;
      yr[o + outStep] = p1r + q1i;
      yi[o + outStep] = p1i - q1r;
      yr[o + 2 * outStep] = p2r + q2i;
      yi[o + 2 * outStep] = p2i - q2r;
      yr[o + 3 * outStep] = p2r - q2i;
      yi[o + 3 * outStep] = p2i + q2r;
      yr[o + 4 * outStep] = p1r - q1i;
      yi[o + 4 * outStep] = p1i + q1r;
    }
  }
}

/** Generic odd radix p: pairs u and p-u share cosines and sines, halving the O(p^2) work. */
function passOdd(
  p: number,
  L: number,
  s: number,
  twRe: Float64Array,
  twIm: Float64Array,
  cos: Float64Array,
  sin: Float64Array,
  tr: Float64Array,
  ti: Float64Array,
  xr: Float64Array,
  xi: Float64Array,
  xo: number,
  yr: Float64Array,
  yi: Float64Array,
  yo: number,
): void {
  const r = p * s;
  const outStep = L * s;
  const half = (p - 1) / 2;
  for (let k = 0; k < L; k++) {
    const twBase = k * (p - 1) - 1;
    const inBase = xo + k * r;
    const outBase = yo + k * s;
    for (let c = 0; c < s; c++) {
      const i0 = inBase + c;
      tr[0] = xr[i0];
      ti[0] = xi[i0];
      let sumR = tr[0];
      let sumI = ti[0];
      for (let u = 1; u < p; u++) {
        const ur = xr[i0 + u * s];
        const ui = xi[i0 + u * s];
        const wr = twRe[twBase + u];
        const wi = twIm[twBase + u];
        tr[u] = ur * wr - ui * wi;
        ti[u] = ur * wi + ui * wr;
      }
      // Replace t[u], t[p-u] by their sum a_u and difference b_u.
      for (let u = 1; u <= half; u++) {
        const ar = tr[u] + tr[p - u];
        const ai = ti[u] + ti[p - u];
        tr[p - u] = tr[u] - tr[p - u];
        ti[p - u] = ti[u] - ti[p - u];
        tr[u] = ar;
        ti[u] = ai;
        sumR += ar;
        sumI += ai;
      }
      const o = outBase + c;
      yr[o] = sumR;
      yi[o] = sumI;
      for (let v = 1; v <= half; v++) {
        let aR = tr[0];
        let aI = ti[0];
        let bR = 0;
        let bI = 0;
        let idx = 0;
        for (let u = 1; u <= half; u++) {
          idx += v;
          if (idx >= p) idx -= p;
          const cv = cos[idx];
          const sv = sin[idx];
          aR += tr[u] * cv;
          aI += ti[u] * cv;
          bR += tr[p - u] * sv;
          bI += ti[p - u] * sv;
        }
        // y_v = A - i B, y_{p-v} = A + i B
        yr[o + v * outStep] = aR + bI;
        yi[o + v * outStep] = aI - bR;
        yr[o + (p - v) * outStep] = aR - bI;
        yi[o + (p - v) * outStep] = aI + bR;
      }
    }
  }
}

/**
 * Bluestein's algorithm: with w_j = exp(-pi i j^2 / n), t k = (t^2 + k^2 - (k - t)^2) / 2 gives
 * X_k = w_k * sum_t (x_t w_t) conj(w_{k-t}), a linear convolution evaluated as a circular one of
 * power-of-two length m >= 2n - 1.
 */
class Bluestein {
  private readonly n: number;
  private readonly m: number;
  private readonly inner: FftPlan;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(n: number) {
    this.n = n;
    let m = 1;
    while (m < 2 * n - 1) m *= 2;
    this.m = m;
    this.inner = new FftPlan(m);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      // j^2 mod 2n keeps the angle small and exact (j^2 < 2^53 for any n we meet).
      const angle = (-Math.PI * ((j * j) % (2 * n))) / n;
      this.chirpRe[j] = Math.cos(angle);
      this.chirpIm[j] = Math.sin(angle);
    }
    this.kernelRe = new Float64Array(m);
    this.kernelIm = new Float64Array(m);
    for (let j = 0; j < n; j++) {
      this.kernelRe[j] = this.chirpRe[j];
      this.kernelIm[j] = -this.chirpIm[j];
      if (j > 0) {
        this.kernelRe[m - j] = this.chirpRe[j];
        this.kernelIm[m - j] = -this.chirpIm[j];
      }
    }
    this.inner.forward(this.kernelRe, this.kernelIm);
    this.workRe = new Float64Array(m);
    this.workIm = new Float64Array(m);
  }

  forward(re: Float64Array, im: Float64Array, offset: number): void {
    const { n, m, chirpRe, chirpIm, kernelRe, kernelIm, workRe, workIm } = this;
    for (let t = 0; t < n; t++) {
      const xr = re[offset + t];
      const xi = im[offset + t];
      workRe[t] = xr * chirpRe[t] - xi * chirpIm[t];
      workIm[t] = xr * chirpIm[t] + xi * chirpRe[t];
    }
    workRe.fill(0, n);
    workIm.fill(0, n);
    this.inner.forward(workRe, workIm);
    for (let j = 0; j < m; j++) {
      const ar = workRe[j];
      const ai = workIm[j];
      workRe[j] = ar * kernelRe[j] - ai * kernelIm[j];
      workIm[j] = ar * kernelIm[j] + ai * kernelRe[j];
    }
    this.inner.backward(workRe, workIm);
    const scale = 1 / m;
    for (let k = 0; k < n; k++) {
      const ar = workRe[k] * scale;
      const ai = workIm[k] * scale;
      re[offset + k] = ar * chirpRe[k] - ai * chirpIm[k];
      im[offset + k] = ar * chirpIm[k] + ai * chirpRe[k];
    }
  }
}
