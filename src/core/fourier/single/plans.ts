/**
 * One-dimensional FFTs in IEEE single precision, rounding exactly as the reference's FFT library does.
 *
 * The reference (OccuPy, METHOD.md §3) transforms float32 maps with `scipy.fft`, whose backend is pocketfft
 * (C++, M. Reinecke and P. Bell, BSD-3-Clause) computing in float32. Some of the reference's results depend on
 * the last bit of those float32 values: the confidence curve of METHOD.md §7.6 is built from a 1000-bin
 * histogram whose edges are the minimum and maximum of the low-passed map, and its monotone pass amplifies a
 * one-ulp change of an edge, or one voxel changing bin, into confidence differences of up to 0.25. Reproducing
 * the reference therefore needs the same float32 roundings, not just an accurate transform.
 *
 * This module follows pocketfft's algorithms operation by operation: the same factorisation (complex: radix 8,
 * then 4, then 2 moved to the front, then odd factors; real: radix 4, then 2 moved to the front, then odd), the
 * same butterflies with the same evaluation order, twiddle factors computed in double precision the way
 * pocketfft's `sincos_2pibyn` does and rounded to float32 once, and the normalisation applied as a final float32
 * multiplication. Every arithmetic result is rounded with `Math.fround`; a float32 sum, difference or product
 * computed in double and rounded once equals the float32 operation, so the results are bit-identical as long
 * as the reference was built without fused multiply-add contraction (true of x86-64 builds of SciPy).
 *
 * Supported: every length the reference transforms with its FFTPACK-style passes rather than Bluestein's
 * algorithm, as a complex and as a real transform (`referenceUsesBluestein`: always below 50 and when the
 * largest prime factor p has p² <= n, otherwise by pocketfft's cost estimate) — all lengths with only the
 * factors 2, 3 and 5, and 224, 226, 352, 416, 448, 88, 104, 110 ….
 * The passes: complex radix 2, 3, 4, 5, 8 and real 2, 3, 4, 5 in ./small-passes.ts; complex 7, 11 and the
 * generic one for larger primes, and the real generic one for primes from 7, in ./odd-passes.ts. Other lengths
 * are rejected; `supportsSinglePrecision` tells the caller beforehand.
 *
 * Complex data are interleaved `[re0, im0, re1, im1, ...]` in a Float32Array.
 */

import { passOdd, radbg, radfg } from './odd-passes.js';
import { pass2, pass3, pass4, pass5, pass8, radb2, radb3, radb4, radb5, radf2, radf3, radf4, radf5 } from './small-passes.js';
import { scalarArith, specialMul as specialMulCx, type Cx } from './arith.js';

const f = Math.fround;

/** The largest prime factor of a positive integer (1 for 1). */
export function largestPrimeFactor(n: number): number {
  let m = n;
  let largest = 1;
  for (let d = 2; d * d <= m; d += d === 2 ? 1 : 2) {
    while (m % d === 0) {
      largest = d;
      m /= d;
    }
  }
  return m > 1 ? m : largest;
}

/** pocketfft's `util::cost_guess`: its estimate of the work of an FFTPACK-style transform of length n. */
function costGuess(n: number): number {
  const lfp = 1.1; // pocketfft's penalty for factors without a hard-coded pass
  const ni = n;
  let result = 0;
  while (n % 2 === 0) {
    result += 2;
    n /= 2;
  }
  for (let x = 3; x * x <= n; x += 2) {
    while (n % x === 0) {
      result += x <= 5 ? x : lfp * x;
      n /= x;
    }
  }
  if (n > 1) result += n <= 5 ? n : lfp * n;
  return result * ni;
}

/** The smallest length at least n with no prime factor above 11 (pocketfft's `good_size_cmplx`). */
export function goodSizeComplex(n: number): number {
  for (let m = n; ; m++) {
    let r = m;
    for (const p of [2, 3, 5, 7, 11]) while (r % p === 0) r /= p;
    if (r === 1) return m;
  }
}

