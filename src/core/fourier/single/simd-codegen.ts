/**
 * WebAssembly SIMD versions of the single-precision FFT passes of ./plans.ts (./small-passes.ts,
 * ./odd-passes.ts), transforming four lines at once.
 *
 * Layout ("lane-interleaved"): lane `l` of every v128 belongs to line `l`. A real line of length n is n
 * vectors (16 bytes each: value j of the four lines); a complex line is 2n vectors, value j's real parts at
 * byte 32 j and imaginary parts at 32 j + 16 — exactly the scalar layout of ./plans.ts with every float32
 * replaced by a vector of four.
 *
 * Every scalar operation of those passes, `Math.fround(a op b)`, becomes the lane-wise `f32x4.op`, which is the
 * IEEE single-precision operation: round to nearest even, subnormals kept, and no fused multiply-add (the core
 * SIMD instruction set has none). A float32 sum, difference or product computed in double and rounded once is
 * that same operation, so each lane's result is bit-identical to the scalar code's for its line. The passes are
 * transcribed operation by operation in the scalar code's evaluation order; the only rewrites are exact
 * identities of IEEE arithmetic (`x + (-y)` is `x - y`, `x - (-y)` is `x + y`, `(-x) * y` is `x * (-y)`, `2 x`
 * is `x + x`), never reassociation.
 *
 * Generated per plan: the radices, `ido` and `l1` of every pass are constants, as are the twiddle tables'
 * addresses (written into memory by the caller, one splatted vector per scalar twiddle).
 */
import { FunctionWriter } from '../../wasm/function-writer.js';
import type { BluesteinSingle } from './plans.js';
import { HSQT2, SQRT2, TW3I, TW5_1I, TW5_1R, TW5_2I, TW5_2R } from './small-passes.js';
import { specialMul, type Arith, type Cx as ArithCx } from './arith.js';
import {
  complexCoefficientRows,
  complexCombination,
  complexGenericInputs,
  leadingSum,
  radixSmallOdd,
  realBackwardFirstInputs,
  realBackwardFirstOutputs,
  realBackwardPairInputs,
  realBackwardPairOutputs,
  realCoefficientRows,
  realCombination,
  realForwardFirstInputs,
  realForwardPairInputs,
  realForwardPairOutputs,
  requireOddIdo,
} from './odd-butterflies.js';

const f = Math.fround;

// ---------------------------------------------------------------------------------------------------------
// Complex passes. CC(i, m, k) = element i + ido (m + ip k) of cc; CH(i, k, m) = i + ido (k + l1 m) of ch;
// WA(x, i) = twiddle i - 1 + x (ido - 1). A complex element is 32 bytes (real vector, imaginary vector).

/** A complex value as two v128 locals. */
type Cx = ArithCx<number>;

const CE = 32;

/** A pass's addressing at one (k, i): pointers at CC(i, 0, k), CH(i, k, 0) and twiddle (i - 1, x = 0). */
interface ComplexSite {
  cc: number;
  ch: number;
  tw: number | null;
}

type ComplexBody = (g: FunctionWriter, site: ComplexSite) => void;

/**
 * Emits the loops of a complex pass: for each k, the i = 0 butterfly (no twiddles) and i = 1 … ido-1.
 * `twBase` is the absolute address of the pass's twiddle vectors.
 */
function complexLoops(g: FunctionWriter, ido: number, l1: number, ip: number, cc: number, ch: number, twBase: number, body: ComplexBody): void {
  const kcc = g.ptr(cc);
  const kch = g.ptr(ch);
  g.repeat(l1, [[kcc, CE * ido * ip], [kch, CE * ido]], () => {
    body(g, { cc: kcc, ch: kch, tw: null });
    if (ido > 1) {
      const icc = g.ptr(kcc, CE);
      const ich = g.ptr(kch, CE);
      const itw = g.constPtr(twBase);
      g.repeat(ido - 1, [[icc, CE], [ich, CE], [itw, CE]], () => body(g, { cc: icc, ch: ich, tw: itw }));
    }
  });
}

function ldc(g: FunctionWriter, p: number, element: number): Cx {
  return { r: g.ld(p, CE * element), i: g.ld(p, CE * element + 16) };
}
function stc(g: FunctionWriter, p: number, element: number, v: Cx): void {
  g.st(p, CE * element, v.r);
  g.st(p, CE * element + 16, v.i);
}
function addc(g: FunctionWriter, a: Cx, b: Cx): Cx {
  return { r: g.add(a.r, b.r), i: g.add(a.i, b.i) };
}
function subc(g: FunctionWriter, a: Cx, b: Cx): Cx {
  return { r: g.sub(a.r, b.r), i: g.sub(a.i, b.i) };
}
/** ROTX90: forward (r, i) -> (i, -r); backward (r, i) -> (-i, r). */
function rot90(g: FunctionWriter, a: Cx, fwd: boolean): Cx {
  return fwd ? { r: a.i, i: g.neg(a.r) } : { r: g.neg(a.i), i: a.r };
}
/** `special_mul<fwd>(v, w)` stored at element `element` of `p`: forward by conj(w), backward by w. */
function specialMulStore(g: FunctionWriter, v: Cx, tw: number, twElement: number, fwd: boolean, p: number, element: number): void {
  const w: Cx = { r: g.ld(tw, CE * twElement), i: g.ld(tw, CE * twElement + 16) };
  stc(g, p, element, specialMul(simdArith(g), v, w, fwd));
}

export function complexPass2(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number, fwd: boolean): void {
  complexLoops(g, ido, l1, 2, cc, ch, tw, (g, s) => {
    const a = ldc(g, s.cc, 0);
    const b = ldc(g, s.cc, ido);
    stc(g, s.ch, 0, addc(g, a, b));
    const d = subc(g, a, b);
    if (s.tw === null) stc(g, s.ch, ido * l1, d);
    else specialMulStore(g, d, s.tw, 0, fwd, s.ch, ido * l1);
  });
}

export function complexPass3(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number, fwd: boolean): void {
  const tw1r = g.konst(-0.5);
  // cb.r = (-t2.i) * tw1i = t2.i * (-tw1i)
  const tw1i = fwd ? -TW3I : TW3I;
  const negTw1i = g.konst(-tw1i);
  const posTw1i = g.konst(tw1i);
  complexLoops(g, ido, l1, 3, cc, ch, tw, (g, s) => {
    const t0 = ldc(g, s.cc, 0);
    const c1 = ldc(g, s.cc, ido);
    const c2 = ldc(g, s.cc, 2 * ido);
    const t1 = addc(g, c1, c2);
    const t2 = subc(g, c1, c2);
    stc(g, s.ch, 0, addc(g, t0, t1));
    const ca: Cx = { r: g.add(t0.r, g.mul(t1.r, tw1r)), i: g.add(t0.i, g.mul(t1.i, tw1r)) };
    const cb: Cx = { r: g.mul(t2.i, negTw1i), i: g.mul(t2.r, posTw1i) };
    const p = addc(g, ca, cb);
    const m = subc(g, ca, cb);
    if (s.tw === null) {
      stc(g, s.ch, ido * l1, p);
      stc(g, s.ch, 2 * ido * l1, m);
    } else {
      specialMulStore(g, p, s.tw, 0, fwd, s.ch, ido * l1);
      specialMulStore(g, m, s.tw, ido - 1, fwd, s.ch, 2 * ido * l1);
    }
  });
}

export function complexPass4(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number, fwd: boolean): void {
  complexLoops(g, ido, l1, 4, cc, ch, tw, (g, s) => {
    const c0 = ldc(g, s.cc, 0);
    const c1 = ldc(g, s.cc, ido);
    const c2 = ldc(g, s.cc, 2 * ido);
    const c3 = ldc(g, s.cc, 3 * ido);
    const t2 = addc(g, c0, c2);
    const t1 = subc(g, c0, c2);
    const t3 = addc(g, c1, c3);
    const t4 = rot90(g, subc(g, c1, c3), fwd);
    const h = (m: number) => m * ido * l1;
    stc(g, s.ch, 0, addc(g, t2, t3));
    if (s.tw === null) {
      stc(g, s.ch, h(2), subc(g, t2, t3));
      stc(g, s.ch, h(1), addc(g, t1, t4));
      stc(g, s.ch, h(3), subc(g, t1, t4));
    } else {
      specialMulStore(g, addc(g, t1, t4), s.tw, 0, fwd, s.ch, h(1));
      specialMulStore(g, subc(g, t2, t3), s.tw, ido - 1, fwd, s.ch, h(2));
      specialMulStore(g, subc(g, t1, t4), s.tw, 2 * (ido - 1), fwd, s.ch, h(3));
    }
  });
}

