/**
 * The sums of the solvent fit (levenberg-marquardt.ts) in WebAssembly: for a Gaussian `c exp(-(x - mu)^2 /
 * (2 sigma^2))` over the fit's points, the cost `sum r_i^2` of the residuals `r_i = g(x_i) - y_i`, and with it
 * the normal equations `J'J` and `J'r` of the analytic Jacobian. A fit takes a few dozen of them over a
 * thousand points; in JavaScript, which a process runs once and mostly before V8's optimising compiler takes
 * over, they took ~6 ms of a run (and allocated ~3 MB of numbers), here well under one.
 *
 * Exactly the JavaScript loops' numbers: every sum is accumulated one point after another in index order with
 * the same IEEE double operations, and the exponential is V8's own (`../wasm/exp.ts`, bit for bit
 * `Math.exp`). The tests compare whole fits with the kernels on and off.
 */
import { Code, ensureMemoryBytes, F64, I32, lazyKernels, type FunctionSpec } from '../wasm/assembler.js';
import { expFunction } from '../wasm/exp.js';

/** The normal equations' nine sums (f64): J'J's upper triangle 00, 01, 02, 11, 12, 22, then J'r 0, 1, 2. */
const SUMS = 0;
/** The points' x (f64), then their y. */
const POINTS = 128;

interface Exports {
  memory: WebAssembly.Memory;
  cost: (n: number, yAt: number, c: number, mu: number, sigma: number) => number;
  normalEquations: (n: number, yAt: number, c: number, mu: number, sigma: number) => number;
}

const EXP = 0; // the module's first function

/** cost / normalEquations(n, yAt, c, mu, sigma) → the cost; the second also stores the nine sums at SUMS. */
function sumsFunction(withNormalEquations: boolean): FunctionSpec {
  const [N, Y_AT, C, MU, SIGMA] = [0, 1, 2, 3, 4];
  const P = 5;
  const [S2, TWO_S2, S2_SIGMA, D, E, R, CE, J1, J2, COST] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const SUM = (k: number) => 16 + k; // A00, A01, A02, A11, A12, A22, g0, g1, g2
  const c = new Code();
  c.localGet(SIGMA).localGet(SIGMA).f64Mul().localSet(S2);
  c.f64Const(2).localGet(S2).f64Mul().localSet(TWO_S2);
  c.localGet(S2).localGet(SIGMA).f64Mul().localSet(S2_SIGMA);
  c.i32Const(POINTS).localSet(P);
  c.block().localGet(N).i32Eqz().brIf(0).loop();
  {
    // d = x - mu; e = exp(-(d d) / (2 s2)); r = c e - y; cost += r r
    c.localGet(P).f64Load(0).localGet(MU).f64Sub().localSet(D);
    c.localGet(D).localGet(D).f64Mul().f64Neg().localGet(TWO_S2).f64Div().call(EXP).localSet(E);
    c.localGet(C).localGet(E).f64Mul().localGet(P).localGet(Y_AT).i32Add().i32Const(POINTS).i32Sub().f64Load(0).f64Sub().localSet(R);
    c.localGet(COST).localGet(R).localGet(R).f64Mul().f64Add().localSet(COST);
    if (withNormalEquations) {
      // The Jacobian's row (e, c e d / s2, c e d d / (s2 sigma)), and its products with itself and with r.
      c.localGet(C).localGet(E).f64Mul().localSet(CE);
      c.localGet(CE).localGet(D).f64Mul().localGet(S2).f64Div().localSet(J1);
      c.localGet(CE).localGet(D).f64Mul().localGet(D).f64Mul().localGet(S2_SIGMA).f64Div().localSet(J2);
      const products: [number, number][] = [
        [E, E],
        [E, J1],
        [E, J2],
        [J1, J1],
        [J1, J2],
        [J2, J2],
        [E, R],
        [J1, R],
        [J2, R],
      ];
      products.forEach(([a, b], k) => c.localGet(SUM(k)).localGet(a).localGet(b).f64Mul().f64Add().localSet(SUM(k)));
    }
    c.localGet(P).i32Const(8).i32Add().localSet(P);
    c.localGet(N).i32Const(1).i32Sub().localTee(N).brIf(0);
  }
  c.end().end();
  if (withNormalEquations) for (let k = 0; k < 9; k++) c.i32Const(0).localGet(SUM(k)).f64Store(SUMS + 8 * k);
  c.localGet(COST);
  return {
    name: withNormalEquations ? 'normalEquations' : 'cost',
    params: [I32, I32, F64, F64, F64],
    results: [F64],
    locals: [I32, ...new Array<typeof F64>(10 + 9).fill(F64)],
    body: c,
  };
}

const module = lazyKernels<Exports>(() => [expFunction(), sumsFunction(false), sumsFunction(true)], 65536);

/** Turns the kernels off (the JavaScript loops run instead) or back on; for tests comparing the two. */
export const enableGaussianKernels = module.setEnabled;

/** The fit's sums over fixed points: the cost alone, or the cost with the normal equations. */
export interface GaussianSums {
  cost(c: number, mu: number, sigma: number): number;
  /** The cost; `JtJ` (3x3, row-major) and `Jtr` (3) filled in. */
  costAndNormalEquations(c: number, mu: number, sigma: number, JtJ: Float64Array, Jtr: Float64Array): number;
}

/**
 * The sums over the points (x_i, y_i) in WebAssembly, or null where it is not available. The points live in
 * the module's one memory: the result serves until the next call (a fit uses it within its own call).
 */
export function gaussianSumsKernel(x: ArrayLike<number>, y: ArrayLike<number>): GaussianSums | null {
  const kernels = module.get();
  if (!kernels) return null;
  const n = x.length;
  const yAt = POINTS + 8 * n;
  ensureMemoryBytes(kernels.memory, yAt + 8 * n);
  const memory = new Float64Array(kernels.memory.buffer);
  memory.set(x, POINTS / 8);
  memory.set(y, yAt / 8);
  const sums = memory.subarray(SUMS / 8, SUMS / 8 + 9);
  return {
    cost: (c, mu, sigma) => kernels.cost(n, yAt, c, mu, sigma),
    costAndNormalEquations(c, mu, sigma, JtJ, Jtr) {
      const cost = kernels.normalEquations(n, yAt, c, mu, sigma);
      JtJ[0] = sums[0];
      JtJ[1] = JtJ[3] = sums[1];
      JtJ[2] = JtJ[6] = sums[2];
      JtJ[4] = sums[3];
      JtJ[5] = JtJ[7] = sums[4];
      JtJ[8] = sums[5];
      Jtr[0] = sums[6];
      Jtr[1] = sums[7];
      Jtr[2] = sums[8];
      return cost;
    },
  };
}
