/**
 * The scalar passes of ./plans.ts for the small radices: complex 2, 3, 4, 5 and 8, real 2, 3, 4 and 5 (the odd
 * primes from 7 are ./odd-passes.ts), each pocketfft's butterfly operation by operation, every result rounded
 * to float32 (see ./plans.ts for why). Complex data are interleaved; the addressing macros are written out at
 * each pass. The float32 constants are shared with the SIMD code generator (./simd-codegen.ts).
 */

const f = Math.fround;

// ---------------------------------------------------------------------------------------------------------
// Constants, rounded to float32 as the reference's `T0(...)` casts do

export const TW3I = f(0.8660254037844386);
export const TW5_1R = f(0.30901699437494745);
export const TW5_1I = f(0.9510565162951535);
export const TW5_2R = f(-0.8090169943749475);
export const TW5_2I = f(0.5877852522924731);
export const HSQT2 = f(0.7071067811865476);
export const SQRT2 = f(1.4142135623730951);

/**
 * `res = special_mul<fwd>(v, w)` into `out[o], out[o+1]`: forward multiplies by conj(w), backward by w.
 * `sign` is +1 forward, -1 backward.
 */
function specialMul(vr: number, vi: number, wr: number, wi: number, sign: number, out: Float32Array, o: number): void {
  if (sign > 0) {
    out[o] = f(f(vr * wr) + f(vi * wi));
    out[o + 1] = f(f(vi * wr) - f(vr * wi));
  } else {
    out[o] = f(f(vr * wr) - f(vi * wi));
    out[o + 1] = f(f(vr * wi) + f(vi * wr));
  }
}

export function pass2(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array, sign: number): void {
  // CH(a,b,c) = ch[a + ido*(b + l1*c)], CC(a,b,c) = cc[a + ido*(b + 2*c)], WA(x,i) = wa[i-1 + x*(ido-1)]
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const c0 = 2 * (i + ido * (2 * k));
      const c1 = 2 * (i + ido * (1 + 2 * k));
      const h0 = 2 * (i + ido * k);
      const h1 = 2 * (i + ido * (k + l1));
      const ar = cc[c0], ai = cc[c0 + 1], br = cc[c1], bi = cc[c1 + 1];
      ch[h0] = f(ar + br);
      ch[h0 + 1] = f(ai + bi);
      if (i === 0) {
        ch[h1] = f(ar - br);
        ch[h1 + 1] = f(ai - bi);
      } else {
        const w = 2 * (i - 1);
        specialMul(f(ar - br), f(ai - bi), wa[w], wa[w + 1], sign, ch, h1);
      }
    }
  }
}

export function pass3(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array, sign: number): void {
  const tw1r = -0.5;
  const tw1i = sign > 0 ? -TW3I : TW3I;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const cIdx = (m: number) => 2 * (i + ido * (m + 3 * k));
      const hIdx = (m: number) => 2 * (i + ido * (k + l1 * m));
      const c0 = cIdx(0), c1 = cIdx(1), c2 = cIdx(2);
      const t0r = cc[c0], t0i = cc[c0 + 1];
      const t1r = f(cc[c1] + cc[c2]), t1i = f(cc[c1 + 1] + cc[c2 + 1]);
      const t2r = f(cc[c1] - cc[c2]), t2i = f(cc[c1 + 1] - cc[c2 + 1]);
      const h0 = hIdx(0);
      ch[h0] = f(t0r + t1r);
      ch[h0 + 1] = f(t0i + t1i);
      // ca = t0 + t1*tw1r; cb = (-t2.i*tw1i, t2.r*tw1i)
      const car = f(t0r + f(t1r * tw1r)), cai = f(t0i + f(t1i * tw1r));
      const cbr = f(-t2i * tw1i), cbi = f(t2r * tw1i);
      const h1 = hIdx(1), h2 = hIdx(2);
      if (i === 0) {
        ch[h1] = f(car + cbr);
        ch[h1 + 1] = f(cai + cbi);
        ch[h2] = f(car - cbr);
        ch[h2 + 1] = f(cai - cbi);
      } else {
        const w1 = 2 * (i - 1), w2 = 2 * (i - 1 + (ido - 1));
        specialMul(f(car + cbr), f(cai + cbi), wa[w1], wa[w1 + 1], sign, ch, h1);
        specialMul(f(car - cbr), f(cai - cbi), wa[w2], wa[w2 + 1], sign, ch, h2);
      }
    }
  }
}