export function complexPass5(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number, fwd: boolean): void {
  const tw1r = g.konst(TW5_1R);
  const tw2r = g.konst(TW5_2R);
  const tw1i = g.konst(fwd ? -TW5_1I : TW5_1I);
  const tw2i = g.konst(fwd ? -TW5_2I : TW5_2I);
  complexLoops(g, ido, l1, 5, cc, ch, tw, (g, s) => {
    const t0 = ldc(g, s.cc, 0);
    const c1 = ldc(g, s.cc, ido);
    const c2 = ldc(g, s.cc, 2 * ido);
    const c3 = ldc(g, s.cc, 3 * ido);
    const c4 = ldc(g, s.cc, 4 * ido);
    const t1 = addc(g, c1, c4);
    const t4 = subc(g, c1, c4);
    const t2 = addc(g, c2, c3);
    const t3 = subc(g, c2, c3);
    stc(g, s.ch, 0, { r: g.add(g.add(t0.r, t1.r), t2.r), i: g.add(g.add(t0.i, t1.i), t2.i) });
    const step = (u1: number, u2: number, twar: number, twbr: number, twai: number, twbi: number, subtract: boolean) => {
      const car = g.add(g.add(t0.r, g.mul(twar, t1.r)), g.mul(twbr, t2.r));
      const cai = g.add(g.add(t0.i, g.mul(twar, t1.i)), g.mul(twbr, t2.i));
      const cbi = subtract ? g.sub(g.mul(twai, t4.r), g.mul(twbi, t3.r)) : g.add(g.mul(twai, t4.r), g.mul(twbi, t3.r));
      // cb.r = -x with x below: ca.r + cb.r = ca.r - x, ca.r - cb.r = ca.r + x.
      const x = subtract ? g.sub(g.mul(twai, t4.i), g.mul(twbi, t3.i)) : g.add(g.mul(twai, t4.i), g.mul(twbi, t3.i));
      const p: Cx = { r: g.sub(car, x), i: g.add(cai, cbi) };
      const m: Cx = { r: g.add(car, x), i: g.sub(cai, cbi) };
      const h = (u: number) => u * ido * l1;
      if (s.tw === null) {
        stc(g, s.ch, h(u1), p);
        stc(g, s.ch, h(u2), m);
      } else {
        specialMulStore(g, p, s.tw, (u1 - 1) * (ido - 1), fwd, s.ch, h(u1));
        specialMulStore(g, m, s.tw, (u2 - 1) * (ido - 1), fwd, s.ch, h(u2));
      }
    };
    step(1, 4, tw1r, tw2r, tw1i, tw2i, false);
    step(2, 3, tw2r, tw1r, tw2i, tw1i, true);
  });
}

export function complexPass8(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number, fwd: boolean): void {
  const hsqt2 = g.konst(HSQT2);
  complexLoops(g, ido, l1, 8, cc, ch, tw, (g, s) => {
    const c = (m: number) => ldc(g, s.cc, m * ido);
    const cc1 = c(1), cc5 = c(5), cc3 = c(3), cc7 = c(7);
    let a1 = addc(g, cc1, cc5);
    let a5 = subc(g, cc1, cc5);
    let a3 = addc(g, cc3, cc7);
    let a7 = subc(g, cc3, cc7);
    a7 = rot90(g, a7, fwd);
    [a1, a3] = [addc(g, a1, a3), subc(g, a1, a3)];
    a3 = rot90(g, a3, fwd);
    [a5, a7] = [addc(g, a5, a7), subc(g, a5, a7)];
    if (fwd) {
      a5 = { r: g.mul(hsqt2, g.add(a5.r, a5.i)), i: g.mul(hsqt2, g.sub(a5.i, a5.r)) };
      a7 = { r: g.mul(hsqt2, g.sub(a7.i, a7.r)), i: g.mul(hsqt2, g.sub(g.neg(a7.r), a7.i)) };
    } else {
      a5 = { r: g.mul(hsqt2, g.sub(a5.r, a5.i)), i: g.mul(hsqt2, g.add(a5.i, a5.r)) };
      a7 = { r: g.mul(hsqt2, g.sub(g.neg(a7.r), a7.i)), i: g.mul(hsqt2, g.sub(a7.r, a7.i)) };
    }
    const cc0 = c(0), cc4 = c(4), cc2 = c(2), cc6 = c(6);
    let a0 = addc(g, cc0, cc4);
    let a4 = subc(g, cc0, cc4);
    let a2 = addc(g, cc2, cc6);
    let a6 = subc(g, cc2, cc6);
    [a0, a2] = [addc(g, a0, a2), subc(g, a0, a2)];
    a6 = rot90(g, a6, fwd);
    [a4, a6] = [addc(g, a4, a6), subc(g, a4, a6)];
    const h = (m: number) => m * ido * l1;
    stc(g, s.ch, 0, addc(g, a0, a1));
    if (s.tw === null) {
      stc(g, s.ch, h(4), subc(g, a0, a1));
      stc(g, s.ch, h(2), addc(g, a2, a3));
      stc(g, s.ch, h(6), subc(g, a2, a3));
      stc(g, s.ch, h(1), addc(g, a4, a5));
      stc(g, s.ch, h(5), subc(g, a4, a5));
      stc(g, s.ch, h(3), addc(g, a6, a7));
      stc(g, s.ch, h(7), subc(g, a6, a7));
    } else {
      const w = (x: number) => x * (ido - 1);
      specialMulStore(g, subc(g, a0, a1), s.tw, w(3), fwd, s.ch, h(4));
      specialMulStore(g, addc(g, a2, a3), s.tw, w(1), fwd, s.ch, h(2));
      specialMulStore(g, subc(g, a2, a3), s.tw, w(5), fwd, s.ch, h(6));
      specialMulStore(g, addc(g, a4, a5), s.tw, w(0), fwd, s.ch, h(1));
      specialMulStore(g, subc(g, a4, a5), s.tw, w(4), fwd, s.ch, h(5));
      specialMulStore(g, addc(g, a6, a7), s.tw, w(2), fwd, s.ch, h(3));
      specialMulStore(g, subc(g, a6, a7), s.tw, w(6), fwd, s.ch, h(7));
    }
  });
}

/** Complex radix 7 or 11: the hard-coded butterflies of ./odd-butterflies.ts, unrolled. */
export function complexPassSmallOdd(g: FunctionWriter, ip: number, ido: number, l1: number, cc: number, ch: number, tw: number, fwd: boolean): void {
  hoistConstants(g, (A) => radixSmallOdd(A, Array.from({ length: ip }, () => ({ r: 0, i: 0 })), fwd));
  const A = simdArith(g);
  complexLoops(g, ido, l1, ip, cc, ch, tw, (g, s) => {
    const x = Array.from({ length: ip }, (_, m) => ldc(g, s.cc, m * ido));
    radixSmallOdd(A, x, fwd).forEach((v, u) => {
      if (s.tw === null || u === 0) stc(g, s.ch, u * ido * l1, v);
      else specialMulStore(g, v, s.tw, (u - 1) * (ido - 1), fwd, s.ch, u * ido * l1);
    });
  });
}

/**
 * The generic complex pass (`passg`, a prime `ip` from 13). Its work grows as ip² per position, so unrolled it
 * would grow the code as ip² too (past WebAssembly's limits near ip = 150); instead each position loops over l,
 * reading the constants of l from the pass's table (`passTable`, after its twiddles) and putting `X[l]`,
 * `X[ip-l]` in the scratch row at `row` (ip complex vectors), then loops over j for the outputs.
 */
