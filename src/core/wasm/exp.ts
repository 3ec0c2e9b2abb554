/**
 * `exp(x)` in WebAssembly, bit for bit what JavaScript's `Math.exp` gives in V8 (Node, Chrome): V8 computes
 * it with fdlibm's `e_exp.c` (FreeBSD msun's version, in V8's `src/base/ieee754.cc`), whose every step is an
 * IEEE double operation or a bit manipulation, so the same steps here give the same bits. A kernel that
 * evaluates a Gaussian with it therefore agrees exactly with the JavaScript loop it stands in for (the solvent
 * fit: ../solvent/gaussian-kernels.ts). The tests compare it with `Math.exp` over millions of arguments.
 *
 * The method (fdlibm's comments): reduce x = k ln2 + r with |r| <= ln2/2 (ln2 in a high part whose products
 * with k are exact, and a low part); approximate exp(r) by a rational function of r through a degree-5
 * polynomial R(r^2); scale by 2^k by building 2^k's bits (with a 2^-1000 detour for subnormal results).
 *
 * fdlibm is Copyright (C) 1993 by Sun Microsystems, Inc.; its notice is kept in THIRD_PARTY_NOTICES.md.
 */
import { Code, F64, I32, type FunctionSpec } from './assembler.js';

const O_THRESHOLD = 7.09782712893383973096e2; // above: overflow to +Infinity
const U_THRESHOLD = -7.45133219101941108420e2; // below: underflow to +0
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.4426950408889633870;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
/** exp(1) correctly rounded: V8 returns it for x = 1, where the reduction would miss the last bit. */
const E = 2.718281828459045;
const HUGE = 1.0e300;
const TWO_M1000 = 9.33263618503218878990e-302; // 2^-1000
const TWO_1023 = 8.988465674311579539e307; // 2^1023

