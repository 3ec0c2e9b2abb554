/**
 * The butterflies of pocketfft's passes for odd prime factors above 5: the hard-coded complex radix-7 and
 * radix-11 passes (`pass7`, `pass11`), the generic complex pass (`passg`, primes from 13) and the generic real
 * passes (`radfg`, `radbg`, primes from 7), written once over `Arith` so that the scalar plans (./plans.ts) and
 * the SIMD code generator (./simd-codegen.ts) share one transcription.
 *
 * pocketfft runs each generic pass as several sweeps over the whole array (twiddle, combine, sum, reorder),
 * some in place. Every value those sweeps compute depends only on the inputs of one `k` and one position `i`
 * (or one pair `i, i + 1` of a real pass), so the sweeps are fused here into one butterfly per position, with
 * the operations of each output value in pocketfft's order; the results are the same float32 values. Each
 * function returns the outputs of one position before the twiddle multiplication the caller applies
 * (complex), or the output values of one position (real).
 */
import { cadd, csub, type Arith, type Cx } from './arith.js';

const f = Math.fround;

/** cos and sin of 2 pi k / 7, k = 1, 2, 3, rounded to float32 as the reference's `T0(…)` casts do. */
const RADIX7 = {
  cos: [0.62348980185873353053, -0.22252093395631440429, -0.90096886790241912624].map(f),
  sin: [0.78183148246802980871, 0.97492791218182360702, 0.43388373911755812048].map(f),
};
/** cos and sin of 2 pi k / 11, k = 1 … 5. */
const RADIX11 = {
  cos: [0.84125353283118116886, 0.41541501300188642553, -0.14231483827328514044, -0.65486073394528506406, -0.95949297361449738989].map(f),
  sin: [0.54064081745559758211, 0.90963199535451837141, 0.98982144188093273238, 0.75574957435425828377, 0.28173255684142969771].map(f),
};

/**
 * `pass7` / `pass11` at one position: the `p` inputs `x[m] = CC(i, m, k)`, the `p` outputs `CH(i, k, u)` before
 * the twiddles (forward uses exp(-2 pi i/p)).
 */
export function radixSmallOdd<V>(A: Arith<V>, x: readonly Cx<V>[], fwd: boolean): Cx<V>[] {
  const p = x.length;
  const table = p === 7 ? RADIX7 : p === 11 ? RADIX11 : null;
  if (!table) throw new RangeError(`no hard-coded radix ${p}`);
  const h = (p - 1) / 2;
  const tr = table.cos.map((c) => A.konst(c));
  const ti = table.sin.map((s) => A.konst(fwd ? -s : s));
  // t1 = x0; PM(t_{m+1}, t_{p+1-m}, x_m, x_{p-m}): sums s[m] and differences d[m], m = 1 … h.
  const s: Cx<V>[] = [];
  const d: Cx<V>[] = [];
  for (let m = 1; m <= h; m++) {
    s[m] = cadd(A, x[m], x[p - m]);
    d[m] = csub(A, x[m], x[p - m]);
  }
  const out: Cx<V>[] = new Array(p);
  let r0 = x[0].r;
  let i0 = x[0].i;
  for (let m = 1; m <= h; m++) {
    r0 = A.add(r0, s[m].r);
    i0 = A.add(i0, s[m].i);
  }
  out[0] = { r: r0, i: i0 };
  for (let u = 1; u <= h; u++) {
    // ca = t1 + Σ s[m] cos(2 pi u m / p); cb.i = Σ ± d[m].r sin(…), cb.r = -(Σ ± d[m].i sin(…)), in m order,
    // the sign minus where u m mod p lies in the upper half (sin(2 pi (p - j)/p) = -sin(2 pi j/p)).
    let car = x[0].r;
    let cai = x[0].i;
    let cbi: V | null = null;
    let cbr: V | null = null;
    for (let m = 1; m <= h; m++) {
      const j = (u * m) % p;
      const upper = j > h;
      const idx = (upper ? p - j : j) - 1;
      car = A.add(car, A.mul(tr[idx], s[m].r));
      cai = A.add(cai, A.mul(tr[idx], s[m].i));
      const yr = A.mul(ti[idx], d[m].r);
      const yi = A.mul(ti[idx], d[m].i);
      if (cbi === null || cbr === null) {
        cbi = yr; // u m = u <= h: the first term is always added
        cbr = yi;
      } else {
        cbi = upper ? A.sub(cbi, yr) : A.add(cbi, yr);
        cbr = upper ? A.sub(cbr, yi) : A.add(cbr, yi);
      }
    }
    // PM(out_u, out_{p-u}, ca, cb) with cb.r = -cbr: ca.r + cb.r = ca.r - cbr exactly.
    out[u] = { r: A.sub(car, cbr!), i: A.add(cai, cbi!) };
    out[p - u] = { r: A.add(car, cbr!), i: A.sub(cai, cbi!) };
  }
  return out;
}