export function complexPassGeneric(g: FunctionWriter, ip: number, ido: number, l1: number, cc: number, ch: number, tw: number, tws: Float32Array, fwd: boolean, row: number): void {
  const ipph = (ip + 1) >> 1;
  const rowBytes = 16 * complexCoefficientRows(tws, fwd)[1].length;
  const table = tw + CE * (ip - 1) * (ido - 1) + (fwd ? 0 : (ipph - 1) * rowBytes);
  const A = simdArith(g);
  const out = CE * ido * l1; // between the outputs CH(i, k, u) and CH(i, k, u + 1)
  complexLoops(g, ido, l1, ip, cc, ch, tw, (g, s) => {
    const { h, x0 } = complexGenericInputs(A, Array.from({ length: ip }, (_, m) => ldc(g, s.cc, m * ido)));
    stc(g, s.ch, 0, x0);
    const coefficients = g.constPtr(table);
    const xl = g.constPtr(row + CE);
    const xlc = g.constPtr(row + CE * (ip - 1));
    g.repeat(ipph - 1, [[coefficients, rowBytes], [xl, CE], [xlc, -CE]], () => {
      const [l, lc] = complexCombination(A, h, loadedOnce(g, coefficients));
      stc(g, xl, 0, l);
      stc(g, xlc, 0, lc);
    });
    const xj = g.constPtr(row + CE);
    const xjc = g.constPtr(row + CE * (ip - 1));
    const oj = g.ptr(s.ch, out);
    const ojc = g.ptr(s.ch, out * (ip - 1));
    const steps: [number, number][] = [[xj, CE], [xjc, -CE], [oj, out], [ojc, -out]];
    const twj = s.tw === null ? -1 : g.ptr(s.tw);
    const twjc = s.tw === null ? -1 : g.ptr(s.tw, CE * (ip - 2) * (ido - 1));
    if (s.tw !== null) steps.push([twj, CE * (ido - 1)], [twjc, -CE * (ido - 1)]);
    g.repeat(ipph - 1, steps, () => {
      const a = ldc(g, xj, 0);
      const b = ldc(g, xjc, 0);
      if (s.tw === null) {
        stc(g, oj, 0, addc(g, a, b));
        stc(g, ojc, 0, subc(g, a, b));
      } else {
        specialMulStore(g, addc(g, a, b), twj, 0, fwd, oj, 0);
        specialMulStore(g, subc(g, a, b), twjc, 0, fwd, ojc, 0);
      }
    });
  });
}

/**
 * Emits the complex pass of radix `ip` (`tws`: the plan's `ComplexFactor.tws`; `row`: the address of the
 * scratch row the generic pass uses, `scratchRowBytes`).
 */
export function complexPass(g: FunctionWriter, ip: number, ido: number, l1: number, cc: number, ch: number, tw: number, fwd: boolean, tws: Float32Array, row: number): void {
  if (ip === 2) complexPass2(g, ido, l1, cc, ch, tw, fwd);
  else if (ip === 3) complexPass3(g, ido, l1, cc, ch, tw, fwd);
  else if (ip === 4) complexPass4(g, ido, l1, cc, ch, tw, fwd);
  else if (ip === 5) complexPass5(g, ido, l1, cc, ch, tw, fwd);
  else if (ip === 8) complexPass8(g, ido, l1, cc, ch, tw, fwd);
  else if (ip <= 11) complexPassSmallOdd(g, ip, ido, l1, cc, ch, tw, fwd);
  else complexPassGeneric(g, ip, ido, l1, cc, ch, tw, tws, fwd, row);
}

// ---------------------------------------------------------------------------------------------------------
// Real passes. A real element is one vector (16 bytes). Forward: CC(a, b, c) = a + ido (b + l1 c),
// CH(a, b, c) = a + ido (b + ip c); backward the other way round. WA(x, i) = twiddle i + x (ido - 1).

const RE = 16;

/**
 * The three loop nests of a real pass: `first(kcc, kch)` for every k at i = 0 (pointers at element 0 of
 * block k of the input, `inK` elements apart, and of the output, `outK` apart); `last(kcc, kch)` likewise when
 * ido is even (for i = ido - 1); `middle(site)` for k and i = 2, 4, … < ido with pointers at the i - 1 element
 * of block k of input and output (`ci`, `hi`, advancing), at the ic - 1 = ido - i - 1 element of the side that
 * mirrors (`mirror`, receding), and at twiddle i - 2 (`tw`).
 */
interface RealSite {
  ci: number;
  hi: number;
  mirror: number;
  tw: number;
}

function realLoops(
  g: FunctionWriter,
  ido: number,
  l1: number,
  io: { cc: number; ch: number; inK: number; outK: number; mirrorOnInput: boolean; oddSkipsLast?: boolean },
  twBase: number,
  parts: {
    first: (kcc: number, kch: number) => void;
    last?: (kcc: number, kch: number) => void;
    middle?: (s: RealSite) => void;
  },
): void {
  const { cc, ch, inK, outK, mirrorOnInput } = io;
  {
    const kcc = g.ptr(cc);
    const kch = g.ptr(ch);
    g.repeat(l1, [[kcc, RE * inK], [kch, RE * outK]], () => parts.first(kcc, kch));
  }
  if (parts.last && (ido & 1) === 0) {
    const kcc = g.ptr(cc);
    const kch = g.ptr(ch);
    g.repeat(l1, [[kcc, RE * inK], [kch, RE * outK]], () => parts.last!(kcc, kch));
  }
  const middleCount = Math.floor((ido - 1) / 2);
  if (parts.middle && middleCount > 0) {
    const kcc = g.ptr(cc);
    const kch = g.ptr(ch);
    g.repeat(l1, [[kcc, RE * inK], [kch, RE * outK]], () => {
      const ci = g.ptr(kcc, RE * 1); // i - 1 = 1 at i = 2
      const hi = g.ptr(kch, RE * 1);
      const mirror = g.ptr(mirrorOnInput ? kcc : kch, RE * (ido - 3)); // ic - 1 = ido - 3 at i = 2
      const tw = g.constPtr(twBase);
      g.repeat(middleCount, [[ci, 2 * RE], [hi, 2 * RE], [mirror, -2 * RE], [tw, 2 * RE]], () => parts.middle!({ ci, hi, mirror, tw }));
    });
  }
}

export function realForward2(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number): void {
  // CC(a,k,c) = a + ido (k + l1 c); CH(a,b,k) = a + ido (b + 2 k)
  const C = (c: number) => RE * ido * l1 * c;
  const H = (b: number) => RE * ido * b;
  realLoops(g, ido, l1, { cc, ch, inK: ido, outK: 2 * ido, mirrorOnInput: false }, tw, {
    first: (kc, kh) => {
      const x = g.ld(kc, C(0));
      const y = g.ld(kc, C(1));
      g.st(kh, 0, g.add(x, y));
      g.st(kh, RE * (ido - 1) + H(1), g.sub(x, y));
    },
    last: (kc, kh) => {
      g.st(kh, H(1), g.neg(g.ld(kc, RE * (ido - 1) + C(1))));
      g.st(kh, RE * (ido - 1), g.ld(kc, RE * (ido - 1) + C(0)));
    },
    middle: ({ ci, hi, mirror, tw: t }) => {
      const wr = g.ld(t, 0);
      const wi = g.ld(t, RE);
      const cr = g.ld(ci, C(1));
      const cI = g.ld(ci, RE + C(1));
      const tr2 = g.add(g.mul(wr, cr), g.mul(wi, cI));
      const ti2 = g.sub(g.mul(wr, cI), g.mul(wi, cr));
      const a = g.ld(ci, C(0));
      const b = g.ld(ci, RE + C(0));
      g.st(hi, H(0), g.add(a, tr2));
      g.st(mirror, H(1), g.sub(a, tr2));
      g.st(hi, RE + H(0), g.add(ti2, b));
      g.st(mirror, RE + H(1), g.sub(ti2, b));
    },
  });
}