/** exp(x: f64) → f64, exported as `name`. */
export function expFunction(name = 'exp'): FunctionSpec {
  const X = 0;
  const [HX, XSB, K] = [1, 2, 3];
  const [HI, LO, T, C, Y, TWO_PK] = [4, 5, 6, 7, 8, 9];
  const c = new Code();
  const highWord = () => c.localGet(X).i64ReinterpretF64().i64Const(32).i64ShrU().i32WrapI64();
  const lowWord = () => c.localGet(X).i64ReinterpretF64().i32WrapI64();
  // f64 with high word `word` (an i32 on the stack) and low word 0.
  const fromHighWord = () => c.i64ExtendI32U().i64Const(32).i64Shl().f64ReinterpretI64();

  highWord().localSet(HX);
  c.localGet(HX).i32Const(31).i32ShrU().localSet(XSB);
  c.localGet(HX).i32Const(0x7fffffff).i32And().localSet(HX); // high word of |x|

  // |x| >= 709.78...: NaN, ±Infinity, overflow, underflow.
  c.localGet(HX).i32Const(0x40862e42).i32GeU().if();
  {
    c.localGet(HX).i32Const(0x7ff00000).i32GeU().if();
    {
      c.localGet(HX).i32Const(0xfffff).i32And();
      lowWord().i32Or().if().localGet(X).localGet(X).f64Add().return().end(); // NaN
      c.localGet(X).f64Const(0).localGet(XSB).i32Eqz().select().return(); // exp(+Infinity), exp(-Infinity) = 0
    }
    c.end();
    c.localGet(X).f64Const(O_THRESHOLD).f64Gt().if().f64Const(HUGE).f64Const(HUGE).f64Mul().return().end();
    c.localGet(X).f64Const(U_THRESHOLD).f64Lt().if().f64Const(TWO_M1000).f64Const(TWO_M1000).f64Mul().return().end();
  }
  c.end();

  // Argument reduction: x = k ln2 + (hi - lo).
  c.localGet(HX).i32Const(0x3fd62e42).i32GtU().if(); // |x| > ln2 / 2
  {
    c.localGet(HX).i32Const(0x3ff0a2b2).i32LtU().if(); // and |x| < 1.5 ln2: k = ±1
    {
      c.localGet(X).f64Const(1).f64Eq().if().f64Const(E).return().end();
      c.localGet(X).f64Const(-LN2_HI).f64Const(LN2_HI).localGet(XSB).select().f64Sub().localSet(HI);
      c.f64Const(-LN2_LO).f64Const(LN2_LO).localGet(XSB).select().localSet(LO);
      c.i32Const(1).localGet(XSB).i32Sub().localGet(XSB).i32Sub().localSet(K);
    }
    c.else();
    {
      c.f64Const(INV_LN2).localGet(X).f64Mul().f64Const(-0.5).f64Const(0.5).localGet(XSB).select().f64Add();
      c.i32TruncF64S().localSet(K);
      c.localGet(K).f64ConvertI32S().localSet(T);
      c.localGet(X).localGet(T).f64Const(LN2_HI).f64Mul().f64Sub().localSet(HI);
      c.localGet(T).f64Const(LN2_LO).f64Mul().localSet(LO);
    }
    c.end();
    c.localGet(HI).localGet(LO).f64Sub().localSet(X);
  }
  c.else();
  {
    // |x| < 2^-28: 1 + x (the comparison is fdlibm's way to raise "inexact"; it holds for every such x).
    c.localGet(HX).i32Const(0x3e300000).i32LtU().if();
    c.f64Const(HUGE).localGet(X).f64Add().f64Const(1).f64Gt().if().f64Const(1).localGet(X).f64Add().return().end();
    c.end();
  }
  c.end();

  // x is now in [-ln2/2, ln2/2].
  c.localGet(X).localGet(X).f64Mul().localSet(T);
  // 2^k, or 2^(k + 1000) where 2^k would be subnormal (the result is scaled back by 2^-1000 at the end).
  c.i32Const(0x3ff00000);
  c.localGet(K).localGet(K).i32Const(1000).i32Add().localGet(K).i32Const(-1021).i32GeS().select();
  c.i32Const(20).i32Shl().i32Add();
  fromHighWord().localSet(TWO_PK);
  // c = x - t (P1 + t (P2 + t (P3 + t (P4 + t P5))))
  c.localGet(X).localGet(T);
  c.f64Const(P1).localGet(T);
  c.f64Const(P2).localGet(T);
  c.f64Const(P3).localGet(T);
  c.f64Const(P4).localGet(T).f64Const(P5).f64Mul().f64Add();
  c.f64Mul().f64Add();
  c.f64Mul().f64Add();
  c.f64Mul().f64Add();
  c.f64Mul().f64Sub().localSet(C);
  // k = 0: 1 - ((x c) / (c - 2) - x)
  c.localGet(K).i32Eqz().if();
  c.f64Const(1).localGet(X).localGet(C).f64Mul().localGet(C).f64Const(2).f64Sub().f64Div().localGet(X).f64Sub().f64Sub().return();
  c.end();
  // y = 1 - ((lo - (x c) / (2 - c)) - hi)
  c.f64Const(1).localGet(LO).localGet(X).localGet(C).f64Mul().f64Const(2).localGet(C).f64Sub().f64Div().f64Sub();
  c.localGet(HI).f64Sub().f64Sub().localSet(Y);
  c.localGet(K).i32Const(-1021).i32GeS().if();
  {
    c.localGet(K).i32Const(1024).i32Eq().if().localGet(Y).f64Const(2).f64Mul().f64Const(TWO_1023).f64Mul().return().end();
    c.localGet(Y).localGet(TWO_PK).f64Mul().return();
  }
  c.end();
  c.localGet(Y).localGet(TWO_PK).f64Mul().f64Const(TWO_M1000).f64Mul();
  return { name, params: [F64], results: [F64], locals: [I32, I32, I32, F64, F64, F64, F64, F64, F64], body: c };
}
