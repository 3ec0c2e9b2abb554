/**
 * WebAssembly (SIMD) versions of the voxel loops of a modification (METHOD.md §9–§10): applying the factor
 * (with or without synthetic solvent and confidence), the sigmoid factor, and clipping to the input's range.
 * Each computes exactly what its JavaScript loop computes (tested against it):
 *
 * - The JavaScript loops work in double precision and round to float32 where the reference's float32 arrays
 *   do (`Math.fround`, or storing into a Float32Array). A double product, quotient, sum or difference of two
 *   float32 values rounds to float32 exactly as the float32 operation does, so those steps are f32x4
 *   operations here. The synthetic solvent `(mu + sigma·z)·weight` added to `x·mod` stays double precision
 *   (f64x2 lanes: the same IEEE operations, no fused multiply-add), rounded to float32 once, as there.
 * - Clipping `v < lo ? lo : v > hi ? hi : v` is `pmin(pmax(v, lo), hi)` (pmax(a, b) = a < b ? b : a; pmin(a, b)
 *   = b < a ? b : a): the same comparisons, so NaN and signed zeros come out as in the loop.
 *
 * The arrays are copied into the module's memory in chunks; the values after a chunk's whole vectors (the last
 * few of a map) are left to the caller's loop, which continues with them in order. Normal draws for synthetic
 * solvent are written straight into the module's memory by the caller, one per voxel in index order.
 */
import { lazyKernels, F32, F64, I32 } from '../wasm/assembler.js';
import { FunctionWriter } from '../wasm/function-writer.js';

/** Voxels per chunk (a multiple of 4). */
export const CHUNK = 8192;
const SLOT = 4 * CHUNK; // bytes of one float32 chunk
const X_AT = 0;
const F_AT = SLOT;
const C_AT = 2 * SLOT;
const OUT_AT = 3 * SLOT;
const Z_AT = 4 * SLOT; // CHUNK float64 values
const TABLE_AT = 6 * SLOT;
const TABLE_FLOATS = 1024;

interface Exports {
  memory: WebAssembly.Memory;
  clip: (vectors: number, lo: number, hi: number) => void;
  applyConfidence: (vectors: number) => void;
  applyExcluding: (vectors: number) => void;
  applySolvent: (vectors: number, mu: number, sigma: number) => void;
  applySolventConfidence: (vectors: number, mu: number, sigma: number) => void;
  sigmoid: (vectors: number, points: number, last: number) => void;
}

/** clip(vectors, lo, hi): the X chunk in place, `pmin(pmax(v, lo), hi)`. */
function clipFunction(): FunctionWriter {
  const g = new FunctionWriter('clip', [I32, F32, F32]);
  const c = g.code;
  const lo = g.splat(1);
  const hi = g.splat(2);
  const p = g.constPtr(X_AT);
  const count = g.ptr(0);
  g.repeatCounted(count, [[p, 16]], () => {
    c.localGet(p);
    c.localGet(p).v128Load(0).localGet(lo).f32x4Pmax().localGet(hi).f32x4Pmin();
    c.v128Store(0);
  });
  return g;
}

/** X·mod·C + X·(1 − C) (every product rounded to float32), or with `excluding` X·mod·C alone. */
function applyFunction(name: string, excluding: boolean): FunctionWriter {
  const g = new FunctionWriter(name, [I32]);
  const one = g.konst(1);
  const p = g.constPtr(0);
  const count = g.ptr(0);
  g.repeatCounted(count, [[p, 16]], () => {
    const x = g.ld(p, X_AT);
    const c = g.ld(p, C_AT);
    const kept = g.mul(g.mul(x, g.ld(p, F_AT)), c);
    g.st(p, OUT_AT, excluding ? kept : g.add(kept, g.mul(x, g.sub(one, c))));
  });
  return g;
}

/**
 * value = f32(f32(x·mod) + (mu + sigma·z)·clip(f32(1 − mod), 0, 1)) with the solvent part in double precision;
 * with `confidence` then value·C + x·(1 − C) as `applyFunction`.
 */