export function realForward3(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number): void {
  const taur = g.konst(-0.5);
  const taui = g.konst(TW3I);
  const C = (c: number) => RE * ido * l1 * c;
  const H = (b: number) => RE * ido * b;
  const W = (x: number) => RE * x * (ido - 1);
  realLoops(g, ido, l1, { cc, ch, inK: ido, outK: 3 * ido, mirrorOnInput: false }, tw, {
    first: (kc, kh) => {
      const c0 = g.ld(kc, C(0));
      const c1 = g.ld(kc, C(1));
      const c2 = g.ld(kc, C(2));
      const cr2 = g.add(c1, c2);
      g.st(kh, H(0), g.add(c0, cr2));
      g.st(kh, H(2), g.mul(taui, g.sub(c2, c1)));
      g.st(kh, RE * (ido - 1) + H(1), g.add(c0, g.mul(taur, cr2)));
    },
    middle: ({ ci, hi, mirror, tw: t }) => {
      const w0r = g.ld(t, W(0)), w0i = g.ld(t, W(0) + RE), w1r = g.ld(t, W(1)), w1i = g.ld(t, W(1) + RE);
      const a1r = g.ld(ci, C(1)), a1i = g.ld(ci, RE + C(1)), a2r = g.ld(ci, C(2)), a2i = g.ld(ci, RE + C(2));
      const dr2 = g.add(g.mul(w0r, a1r), g.mul(w0i, a1i));
      const di2 = g.sub(g.mul(w0r, a1i), g.mul(w0i, a1r));
      const dr3 = g.add(g.mul(w1r, a2r), g.mul(w1i, a2i));
      const di3 = g.sub(g.mul(w1r, a2i), g.mul(w1i, a2r));
      // REARRANGE: (dr2, di2, dr3, di3) = (dr2 + dr3, di2 + di3, di2 - di3, dr3 - dr2)
      const r2 = g.add(dr2, dr3), i2 = g.add(di2, di3), r3 = g.sub(di2, di3), i3 = g.sub(dr3, dr2);
      const c0r = g.ld(ci, C(0)), c0i = g.ld(ci, RE + C(0));
      g.st(hi, H(0), g.add(c0r, r2));
      g.st(hi, RE + H(0), g.add(c0i, i2));
      const tr2 = g.add(c0r, g.mul(taur, r2));
      const ti2 = g.add(c0i, g.mul(taur, i2));
      const tr3 = g.mul(taui, r3);
      const ti3 = g.mul(taui, i3);
      g.st(hi, H(2), g.add(tr2, tr3));
      g.st(mirror, H(1), g.sub(tr2, tr3));
      g.st(hi, RE + H(2), g.add(ti3, ti2));
      g.st(mirror, RE + H(1), g.sub(ti3, ti2));
    },
  });
}

export function realForward4(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number): void {
  const minusHsqt2 = g.konst(-HSQT2);
  const hsqt2 = g.konst(HSQT2);
  const C = (c: number) => RE * ido * l1 * c;
  const H = (b: number) => RE * ido * b;
  const W = (x: number) => RE * x * (ido - 1);
  const last = RE * (ido - 1);
  realLoops(g, ido, l1, { cc, ch, inK: ido, outK: 4 * ido, mirrorOnInput: false }, tw, {
    first: (kc, kh) => {
      const c0 = g.ld(kc, C(0)), c1 = g.ld(kc, C(1)), c2 = g.ld(kc, C(2)), c3 = g.ld(kc, C(3));
      const tr1 = g.add(c3, c1);
      g.st(kh, H(2), g.sub(c3, c1));
      const tr2 = g.add(c0, c2);
      g.st(kh, last + H(1), g.sub(c0, c2));
      g.st(kh, H(0), g.add(tr2, tr1));
      g.st(kh, last + H(3), g.sub(tr2, tr1));
    },
    last: (kc, kh) => {
      const c0 = g.ld(kc, last + C(0)), c1 = g.ld(kc, last + C(1)), c2 = g.ld(kc, last + C(2)), c3 = g.ld(kc, last + C(3));
      const ti1 = g.mul(minusHsqt2, g.add(c1, c3));
      const tr1 = g.mul(hsqt2, g.sub(c1, c3));
      g.st(kh, last + H(0), g.add(c0, tr1));
      g.st(kh, last + H(2), g.sub(c0, tr1));
      g.st(kh, H(3), g.add(ti1, c2));
      g.st(kh, H(1), g.sub(ti1, c2));
    },
    middle: ({ ci, hi, mirror, tw: t }) => {
      const w0r = g.ld(t, W(0)), w0i = g.ld(t, W(0) + RE), w1r = g.ld(t, W(1)), w1i = g.ld(t, W(1) + RE);
      const w2r = g.ld(t, W(2)), w2i = g.ld(t, W(2) + RE);
      const a1r = g.ld(ci, C(1)), a1i = g.ld(ci, RE + C(1));
      const a2r = g.ld(ci, C(2)), a2i = g.ld(ci, RE + C(2));
      const a3r = g.ld(ci, C(3)), a3i = g.ld(ci, RE + C(3));
      const cr2 = g.add(g.mul(w0r, a1r), g.mul(w0i, a1i)), ci2 = g.sub(g.mul(w0r, a1i), g.mul(w0i, a1r));
      const cr3 = g.add(g.mul(w1r, a2r), g.mul(w1i, a2i)), ci3 = g.sub(g.mul(w1r, a2i), g.mul(w1i, a2r));
      const cr4 = g.add(g.mul(w2r, a3r), g.mul(w2i, a3i)), ci4 = g.sub(g.mul(w2r, a3i), g.mul(w2i, a3r));
      const tr1 = g.add(cr4, cr2), tr4 = g.sub(cr4, cr2);
      const ti1 = g.add(ci2, ci4), ti4 = g.sub(ci2, ci4);
      const c0r = g.ld(ci, C(0)), c0i = g.ld(ci, RE + C(0));
      const tr2 = g.add(c0r, cr3), tr3 = g.sub(c0r, cr3);
      const ti2 = g.add(c0i, ci3), ti3 = g.sub(c0i, ci3);
      g.st(hi, H(0), g.add(tr2, tr1));
      g.st(mirror, H(3), g.sub(tr2, tr1));
      g.st(hi, RE + H(0), g.add(ti1, ti2));
      g.st(mirror, RE + H(3), g.sub(ti1, ti2));
      g.st(hi, H(2), g.add(tr3, ti4));
      g.st(mirror, H(1), g.sub(tr3, ti4));
      g.st(hi, RE + H(2), g.add(tr4, ti3));
      g.st(mirror, RE + H(1), g.sub(tr4, ti3));
    },
  });
}

export function realForward5(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number): void {
  const tr11 = g.konst(TW5_1R), ti11 = g.konst(TW5_1I), tr12 = g.konst(TW5_2R), ti12 = g.konst(TW5_2I);
  const C = (c: number) => RE * ido * l1 * c;
  const H = (b: number) => RE * ido * b;
  const W = (x: number) => RE * x * (ido - 1);
  const last = RE * (ido - 1);
  realLoops(g, ido, l1, { cc, ch, inK: ido, outK: 5 * ido, mirrorOnInput: false }, tw, {
    first: (kc, kh) => {
      const c0 = g.ld(kc, C(0)), c1 = g.ld(kc, C(1)), c2 = g.ld(kc, C(2)), c3 = g.ld(kc, C(3)), c4 = g.ld(kc, C(4));
      const cr2 = g.add(c4, c1), ci5 = g.sub(c4, c1);
      const cr3 = g.add(c3, c2), ci4 = g.sub(c3, c2);
      g.st(kh, H(0), g.add(g.add(c0, cr2), cr3));
      g.st(kh, last + H(1), g.add(g.add(c0, g.mul(tr11, cr2)), g.mul(tr12, cr3)));
      g.st(kh, H(2), g.add(g.mul(ti11, ci5), g.mul(ti12, ci4)));
      g.st(kh, last + H(3), g.add(g.add(c0, g.mul(tr12, cr2)), g.mul(tr11, cr3)));
      g.st(kh, H(4), g.sub(g.mul(ti12, ci5), g.mul(ti11, ci4)));
    },
    middle: ({ ci, hi, mirror, tw: t }) => {
      const mul = (x: number, c: number): [number, number] => {
        const wr = g.ld(t, W(x)), wi = g.ld(t, W(x) + RE);
        const ar = g.ld(ci, C(c)), ai = g.ld(ci, RE + C(c));
        return [g.add(g.mul(wr, ar), g.mul(wi, ai)), g.sub(g.mul(wr, ai), g.mul(wi, ar))];
      };
      let [dr2, di2] = mul(0, 1);
      let [dr3, di3] = mul(1, 2);
      let [dr4, di4] = mul(2, 3);
      let [dr5, di5] = mul(3, 4);
      [dr2, di2, dr5, di5] = [g.add(dr2, dr5), g.add(di2, di5), g.sub(di2, di5), g.sub(dr5, dr2)];
      [dr3, di3, dr4, di4] = [g.add(dr3, dr4), g.add(di3, di4), g.sub(di3, di4), g.sub(dr4, dr3)];
      const c0r = g.ld(ci, C(0)), c0i = g.ld(ci, RE + C(0));
      g.st(hi, H(0), g.add(g.add(c0r, dr2), dr3));
      g.st(hi, RE + H(0), g.add(g.add(c0i, di2), di3));
      const tr2 = g.add(g.add(c0r, g.mul(tr11, dr2)), g.mul(tr12, dr3));
      const ti2 = g.add(g.add(c0i, g.mul(tr11, di2)), g.mul(tr12, di3));
      const tr3 = g.add(g.add(c0r, g.mul(tr12, dr2)), g.mul(tr11, dr3));
      const ti3 = g.add(g.add(c0i, g.mul(tr12, di2)), g.mul(tr11, di3));
      const tr5 = g.add(g.mul(ti11, dr5), g.mul(ti12, dr4));
      const ti5 = g.add(g.mul(ti11, di5), g.mul(ti12, di4));
      const tr4 = g.sub(g.mul(ti12, dr5), g.mul(ti11, dr4));
      const ti4 = g.sub(g.mul(ti12, di5), g.mul(ti11, di4));
      g.st(hi, H(2), g.add(tr2, tr5));
      g.st(mirror, H(1), g.sub(tr2, tr5));
      g.st(hi, RE + H(2), g.add(ti5, ti2));
      g.st(mirror, RE + H(1), g.sub(ti5, ti2));
      g.st(hi, H(4), g.add(tr3, tr4));
      g.st(mirror, H(3), g.sub(tr3, tr4));
      g.st(hi, RE + H(4), g.add(ti4, ti3));
      g.st(mirror, RE + H(3), g.sub(ti4, ti3));
    },
  });
}