export function pass4(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array, sign: number): void {
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const c0 = 2 * (i + ido * (4 * k));
      const c1 = 2 * (i + ido * (1 + 4 * k));
      const c2 = 2 * (i + ido * (2 + 4 * k));
      const c3 = 2 * (i + ido * (3 + 4 * k));
      // PM(t2, t1, cc0, cc2); PM(t3, t4, cc1, cc3)
      const t2r = f(cc[c0] + cc[c2]), t2i = f(cc[c0 + 1] + cc[c2 + 1]);
      const t1r = f(cc[c0] - cc[c2]), t1i = f(cc[c0 + 1] - cc[c2 + 1]);
      const t3r = f(cc[c1] + cc[c3]), t3i = f(cc[c1 + 1] + cc[c3 + 1]);
      let t4r = f(cc[c1] - cc[c3]), t4i = f(cc[c1 + 1] - cc[c3 + 1]);
      // ROTX90<fwd>(t4): forward (r,i) -> (i,-r); backward (r,i) -> (-i,r)
      if (sign > 0) [t4r, t4i] = [t4i, -t4r];
      else [t4r, t4i] = [-t4i, t4r];
      const h0 = 2 * (i + ido * k);
      const h1 = 2 * (i + ido * (k + l1));
      const h2 = 2 * (i + ido * (k + 2 * l1));
      const h3 = 2 * (i + ido * (k + 3 * l1));
      if (i === 0) {
        ch[h0] = f(t2r + t3r);
        ch[h0 + 1] = f(t2i + t3i);
        ch[h2] = f(t2r - t3r);
        ch[h2 + 1] = f(t2i - t3i);
        ch[h1] = f(t1r + t4r);
        ch[h1 + 1] = f(t1i + t4i);
        ch[h3] = f(t1r - t4r);
        ch[h3 + 1] = f(t1i - t4i);
      } else {
        ch[h0] = f(t2r + t3r);
        ch[h0 + 1] = f(t2i + t3i);
        const w0 = 2 * (i - 1), w1 = 2 * (i - 1 + (ido - 1)), w2 = 2 * (i - 1 + 2 * (ido - 1));
        specialMul(f(t1r + t4r), f(t1i + t4i), wa[w0], wa[w0 + 1], sign, ch, h1);
        specialMul(f(t2r - t3r), f(t2i - t3i), wa[w1], wa[w1 + 1], sign, ch, h2);
        specialMul(f(t1r - t4r), f(t1i - t4i), wa[w2], wa[w2 + 1], sign, ch, h3);
      }
    }
  }
}

export function pass5(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array, sign: number): void {
  const tw1r = TW5_1R;
  const tw1i = sign > 0 ? -TW5_1I : TW5_1I;
  const tw2r = TW5_2R;
  const tw2i = sign > 0 ? -TW5_2I : TW5_2I;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const c = (m: number) => 2 * (i + ido * (m + 5 * k));
      const h = (m: number) => 2 * (i + ido * (k + l1 * m));
      const c0 = c(0), c1 = c(1), c2 = c(2), c3 = c(3), c4 = c(4);
      const t0r = cc[c0], t0i = cc[c0 + 1];
      // PM(t1, t4, cc1, cc4); PM(t2, t3, cc2, cc3)
      const t1r = f(cc[c1] + cc[c4]), t1i = f(cc[c1 + 1] + cc[c4 + 1]);
      const t4r = f(cc[c1] - cc[c4]), t4i = f(cc[c1 + 1] - cc[c4 + 1]);
      const t2r = f(cc[c2] + cc[c3]), t2i = f(cc[c2 + 1] + cc[c3 + 1]);
      const t3r = f(cc[c2] - cc[c3]), t3i = f(cc[c2 + 1] - cc[c3 + 1]);
      const h0 = h(0);
      ch[h0] = f(f(t0r + t1r) + t2r);
      ch[h0 + 1] = f(f(t0i + t1i) + t2i);
      // Two part-steps: (u1, u2, twar, twbr, twai, twbi) = (1, 4, tw1r, tw2r, +tw1i, +tw2i), (2, 3, tw2r, tw1r, +tw2i, -tw1i)
      const step = (u1: number, u2: number, twar: number, twbr: number, twai: number, twbi: number, subtract: boolean) => {
        const car = f(f(t0r + f(twar * t1r)) + f(twbr * t2r));
        const cai = f(f(t0i + f(twar * t1i)) + f(twbr * t2i));
        // cb.i = twai*t4.r (+|-) twbi*t3.r; cb.r = -(twai*t4.i (+|-) twbi*t3.i)
        const cbi = subtract ? f(f(twai * t4r) - f(twbi * t3r)) : f(f(twai * t4r) + f(twbi * t3r));
        const cbr = -(subtract ? f(f(twai * t4i) - f(twbi * t3i)) : f(f(twai * t4i) + f(twbi * t3i)));
        const hu1 = h(u1), hu2 = h(u2);
        if (i === 0) {
          ch[hu1] = f(car + cbr);
          ch[hu1 + 1] = f(cai + cbi);
          ch[hu2] = f(car - cbr);
          ch[hu2 + 1] = f(cai - cbi);
        } else {
          const w1 = 2 * (i - 1 + (u1 - 1) * (ido - 1)), w2 = 2 * (i - 1 + (u2 - 1) * (ido - 1));
          specialMul(f(car + cbr), f(cai + cbi), wa[w1], wa[w1 + 1], sign, ch, hu1);
          specialMul(f(car - cbr), f(cai - cbi), wa[w2], wa[w2 + 1], sign, ch, hu2);
        }
      };
      step(1, 4, tw1r, tw2r, tw1i, tw2i, false);
      step(2, 3, tw2r, tw1r, tw2i, tw1i, true);
    }
  }
}