function applySolventFunction(name: string, confidence: boolean): FunctionWriter {
  const [VECTORS, MU, SIGMA] = [0, 1, 2];
  const g = new FunctionWriter(name, [I32, F64, F64]);
  const c = g.code;
  const one = g.konst(1);
  const zero = g.zero();
  const mu = g.splat(MU, 'f64x2');
  const sigma = g.splat(SIGMA, 'f64x2');
  const p = g.constPtr(0);
  const z = g.constPtr(Z_AT);
  const count = g.ptr(VECTORS);
  const HIGH: [number, number, number, number] = [2, 3, 2, 3];
  g.repeatCounted(count, [[p, 16], [z, 32]], () => {
    const x = g.ld(p, X_AT);
    const f = g.ld(p, F_AT);
    const xf = g.mul(x, f);
    const weight = g.v();
    c.localGet(g.sub(one, f)).localGet(zero).f32x4Pmax().localGet(one).f32x4Pmin().localSet(weight);
    const half = (lanes: number, zOffset: number): number => {
      const r = g.v();
      // xf (promoted) + (mu + sigma·z)·weight (promoted), in double, then rounded to float32.
      c.localGet(lanes === 0 ? xf : g.shuffle(xf, xf, HIGH)).f64x2PromoteLowF32x4();
      c.localGet(mu).localGet(sigma).localGet(z).v128Load(zOffset).f64x2Mul().f64x2Add();
      c.localGet(lanes === 0 ? weight : g.shuffle(weight, weight, HIGH)).f64x2PromoteLowF32x4();
      c.f64x2Mul().f64x2Add().f32x4DemoteF64x2Zero().localSet(r);
      return r;
    };
    const value = g.shuffle(half(0, 0), half(2, 16), [0, 1, 4, 5]);
    if (confidence) {
      const conf = g.ld(p, C_AT);
      g.st(p, OUT_AT, g.add(g.mul(value, conf), g.mul(x, g.sub(one, conf))));
    } else {
      g.st(p, OUT_AT, value);
    }
  });
  return g;
}

/**
 * sigmoid(vectors, points, last): factor = S > 0 ? table[clamp(trunc(f32(f32(S·points) − 1)), 0, last)] / S : 0
 * (float32 division) from the X chunk into OUT.
 */
function sigmoidFunction(): FunctionWriter {
  const [VECTORS, POINTS, LAST] = [0, 1, 2];
  const g = new FunctionWriter('sigmoid', [I32, F32, I32]);
  const c = g.code;
  const one = g.konst(1);
  const pointsV = g.splat(POINTS);
  const zeroI = g.splatI32(0);
  const lastV = g.splat(LAST, 'i32x4');
  const p = g.constPtr(0);
  const count = g.ptr(VECTORS);
  const s = g.f32();
  g.repeatCounted(count, [[p, 16]], () => {
    const v = g.ld(p, X_AT);
    const index = g.v();
    c.localGet(g.sub(g.mul(v, pointsV), one)).i32x4TruncSatF32x4S().localGet(zeroI).i32x4MaxS().localGet(lastV).i32x4MinS().localSet(index);
    for (let lane = 0; lane < 4; lane++) {
      c.localGet(v).f32x4ExtractLane(lane).localSet(s);
      c.localGet(p);
      c.i32Const(TABLE_AT).localGet(index).i32x4ExtractLane(lane).i32Const(2).i32Shl().i32Add().f32Load(0).localGet(s).f32Div();
      c.f32Const(0);
      c.localGet(s).f32Const(0).f32Gt();
      c.select();
      c.f32Store(OUT_AT + 4 * lane);
    }
  });
  return g;
}

const module = lazyKernels<Exports>(
  () =>
    [
      clipFunction(),
      applyFunction('applyConfidence', false),
      applyFunction('applyExcluding', true),
      applySolventFunction('applySolvent', false),
      applySolventFunction('applySolventConfidence', true),
      sigmoidFunction(),
    ].map((f) => f.spec()),
  TABLE_AT + 4 * TABLE_FLOATS,
);
const kernels = module.get;

/** Turns the kernels off (the JavaScript loops run instead) or back on; for tests comparing the two. */
export const enableModifyKernels = module.setEnabled;

/** The module's memory as the views the drivers below fill. */
interface Views {
  f32: Float32Array;
  f64: Float64Array;
}

function views(k: Exports): Views {
  return { f32: new Float32Array(k.memory.buffer), f64: new Float64Array(k.memory.buffer) };
}