export function realBackward2(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number): void {
  // CC(a,b,k) = a + ido (b + 2 k); CH(a,k,c) = a + ido (k + l1 c)
  const C = (b: number) => RE * ido * b;
  const H = (c: number) => RE * ido * l1 * c;
  const last = RE * (ido - 1);
  realLoops(g, ido, l1, { cc, ch, inK: 2 * ido, outK: ido, mirrorOnInput: true }, tw, {
    first: (kc, kh) => {
      const x = g.ld(kc, C(0)), y = g.ld(kc, last + C(1));
      g.st(kh, H(0), g.add(x, y));
      g.st(kh, H(1), g.sub(x, y));
    },
    last: (kc, kh) => {
      const a = g.ld(kc, last + C(0));
      g.st(kh, last + H(0), g.add(a, a));
      const b = g.ld(kc, C(1));
      // f(-2 * b) = -(b + b)
      g.st(kh, last + H(1), g.neg(g.add(b, b)));
    },
    middle: ({ ci, hi, mirror, tw: t }) => {
      const a = g.ld(ci, C(0)), b = g.ld(mirror, C(1));
      g.st(hi, H(0), g.add(a, b));
      const tr2 = g.sub(a, b);
      const c = g.ld(ci, RE + C(0)), d = g.ld(mirror, RE + C(1));
      const ti2 = g.add(c, d);
      g.st(hi, RE + H(0), g.sub(c, d));
      const wr = g.ld(t, 0), wi = g.ld(t, RE);
      g.st(hi, RE + H(1), g.add(g.mul(wr, ti2), g.mul(wi, tr2)));
      g.st(hi, H(1), g.sub(g.mul(wr, tr2), g.mul(wi, ti2)));
    },
  });
}

export function realBackward3(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number): void {
  const taur = g.konst(-0.5);
  const taui = g.konst(TW3I);
  const twoTaui = g.konst(f(2 * TW3I));
  const C = (b: number) => RE * ido * b;
  const H = (c: number) => RE * ido * l1 * c;
  const W = (x: number) => RE * x * (ido - 1);
  const last = RE * (ido - 1);
  realLoops(g, ido, l1, { cc, ch, inK: 3 * ido, outK: ido, mirrorOnInput: true }, tw, {
    first: (kc, kh) => {
      const a = g.ld(kc, last + C(1));
      const tr2 = g.add(a, a);
      const c0 = g.ld(kc, C(0));
      const cr2 = g.add(c0, g.mul(taur, tr2));
      g.st(kh, H(0), g.add(c0, tr2));
      const ci3 = g.mul(twoTaui, g.ld(kc, C(2)));
      g.st(kh, H(2), g.add(cr2, ci3));
      g.st(kh, H(1), g.sub(cr2, ci3));
    },
    middle: ({ ci, hi, mirror, tw: t }) => {
      const a2r = g.ld(ci, C(2)), b1r = g.ld(mirror, C(1));
      const a2i = g.ld(ci, RE + C(2)), b1i = g.ld(mirror, RE + C(1));
      const tr2 = g.add(a2r, b1r);
      const ti2 = g.sub(a2i, b1i);
      const c0r = g.ld(ci, C(0)), c0i = g.ld(ci, RE + C(0));
      const cr2 = g.add(c0r, g.mul(taur, tr2));
      const ci2 = g.add(c0i, g.mul(taur, ti2));
      g.st(hi, H(0), g.add(c0r, tr2));
      g.st(hi, RE + H(0), g.add(c0i, ti2));
      const cr3 = g.mul(taui, g.sub(a2r, b1r));
      const ci3 = g.mul(taui, g.add(a2i, b1i));
      const dr3 = g.add(cr2, ci3), dr2 = g.sub(cr2, ci3);
      const di2 = g.add(ci2, cr3), di3 = g.sub(ci2, cr3);
      const w0r = g.ld(t, W(0)), w0i = g.ld(t, W(0) + RE), w1r = g.ld(t, W(1)), w1i = g.ld(t, W(1) + RE);
      g.st(hi, RE + H(1), g.add(g.mul(w0r, di2), g.mul(w0i, dr2)));
      g.st(hi, H(1), g.sub(g.mul(w0r, dr2), g.mul(w0i, di2)));
      g.st(hi, RE + H(2), g.add(g.mul(w1r, di3), g.mul(w1i, dr3)));
      g.st(hi, H(2), g.sub(g.mul(w1r, dr3), g.mul(w1i, di3)));
    },
  });
}

export function realBackward4(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number): void {
  const sqrt2 = g.konst(SQRT2);
  const minusSqrt2 = g.konst(-SQRT2);
  const C = (b: number) => RE * ido * b;
  const H = (c: number) => RE * ido * l1 * c;
  const W = (x: number) => RE * x * (ido - 1);
  const last = RE * (ido - 1);
  realLoops(g, ido, l1, { cc, ch, inK: 4 * ido, outK: ido, mirrorOnInput: true }, tw, {
    first: (kc, kh) => {
      const a = g.ld(kc, C(0)), b = g.ld(kc, last + C(3));
      const tr2 = g.add(a, b), tr1 = g.sub(a, b);
      const x = g.ld(kc, last + C(1));
      const tr3 = g.add(x, x);
      const y = g.ld(kc, C(2));
      const tr4 = g.add(y, y);
      g.st(kh, H(0), g.add(tr2, tr3));
      g.st(kh, H(2), g.sub(tr2, tr3));
      g.st(kh, H(3), g.add(tr1, tr4));
      g.st(kh, H(1), g.sub(tr1, tr4));
    },
    last: (kc, kh) => {
      const a = g.ld(kc, C(3)), b = g.ld(kc, C(1));
      const ti1 = g.add(a, b), ti2 = g.sub(a, b);
      const c = g.ld(kc, last + C(0)), d = g.ld(kc, last + C(2));
      const tr2 = g.add(c, d), tr1 = g.sub(c, d);
      g.st(kh, last + H(0), g.add(tr2, tr2));
      g.st(kh, last + H(1), g.mul(sqrt2, g.sub(tr1, ti1)));
      g.st(kh, last + H(2), g.add(ti2, ti2));
      g.st(kh, last + H(3), g.mul(minusSqrt2, g.add(tr1, ti1)));
    },
    middle: ({ ci, hi, mirror, tw: t }) => {
      const a0r = g.ld(ci, C(0)), a3r = g.ld(mirror, C(3));
      const a0i = g.ld(ci, RE + C(0)), a3i = g.ld(mirror, RE + C(3));
      const a2i = g.ld(ci, RE + C(2)), a1i = g.ld(mirror, RE + C(1));
      const a2r = g.ld(ci, C(2)), a1r = g.ld(mirror, C(1));
      const tr2 = g.add(a0r, a3r), tr1 = g.sub(a0r, a3r);
      const ti1 = g.add(a0i, a3i), ti2 = g.sub(a0i, a3i);
      const tr4 = g.add(a2i, a1i), ti3 = g.sub(a2i, a1i);
      const tr3 = g.add(a2r, a1r), ti4 = g.sub(a2r, a1r);
      g.st(hi, H(0), g.add(tr2, tr3));
      const cr3 = g.sub(tr2, tr3);
      g.st(hi, RE + H(0), g.add(ti2, ti3));
      const ci3 = g.sub(ti2, ti3);
      const cr4 = g.add(tr1, tr4), cr2 = g.sub(tr1, tr4);
      const ci2 = g.add(ti1, ti4), ci4 = g.sub(ti1, ti4);
      const put = (x: number, m: number, cix: number, crx: number) => {
        const wr = g.ld(t, W(x)), wi = g.ld(t, W(x) + RE);
        g.st(hi, RE + H(m), g.add(g.mul(wr, cix), g.mul(wi, crx)));
        g.st(hi, H(m), g.sub(g.mul(wr, crx), g.mul(wi, cix)));
      };
      put(0, 1, ci2, cr2);
      put(1, 2, ci3, cr3);
      put(2, 3, ci4, cr4);
    },
  });
}

