/**
 * The scalar passes of ./plans.ts for odd prime factors above 5: drivers that load one position, apply the
 * butterfly shared with the SIMD code generator (./odd-butterflies.ts) and store, writing cc -> ch as the other
 * passes do (pocketfft's generic passes leave their result in cc; which buffer holds it changes no value).
 * Addressing as in ./small-passes.ts: complex CC(i, m, k) = i + ido (m + ip k), CH(i, k, m) = i + ido (k + l1 m),
 * WA(x, i) = i - 1 + x (ido - 1), interleaved; real as noted at each pass.
 */
import { scalarArith, specialMul, type Cx } from './arith.js';
import { radixGenericComplex, radixSmallOdd, realBackwardGenericFirst, realBackwardGenericPair, realForwardGenericFirst, realForwardGenericPair, requireOddIdo } from './odd-butterflies.js';

/** Complex radix 7, 11 or a prime from 13 (`pass7`, `pass11`, `passg`). */
export function passOdd(ido: number, l1: number, ip: number, cc: Float32Array, ch: Float32Array, wa: Float32Array, tws: Float32Array, fwd: boolean): void {
  const A = scalarArith;
  const x: Cx<number>[] = new Array(ip);
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      for (let m = 0; m < ip; m++) {
        const e = 2 * (i + ido * (m + ip * k));
        x[m] = { r: cc[e], i: cc[e + 1] };
      }
      const out = ip <= 11 ? radixSmallOdd(A, x, fwd) : radixGenericComplex(A, x, tws, fwd);
      for (let u = 0; u < ip; u++) {
        let v = out[u];
        if (i > 0 && u > 0) {
          const w = 2 * (i - 1 + (u - 1) * (ido - 1));
          v = specialMul(A, v, { r: wa[w], i: wa[w + 1] }, fwd);
        }
        const o = 2 * (i + ido * (k + l1 * u));
        ch[o] = v.r;
        ch[o + 1] = v.i;
      }
    }
  }
}

/**
 * The twiddles of a real generic pass for every pair i, i+1 (i = 1, 3, …, ido-2), indexed by (i - 1) / 2:
 * `WA(j-1, i-1)`, `WA(j-1, i)` for j = 1 … ip-1 (the same for every block k).
 */
function pairTwiddles(wa: Float32Array, ip: number, ido: number): { wr: number[]; wi: number[] }[] {
  const out: { wr: number[]; wi: number[] }[] = [];
  for (let i = 1; i <= ido - 2; i += 2) {
    const wr: number[] = [0];
    const wi: number[] = [0];
    for (let j = 1; j < ip; j++) {
      wr[j] = wa[(j - 1) * (ido - 1) + i - 1];
      wi[j] = wa[(j - 1) * (ido - 1) + i];
    }
    out.push({ wr, wi });
  }
  return out;
}

/** `radfg`: C1(i, k, j) = cc[i + ido (k + l1 j)] to CC(i, m, k) = ch[i + ido (m + ip k)]. */
export function radfg(ido: number, l1: number, ip: number, cc: Float32Array, ch: Float32Array, wa: Float32Array, cs: Float32Array): void {
  const A = scalarArith;
  const ipph = (ip + 1) >> 1;
  requireOddIdo(ido);
  const twiddles = pairTwiddles(wa, ip, ido);
  const C1 = (i: number, k: number, j: number) => cc[i + ido * (k + l1 * j)];
  const CC = (i: number, m: number, k: number) => i + ido * (m + ip * k);
  const js = Array.from({ length: ip }, (_, j) => j);
  for (let k = 0; k < l1; k++) {
    const first = realForwardGenericFirst(A, js.map((j) => C1(0, k, j)), cs);
    ch[CC(0, 0, k)] = first.c0;
    for (let j = 1; j < ipph; j++) {
      ch[CC(ido - 1, 2 * j - 1, k)] = first.last[j];
      ch[CC(0, 2 * j, k)] = first.first[j];
    }
    for (let i = 1; i <= ido - 2; i += 2) {
      const ic = ido - i - 2;
      const { wr, wi } = twiddles[(i - 1) >> 1];
      const r = realForwardGenericPair(A, js.map((j) => C1(i, k, j)), js.map((j) => C1(i + 1, k, j)), wr, wi, cs);
      ch[CC(i, 0, k)] = r.c0[0];
      ch[CC(i + 1, 0, k)] = r.c0[1];
      for (let j = 1; j < ipph; j++) {
        ch[CC(i, 2 * j, k)] = r.up[j][0];
        ch[CC(i + 1, 2 * j, k)] = r.up[j][1];
        ch[CC(ic, 2 * j - 1, k)] = r.down[j][0];
        ch[CC(ic + 1, 2 * j - 1, k)] = r.down[j][1];
      }
    }
  }
}

/** `radbg`: CC(i, m, k) = cc[i + ido (m + ip k)] to CH(i, k, j) = ch[i + ido (k + l1 j)]. */
export function radbg(ido: number, l1: number, ip: number, cc: Float32Array, ch: Float32Array, wa: Float32Array, cs: Float32Array): void {
  const A = scalarArith;
  const ipph = (ip + 1) >> 1;
  requireOddIdo(ido);
  const twiddles = pairTwiddles(wa, ip, ido);
  const CC = (i: number, m: number, k: number) => cc[i + ido * (m + ip * k)];
  const CH = (i: number, k: number, j: number) => i + ido * (k + l1 * j);
  const hs = Array.from({ length: ipph }, (_, j) => j);
  for (let k = 0; k < l1; k++) {
    const out = realBackwardGenericFirst(
      A,
      CC(0, 0, k),
      hs.map((j) => (j === 0 ? 0 : CC(ido - 1, 2 * j - 1, k))),
      hs.map((j) => (j === 0 ? 0 : CC(0, 2 * j, k))),
      cs,
    );
    for (let j = 0; j < ip; j++) ch[CH(0, k, j)] = out[j];
    for (let i = 1; i <= ido - 2; i += 2) {
      const ic = ido - i - 2;
      const { wr, wi } = twiddles[(i - 1) >> 1];
      const up = hs.map((j): [number, number] => (j === 0 ? [0, 0] : [CC(i, 2 * j, k), CC(i + 1, 2 * j, k)]));
      const down = hs.map((j): [number, number] => (j === 0 ? [0, 0] : [CC(ic, 2 * j - 1, k), CC(ic + 1, 2 * j - 1, k)]));
      const pair = realBackwardGenericPair(A, [CC(i, 0, k), CC(i + 1, 0, k)], up, down, wr, wi, cs);
      for (let j = 0; j < ip; j++) {
        ch[CH(i, k, j)] = pair[j][0];
        ch[CH(i + 1, k, j)] = pair[j][1];
      }
    }
  }
}