/**
 * Whether the reference's pocketfft transforms length n with Bluestein's algorithm rather than its
 * FFTPACK-style passes (`pocketfft_c` for complex, `pocketfft_r` for real transforms): never below 50 or when
 * the largest prime factor p has p² <= n; otherwise when its cost estimate says Bluestein is cheaper.
 */
export function referenceUsesBluestein(n: number, real: boolean): boolean {
  const p = n < 50 ? 0 : largestPrimeFactor(n);
  if (p * p <= n) return false;
  const direct = (real ? 0.5 : 1) * costGuess(n);
  let bluestein = 2 * costGuess(goodSizeComplex(2 * n - 1));
  bluestein *= 1.5; // pocketfft's own fudge factor
  return bluestein < direct;
}

/**
 * True when `n` is a positive integer: every length is transformed as the reference does, with its
 * FFTPACK-style passes or, where its cost estimate says so (`referenceUsesBluestein`), Bluestein's algorithm.
 */
export function supportsSinglePrecision(n: number): boolean {
  return Number.isInteger(n) && n >= 1;
}

function requireSupported(n: number): void {
  if (!supportsSinglePrecision(n)) {
    throw new RangeError(`FFT length must be a positive integer, got ${n}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Twiddle factors

/** pi / 4 as a double-double (hi + lo), to form pi / (4 n) correctly rounded as pocketfft does in long double. */
const QUARTER_PI_HI = 0.7853981633974483;
const QUARTER_PI_LO = 3.061616997868383e-17;

/** Splits a double for Dekker's exact product. */
function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
}

/** `pi / (4 n)` rounded once to double (up to a remote double-rounding case of the reference's long double). */
export function quarterPiOver(n: number): number {
  const q = QUARTER_PI_HI / n;
  // Exact residual QUARTER_PI_HI - q * n via Dekker's two-product.
  const p = q * n;
  const [qh, ql] = split(q);
  const [nh, nl] = split(n);
  const pErr = qh * nh - p + qh * nl + ql * nh + ql * nl;
  const residual = QUARTER_PI_HI - p - pErr + QUARTER_PI_LO;
  return q + residual / n;
}

/**
 * The complex exponentials `exp(2 pi i k / n)`, `k = 0 … n-1`, as pocketfft's `sincos_2pibyn` returns them to a
 * float32 plan: each octant-reduced angle's cosine and sine in double, combined from two short tables with one
 * double complex product, and rounded to float32.
 */
export class TwiddleTable {
  private readonly n: number;
  private readonly mask: number;
  private readonly shift: number;
  private readonly v1: Float64Array;
  private readonly v2: Float64Array;

  constructor(n: number) {
    this.n = n;
    const ang = quarterPiOver(n);
    const nval = Math.floor((n + 2) / 2);
    let shift = 1;
    while ((1 << shift) * (1 << shift) < nval) shift++;
    this.shift = shift;
    this.mask = (1 << shift) - 1;
    const size1 = this.mask + 1;
    this.v1 = new Float64Array(2 * size1);
    this.v1[0] = 1;
    for (let i = 1; i < size1; i++) this.calc(i, ang, this.v1, i);
    const size2 = Math.floor((nval + this.mask) / (this.mask + 1));
    this.v2 = new Float64Array(2 * size2);
    this.v2[0] = 1;
    for (let i = 1; i < size2; i++) this.calc(i * (this.mask + 1), ang, this.v2, i);
  }

  /** cos and sin of `2 pi x / n` by octant symmetry, into `out[2 at], out[2 at + 1]`. */
  private calc(x: number, ang: number, out: Float64Array, at: number): void {
    const n = this.n;
    let re: number;
    let im: number;
    x *= 8;
    if (x < 4 * n) {
      if (x < 2 * n) {
        if (x < n) [re, im] = [Math.cos(x * ang), Math.sin(x * ang)];
        else [re, im] = [Math.sin((2 * n - x) * ang), Math.cos((2 * n - x) * ang)];
      } else {
        x -= 2 * n;
        if (x < n) [re, im] = [-Math.sin(x * ang), Math.cos(x * ang)];
        else [re, im] = [-Math.cos((2 * n - x) * ang), Math.sin((2 * n - x) * ang)];
      }
    } else {
      x = 8 * n - x;
      if (x < 2 * n) {
        if (x < n) [re, im] = [Math.cos(x * ang), -Math.sin(x * ang)];
        else [re, im] = [Math.sin((2 * n - x) * ang), -Math.cos((2 * n - x) * ang)];
      } else {
        x -= 2 * n;
        if (x < n) [re, im] = [-Math.sin(x * ang), -Math.cos(x * ang)];
        else [re, im] = [-Math.cos((2 * n - x) * ang), -Math.sin((2 * n - x) * ang)];
      }
    }
    out[2 * at] = re;
    out[2 * at + 1] = im;
  }

  /** Real part of `exp(2 pi i idx / n)` in float32. */
  re(idx: number): number {
    const j = 2 * idx <= this.n ? idx : this.n - idx;
    const a = 2 * (j & this.mask);
    const b = 2 * (j >> this.shift);
    return f(this.v1[a] * this.v2[b] - this.v1[a + 1] * this.v2[b + 1]);
  }

  /** Imaginary part of `exp(2 pi i idx / n)` in float32. */
  im(idx: number): number {
    const upper = 2 * idx > this.n;
    const j = upper ? this.n - idx : idx;
    const a = 2 * (j & this.mask);
    const b = 2 * (j >> this.shift);
    const v = f(this.v1[a] * this.v2[b + 1] + this.v1[a + 1] * this.v2[b]);
    return upper ? -v : v;
  }
}

/**
 * pocketfft's factorisation: the given power-of-two radices in turn while they divide (complex plans 8 then 4,
 * real plans 4), a remaining factor 2 moved to the front, then odd factors in increasing order.
 */
function pocketfftFactors(n: number, radices: readonly number[]): number[] {
  const fct: number[] = [];
  let len = n;
  for (const r of radices) {
    while (len % r === 0) {
      fct.push(r);
      len /= r;
    }
  }
  if (len % 2 === 0) {
    len /= 2;
    fct.push(2);
    [fct[0], fct[fct.length - 1]] = [fct[fct.length - 1], fct[0]];
  }
  for (let d = 3; d * d <= len; d += 2) {
    while (len % d === 0) {
      fct.push(d);
      len /= d;
    }
  }
  if (len > 1) fct.push(len);
  return fct;
}

/** The result into `c` (from `p1` when the passes ended in the scratch buffer), times `fct` unless it is 1. */
function copyAndNormalise(c: Float32Array, p1: Float32Array, fct: number): void {
  if (p1 !== c) c.set(p1);
  if (fct !== 1) for (let i = 0; i < c.length; i++) c[i] = f(c[i] * fct);
}

/** What both plans share: the length, checked, and the factor sequence with its twiddles. */
abstract class PlanBase<F extends { ip: number }> {
  readonly length: number;
  protected readonly factors: F[] = [];

  constructor(n: number) {
    requireSupported(n);
    this.length = n;
  }

  /** The radices in the order the passes apply them (for tests). */
  get radices(): number[] {
    return this.factors.map((x) => x.ip);
  }

  /** Each factor's radix and twiddles (read-only use: the SIMD passes of ./simd-codegen.ts copy them). */
  get passes(): readonly Readonly<F>[] {
    return this.factors;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Complex transform

export interface ComplexFactor {
  ip: number;
  /** (ip-1)*(ido-1) complex twiddles, interleaved. */
  tw: Float32Array;
  /** For the generic pass (ip > 11): the ip values exp(2 pi i j / ip), interleaved; otherwise empty. */
  tws: Float32Array;
}

/** pocketfft's `cfftp`: a complex FFT of length n, forward `exp(-2 pi i jk/n)` or backward, unnormalised. */
export class ComplexPlanSingle extends PlanBase<ComplexFactor> {
  private readonly scratch: Float32Array;
  /** Where the reference uses Bluestein's algorithm for this length: its plan (and no factors). */
  readonly bluestein: BluesteinSingle | undefined;

  constructor(n: number) {
    super(n);
    this.bluestein = n > 1 && referenceUsesBluestein(n, false) ? new BluesteinSingle(n) : undefined;
    this.scratch = new Float32Array(this.bluestein ? 0 : 2 * n);
    if (n === 1 || this.bluestein) return;
    const fct = pocketfftFactors(n, [8, 4]);
    const twiddle = new TwiddleTable(n);
    let l1 = 1;
    for (const ip of fct) {
      const ido = n / (l1 * ip);
      const tw = new Float32Array(2 * (ip - 1) * (ido - 1));
      for (let j = 1; j < ip; j++) {
        for (let i = 1; i < ido; i++) {
          const at = 2 * ((j - 1) * (ido - 1) + i - 1);
          tw[at] = twiddle.re(j * l1 * i);
          tw[at + 1] = twiddle.im(j * l1 * i);
        }
      }
      const tws = new Float32Array(ip > 11 ? 2 * ip : 0);
      if (ip > 11) {
        for (let j = 0; j < ip; j++) {
          tws[2 * j] = twiddle.re(j * l1 * ido);
          tws[2 * j + 1] = twiddle.im(j * l1 * ido);
        }
      }
      this.factors.push({ ip, tw, tws });
      l1 *= ip;
    }
  }

  /**
   * Transforms `c` (2n interleaved values) in place and multiplies the result by `fct` (float32) unless it
   * is 1. `forward` uses `exp(-2 pi i jk/n)`.
   */
  exec(c: Float32Array, fct: number, forward: boolean): void {
    const n = this.length;
    if (n === 1) return copyAndNormalise(c, c, fct);
    if (this.bluestein) return this.bluestein.exec(c, fct, forward);
    let p1 = c;
    let p2 = this.scratch;
    let l1 = 1;
    const sign = forward ? 1 : -1;
    for (const { ip, tw, tws } of this.factors) {
      const ido = n / (l1 * ip);
      if (ip === 4) pass4(ido, l1, p1, p2, tw, sign);
      else if (ip === 8) pass8(ido, l1, p1, p2, tw, sign);
      else if (ip === 2) pass2(ido, l1, p1, p2, tw, sign);
      else if (ip === 3) pass3(ido, l1, p1, p2, tw, sign);
      else if (ip === 5) pass5(ido, l1, p1, p2, tw, sign);
      else passOdd(ido, l1, ip, p1, p2, tw, tws, forward);
      [p1, p2] = [p2, p1];
      l1 *= ip;
    }
    copyAndNormalise(c, p1, fct);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Real transform

export interface RealFactor {
  ip: number;
  /** (ip-1)*(ido-1) real twiddle values (pairs of cos, sin), empty for the last factor. */
  tw: Float32Array;
  /**
   * For the generic pass (ip > 5): 2 ip values, cos and sin of 2 pi j / ip for j = 0 … ip-1 with the sines of
   * j > ip/2 written as the negated sines of ip - j, as the reference stores them; otherwise empty.
   */
  tws: Float32Array;
}

/**
 * pocketfft's `rfftp`: a real FFT of length n in FFTPACK's half-complex order
 * `[r0, r1, i1, r2, i2, …]` (forward) and its unnormalised inverse (backward).
 */
export class RealPlanSingle extends PlanBase<RealFactor> {
  private readonly scratch: Float32Array;
  /** Where the reference uses Bluestein's algorithm for this length: its (complex) plan, and no factors. */
  readonly bluestein: BluesteinSingle | undefined;

  constructor(n: number) {
    super(n);
    this.bluestein = n > 1 && referenceUsesBluestein(n, true) ? new BluesteinSingle(n) : undefined;
    this.scratch = new Float32Array(this.bluestein ? 0 : n);
    if (n === 1 || this.bluestein) return;
    const fct = pocketfftFactors(n, [4]);
    const twid = new TwiddleTable(n);
    let l1 = 1;
    fct.forEach((ip, k) => {
      const ido = n / (l1 * ip);
      const tw = new Float32Array(k < fct.length - 1 ? (ip - 1) * (ido - 1) : 0);
      if (k < fct.length - 1) {
        for (let j = 1; j < ip; j++) {
          for (let i = 1; i <= (ido - 1) >> 1; i++) {
            tw[(j - 1) * (ido - 1) + 2 * i - 2] = twid.re(j * l1 * i);
            tw[(j - 1) * (ido - 1) + 2 * i - 1] = twid.im(j * l1 * i);
          }
        }
      }
      const tws = new Float32Array(ip > 5 ? 2 * ip : 0);
      if (ip > 5) {
        tws[0] = 1;
        tws[1] = 0;
        for (let i = 2, ic = 2 * ip - 2; i <= ic; i += 2, ic -= 2) {
          const at = (i / 2) * (n / ip);
          tws[i] = twid.re(at);
          tws[i + 1] = twid.im(at);
          tws[ic] = twid.re(at);
          tws[ic + 1] = -twid.im(at);
        }
      }
      this.factors.push({ ip, tw, tws });
      l1 *= ip;
    });
  }

  /**
   * Forward (`r2hc`): real input to half-complex output; backward: half-complex input to real output.
   * In place on `c` (n values), multiplied by `fct` (float32) at the end unless it is 1.
   */
  exec(c: Float32Array, fct: number, r2hc: boolean): void {
    const n = this.length;
    if (n === 1) return copyAndNormalise(c, c, fct);
    if (this.bluestein) return this.bluestein.execReal(c, fct, r2hc);
    const nf = this.factors.length;
    let p1 = c;
    let p2 = this.scratch;
    if (r2hc) {
      let l1 = n;
      for (let k1 = 0; k1 < nf; k1++) {
        const k = nf - k1 - 1;
        const { ip, tw, tws } = this.factors[k];
        const ido = n / l1;
        l1 /= ip;
        if (ip === 4) radf4(ido, l1, p1, p2, tw);
        else if (ip === 2) radf2(ido, l1, p1, p2, tw);
        else if (ip === 3) radf3(ido, l1, p1, p2, tw);
        else if (ip === 5) radf5(ido, l1, p1, p2, tw);
        else radfg(ido, l1, ip, p1, p2, tw, tws);
        [p1, p2] = [p2, p1];
      }
    } else {
      let l1 = 1;
      for (let k = 0; k < nf; k++) {
        const { ip, tw, tws } = this.factors[k];
        const ido = n / (ip * l1);
        if (ip === 4) radb4(ido, l1, p1, p2, tw);
        else if (ip === 2) radb2(ido, l1, p1, p2, tw);
        else if (ip === 3) radb3(ido, l1, p1, p2, tw);
        else if (ip === 5) radb5(ido, l1, p1, p2, tw);
        else radbg(ido, l1, ip, p1, p2, tw, tws);
        [p1, p2] = [p2, p1];
        l1 *= ip;
      }
    }
    copyAndNormalise(c, p1, fct);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Bluestein's algorithm, as pocketfft's `fftblue` (for the lengths `referenceUsesBluestein` names)

/**
 * pocketfft's `fftblue` for length n: the transform as a convolution with the chirp `bk[m] = exp(i pi m²/n)`,
 * done by complex FFTs of the 11-smooth length n2 >= 2n - 1 (`goodSizeComplex`). `bkf` is the FFT of the
 * zero-padded chirp divided by n2, of which the reference keeps n2/2 + 1 values (it is symmetric).
 */
export class BluesteinSingle {
  readonly n: number;
  readonly n2: number;
  readonly plan: ComplexPlanSingle;
  /** n complex values, interleaved. */
  readonly bk: Float32Array;
  /** floor(n2/2) + 1 complex values, interleaved. */
  readonly bkf: Float32Array;
  private readonly akf: Float32Array;
  private readonly tmp: Float32Array;

  constructor(n: number) {
    this.n = n;
    this.n2 = goodSizeComplex(2 * n - 1);
    const n2 = this.n2;
    this.plan = new ComplexPlanSingle(n2);
    const twiddle = new TwiddleTable(2 * n);
    this.bk = new Float32Array(2 * n);
    this.bk[0] = 1;
    let coeff = 0;
    for (let m = 1; m < n; m++) {
      coeff += 2 * m - 1; // m² mod 2n, stepped
      if (coeff >= 2 * n) coeff -= 2 * n;
      this.bk[2 * m] = twiddle.re(coeff);
      this.bk[2 * m + 1] = twiddle.im(coeff);
    }
    const xn2 = f(1 / n2);
    const tbkf = new Float32Array(2 * n2);
    tbkf[0] = f(this.bk[0] * xn2);
    tbkf[1] = f(this.bk[1] * xn2);
    for (let m = 1; m < n; m++) {
      const r = f(this.bk[2 * m] * xn2);
      const i = f(this.bk[2 * m + 1] * xn2);
      tbkf[2 * m] = tbkf[2 * (n2 - m)] = r;
      tbkf[2 * m + 1] = tbkf[2 * (n2 - m) + 1] = i;
    }
    this.plan.exec(tbkf, 1, true);
    this.bkf = tbkf.slice(0, 2 * (Math.floor(n2 / 2) + 1));
    this.akf = new Float32Array(2 * n2);
    this.tmp = new Float32Array(2 * n);
  }

  /** `fftblue::fft<fwd>`: `c` (n complex values, interleaved) transformed in place, times `fct`. */
  exec(c: Float32Array, fct: number, fwd: boolean): void {
    const { n, n2, bk, bkf, akf } = this;
    const A = scalarArith;
    const at = (a: Float32Array, m: number) => ({ r: a[2 * m], i: a[2 * m + 1] });
    const put = (a: Float32Array, m: number, v: Cx<number>) => {
      a[2 * m] = v.r;
      a[2 * m + 1] = v.i;
    };
    for (let m = 0; m < n; m++) put(akf, m, specialMulCx(A, at(c, m), at(bk, m), fwd));
    // `akf[0] * 0`: a zero carrying the signs of akf[0]'s parts, as the reference pads with.
    const zr = f(akf[0] * 0);
    const zi = f(akf[1] * 0);
    for (let m = n; m < n2; m++) put(akf, m, { r: zr, i: zi });
    this.plan.exec(akf, 1, true);
    put(akf, 0, specialMulCx(A, at(akf, 0), at(bkf, 0), !fwd));
    for (let m = 1; m < (n2 + 1) >> 1; m++) {
      put(akf, m, specialMulCx(A, at(akf, m), at(bkf, m), !fwd));
      put(akf, n2 - m, specialMulCx(A, at(akf, n2 - m), at(bkf, m), !fwd));
    }
    if ((n2 & 1) === 0) put(akf, n2 / 2, specialMulCx(A, at(akf, n2 / 2), at(bkf, n2 / 2), !fwd));
    this.plan.exec(akf, 1, false);
    for (let m = 0; m < n; m++) {
      const v = specialMulCx(A, at(akf, m), at(bk, m), fwd);
      put(c, m, { r: f(v.r * fct), i: f(v.i * fct) });
    }
  }

  /** `fftblue::exec_r`: a real transform of `c` (n values) in FFTPACK's half-complex order, times `fct`. */
  execReal(c: Float32Array, fct: number, r2hc: boolean): void {
    const { n, tmp } = this;
    if (r2hc) {
      const zero = f(0 * c[0]);
      for (let m = 0; m < n; m++) {
        tmp[2 * m] = c[m];
        tmp[2 * m + 1] = zero;
      }
      this.exec(tmp, fct, true);
      c[0] = tmp[0];
      for (let i = 1; i < n; i++) c[i] = tmp[i + 1];
    } else {
      tmp[0] = c[0];
      tmp[1] = f(c[0] * 0);
      for (let i = 1; i < n; i++) tmp[i + 1] = c[i];
      if ((n & 1) === 0) tmp[n + 1] = f(0 * c[0]);
      for (let m = 1; 2 * m < n; m++) {
        tmp[2 * (n - m)] = tmp[2 * m];
        tmp[2 * (n - m) + 1] = -tmp[2 * m + 1];
      }
      this.exec(tmp, fct, false);
      for (let m = 0; m < n; m++) c[m] = tmp[2 * m];
    }
  }
}