export function realBackward5(g: FunctionWriter, ido: number, l1: number, cc: number, ch: number, tw: number): void {
  const tr11 = g.konst(TW5_1R), ti11 = g.konst(TW5_1I), tr12 = g.konst(TW5_2R), ti12 = g.konst(TW5_2I);
  const C = (b: number) => RE * ido * b;
  const H = (c: number) => RE * ido * l1 * c;
  const W = (x: number) => RE * x * (ido - 1);
  const last = RE * (ido - 1);
  realLoops(g, ido, l1, { cc, ch, inK: 5 * ido, outK: ido, mirrorOnInput: true }, tw, {
    first: (kc, kh) => {
      const a = g.ld(kc, C(2)), b = g.ld(kc, C(4)), c = g.ld(kc, last + C(1)), d = g.ld(kc, last + C(3));
      const ti5 = g.add(a, a);
      const ti4 = g.add(b, b);
      const tr2 = g.add(c, c);
      const tr3 = g.add(d, d);
      const c0 = g.ld(kc, C(0));
      g.st(kh, H(0), g.add(g.add(c0, tr2), tr3));
      const cr2 = g.add(g.add(c0, g.mul(tr11, tr2)), g.mul(tr12, tr3));
      const cr3 = g.add(g.add(c0, g.mul(tr12, tr2)), g.mul(tr11, tr3));
      const ci5 = g.add(g.mul(ti5, ti11), g.mul(ti4, ti12));
      const ci4 = g.sub(g.mul(ti5, ti12), g.mul(ti4, ti11));
      g.st(kh, H(4), g.add(cr2, ci5));
      g.st(kh, H(1), g.sub(cr2, ci5));
      g.st(kh, H(3), g.add(cr3, ci4));
      g.st(kh, H(2), g.sub(cr3, ci4));
    },
    middle: ({ ci, hi, mirror, tw: t }) => {
      const pm = (x: number, y: number): [number, number] => [g.add(x, y), g.sub(x, y)];
      const [tr2, tr5] = pm(g.ld(ci, C(2)), g.ld(mirror, C(1)));
      const [ti5, ti2] = pm(g.ld(ci, RE + C(2)), g.ld(mirror, RE + C(1)));
      const [tr3, tr4] = pm(g.ld(ci, C(4)), g.ld(mirror, C(3)));
      const [ti4, ti3] = pm(g.ld(ci, RE + C(4)), g.ld(mirror, RE + C(3)));
      const c0r = g.ld(ci, C(0)), c0i = g.ld(ci, RE + C(0));
      g.st(hi, H(0), g.add(g.add(c0r, tr2), tr3));
      g.st(hi, RE + H(0), g.add(g.add(c0i, ti2), ti3));
      const cr2 = g.add(g.add(c0r, g.mul(tr11, tr2)), g.mul(tr12, tr3));
      const ci2 = g.add(g.add(c0i, g.mul(tr11, ti2)), g.mul(tr12, ti3));
      const cr3 = g.add(g.add(c0r, g.mul(tr12, tr2)), g.mul(tr11, tr3));
      const ci3 = g.add(g.add(c0i, g.mul(tr12, ti2)), g.mul(tr11, ti3));
      const cr5 = g.add(g.mul(tr5, ti11), g.mul(tr4, ti12));
      const cr4 = g.sub(g.mul(tr5, ti12), g.mul(tr4, ti11));
      const ci5 = g.add(g.mul(ti5, ti11), g.mul(ti4, ti12));
      const ci4 = g.sub(g.mul(ti5, ti12), g.mul(ti4, ti11));
      const [dr4, dr3] = pm(cr3, ci4);
      const [di3, di4] = pm(ci3, cr4);
      const [dr5, dr2] = pm(cr2, ci5);
      const [di2, di5] = pm(ci2, cr5);
      const put = (x: number, m: number, di: number, dr: number) => {
        const wr = g.ld(t, W(x)), wi = g.ld(t, W(x) + RE);
        g.st(hi, RE + H(m), g.add(g.mul(wr, di), g.mul(wi, dr)));
        g.st(hi, H(m), g.sub(g.mul(wr, dr), g.mul(wi, di)));
      };
      put(0, 1, di2, dr2);
      put(1, 2, di3, dr3);
      put(2, 3, di4, dr4);
      put(3, 4, di5, dr5);
    },
  });
}

/** The twiddles of a generic real pass at a pair site: `WA(j-1, i-1)`, `WA(j-1, i)` for j = 1 … ip-1. */
function pairTwiddles(g: FunctionWriter, tw: number, ip: number, ido: number): { wr: number[]; wi: number[] } {
  const wr: number[] = [-1];
  const wi: number[] = [-1];
  for (let j = 1; j < ip; j++) {
    wr[j] = g.ld(tw, RE * (j - 1) * (ido - 1));
    wi[j] = g.ld(tw, RE * ((j - 1) * (ido - 1) + 1));
  }
  return { wr, wi };
}

/**
 * The combinations of a generic real pass at a pair site for every l (a loop, reading the constants of l from
 * the table), into the scratch row: `ya[l]` at element l, `yb[l]` at ip + l.
 */
function realPairCombinations(g: FunctionWriter, A: Arith<number>, a: number[], b: number[], table: number, rowBytes: number, row: number): void {
  const ip = a.length;
  const coefficients = g.constPtr(table);
  const al = g.constPtr(row + RE);
  const alc = g.constPtr(row + RE * (ip - 1));
  g.repeat((ip - 1) / 2, [[coefficients, rowBytes], [al, RE], [alc, -RE]], () => {
    const coef = loadedOnce(g, coefficients);
    const [yal, yalc] = realCombination(A, a, coef);
    const [ybl, yblc] = realCombination(A, b, coef);
    g.st(al, 0, yal);
    g.st(alc, 0, yalc);
    g.st(al, RE * ip, ybl);
    g.st(alc, RE * ip, yblc);
  });
}

/** What both generic real passes derive from their factor: sizes, the table's row bytes and its address. */
function realGenericLayout(ip: number, ido: number, l1: number, tw: number, cs: Float32Array) {
  requireOddIdo(ido);
  return {
    ipph: (ip + 1) >> 1,
    idl1: ido * l1,
    rowBytes: 16 * realCoefficientRows(cs)[1].length,
    table: tw + RE * (ip - 1) * (ido - 1), // after the pass's twiddles
  };
}

/**
 * `radfg` for a prime `ip` from 7 (`cs`: the plan's `RealFactor.tws`). As in `complexPassGeneric`, each position
 * loops over l with the constants from the pass's table (after its twiddles) and, at the pairs, the
 * combinations in the scratch row at `row` (2 ip real vectors).
 */