/**
 * The constants `complexCombination` multiplies by for one l, by its index q: the reference's `wal` values
 * (its `ip` twiddles, the imaginary parts negated forward) in the order its j loop steps through them.
 * `tws` is the plan's `ComplexFactor.tws`.
 */
function complexCoefficients(tws: Float32Array, fwd: boolean, l: number): number[] {
  const ip = tws.length / 2;
  const ipph = (ip + 1) >> 1;
  const walR = (j: number) => (j === 0 ? 1 : tws[2 * j]);
  const walI = (j: number) => (j === 0 ? 0 : fwd ? -tws[2 * j + 1] : tws[2 * j + 1]);
  const seq = [walR(l), walR(2 * l), -walI(l), walI(2 * l), walI(l)];
  // j·l mod ip, stepped as pocketfft does (`iwal > ip`); ip is prime (the plans' odd factors come from trial
  // division), so the index never reaches ip itself and `>` and `>=` wrap alike.
  let iwal = 2 * l;
  for (let j = 3; j < ipph; j++) {
    iwal += l;
    if (iwal > ip) iwal -= ip;
    seq.push(walR(iwal), walI(iwal));
  }
  return seq;
}

/**
 * `passg`'s sums for one l from the position's `h[j]` (x[j] + x[ip-j] and x[j] - x[ip-j]): `X[l]` and
 * `X[ip-l]`, with the constants from `coef(q)` (`complexCoefficients`), in pocketfft's blocks of two and one.
 */
export function complexCombination<V>(A: Arith<V>, h: readonly Cx<V>[], coef: (q: number) => V): [Cx<V>, Cx<V>] {
  const ip = h.length;
  const ipph = (ip + 1) >> 1;
  const wr = (j: number) => coef(5 + 2 * (j - 3));
  const wi = (j: number) => coef(6 + 2 * (j - 3));
  let xlr = A.add(A.add(h[0].r, A.mul(coef(0), h[1].r)), A.mul(coef(1), h[2].r));
  let xli = A.add(A.add(h[0].i, A.mul(coef(0), h[1].i)), A.mul(coef(1), h[2].i));
  let xcr = A.sub(A.mul(coef(2), h[ip - 1].i), A.mul(coef(3), h[ip - 2].i));
  let xci = A.add(A.mul(coef(4), h[ip - 1].r), A.mul(coef(3), h[ip - 2].r));
  let j = 3;
  let jc = ip - 3;
  for (; j < ipph - 1; j += 2, jc -= 2) {
    xlr = A.add(xlr, A.add(A.mul(h[j].r, wr(j)), A.mul(h[j + 1].r, wr(j + 1))));
    xli = A.add(xli, A.add(A.mul(h[j].i, wr(j)), A.mul(h[j + 1].i, wr(j + 1))));
    xcr = A.sub(xcr, A.add(A.mul(h[jc].i, wi(j)), A.mul(h[jc - 1].i, wi(j + 1))));
    xci = A.add(xci, A.add(A.mul(h[jc].r, wi(j)), A.mul(h[jc - 1].r, wi(j + 1))));
  }
  for (; j < ipph; j++, jc--) {
    xlr = A.add(xlr, A.mul(h[j].r, wr(j)));
    xli = A.add(xli, A.mul(h[j].i, wr(j)));
    xcr = A.sub(xcr, A.mul(h[jc].i, wi(j)));
    xci = A.add(xci, A.mul(h[jc].r, wi(j)));
  }
  return [
    { r: xlr, i: xli },
    { r: xcr, i: xci },
  ];
}