export function pass8(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array, sign: number): void {
  const fwd = sign > 0;
  const s = 2 * ido; // stride between the 8 inputs (and between outputs k + l1*m, times l1)
  const so = 2 * ido * l1;
  let t: number;
  for (let k = 0; k < l1; k++) {
    for (let i = 0; i < ido; i++) {
      const c0 = 2 * (i + ido * 8 * k);
      const h0 = 2 * (i + ido * k);
      // PM(a1, a5, cc1, cc5); PM(a3, a7, cc3, cc7)
      let a1r = f(cc[c0 + s] + cc[c0 + 5 * s]), a1i = f(cc[c0 + s + 1] + cc[c0 + 5 * s + 1]);
      let a5r = f(cc[c0 + s] - cc[c0 + 5 * s]), a5i = f(cc[c0 + s + 1] - cc[c0 + 5 * s + 1]);
      let a3r = f(cc[c0 + 3 * s] + cc[c0 + 7 * s]), a3i = f(cc[c0 + 3 * s + 1] + cc[c0 + 7 * s + 1]);
      let a7r = f(cc[c0 + 3 * s] - cc[c0 + 7 * s]), a7i = f(cc[c0 + 3 * s + 1] - cc[c0 + 7 * s + 1]);
      // ROTX90(a7) (exact; pocketfft does it before or after PMINPLACE(a1, a3) depending on the branch)
      if (fwd) { t = a7r; a7r = a7i; a7i = -t; } else { t = a7r; a7r = -a7i; a7i = t; }
      // PMINPLACE(a1, a3): a1 = a1 + a3; a3 = a1_old - a3; then ROTX90(a3)
      t = a1r; a1r = f(t + a3r); a3r = f(t - a3r);
      t = a1i; a1i = f(t + a3i); a3i = f(t - a3i);
      if (fwd) { t = a3r; a3r = a3i; a3i = -t; } else { t = a3r; a3r = -a3i; a3i = t; }
      // PMINPLACE(a5, a7); ROTX45(a5); ROTX135(a7)
      t = a5r; a5r = f(t + a7r); a7r = f(t - a7r);
      t = a5i; a5i = f(t + a7i); a7i = f(t - a7i);
      if (fwd) {
        t = a5r; a5r = f(HSQT2 * f(a5r + a5i)); a5i = f(HSQT2 * f(a5i - t));
        t = a7r; a7r = f(HSQT2 * f(a7i - a7r)); a7i = f(HSQT2 * f(-t - a7i));
      } else {
        t = a5r; a5r = f(HSQT2 * f(a5r - a5i)); a5i = f(HSQT2 * f(a5i + t));
        t = a7r; a7r = f(HSQT2 * f(-a7r - a7i)); a7i = f(HSQT2 * f(t - a7i));
      }
      // PM(a0, a4, cc0, cc4); PM(a2, a6, cc2, cc6)
      let a0r = f(cc[c0] + cc[c0 + 4 * s]), a0i = f(cc[c0 + 1] + cc[c0 + 4 * s + 1]);
      let a4r = f(cc[c0] - cc[c0 + 4 * s]), a4i = f(cc[c0 + 1] - cc[c0 + 4 * s + 1]);
      let a2r = f(cc[c0 + 2 * s] + cc[c0 + 6 * s]), a2i = f(cc[c0 + 2 * s + 1] + cc[c0 + 6 * s + 1]);
      let a6r = f(cc[c0 + 2 * s] - cc[c0 + 6 * s]), a6i = f(cc[c0 + 2 * s + 1] - cc[c0 + 6 * s + 1]);
      // PMINPLACE(a0, a2); (the i == 0 branch forms a0 + a2 and a0 - a2 inline: the same values)
      t = a0r; a0r = f(t + a2r); a2r = f(t - a2r);
      t = a0i; a0i = f(t + a2i); a2i = f(t - a2i);
      // ROTX90(a6); PMINPLACE(a4, a6)
      if (fwd) { t = a6r; a6r = a6i; a6i = -t; } else { t = a6r; a6r = -a6i; a6i = t; }
      t = a4r; a4r = f(t + a6r); a6r = f(t - a6r);
      t = a4i; a4i = f(t + a6i); a6i = f(t - a6i);
      if (i === 0) {
        ch[h0] = f(a0r + a1r); ch[h0 + 1] = f(a0i + a1i);
        ch[h0 + 4 * so] = f(a0r - a1r); ch[h0 + 4 * so + 1] = f(a0i - a1i);
        ch[h0 + 2 * so] = f(a2r + a3r); ch[h0 + 2 * so + 1] = f(a2i + a3i);
        ch[h0 + 6 * so] = f(a2r - a3r); ch[h0 + 6 * so + 1] = f(a2i - a3i);
        ch[h0 + so] = f(a4r + a5r); ch[h0 + so + 1] = f(a4i + a5i);
        ch[h0 + 5 * so] = f(a4r - a5r); ch[h0 + 5 * so + 1] = f(a4i - a5i);
        ch[h0 + 3 * so] = f(a6r + a7r); ch[h0 + 3 * so + 1] = f(a6i + a7i);
        ch[h0 + 7 * so] = f(a6r - a7r); ch[h0 + 7 * so + 1] = f(a6i - a7i);
      } else {
        const w = 2 * (i - 1);
        const dw = 2 * (ido - 1);
        ch[h0] = f(a0r + a1r); ch[h0 + 1] = f(a0i + a1i);
        specialMul(f(a0r - a1r), f(a0i - a1i), wa[w + 3 * dw], wa[w + 3 * dw + 1], sign, ch, h0 + 4 * so);
        specialMul(f(a2r + a3r), f(a2i + a3i), wa[w + dw], wa[w + dw + 1], sign, ch, h0 + 2 * so);
        specialMul(f(a2r - a3r), f(a2i - a3i), wa[w + 5 * dw], wa[w + 5 * dw + 1], sign, ch, h0 + 6 * so);
        specialMul(f(a4r + a5r), f(a4i + a5i), wa[w], wa[w + 1], sign, ch, h0 + so);
        specialMul(f(a4r - a5r), f(a4i - a5i), wa[w + 4 * dw], wa[w + 4 * dw + 1], sign, ch, h0 + 5 * so);
        specialMul(f(a6r + a7r), f(a6i + a7i), wa[w + 2 * dw], wa[w + 2 * dw + 1], sign, ch, h0 + 3 * so);
        specialMul(f(a6r - a7r), f(a6i - a7i), wa[w + 6 * dw], wa[w + 6 * dw + 1], sign, ch, h0 + 7 * so);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Real passes

// Forward real passes: CC(a,b,c) = cc[a + ido*(b + l1*c)], CH(a,b,c) = ch[a + ido*(b + ip*c)],
// WA(x,i) = wa[i + x*(ido-1)]. MULPM(a, b, c, d, e, g): a = c*e + d*g; b = c*g - d*e.

export function radf2(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array): void {
  const CC = (a: number, b: number, c: number) => a + ido * (b + l1 * c);
  const CH = (a: number, b: number, c: number) => a + ido * (b + 2 * c);
  for (let k = 0; k < l1; k++) {
    const x = cc[CC(0, k, 0)], y = cc[CC(0, k, 1)];
    ch[CH(0, 0, k)] = f(x + y);
    ch[CH(ido - 1, 1, k)] = f(x - y);
  }
  if ((ido & 1) === 0) {
    for (let k = 0; k < l1; k++) {
      ch[CH(0, 1, k)] = -cc[CC(ido - 1, k, 1)];
      ch[CH(ido - 1, 0, k)] = cc[CC(ido - 1, k, 0)];
    }
  }
  if (ido <= 2) return;
  for (let k = 0; k < l1; k++) {
    for (let i = 2; i < ido; i += 2) {
      const ic = ido - i;
      const wr = wa[i - 2], wi = wa[i - 1];
      const cr = cc[CC(i - 1, k, 1)], ci = cc[CC(i, k, 1)];
      const tr2 = f(f(wr * cr) + f(wi * ci));
      const ti2 = f(f(wr * ci) - f(wi * cr));
      const a = cc[CC(i - 1, k, 0)], b = cc[CC(i, k, 0)];
      ch[CH(i - 1, 0, k)] = f(a + tr2);
      ch[CH(ic - 1, 1, k)] = f(a - tr2);
      ch[CH(i, 0, k)] = f(ti2 + b);
      ch[CH(ic, 1, k)] = f(ti2 - b);
    }
  }
}

export function radf3(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array): void {
  const taur = -0.5;
  const taui = TW3I;
  const CC = (a: number, b: number, c: number) => a + ido * (b + l1 * c);
  const CH = (a: number, b: number, c: number) => a + ido * (b + 3 * c);
  const WA = (x: number, i: number) => wa[i + x * (ido - 1)];
  for (let k = 0; k < l1; k++) {
    const c0 = cc[CC(0, k, 0)], c1 = cc[CC(0, k, 1)], c2 = cc[CC(0, k, 2)];
    const cr2 = f(c1 + c2);
    ch[CH(0, 0, k)] = f(c0 + cr2);
    ch[CH(0, 2, k)] = f(taui * f(c2 - c1));
    ch[CH(ido - 1, 1, k)] = f(c0 + f(taur * cr2));
  }
  if (ido === 1) return;
  for (let k = 0; k < l1; k++) {
    for (let i = 2; i < ido; i += 2) {
      const ic = ido - i;
      const w0r = WA(0, i - 2), w0i = WA(0, i - 1), w1r = WA(1, i - 2), w1i = WA(1, i - 1);
      const a1r = cc[CC(i - 1, k, 1)], a1i = cc[CC(i, k, 1)], a2r = cc[CC(i - 1, k, 2)], a2i = cc[CC(i, k, 2)];
      let dr2 = f(f(w0r * a1r) + f(w0i * a1i));
      let di2 = f(f(w0r * a1i) - f(w0i * a1r));
      let dr3 = f(f(w1r * a2r) + f(w1i * a2i));
      let di3 = f(f(w1r * a2i) - f(w1i * a2r));
      // REARRANGE(dr2, di2, dr3, di3): t1 = rx+ry, t2 = ry-rx, t3 = ix+iy, t4 = ix-iy; rx=t1, ix=t3, ry=t4, iy=t2
      [dr2, di2, dr3, di3] = [f(dr2 + dr3), f(di2 + di3), f(di2 - di3), f(dr3 - dr2)];
      const c0r = cc[CC(i - 1, k, 0)], c0i = cc[CC(i, k, 0)];
      ch[CH(i - 1, 0, k)] = f(c0r + dr2);
      ch[CH(i, 0, k)] = f(c0i + di2);
      const tr2 = f(c0r + f(taur * dr2));
      const ti2 = f(c0i + f(taur * di2));
      const tr3 = f(taui * dr3);
      const ti3 = f(taui * di3);
      ch[CH(i - 1, 2, k)] = f(tr2 + tr3);
      ch[CH(ic - 1, 1, k)] = f(tr2 - tr3);
      ch[CH(i, 2, k)] = f(ti3 + ti2);
      ch[CH(ic, 1, k)] = f(ti3 - ti2);
    }
  }
}

export function radf4(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array): void {
  const CC = (a: number, b: number, c: number) => a + ido * (b + l1 * c);
  const CH = (a: number, b: number, c: number) => a + ido * (b + 4 * c);
  const WA = (x: number, i: number) => wa[i + x * (ido - 1)];
  for (let k = 0; k < l1; k++) {
    const c0 = cc[CC(0, k, 0)], c1 = cc[CC(0, k, 1)], c2 = cc[CC(0, k, 2)], c3 = cc[CC(0, k, 3)];
    // PM(tr1, CH(0,2,k), CC3, CC1); PM(tr2, CH(ido-1,1,k), CC0, CC2); PM(CH(0,0,k), CH(ido-1,3,k), tr2, tr1)
    const tr1 = f(c3 + c1);
    ch[CH(0, 2, k)] = f(c3 - c1);
    const tr2 = f(c0 + c2);
    ch[CH(ido - 1, 1, k)] = f(c0 - c2);
    ch[CH(0, 0, k)] = f(tr2 + tr1);
    ch[CH(ido - 1, 3, k)] = f(tr2 - tr1);
  }
  if ((ido & 1) === 0) {
    for (let k = 0; k < l1; k++) {
      const c0 = cc[CC(ido - 1, k, 0)], c1 = cc[CC(ido - 1, k, 1)], c2 = cc[CC(ido - 1, k, 2)], c3 = cc[CC(ido - 1, k, 3)];
      const ti1 = f(-HSQT2 * f(c1 + c3));
      const tr1 = f(HSQT2 * f(c1 - c3));
      ch[CH(ido - 1, 0, k)] = f(c0 + tr1);
      ch[CH(ido - 1, 2, k)] = f(c0 - tr1);
      ch[CH(0, 3, k)] = f(ti1 + c2);
      ch[CH(0, 1, k)] = f(ti1 - c2);
    }
  }
  if (ido <= 2) return;
  for (let k = 0; k < l1; k++) {
    for (let i = 2; i < ido; i += 2) {
      const ic = ido - i;
      const w0r = WA(0, i - 2), w0i = WA(0, i - 1), w1r = WA(1, i - 2), w1i = WA(1, i - 1);
      const w2r = WA(2, i - 2), w2i = WA(2, i - 1);
      const a1r = cc[CC(i - 1, k, 1)], a1i = cc[CC(i, k, 1)];
      const a2r = cc[CC(i - 1, k, 2)], a2i = cc[CC(i, k, 2)];
      const a3r = cc[CC(i - 1, k, 3)], a3i = cc[CC(i, k, 3)];
      const cr2 = f(f(w0r * a1r) + f(w0i * a1i)), ci2 = f(f(w0r * a1i) - f(w0i * a1r));
      const cr3 = f(f(w1r * a2r) + f(w1i * a2i)), ci3 = f(f(w1r * a2i) - f(w1i * a2r));
      const cr4 = f(f(w2r * a3r) + f(w2i * a3i)), ci4 = f(f(w2r * a3i) - f(w2i * a3r));
      const tr1 = f(cr4 + cr2), tr4 = f(cr4 - cr2);
      const ti1 = f(ci2 + ci4), ti4 = f(ci2 - ci4);
      const c0r = cc[CC(i - 1, k, 0)], c0i = cc[CC(i, k, 0)];
      const tr2 = f(c0r + cr3), tr3 = f(c0r - cr3);
      const ti2 = f(c0i + ci3), ti3 = f(c0i - ci3);
      ch[CH(i - 1, 0, k)] = f(tr2 + tr1);
      ch[CH(ic - 1, 3, k)] = f(tr2 - tr1);
      ch[CH(i, 0, k)] = f(ti1 + ti2);
      ch[CH(ic, 3, k)] = f(ti1 - ti2);
      ch[CH(i - 1, 2, k)] = f(tr3 + ti4);
      ch[CH(ic - 1, 1, k)] = f(tr3 - ti4);
      ch[CH(i, 2, k)] = f(tr4 + ti3);
      ch[CH(ic, 1, k)] = f(tr4 - ti3);
    }
  }
}

export function radf5(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array): void {
  const tr11 = TW5_1R, ti11 = TW5_1I, tr12 = TW5_2R, ti12 = TW5_2I;
  const CC = (a: number, b: number, c: number) => a + ido * (b + l1 * c);
  const CH = (a: number, b: number, c: number) => a + ido * (b + 5 * c);
  const WA = (x: number, i: number) => wa[i + x * (ido - 1)];
  for (let k = 0; k < l1; k++) {
    const c0 = cc[CC(0, k, 0)], c1 = cc[CC(0, k, 1)], c2 = cc[CC(0, k, 2)], c3 = cc[CC(0, k, 3)], c4 = cc[CC(0, k, 4)];
    // PM(cr2, ci5, CC4, CC1); PM(cr3, ci4, CC3, CC2)
    const cr2 = f(c4 + c1), ci5 = f(c4 - c1);
    const cr3 = f(c3 + c2), ci4 = f(c3 - c2);
    ch[CH(0, 0, k)] = f(f(c0 + cr2) + cr3);
    ch[CH(ido - 1, 1, k)] = f(f(c0 + f(tr11 * cr2)) + f(tr12 * cr3));
    ch[CH(0, 2, k)] = f(f(ti11 * ci5) + f(ti12 * ci4));
    ch[CH(ido - 1, 3, k)] = f(f(c0 + f(tr12 * cr2)) + f(tr11 * cr3));
    ch[CH(0, 4, k)] = f(f(ti12 * ci5) - f(ti11 * ci4));
  }
  if (ido === 1) return;
  for (let k = 0; k < l1; k++) {
    for (let i = 2, ic = ido - 2; i < ido; i += 2, ic -= 2) {
      const mul = (x: number, ar: number, ai: number): [number, number] => {
        const wr = WA(x, i - 2), wi = WA(x, i - 1);
        return [f(f(wr * ar) + f(wi * ai)), f(f(wr * ai) - f(wi * ar))];
      };
      let [dr2, di2] = mul(0, cc[CC(i - 1, k, 1)], cc[CC(i, k, 1)]);
      let [dr3, di3] = mul(1, cc[CC(i - 1, k, 2)], cc[CC(i, k, 2)]);
      let [dr4, di4] = mul(2, cc[CC(i - 1, k, 3)], cc[CC(i, k, 3)]);
      let [dr5, di5] = mul(3, cc[CC(i - 1, k, 4)], cc[CC(i, k, 4)]);
      [dr2, di2, dr5, di5] = [f(dr2 + dr5), f(di2 + di5), f(di2 - di5), f(dr5 - dr2)];
      [dr3, di3, dr4, di4] = [f(dr3 + dr4), f(di3 + di4), f(di3 - di4), f(dr4 - dr3)];
      const c0r = cc[CC(i - 1, k, 0)], c0i = cc[CC(i, k, 0)];
      ch[CH(i - 1, 0, k)] = f(f(c0r + dr2) + dr3);
      ch[CH(i, 0, k)] = f(f(c0i + di2) + di3);
      const tr2 = f(f(c0r + f(tr11 * dr2)) + f(tr12 * dr3));
      const ti2 = f(f(c0i + f(tr11 * di2)) + f(tr12 * di3));
      const tr3 = f(f(c0r + f(tr12 * dr2)) + f(tr11 * dr3));
      const ti3 = f(f(c0i + f(tr12 * di2)) + f(tr11 * di3));
      const tr5 = f(f(ti11 * dr5) + f(ti12 * dr4));
      const ti5 = f(f(ti11 * di5) + f(ti12 * di4));
      const tr4 = f(f(ti12 * dr5) - f(ti11 * dr4));
      const ti4 = f(f(ti12 * di5) - f(ti11 * di4));
      ch[CH(i - 1, 2, k)] = f(tr2 + tr5);
      ch[CH(ic - 1, 1, k)] = f(tr2 - tr5);
      ch[CH(i, 2, k)] = f(ti5 + ti2);
      ch[CH(ic, 1, k)] = f(ti5 - ti2);
      ch[CH(i - 1, 4, k)] = f(tr3 + tr4);
      ch[CH(ic - 1, 3, k)] = f(tr3 - tr4);
      ch[CH(i, 4, k)] = f(ti4 + ti3);
      ch[CH(ic, 3, k)] = f(ti4 - ti3);
    }
  }
}

// Backward real passes: CC(a,b,c) = cc[a + ido*(b + ip*c)], CH(a,b,c) = ch[a + ido*(b + l1*c)].
// MULPM(CH(i,k,m), CH(i-1,k,m), wr, wi, x, y): CH(i) = wr*x + wi*y; CH(i-1) = wr*y - wi*x.

export function radb2(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array): void {
  const CC = (a: number, b: number, c: number) => a + ido * (b + 2 * c);
  const CH = (a: number, b: number, c: number) => a + ido * (b + l1 * c);
  for (let k = 0; k < l1; k++) {
    const x = cc[CC(0, 0, k)], y = cc[CC(ido - 1, 1, k)];
    ch[CH(0, k, 0)] = f(x + y);
    ch[CH(0, k, 1)] = f(x - y);
  }
  if ((ido & 1) === 0) {
    for (let k = 0; k < l1; k++) {
      ch[CH(ido - 1, k, 0)] = f(2 * cc[CC(ido - 1, 0, k)]);
      ch[CH(ido - 1, k, 1)] = f(-2 * cc[CC(0, 1, k)]);
    }
  }
  if (ido <= 2) return;
  for (let k = 0; k < l1; k++) {
    for (let i = 2; i < ido; i += 2) {
      const ic = ido - i;
      const a = cc[CC(i - 1, 0, k)], b = cc[CC(ic - 1, 1, k)];
      ch[CH(i - 1, k, 0)] = f(a + b);
      const tr2 = f(a - b);
      const c = cc[CC(i, 0, k)], d = cc[CC(ic, 1, k)];
      const ti2 = f(c + d);
      ch[CH(i, k, 0)] = f(c - d);
      const wr = wa[i - 2], wi = wa[i - 1];
      ch[CH(i, k, 1)] = f(f(wr * ti2) + f(wi * tr2));
      ch[CH(i - 1, k, 1)] = f(f(wr * tr2) - f(wi * ti2));
    }
  }
}

export function radb3(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array): void {
  const taur = -0.5;
  const taui = TW3I;
  const twoTaui = f(2 * taui);
  const CC = (a: number, b: number, c: number) => a + ido * (b + 3 * c);
  const CH = (a: number, b: number, c: number) => a + ido * (b + l1 * c);
  const WA = (x: number, i: number) => wa[i + x * (ido - 1)];
  for (let k = 0; k < l1; k++) {
    const tr2 = f(2 * cc[CC(ido - 1, 1, k)]);
    const c0 = cc[CC(0, 0, k)];
    const cr2 = f(c0 + f(taur * tr2));
    ch[CH(0, k, 0)] = f(c0 + tr2);
    const ci3 = f(twoTaui * cc[CC(0, 2, k)]);
    ch[CH(0, k, 2)] = f(cr2 + ci3);
    ch[CH(0, k, 1)] = f(cr2 - ci3);
  }
  if (ido === 1) return;
  for (let k = 0; k < l1; k++) {
    for (let i = 2, ic = ido - 2; i < ido; i += 2, ic -= 2) {
      const a2r = cc[CC(i - 1, 2, k)], b1r = cc[CC(ic - 1, 1, k)];
      const a2i = cc[CC(i, 2, k)], b1i = cc[CC(ic, 1, k)];
      const tr2 = f(a2r + b1r);
      const ti2 = f(a2i - b1i);
      const c0r = cc[CC(i - 1, 0, k)], c0i = cc[CC(i, 0, k)];
      const cr2 = f(c0r + f(taur * tr2));
      const ci2 = f(c0i + f(taur * ti2));
      ch[CH(i - 1, k, 0)] = f(c0r + tr2);
      ch[CH(i, k, 0)] = f(c0i + ti2);
      const cr3 = f(taui * f(a2r - b1r));
      const ci3 = f(taui * f(a2i + b1i));
      // PM(dr3, dr2, cr2, ci3); PM(di2, di3, ci2, cr3)
      const dr3 = f(cr2 + ci3), dr2 = f(cr2 - ci3);
      const di2 = f(ci2 + cr3), di3 = f(ci2 - cr3);
      const w0r = WA(0, i - 2), w0i = WA(0, i - 1), w1r = WA(1, i - 2), w1i = WA(1, i - 1);
      ch[CH(i, k, 1)] = f(f(w0r * di2) + f(w0i * dr2));
      ch[CH(i - 1, k, 1)] = f(f(w0r * dr2) - f(w0i * di2));
      ch[CH(i, k, 2)] = f(f(w1r * di3) + f(w1i * dr3));
      ch[CH(i - 1, k, 2)] = f(f(w1r * dr3) - f(w1i * di3));
    }
  }
}

export function radb4(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array): void {
  const CC = (a: number, b: number, c: number) => a + ido * (b + 4 * c);
  const CH = (a: number, b: number, c: number) => a + ido * (b + l1 * c);
  const WA = (x: number, i: number) => wa[i + x * (ido - 1)];
  for (let k = 0; k < l1; k++) {
    const a = cc[CC(0, 0, k)], b = cc[CC(ido - 1, 3, k)];
    const tr2 = f(a + b), tr1 = f(a - b);
    const tr3 = f(2 * cc[CC(ido - 1, 1, k)]);
    const tr4 = f(2 * cc[CC(0, 2, k)]);
    ch[CH(0, k, 0)] = f(tr2 + tr3);
    ch[CH(0, k, 2)] = f(tr2 - tr3);
    ch[CH(0, k, 3)] = f(tr1 + tr4);
    ch[CH(0, k, 1)] = f(tr1 - tr4);
  }
  if ((ido & 1) === 0) {
    for (let k = 0; k < l1; k++) {
      const a = cc[CC(0, 3, k)], b = cc[CC(0, 1, k)];
      const ti1 = f(a + b), ti2 = f(a - b);
      const c = cc[CC(ido - 1, 0, k)], d = cc[CC(ido - 1, 2, k)];
      const tr2 = f(c + d), tr1 = f(c - d);
      ch[CH(ido - 1, k, 0)] = f(tr2 + tr2);
      ch[CH(ido - 1, k, 1)] = f(SQRT2 * f(tr1 - ti1));
      ch[CH(ido - 1, k, 2)] = f(ti2 + ti2);
      ch[CH(ido - 1, k, 3)] = f(-SQRT2 * f(tr1 + ti1));
    }
  }
  if (ido <= 2) return;
  for (let k = 0; k < l1; k++) {
    for (let i = 2; i < ido; i += 2) {
      const ic = ido - i;
      const a0r = cc[CC(i - 1, 0, k)], a3r = cc[CC(ic - 1, 3, k)];
      const a0i = cc[CC(i, 0, k)], a3i = cc[CC(ic, 3, k)];
      const a2i = cc[CC(i, 2, k)], a1i = cc[CC(ic, 1, k)];
      const a2r = cc[CC(i - 1, 2, k)], a1r = cc[CC(ic - 1, 1, k)];
      const tr2 = f(a0r + a3r), tr1 = f(a0r - a3r);
      const ti1 = f(a0i + a3i), ti2 = f(a0i - a3i);
      const tr4 = f(a2i + a1i), ti3 = f(a2i - a1i);
      const tr3 = f(a2r + a1r), ti4 = f(a2r - a1r);
      ch[CH(i - 1, k, 0)] = f(tr2 + tr3);
      const cr3 = f(tr2 - tr3);
      ch[CH(i, k, 0)] = f(ti2 + ti3);
      const ci3 = f(ti2 - ti3);
      const cr4 = f(tr1 + tr4), cr2 = f(tr1 - tr4);
      const ci2 = f(ti1 + ti4), ci4 = f(ti1 - ti4);
      let wr = WA(0, i - 2), wi = WA(0, i - 1);
      ch[CH(i, k, 1)] = f(f(wr * ci2) + f(wi * cr2));
      ch[CH(i - 1, k, 1)] = f(f(wr * cr2) - f(wi * ci2));
      wr = WA(1, i - 2);
      wi = WA(1, i - 1);
      ch[CH(i, k, 2)] = f(f(wr * ci3) + f(wi * cr3));
      ch[CH(i - 1, k, 2)] = f(f(wr * cr3) - f(wi * ci3));
      wr = WA(2, i - 2);
      wi = WA(2, i - 1);
      ch[CH(i, k, 3)] = f(f(wr * ci4) + f(wi * cr4));
      ch[CH(i - 1, k, 3)] = f(f(wr * cr4) - f(wi * ci4));
    }
  }
}

export function radb5(ido: number, l1: number, cc: Float32Array, ch: Float32Array, wa: Float32Array): void {
  const tr11 = TW5_1R, ti11 = TW5_1I, tr12 = TW5_2R, ti12 = TW5_2I;
  const CC = (a: number, b: number, c: number) => a + ido * (b + 5 * c);
  const CH = (a: number, b: number, c: number) => a + ido * (b + l1 * c);
  const WA = (x: number, i: number) => wa[i + x * (ido - 1)];
  for (let k = 0; k < l1; k++) {
    const ti5 = f(cc[CC(0, 2, k)] + cc[CC(0, 2, k)]);
    const ti4 = f(cc[CC(0, 4, k)] + cc[CC(0, 4, k)]);
    const tr2 = f(cc[CC(ido - 1, 1, k)] + cc[CC(ido - 1, 1, k)]);
    const tr3 = f(cc[CC(ido - 1, 3, k)] + cc[CC(ido - 1, 3, k)]);
    const c0 = cc[CC(0, 0, k)];
    ch[CH(0, k, 0)] = f(f(c0 + tr2) + tr3);
    const cr2 = f(f(c0 + f(tr11 * tr2)) + f(tr12 * tr3));
    const cr3 = f(f(c0 + f(tr12 * tr2)) + f(tr11 * tr3));
    // MULPM(ci5, ci4, ti5, ti4, ti11, ti12): ci5 = ti5*ti11 + ti4*ti12; ci4 = ti5*ti12 - ti4*ti11
    const ci5 = f(f(ti5 * ti11) + f(ti4 * ti12));
    const ci4 = f(f(ti5 * ti12) - f(ti4 * ti11));
    ch[CH(0, k, 4)] = f(cr2 + ci5);
    ch[CH(0, k, 1)] = f(cr2 - ci5);
    ch[CH(0, k, 3)] = f(cr3 + ci4);
    ch[CH(0, k, 2)] = f(cr3 - ci4);
  }
  if (ido === 1) return;
  for (let k = 0; k < l1; k++) {
    for (let i = 2, ic = ido - 2; i < ido; i += 2, ic -= 2) {
      const p = (x: number, y: number): [number, number] => [f(x + y), f(x - y)];
      const [tr2, tr5] = p(cc[CC(i - 1, 2, k)], cc[CC(ic - 1, 1, k)]);
      const [ti5, ti2] = p(cc[CC(i, 2, k)], cc[CC(ic, 1, k)]);
      const [tr3, tr4] = p(cc[CC(i - 1, 4, k)], cc[CC(ic - 1, 3, k)]);
      const [ti4, ti3] = p(cc[CC(i, 4, k)], cc[CC(ic, 3, k)]);
      const c0r = cc[CC(i - 1, 0, k)], c0i = cc[CC(i, 0, k)];
      ch[CH(i - 1, k, 0)] = f(f(c0r + tr2) + tr3);
      ch[CH(i, k, 0)] = f(f(c0i + ti2) + ti3);
      const cr2 = f(f(c0r + f(tr11 * tr2)) + f(tr12 * tr3));
      const ci2 = f(f(c0i + f(tr11 * ti2)) + f(tr12 * ti3));
      const cr3 = f(f(c0r + f(tr12 * tr2)) + f(tr11 * tr3));
      const ci3 = f(f(c0i + f(tr12 * ti2)) + f(tr11 * ti3));
      const cr5 = f(f(tr5 * ti11) + f(tr4 * ti12));
      const cr4 = f(f(tr5 * ti12) - f(tr4 * ti11));
      const ci5 = f(f(ti5 * ti11) + f(ti4 * ti12));
      const ci4 = f(f(ti5 * ti12) - f(ti4 * ti11));
      const [dr4, dr3] = p(cr3, ci4);
      const [di3, di4] = p(ci3, cr4);
      const [dr5, dr2] = p(cr2, ci5);
      const [di2, di5] = p(ci2, cr5);
      const put = (x: number, m: number, di: number, dr: number) => {
        const wr = WA(x, i - 2), wi = WA(x, i - 1);
        ch[CH(i, k, m)] = f(f(wr * di) + f(wi * dr));
        ch[CH(i - 1, k, m)] = f(f(wr * dr) - f(wi * di));
      };
      put(0, 1, di2, dr2);
      put(1, 2, di3, dr3);
      put(2, 3, di4, dr4);
      put(3, 4, di5, dr5);
    }
  }
}
