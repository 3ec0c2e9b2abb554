/**
 * Complex 1D FFT of any length, in place on split (re, im) Float64Arrays.
 *
 * Convention (numpy's default "backward" normalisation):
 *   forward:  X[k] = sum_t x[t] exp(-2 pi i t k / n)          (unnormalised)
 *   backward: x[t] = sum_k X[k] exp(+2 pi i t k / n)          (unnormalised)
 *   inverse:  backward / n, so inverse(forward(x)) == x.
 *
 * Algorithm: Stockham autosort (self-sorting, no bit reversal) over the factors of n, with hand-written
 * butterflies for radix 2, 3, 4, 5 and 8, a generic butterfly for other odd primes, and Bluestein's chirp-z
 * convolution (through a power-of-two plan) when n has a prime factor larger than GENERIC_RADIX_LIMIT,
 * where the O(p) generic butterfly would cost more than three power-of-two transforms.
 *
 * Twiddles are evaluated directly with cos/sin per entry (no recurrences), so the error stays at a few
 * ulps times log n. A plan owns scratch buffers: it is cheap to reuse and must not be used re-entrantly.
 *
 * Batches: every method takes an optional `batch` b and then transforms b interleaved lines at once, element
 * j of line l being at offset + j * b + l. In the Stockham passes this is free: the butterflies' innermost
 * loop over contiguous sub-sequences simply becomes b times longer, so the twiddles and loop overhead are
 * shared by the whole batch. The 3D code copies tiles of adjacent lines into this layout (see lines.ts).
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
  /** Ping-pong work buffers, grown to n * batch on demand. */
  private bufARe = new Float64Array(0);
  private bufAIm = new Float64Array(0);
  private bufBRe = new Float64Array(0);
  private bufBIm = new Float64Array(0);
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
    const useBluestein = Math.max(1, ...radices) > GENERIC_RADIX_LIMIT;
    this.bluestein = useBluestein ? new Bluestein(n) : null;
    this.stages = useBluestein ? [] : buildStages(n, radices);
    let largestGeneric = 0;
    for (const s of this.stages) {
      if (s.radix > 5 && s.radix !== 8 && !this.genericCos.has(s.radix)) {
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

  /** Unnormalised forward DFT of re/im[offset .. offset + n * batch) (batch interleaved lines), in place. */
  forward(re: Float64Array, im: Float64Array, offset = 0, batch = 1): void {
    if (this.bluestein) this.bluestein.forward(re, im, offset, batch);
    else this.run(re, im, offset, batch);
  }

  /** Unnormalised backward DFT (exponent +), in place: inverse without the 1/n. */
  backward(re: Float64Array, im: Float64Array, offset = 0, batch = 1): void {
    this.forward(im, re, offset, batch);
  }

  /** Inverse DFT (backward / n), in place. */
  inverse(re: Float64Array, im: Float64Array, offset = 0, batch = 1): void {
    this.backward(re, im, offset, batch);
    const s = 1 / this.n;
    const end = offset + this.n * batch;
    for (let i = offset; i < end; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }

  private run(re: Float64Array, im: Float64Array, offset: number, batch: number): void {
    const stages = this.stages;
    const count = stages.length;
    if (count === 0) return; // n == 1
    const size = this.n * batch;
    if (this.bufARe.length < size) {
      this.bufARe = new Float64Array(size);
      this.bufAIm = new Float64Array(size);
      this.bufBRe = new Float64Array(count > 2 ? size : 0);
      this.bufBIm = new Float64Array(count > 2 ? size : 0);
    }
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
      this.pass(stages[s], batch, srcRe, srcIm, srcOff, dstRe, dstIm, dstOff);
      srcRe = dstRe;
      srcIm = dstIm;
      srcOff = dstOff;
    }
    if (count === 1) {
      re.set(this.bufARe.subarray(0, size), offset);
      im.set(this.bufAIm.subarray(0, size), offset);
    }
  }

  private pass(
    st: Stage,
    batch: number,
    xr: Float64Array,
    xi: Float64Array,
    xo: number,
    yr: Float64Array,
    yi: Float64Array,
    yo: number,
  ): void {
    const stride = st.stride * batch;
    switch (st.radix) {
      case 2:
        return pass2(st.done, stride, st.twRe, st.twIm, xr, xi, xo, yr, yi, yo);
      case 3:
        return pass3(st.done, stride, st.twRe, st.twIm, xr, xi, xo, yr, yi, yo);
      case 4:
        return pass4(st.done, stride, st.twRe, st.twIm, xr, xi, xo, yr, yi, yo);
      case 8:
        return pass8(st.done, stride, st.twRe, st.twIm, xr, xi, xo, yr, yi, yo);
      case 5:
        return pass5(st.done, stride, st.twRe, st.twIm, xr, xi, xo, yr, yi, yo);
      default:
        return passOdd(
          st.radix,
          st.done,
          stride,
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

/**
 * Radices for the Stockham passes: powers of two as 8s (fewest passes) with any leftover 2 or 4 first,
 * where the first pass's trivial twiddles and long inner loops make the cheaper radix cheapest; then the
 * odd primes ascending.
 */
export function factorize(n: number): number[] {
  const out: number[] = [];
  let m = n;
  let twos = 0;
  while (m % 2 === 0) {
    twos++;
    m /= 2;
  }
  if (twos % 3 === 1) out.push(2);
  if (twos % 3 === 2) out.push(4);
  for (let i = 0; i < Math.floor(twos / 3); i++) out.push(8);
  for (let p = 3; p * p <= m; p += 2) {
    while (m % p === 0) {
      out.push(p);
      m /= p;
    }
  }
  if (m > 1) out.push(m);
  return out;
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

const SQRT1_2 = Math.SQRT1_2;

function pass8(
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
  const r = 8 * s;
  const outStep = L * s;
  for (let k = 0; k < L; k++) {
    const tw = 7 * k;
    const w1r = twRe[tw];
    const w1i = twIm[tw];
    const w2r = twRe[tw + 1];
    const w2i = twIm[tw + 1];
    const w3r = twRe[tw + 2];
    const w3i = twIm[tw + 2];
    const w4r = twRe[tw + 3];
    const w4i = twIm[tw + 3];
    const w5r = twRe[tw + 4];
    const w5i = twIm[tw + 4];
    const w6r = twRe[tw + 5];
    const w6i = twIm[tw + 5];
    const w7r = twRe[tw + 6];
    const w7i = twIm[tw + 6];
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
      ur = xr[i0 + 5 * s];
      ui = xi[i0 + 5 * s];
      const t5r = ur * w5r - ui * w5i;
      const t5i = ur * w5i + ui * w5r;
      ur = xr[i0 + 6 * s];
      ui = xi[i0 + 6 * s];
      const t6r = ur * w6r - ui * w6i;
      const t6i = ur * w6i + ui * w6r;
      ur = xr[i0 + 7 * s];
      ui = xi[i0 + 7 * s];
      const t7r = ur * w7r - ui * w7i;
      const t7i = ur * w7i + ui * w7r;
      // 4-point DFT of the even inputs t0, t2, t4, t6 -> e0..e3.
      const a0r = t0r + t4r;
      const a0i = t0i + t4i;
      const a1r = t0r - t4r;
      const a1i = t0i - t4i;
      const a2r = t2r + t6r;
      const a2i = t2i + t6i;
      const a3r = t2r - t6r;
      const a3i = t2i - t6i;
      const e0r = a0r + a2r;
      const e0i = a0i + a2i;
      const e2r = a0r - a2r;
      const e2i = a0i - a2i;
      const e1r = a1r + a3i; // a1 - i a3
      const e1i = a1i - a3r;
      const e3r = a1r - a3i; // a1 + i a3
      const e3i = a1i + a3r;
      // 4-point DFT of the odd inputs t1, t3, t5, t7 -> o0..o3.
      const b0r = t1r + t5r;
      const b0i = t1i + t5i;
      const b1r = t1r - t5r;
      const b1i = t1i - t5i;
      const b2r = t3r + t7r;
      const b2i = t3i + t7i;
      const b3r = t3r - t7r;
      const b3i = t3i - t7i;
      const o0r = b0r + b2r;
      const o0i = b0i + b2i;
      const o2r = b0r - b2r;
      const o2i = b0i - b2i;
      const o1r = b1r + b3i;
      const o1i = b1i - b3r;
      const o3r = b1r - b3i;
      const o3i = b1i + b3r;
      // Multiply o_v by w8^v: w8 = (1 - i)/sqrt2, w8^2 = -i, w8^3 = -(1 + i)/sqrt2.
      const p1r = SQRT1_2 * (o1r + o1i);
      const p1i = SQRT1_2 * (o1i - o1r);
      const p2r = o2i;
      const p2i = -o2r;
      const p3r = SQRT1_2 * (o3i - o3r);
      const p3i = -SQRT1_2 * (o3r + o3i);
      const o = outBase + c;
      yr[o] = e0r + o0r;
      yi[o] = e0i + o0i;
      yr[o + outStep] = e1r + p1r;
      yi[o + outStep] = e1i + p1i;
      yr[o + 2 * outStep] = e2r + p2r;
      yi[o + 2 * outStep] = e2i + p2i;
      yr[o + 3 * outStep] = e3r + p3r;
      yi[o + 3 * outStep] = e3i + p3i;
      yr[o + 4 * outStep] = e0r - o0r;
      yi[o + 4 * outStep] = e0i - o0i;
      yr[o + 5 * outStep] = e1r - p1r;
      yi[o + 5 * outStep] = e1i - p1i;
      yr[o + 6 * outStep] = e2r - p2r;
      yi[o + 6 * outStep] = e2i - p2i;
      yr[o + 7 * outStep] = e3r - p3r;
      yi[o + 7 * outStep] = e3i - p3i;
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

  forward(re: Float64Array, im: Float64Array, offset: number, batch: number): void {
    for (let line = 0; line < batch; line++) this.forwardLine(re, im, offset + line, batch);
  }

  /** One line whose element j is at offset + j * step. */
  private forwardLine(re: Float64Array, im: Float64Array, offset: number, step: number): void {
    const { n, m, chirpRe, chirpIm, kernelRe, kernelIm, workRe, workIm } = this;
    for (let t = 0; t < n; t++) {
      const xr = re[offset + t * step];
      const xi = im[offset + t * step];
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
      re[offset + k * step] = ar * chirpRe[k] - ai * chirpIm[k];
      im[offset + k * step] = ar * chirpIm[k] + ai * chirpRe[k];
    }
  }
}