/** `passg`'s first step at one position: `h[0] = x[0]`, `h[j], h[ip-j] = x[j] ± x[ip-j]`, and their sum `X[0]`. */
export function complexGenericInputs<V>(A: Arith<V>, x: readonly Cx<V>[]): { h: Cx<V>[]; x0: Cx<V> } {
  const ip = x.length;
  const ipph = (ip + 1) >> 1;
  const h: Cx<V>[] = new Array(ip);
  h[0] = x[0];
  for (let j = 1, jc = ip - 1; j < ipph; j++, jc--) {
    h[j] = cadd(A, x[j], x[jc]);
    h[jc] = csub(A, x[j], x[jc]);
  }
  let x0 = h[0];
  for (let j = 1; j < ipph; j++) x0 = cadd(A, x0, h[j]);
  return { h, x0 };
}

/**
 * `passg` at one position, for a prime `ip = x.length` from 13: `tws` holds the reference's `ip` twiddles
 * exp(2 pi i j / ip) (float32, interleaved). Returns the outputs before the twiddles.
 */
export function radixGenericComplex<V>(A: Arith<V>, x: readonly Cx<V>[], tws: Float32Array, fwd: boolean): Cx<V>[] {
  const ip = x.length;
  const ipph = (ip + 1) >> 1;
  const { h, x0 } = complexGenericInputs(A, x);
  const X: Cx<V>[] = new Array(ip);
  X[0] = x0;
  const table = complexCoefficientRows(tws, fwd);
  for (let l = 1, lc = ip - 1; l < ipph; l++, lc--) {
    const seq = table[l];
    [X[l], X[lc]] = complexCombination(A, h, (q) => A.konst(seq[q]));
  }
  const out: Cx<V>[] = new Array(ip);
  out[0] = X[0];
  for (let j = 1, jc = ip - 1; j < ipph; j++, jc--) {
    out[j] = cadd(A, X[j], X[jc]);
    out[jc] = csub(A, X[j], X[jc]);
  }
  return out;
}

/**
 * The constants `realCombination` multiplies by for one l, by its index q: the reference's `csarr` values
 * (cos, sin of 2 pi j / ip, the sines of the upper half negated; the plan's `RealFactor.tws`) in the order its
 * j loop steps through them.
 */
function realCoefficients(cs: Float32Array, l: number): number[] {
  const ip = cs.length / 2;
  const ipph = (ip + 1) >> 1;
  const seq = [cs[2 * l], cs[4 * l], cs[2 * l + 1], cs[4 * l + 1]];
  // j·l mod ip: radfg wraps with `iang >= ip`, radbg with `iang > ip`; ip is prime, so the index never equals
  // ip and both wrap alike.
  let iang = 2 * l;
  for (let j = 3; j < ipph; j++) {
    iang += l;
    if (iang >= ip) iang -= ip;
    seq.push(cs[2 * iang], cs[2 * iang + 1]);
  }
  return seq;
}

/**
 * The combination step shared by `radfg` and `radbg`, for one l: from `x[0 … ip-1]` the cosine sum `y[l]` and
 * the sine sum `y[ip - l]`, accumulated in pocketfft's blocks of four, two and one terms, with the constants
 * from `coef(q)` (`realCoefficients`).
 */
export function realCombination<V>(A: Arith<V>, x: readonly V[], coef: (q: number) => V): [V, V] {
  const ip = x.length;
  const ipph = (ip + 1) >> 1;
  const ar = (j: number) => coef(4 + 2 * (j - 3));
  const ai = (j: number) => coef(5 + 2 * (j - 3));
  let yl = A.add(A.add(x[0], A.mul(coef(0), x[1])), A.mul(coef(1), x[2]));
  let ylc = A.add(A.mul(coef(2), x[ip - 1]), A.mul(coef(3), x[ip - 2]));
  let j = 3;
  let jc = ip - 3;
  for (; j < ipph - 3; j += 4, jc -= 4) {
    let sr = A.mul(ar(j), x[j]);
    let si = A.mul(ai(j), x[jc]);
    for (let q = 1; q < 4; q++) {
      sr = A.add(sr, A.mul(ar(j + q), x[j + q]));
      si = A.add(si, A.mul(ai(j + q), x[jc - q]));
    }
    yl = A.add(yl, sr);
    ylc = A.add(ylc, si);
  }
  for (; j < ipph - 1; j += 2, jc -= 2) {
    yl = A.add(yl, A.add(A.mul(ar(j), x[j]), A.mul(ar(j + 1), x[j + 1])));
    ylc = A.add(ylc, A.add(A.mul(ai(j), x[jc]), A.mul(ai(j + 1), x[jc - 1])));
  }
  for (; j < ipph; j++, jc--) {
    yl = A.add(yl, A.mul(ar(j), x[j]));
    ylc = A.add(ylc, A.mul(ai(j), x[jc]));
  }
  return [yl, ylc];
}