export function realForwardGeneric(g: FunctionWriter, ip: number, ido: number, l1: number, cc: number, ch: number, tw: number, cs: Float32Array, row: number): void {
  const { ipph, idl1, rowBytes, table } = realGenericLayout(ip, ido, l1, tw, cs);
  const A = simdArith(g);
  const js = Array.from({ length: ip }, (_, j) => j);
  // C1(a, k, j) = a + ido (k + l1 j); CC(a, m, k) = a + ido (m + ip k)
  realLoops(g, ido, l1, { cc, ch, inK: ido, outK: ido * ip, mirrorOnInput: false }, tw, {
    first: (kc, kh) => {
      const c = realForwardFirstInputs(A, js.map((j) => g.ld(kc, RE * idl1 * j)));
      g.st(kh, 0, leadingSum(A, c));
      const coefficients = g.constPtr(table);
      const last = g.ptr(kh, RE * (ido - 1 + ido)); // CC(ido-1, 2l-1, k) at l = 1
      const first = g.ptr(kh, RE * 2 * ido); // CC(0, 2l, k)
      g.repeat(ipph - 1, [[coefficients, rowBytes], [last, RE * 2 * ido], [first, RE * 2 * ido]], () => {
        const [yl, ylc] = realCombination(A, c, loadedOnce(g, coefficients));
        g.st(last, 0, yl);
        g.st(first, 0, ylc);
      });
    },
    middle: ({ ci, hi, mirror, tw: t }) => {
      const { wr, wi } = pairTwiddles(g, t, ip, ido);
      const { a, b } = realForwardPairInputs(A, js.map((j) => g.ld(ci, RE * idl1 * j)), js.map((j) => g.ld(ci, RE * (1 + idl1 * j))), wr, wi);
      g.st(hi, 0, leadingSum(A, a));
      g.st(hi, RE, leadingSum(A, b));
      realPairCombinations(g, A, a, b, table, rowBytes, row);
      const yj = g.constPtr(row + RE);
      const yjc = g.constPtr(row + RE * (ip - 1));
      const up = g.ptr(hi, RE * 2 * ido); // CC(i, 2j, k) at j = 1
      const down = g.ptr(mirror, RE * ido); // CC(ic, 2j-1, k)
      g.repeat(ipph - 1, [[yj, RE], [yjc, -RE], [up, RE * 2 * ido], [down, RE * 2 * ido]], () => {
        const o = realForwardPairOutputs(A, g.ld(yj, 0), g.ld(yjc, 0), g.ld(yj, RE * ip), g.ld(yjc, RE * ip));
        g.st(up, 0, o.up[0]);
        g.st(up, RE, o.up[1]);
        g.st(down, 0, o.down[0]);
        g.st(down, RE, o.down[1]);
      });
    },
  });
}

/** `radbg` for a prime `ip` from 7, as `realForwardGeneric`. */
export function realBackwardGeneric(g: FunctionWriter, ip: number, ido: number, l1: number, cc: number, ch: number, tw: number, cs: Float32Array, row: number): void {
  const { ipph, idl1, rowBytes, table } = realGenericLayout(ip, ido, l1, tw, cs);
  const hs = Array.from({ length: ipph }, (_, j) => j);
  hoistConstants(g, (A) => realBackwardFirstInputs(A, 0, new Array<number>(ipph).fill(0), new Array<number>(ipph).fill(0)));
  const A = simdArith(g);
  // CC(a, m, k) = a + ido (m + ip k); CH(a, k, j) = a + ido (k + l1 j)
  realLoops(g, ido, l1, { cc, ch, inK: ido * ip, outK: ido, mirrorOnInput: true }, tw, {
    first: (kc, kh) => {
      const last = hs.map((j) => (j === 0 ? -1 : g.ld(kc, RE * (ido - 1 + ido * (2 * j - 1)))));
      const first = hs.map((j) => (j === 0 ? -1 : g.ld(kc, RE * ido * 2 * j)));
      const h = realBackwardFirstInputs(A, g.ld(kc, 0), last, first);
      g.st(kh, 0, leadingSum(A, h));
      const coefficients = g.constPtr(table);
      const ol = g.ptr(kh, RE * idl1);
      const olc = g.ptr(kh, RE * idl1 * (ip - 1));
      g.repeat(ipph - 1, [[coefficients, rowBytes], [ol, RE * idl1], [olc, -RE * idl1]], () => {
        const [yl, ylc] = realCombination(A, h, loadedOnce(g, coefficients));
        const [l, lc] = realBackwardFirstOutputs(A, yl, ylc);
        g.st(ol, 0, l);
        g.st(olc, 0, lc);
      });
    },
    middle: ({ ci, hi, mirror, tw: t }) => {
      const up = hs.map((j): [number, number] => (j === 0 ? [-1, -1] : [g.ld(ci, RE * ido * 2 * j), g.ld(ci, RE * (1 + ido * 2 * j))]));
      const down = hs.map((j): [number, number] => (j === 0 ? [-1, -1] : [g.ld(mirror, RE * ido * (2 * j - 1)), g.ld(mirror, RE * (1 + ido * (2 * j - 1)))]));
      const { ha, hb } = realBackwardPairInputs(A, [g.ld(ci, 0), g.ld(ci, RE)], up, down);
      g.st(hi, 0, leadingSum(A, ha));
      g.st(hi, RE, leadingSum(A, hb));
      realPairCombinations(g, A, ha, hb, table, rowBytes, row);
      const yj = g.constPtr(row + RE);
      const yjc = g.constPtr(row + RE * (ip - 1));
      const oj = g.ptr(hi, RE * idl1);
      const ojc = g.ptr(hi, RE * idl1 * (ip - 1));
      const wj = g.ptr(t); // WA(j-1, i-1) at j = 1
      const wjc = g.ptr(t, RE * (ip - 2) * (ido - 1));
      const steps: [number, number][] = [[yj, RE], [yjc, -RE], [oj, RE * idl1], [ojc, -RE * idl1], [wj, RE * (ido - 1)], [wjc, -RE * (ido - 1)]];
      g.repeat(ipph - 1, steps, () => {
        const o = realBackwardPairOutputs(A, g.ld(yj, 0), g.ld(yjc, 0), g.ld(yj, RE * ip), g.ld(yjc, RE * ip), [g.ld(wj, 0), g.ld(wj, RE)], [g.ld(wjc, 0), g.ld(wjc, RE)]);
        g.st(oj, 0, o.j[0]);
        g.st(oj, RE, o.j[1]);
        g.st(ojc, 0, o.jc[0]);
        g.st(ojc, RE, o.jc[1]);
      });
    },
  });
}

/**
 * Emits the real pass of radix `ip` (forward `radf`, backward `radb`; `tws`: the plan's `RealFactor.tws`; `row`:
 * the generic pass's scratch row, `scratchRowBytes`).
 */
export function realPass(g: FunctionWriter, ip: number, ido: number, l1: number, cc: number, ch: number, tw: number, forward: boolean, tws: Float32Array, row: number): void {
  if (ip > 5) {
    (forward ? realForwardGeneric : realBackwardGeneric)(g, ip, ido, l1, cc, ch, tw, tws, row);
    return;
  }
  const table = forward
    ? { 2: realForward2, 3: realForward3, 4: realForward4, 5: realForward5 }
    : { 2: realBackward2, 3: realBackward3, 4: realBackward4, 5: realBackward5 };
  const pass = table[ip as 2 | 3 | 4 | 5];
  if (!pass) throw new RangeError(`unsupported real radix ${ip}`);
  pass(g, ido, l1, cc, ch, tw);
}

/**
 * The constants a pass reads from memory after its twiddles, in memory order (each written as a splatted
 * vector): for a generic complex pass the `complexCoefficientRows` forward, then backward; for a generic real pass
 * the `realCoefficientRows`; none for the others.
 */
export function passTable(ip: number, tws: Float32Array, complex: boolean): Float32Array {
  if ((complex && ip <= 11) || ip <= 5) return EMPTY;
  // Made once per factor (a low-pass writes its tables at every call; at p = 151 a table has 22 650 values).
  let table = passTables.get(tws);
  if (!table) {
    const rows = complex ? [...complexCoefficientRows(tws, true), ...complexCoefficientRows(tws, false)] : realCoefficientRows(tws);
    table = Float32Array.from(rows.flat()); // row 0 of each is empty
    passTables.set(tws, table);
  }
  return table;
}