/**
 * Runs a kernel over [0, n) in chunks: `inputs` copied into the X, F, C slots, `beforeChunk(from, count, z)`
 * (e.g. normal draws into z), the kernel on the chunk's whole vectors, OUT copied to `out` (`outSlot`: where
 * the result is, X for in-place kernels), and `tail(from, to, z)` for the last values of a chunk that do not
 * fill a vector (the caller's loop, writing `out` itself; z holds the chunk's draws from index `from - start`).
 */
function overChunks(
  k: Exports,
  n: number,
  inputs: readonly Float32Array[],
  out: Float32Array,
  outSlot: number,
  run: (vectors: number) => void,
  tail: (from: number, to: number, z: Float64Array, chunkStart: number) => void,
  beforeChunk?: (count: number, z: Float64Array) => void,
): void {
  const { f32, f64 } = views(k);
  const z = f64.subarray(Z_AT / 8, Z_AT / 8 + CHUNK);
  for (let from = 0; from < n; from += CHUNK) {
    const count = Math.min(CHUNK, n - from);
    inputs.forEach((a, slot) => f32.set(a.subarray(from, from + count), (slot * SLOT) / 4));
    beforeChunk?.(count, z);
    const whole = count & ~3;
    run(whole / 4);
    out.set(f32.subarray(outSlot / 4, outSlot / 4 + whole), from);
    if (whole < count) tail(from + whole, from + count, z, from);
  }
}

/**
 * `out[i] = v < lo ? lo : v > hi ? hi : v` for every value (out may be `values`); false without the kernels.
 * `lo` and `hi` must be float32 values.
 */
export function simdClip(values: Float32Array, lo: number, hi: number, out: Float32Array): boolean {
  const k = kernels();
  if (!k) return false;
  overChunks(k, values.length, [values], out, X_AT, (vectors) => k.clip(vectors, lo, hi), (from, to) => {
    for (let i = from; i < to; i++) {
      const v = values[i];
      out[i] = v < lo ? lo : v > hi ? hi : v;
    }
  });
  return true;
}

/**
 * The applications of a factor, as apply.ts writes them: `loop(i, z)` is the JavaScript body for voxel i (z the
 * voxel's normal draw, for the solvent paths), used for the values the kernels leave. False without the kernels.
 */
export function simdApply(
  path: 'confidence' | 'excluding' | 'solvent' | 'solvent-confidence',
  map: Float32Array,
  factor: Float32Array,
  confidence: Float32Array | null,
  out: Float32Array,
  loop: (i: number, z: number) => void,
  solvent?: { mu: number; sigma: number; fill: (z: Float64Array) => void },
): boolean {
  const k = kernels();
  if (!k) return false;
  const inputs = confidence ? [map, factor, confidence] : [map, factor];
  const tail = (from: number, to: number, z: Float64Array, chunkStart: number) => {
    for (let i = from; i < to; i++) loop(i, z[i - chunkStart]);
  };
  if (path === 'confidence' || path === 'excluding') {
    const run = path === 'confidence' ? k.applyConfidence : k.applyExcluding;
    overChunks(k, map.length, inputs, out, OUT_AT, run, tail);
    return true;
  }
  if (!solvent) throw new Error('the solvent paths need the solvent model and its normal draws');
  const { mu, sigma, fill } = solvent;
  const run = path === 'solvent' ? k.applySolvent : k.applySolventConfidence;
  overChunks(k, map.length, inputs, out, OUT_AT, (vectors) => run(vectors, mu, sigma), tail, (count, z) => fill(z.subarray(0, count)));
  return true;
}

/**
 * The sigmoid factor (sigmoid.ts) of every scale value into `out`, from `table` (at most 1024 entries) with
 * `points` table points; `loop(i)` is the JavaScript body for the values the kernel leaves. False without the
 * kernels.
 */
export function simdSigmoid(scale: Float32Array, table: Float32Array, points: number, out: Float32Array, loop: (i: number) => void): boolean {
  const k = kernels();
  if (!k || table.length > TABLE_FLOATS || points !== table.length) return false;
  views(k).f32.set(table, TABLE_AT / 4);
  overChunks(k, scale.length, [scale], out, OUT_AT, (vectors) => k.sigmoid(vectors, points, points - 1), (from, to) => {
    for (let i = from; i < to; i++) loop(i);
  });
  return true;
}