/** `realCombination` for every l, with the constants as `A.konst` values: `y[l]` and `y[ip - l]`. */
function realCombinations<V>(A: Arith<V>, x: readonly V[], cs: Float32Array): V[] {
  const ip = x.length;
  const ipph = (ip + 1) >> 1;
  const y: V[] = new Array(ip);
  const table = realCoefficientRows(cs);
  for (let l = 1, lc = ip - 1; l < ipph; l++, lc--) {
    const seq = table[l];
    [y[l], y[lc]] = realCombination(A, x, (q) => A.konst(seq[q]));
  }
  return y;
}

/**
 * `complexCoefficients` of every l (row l; row 0 empty) for a factor's `tws`, made once per factor and
 * direction: the scalar passes read them at every position, the SIMD ones from memory (`passTable`).
 */
export function complexCoefficientRows(tws: Float32Array, fwd: boolean): readonly number[][] {
  return coefficientTable(tws, fwd ? 'forward' : 'backward', (l) => complexCoefficients(tws, fwd, l));
}

/** `realCoefficients` of every l (row l; row 0 empty) for a factor's `tws`, made once per factor. */
export function realCoefficientRows(cs: Float32Array): readonly number[][] {
  return coefficientTable(cs, 'real', (l) => realCoefficients(cs, l));
}

const tables = new WeakMap<Float32Array, Map<string, number[][]>>();

function coefficientTable(tws: Float32Array, kind: 'forward' | 'backward' | 'real', make: (l: number) => number[]): number[][] {
  let byKind = tables.get(tws);
  if (!byKind) tables.set(tws, (byKind = new Map()));
  let table = byKind.get(kind);
  if (!table) {
    const ipph = (tws.length / 2 + 1) >> 1;
    table = [[]];
    for (let l = 1; l < ipph; l++) table.push(make(l));
    byKind.set(kind, table);
  }
  return table;
}

/** `x[0] + x[1] + … + x[ipph - 1]`, left to right. */
export function leadingSum<V>(A: Arith<V>, x: readonly V[]): V {
  const ipph = (x.length + 1) >> 1;
  let s = x[0];
  for (let j = 1; j < ipph; j++) s = A.add(s, x[j]);
  return s;
}

/** Outputs of `radfg` at position 0 of block k: `CC(0, 0, k)`, and for j = 1 … ipph-1 `CC(ido-1, 2j-1, k)` and `CC(0, 2j, k)`. */
export interface RealFirstOut<V> {
  c0: V;
  last: V[];
  first: V[];
}

/** `radfg`'s first step at position 0: `MPINPLACE(C1(0, k, ip-j), C1(0, k, j))` on `x[j] = C1(0, k, j)`. */
export function realForwardFirstInputs<V>(A: Arith<V>, x: readonly V[]): V[] {
  const ip = x.length;
  const ipph = (ip + 1) >> 1;
  const c = x.slice();
  for (let j = 1, jc = ip - 1; j < ipph; j++, jc--) {
    const t = c[jc];
    c[jc] = A.sub(t, c[j]);
    c[j] = A.add(t, c[j]);
  }
  return c;
}

/** `radfg` at position 0: `x[j] = C1(0, k, j)`. */
export function realForwardGenericFirst<V>(A: Arith<V>, x: readonly V[], cs: Float32Array): RealFirstOut<V> {
  const ip = x.length;
  const ipph = (ip + 1) >> 1;
  const c = realForwardFirstInputs(A, x);
  const y = realCombinations(A, c, cs);
  const last: V[] = [];
  const first: V[] = [];
  for (let j = 1, jc = ip - 1; j < ipph; j++, jc--) {
    last[j] = y[j];
    first[j] = y[jc];
  }
  return { c0: leadingSum(A, c), last, first };
}

/**
 * Outputs of `radfg` at the pair i, i+1 (i odd) of block k: `c0 = [CC(i, 0, k), CC(i+1, 0, k)]`, and for
 * j = 1 … ipph-1 `up[j] = [CC(i, 2j, k), CC(i+1, 2j, k)]` and `down[j] = [CC(ic, 2j-1, k), CC(ic+1, 2j-1, k)]`
 * with ic = ido - i - 2.
 */
export interface RealPairOut<V> {
  c0: [V, V];
  up: [V, V][];
  down: [V, V][];
}