const EMPTY = new Float32Array(0);
const passTables = new WeakMap<Float32Array, Float32Array>();

/** Bytes of the scratch row a generic pass of radix `ip` uses (complex: ip complex vectors; real: 2 ip). */
export function scratchRowBytes(ip: number): number {
  return CE * ip;
}

// ---------------------------------------------------------------------------------------------------------
// The shared butterflies of ./odd-butterflies.ts, emitted as SIMD code

/** `Arith` over v128 locals: each operation emits the lane-wise float32 instruction. */
function simdArith(g: FunctionWriter): Arith<number> {
  return { add: (a, b) => g.add(a, b), sub: (a, b) => g.sub(a, b), mul: (a, b) => g.mul(a, b), konst: (x) => g.konst(x) };
}

/**
 * Creates, ahead of the loops, every constant a butterfly asks for (found by running it on a recording
 * `Arith`), so the loop bodies only read them (see `FunctionWriter.konst`).
 */
function hoistConstants(g: FunctionWriter, run: (A: Arith<number>) => unknown): void {
  const recorder: Arith<number> = { add: () => 0, sub: () => 0, mul: () => 0, konst: (x) => (g.konst(x), 0) };
  run(recorder);
}

/** A coefficient accessor for one loop iteration: constant q of the row at `pointer`, loaded at first use. */
function loadedOnce(g: FunctionWriter, pointer: number): (q: number) => number {
  const loaded = new Map<number, number>();
  return (q) => {
    let v = loaded.get(q);
    if (v === undefined) {
      v = g.ld(pointer, 16 * q);
      loaded.set(q, v);
    }
    return v;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Bluestein's algorithm (pocketfft's `fftblue`), for the lengths the reference transforms with it

/** Where a Bluestein plan's constants lie: bk (n complex vectors), bkf (n2/2 + 1), then the n2 plan's passes. */
export function bluesteinLayout(blue: BluesteinSingle, at: number): { bk: number; bkf: number; inner: number } {
  const bkf = at + CE * blue.n;
  return { bk: at, bkf, inner: bkf + CE * (Math.floor(blue.n2 / 2) + 1) };
}

/** Bytes of scratch a Bluestein plan's transform uses: two areas of n2 complex vectors, and n more for a real one. */
export function bluesteinScratchBytes(blue: BluesteinSingle, real: boolean): number {
  return CE * (2 * blue.n2 + (real ? blue.n : 0));
}

/**
 * `fftblue::fft<fwd>` on the n complex vectors at `c` (an i32 local), in place: the chirp product into the
 * scratch at `work` (absolute; `bluesteinScratchBytes`), the n2 plan forward (`passes`, emitting its passes from
 * one area to the other and giving the local that holds the result), the product with bkf, the n2 plan
 * backward, and the chirp product back into `c`. The final multiplication by `fct` is the caller's.
 */
export function complexBluestein(
  g: FunctionWriter,
  blue: BluesteinSingle,
  consts: number,
  fwd: boolean,
  c: number,
  work: number,
  passes: (forward: boolean, p1: number, p2: number) => number,
): void {
  const { n, n2 } = blue;
  const { bk, bkf } = bluesteinLayout(blue, consts);
  const A = simdArith(g);
  const zero = g.zero();
  {
    const pc = g.ptr(c);
    const pk = g.constPtr(bk);
    const pa = g.constPtr(work);
    g.repeat(n, [[pc, CE], [pk, CE], [pa, CE]], () => stc(g, pa, 0, specialMul(A, ldc(g, pc, 0), ldc(g, pk, 0), fwd)));
  }
  {
    // `akf[0] * 0`: zeros with the signs of akf[0]'s parts, as the reference pads with.
    const a0 = g.constPtr(work);
    const z: Cx = { r: g.mul(g.ld(a0, 0), zero), i: g.mul(g.ld(a0, 16), zero) };
    const pa = g.constPtr(work + CE * n);
    g.repeat(n2 - n, [[pa, CE]], () => stc(g, pa, 0, z));
  }
  const areaA = g.constPtr(work);
  const areaB = g.constPtr(work + CE * n2);
  const r1 = passes(true, areaA, areaB);
  {
    const times = (p: number, w: number) => stc(g, p, 0, specialMul(A, ldc(g, p, 0), ldc(g, w, 0), !fwd));
    times(r1, g.constPtr(bkf));
    const pm = g.ptr(r1, CE);
    const pmc = g.ptr(r1, CE * (n2 - 1));
    const pw = g.constPtr(bkf + CE);
    g.repeat(((n2 + 1) >> 1) - 1, [[pm, CE], [pmc, -CE], [pw, CE]], () => {
      times(pm, pw);
      times(pmc, pw);
    });
    if ((n2 & 1) === 0) times(g.ptr(r1, CE * (n2 / 2)), g.constPtr(bkf + CE * (n2 / 2)));
  }
  const r2 = passes(false, r1, r1 === areaA ? areaB : areaA);
  {
    const pr = g.ptr(r2);
    const pk = g.constPtr(bk);
    const pc = g.ptr(c);
    g.repeat(n, [[pr, CE], [pk, CE], [pc, CE]], () => stc(g, pc, 0, specialMul(A, ldc(g, pr, 0), ldc(g, pk, 0), fwd)));
  }
}

/**
 * `fftblue::exec_r`: the real transform of the n real vectors at `line` (an i32 local), in place, in FFTPACK's
 * half-complex order, through `complexBluestein` on n complex vectors at `work` (followed by its own scratch).
 */
export function realBluestein(
  g: FunctionWriter,
  blue: BluesteinSingle,
  consts: number,
  r2hc: boolean,
  line: number,
  work: number,
  passes: (forward: boolean, p1: number, p2: number) => number,
): void {
  const n = blue.n;
  const zero = g.zero();
  const tmp = g.constPtr(work);
  const half = (n - 1) >> 1; // complex values 1 … half hold (r, i) pairs of the half-complex order
  const run = () => complexBluestein(g, blue, consts, r2hc, tmp, work + CE * n, passes);
  if (r2hc) {
    const z = g.mul(zero, g.ld(line, 0)); // `T0(0) * c[0]`
    const pl = g.ptr(line);
    const pt = g.constPtr(work);
    g.repeat(n, [[pl, RE], [pt, CE]], () => {
      g.st(pt, 0, g.ld(pl, 0));
      g.st(pt, 16, z);
    });
    run();
    g.st(line, 0, g.ld(tmp, 0));
    const pr = g.ptr(line, RE);
    const pc = g.constPtr(work + CE);
    g.repeat(half, [[pr, 2 * RE], [pc, CE]], () => {
      g.st(pr, 0, g.ld(pc, 0));
      g.st(pr, RE, g.ld(pc, 16));
    });
    if ((n & 1) === 0) g.st(line, RE * (n - 1), g.ld(tmp, CE * (n / 2)));
  } else {
    const c0 = g.ld(line, 0);
    g.st(tmp, 0, c0);
    g.st(tmp, 16, g.mul(c0, zero)); // `c[0] * 0`
    const pr = g.ptr(line, RE);
    const pc = g.constPtr(work + CE);
    g.repeat(half, [[pr, 2 * RE], [pc, CE]], () => {
      g.st(pc, 0, g.ld(pr, 0));
      g.st(pc, 16, g.ld(pr, RE));
    });
    if ((n & 1) === 0) {
      g.st(tmp, CE * (n / 2), g.ld(line, RE * (n - 1)));
      g.st(tmp, CE * (n / 2) + 16, g.mul(zero, c0)); // `T0(0) * c[0]`
    }
    // The upper half as the conjugates of the lower.
    const lo = g.constPtr(work + CE);
    const hi = g.constPtr(work + CE * (n - 1));
    g.repeat(half, [[lo, CE], [hi, -CE]], () => {
      g.st(hi, 0, g.ld(lo, 0));
      g.st(hi, 16, g.neg(g.ld(lo, 16)));
    });
    run();
    const pl = g.ptr(line);
    const pt = g.constPtr(work);
    g.repeat(n, [[pl, RE], [pt, CE]], () => g.st(pl, 0, g.ld(pt, 0)));
  }
}