/**
 * `radfg`'s first step at the pair i, i+1: the twiddled `a[j] = C1(i, k, j)`, `b[j] = C1(i+1, k, j)`, with
 * `wr[j], wi[j] = WA(j-1, i-1), WA(j-1, i)` for j = 1 … ip-1.
 */
export function realForwardPairInputs<V>(A: Arith<V>, a0: readonly V[], b0: readonly V[], wr: readonly V[], wi: readonly V[]): { a: V[]; b: V[] } {
  const ip = a0.length;
  const ipph = (ip + 1) >> 1;
  const a = a0.slice();
  const b = b0.slice();
  for (let j = 1, jc = ip - 1; j < ipph; j++, jc--) {
    const x1 = A.add(A.mul(wr[j], a0[j]), A.mul(wi[j], b0[j]));
    const x2 = A.sub(A.mul(wr[j], b0[j]), A.mul(wi[j], a0[j]));
    const x3 = A.add(A.mul(wr[jc], a0[jc]), A.mul(wi[jc], b0[jc]));
    const x4 = A.sub(A.mul(wr[jc], b0[jc]), A.mul(wi[jc], a0[jc]));
    a[j] = A.add(x3, x1);
    b[jc] = A.sub(x3, x1);
    b[j] = A.add(x2, x4);
    a[jc] = A.sub(x2, x4);
  }
  return { a, b };
}

/** `radfg`'s outputs at the pair for one j, from the combinations `ya[j], ya[ip-j], yb[j], yb[ip-j]`: `up[j]`, `down[j]`. */
export function realForwardPairOutputs<V>(A: Arith<V>, yaj: V, yajc: V, ybj: V, ybjc: V): { up: [V, V]; down: [V, V] } {
  return { up: [A.add(yaj, yajc), A.add(ybj, ybjc)], down: [A.sub(yaj, yajc), A.sub(ybjc, ybj)] };
}

/** `radfg` at the pair i, i+1: `a[j] = C1(i, k, j)`, `b[j] = C1(i+1, k, j)` and the twiddles (`realForwardPairInputs`). */
export function realForwardGenericPair<V>(A: Arith<V>, a0: readonly V[], b0: readonly V[], wr: readonly V[], wi: readonly V[], cs: Float32Array): RealPairOut<V> {
  const ip = a0.length;
  const ipph = (ip + 1) >> 1;
  const { a, b } = realForwardPairInputs(A, a0, b0, wr, wi);
  const ya = realCombinations(A, a, cs);
  const yb = realCombinations(A, b, cs);
  const up: [V, V][] = [];
  const down: [V, V][] = [];
  for (let j = 1, jc = ip - 1; j < ipph; j++, jc--) {
    const o = realForwardPairOutputs(A, ya[j], ya[jc], yb[j], yb[jc]);
    up[j] = o.up;
    down[j] = o.down;
  }
  return { c0: [leadingSum(A, a), leadingSum(A, b)], up, down };
}

/** `radbg`'s first step at position 0: `h[0] = CC(0, 0, k)`, `h[j] = 2 CC(ido-1, 2j-1, k)`, `h[ip-j] = 2 CC(0, 2j, k)`. */
export function realBackwardFirstInputs<V>(A: Arith<V>, c0: V, last: readonly V[], first: readonly V[]): V[] {
  const ip = 2 * last.length - 1;
  const ipph = (ip + 1) >> 1;
  const two = A.konst(2);
  const h: V[] = new Array(ip);
  h[0] = c0;
  for (let j = 1, jc = ip - 1; j < ipph; j++, jc--) {
    h[j] = A.mul(two, last[j]);
    h[jc] = A.mul(two, first[j]);
  }
  return h;
}

/** `radbg`'s outputs at position 0 for one l, from its combinations `y[l], y[ip-l]`: `[CH(0, k, l), CH(0, k, ip-l)]`. */
export function realBackwardFirstOutputs<V>(A: Arith<V>, yl: V, ylc: V): [V, V] {
  return [A.sub(yl, ylc), A.add(yl, ylc)];
}

/**
 * `radbg` at position 0 of block k, from `CC(0, 0, k)`, `last[j] = CC(ido-1, 2j-1, k)` and
 * `first[j] = CC(0, 2j, k)`: the outputs `CH(0, k, j)`, j = 0 … ip-1.
 */
export function realBackwardGenericFirst<V>(A: Arith<V>, c0: V, last: readonly V[], first: readonly V[], cs: Float32Array): V[] {
  const h = realBackwardFirstInputs(A, c0, last, first);
  const ip = h.length;
  const ipph = (ip + 1) >> 1;
  const y = realCombinations(A, h, cs);
  const out: V[] = new Array(ip);
  out[0] = leadingSum(A, h);
  for (let j = 1, jc = ip - 1; j < ipph; j++, jc--) [out[j], out[jc]] = realBackwardFirstOutputs(A, y[j], y[jc]);
  return out;
}

/** `radbg`'s first step at the pair i, i+1 (see `realBackwardGenericPair` for the inputs): `ha[j]`, `hb[j]`. */
export function realBackwardPairInputs<V>(A: Arith<V>, c0: readonly [V, V], up: readonly [V, V][], down: readonly [V, V][]): { ha: V[]; hb: V[] } {
  const ip = 2 * up.length - 1;
  const ipph = (ip + 1) >> 1;
  const ha: V[] = new Array(ip);
  const hb: V[] = new Array(ip);
  ha[0] = c0[0];
  hb[0] = c0[1];
  for (let j = 1, jc = ip - 1; j < ipph; j++, jc--) {
    ha[j] = A.add(up[j][0], down[j][0]);
    ha[jc] = A.sub(up[j][0], down[j][0]);
    hb[j] = A.sub(up[j][1], down[j][1]);
    hb[jc] = A.add(up[j][1], down[j][1]);
  }
  return { ha, hb };
}

/**
 * `radbg`'s outputs at the pair for one j (1 … ipph-1), from the combinations `ya[j], ya[ip-j], yb[j], yb[ip-j]`
 * and the twiddles of j and ip-j (`[wr, wi]`): `[CH(i, k, j), CH(i+1, k, j)]` and the same for ip-j.
 */
export function realBackwardPairOutputs<V>(A: Arith<V>, yaj: V, yajc: V, ybj: V, ybjc: V, wj: readonly [V, V], wjc: readonly [V, V]): { j: [V, V]; jc: [V, V] } {
  const twiddle = ([t1, t2]: [V, V], [wr, wi]: readonly [V, V]): [V, V] => [A.sub(A.mul(wr, t1), A.mul(wi, t2)), A.add(A.mul(wr, t2), A.mul(wi, t1))];
  return { j: twiddle([A.sub(yaj, ybjc), A.add(ybj, yajc)], wj), jc: twiddle([A.add(yaj, ybjc), A.sub(ybj, yajc)], wjc) };
}

/**
 * `radbg` at the pair i, i+1 (i odd) of block k, from `c0 = [CC(i, 0, k), CC(i+1, 0, k)]`,
 * `up[j] = [CC(i, 2j, k), CC(i+1, 2j, k)]`, `down[j] = [CC(ic, 2j-1, k), CC(ic+1, 2j-1, k)]` and the
 * twiddles: the outputs `[CH(i, k, j), CH(i+1, k, j)]`, j = 0 … ip-1.
 */
export function realBackwardGenericPair<V>(A: Arith<V>, c0: readonly [V, V], up: readonly [V, V][], down: readonly [V, V][], wr: readonly V[], wi: readonly V[], cs: Float32Array): [V, V][] {
  const { ha, hb } = realBackwardPairInputs(A, c0, up, down);
  const ip = ha.length;
  const ipph = (ip + 1) >> 1;
  const ya = realCombinations(A, ha, cs);
  const yb = realCombinations(A, hb, cs);
  const out: [V, V][] = new Array(ip);
  out[0] = [leadingSum(A, ha), leadingSum(A, hb)];
  for (let j = 1, jc = ip - 1; j < ipph; j++, jc--) {
    const o = realBackwardPairOutputs(A, ya[j], ya[jc], yb[j], yb[jc], [wr[j], wi[j]], [wr[jc], wi[jc]]);
    out[j] = o.j;
    out[jc] = o.jc;
  }
  return out;
}

/**
 * The generic real passes take position 0 and then the pairs (1, 2), (3, 4), …, so they need an odd `ido`. It
 * always is: a real plan's odd factors come last (pocketfft's order: 4s, a 2 moved first, odd factors
 * ascending), so the `ido` of an odd factor is a product of odd factors. An even one would leave the last
 * position untransformed, hence the check.
 */
export function requireOddIdo(ido: number): void {
  if (ido % 2 === 0) throw new RangeError(`a generic real pass needs an odd ido, got ${ido}`);
}
