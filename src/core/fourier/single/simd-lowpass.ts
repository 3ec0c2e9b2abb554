/**
 * The single-precision low-pass and resampling of ./lowpass-single.ts in WebAssembly SIMD: the same 1D
 * transforms on the same lines in the same stage order, four lines per instruction (./simd-codegen.ts), so
 * every value is bit-identical to the scalar path (tested against it).
 *
 * One module is generated per geometry (input edge n, kept half-width k, output edge m, low-pass or resample),
 * with every size, stride and address a constant; it works in a memory of its own, created for the call and
 * dropped after, or inside {@link withLowpassWorkspace} one memory shared by the calls (see there). Layouts (a "vector" is 16 bytes, four float32 lanes; a complex entry is a real vector and an
 * imaginary vector, 32 bytes):
 *
 *   slab          rows 4 yg … 4 yg + 3 of every z plane of the input, rows padded to Sn = 4 ceil(n/4) floats;
 *   T[z][fx]      the x transforms of the slab (fx in [0, wp), wp = k+1 rounded up to 4), lanes the four rows;
 *   A[yg][dz][fx] after the z transforms of T, the kept z frequencies only; lanes y = 4 yg + l (one row
 *                 group's part is contiguous, written in one go);
 *   B[dz][dy][g]  the kept block, lanes fx = 4 g + l (g in [0, wp/4));
 *   C[z][dy][g]   after the inverse z transforms (m planes), lanes fx; it reuses A's memory;
 *   D[fx][yg]     one z plane after the inverse y transforms, lanes y (yg in [0, ceil(m/4)));
 *   output plane  one z plane of the result, rows padded to Sm floats.
 *
 * Per row group yg the x transforms and then the z transforms run on the slab (T stays in cache); per output
 * plane the inverse y and x transforms run back to back (D is one plane). Lanes past the data (fx > k, rows
 * y >= n) carry values nobody reads; lanes never mix, so they cannot change a kept value.
 */
import { ComplexPlanSingle, RealPlanSingle, type BluesteinSingle, type ComplexFactor, type RealFactor } from './plans.js';
import { bluesteinLayout, bluesteinScratchBytes, complexBluestein, complexPass, passTable, realBluestein, realPass, scratchRowBytes } from './simd-codegen.js';
import { FunctionWriter, transpose4 } from '../../wasm/function-writer.js';
import { assembleModule, F32, hasWasmSimd, I32 } from '../../wasm/assembler.js';
import { checkBlockInCube, createVolume, cubeEdge, type CubeBlock, type PlaneSource, type Volume } from '../../volume.js';
import { sharedFloat32Array } from '../../parallel/pool.js';
import { copyCubeRow, isMirroredCube, type MirroredCube } from '../../box.js';

const f = Math.fround;
const CE = 32;
const RE = 16;
const PAGE = 65536;

const ceil4 = (x: number) => Math.ceil(x / 4) * 4;
const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

export type SimdLowpassMode = 'lowpass' | 'resample';

/** A range to clip to: float32 values, `lo <= hi`. */
export type ClipRange = readonly [number, number];

/** Sizes, strides and the memory layout of one geometry (bytes unless said otherwise). */
interface Geometry {
  n: number;
  k: number;
  m: number;
  mode: SimdLowpassMode;
  /** Whether the output is clipped to a range given with each call (the output stage's `lo`, `hi`). */
  clip: boolean;
  /**
   * Whether the cube comes plane by plane ({@link StreamedResample}): T is then kept for every row group
   * (`tg` bytes apart), and the module has the x and z halves apart (xs, zs).
   */
  streamed: boolean;
  /**
   * Streamed, whether T is kept in the region A later takes (else in an array apart, and copied into the work
   * area's T one row group at a time).
   */
  keepsT: boolean;
  tg: number;
  w: number;
  wp: number;
  groups: number;
  ygN: number;
  ygM: number;
  /** Padded row stride (floats) of the input slab and the output plane. */
  sN: number;
  sM: number;
  edge: number;
  /** Strides of A: per row group and per kept z frequency; plane strides of B and C. */
  ayg: number;
  adz: number;
  bdz: number;
  cz: number;
  lineBytes: number;
  /** The work area (line, scratch, slab or output plane, T, D) and its parts, relative to its start. */
  work: number;
  workBytes: number;
  plane: number;
  t: number;
  d: number;
  a: number;
  c: number;
  b: number;
  total: number;
  twiddles: { complexN: number; realN: number; complexM: number; realM: number; end: number };
  /** The scratch row of the generic FFT passes (`scratchRowBytes`). */
  row: number;
}

/** Bytes of a complex pass's constants in memory: its twiddles, then its table (`passTable`). */
function complexPassBytes(p: ComplexFactor): number {
  return (p.tw.length / 2) * CE + 16 * passTable(p.ip, p.tws, true).length;
}

/** Bytes of a real pass's constants in memory: its twiddles, then its table. */
function realPassBytes(p: RealFactor): number {
  return p.tw.length * RE + 16 * passTable(p.ip, p.tws, false).length;
}

/** Bytes of a Bluestein plan's constants: bk, bkf, then its n2 plan's. */
function bluesteinBytes(blue: BluesteinSingle): number {
  return bluesteinLayout(blue, 0).inner + complexPlanBytes(blue.plan);
}

function complexPlanBytes(plan: ComplexPlanSingle): number {
  return plan.bluestein ? bluesteinBytes(plan.bluestein) : plan.passes.reduce((s, p) => s + complexPassBytes(p), 0);
}

function realPlanBytes(plan: RealPlanSingle): number {
  return plan.bluestein ? bluesteinBytes(plan.bluestein) : plan.passes.reduce((s, p) => s + realPassBytes(p), 0);
}

/**
 * Bytes of the scratch row the plans share (0 when none needs one): the generic passes' combinations, or a
 * Bluestein plan's work areas.
 */
function scratchRowFor(plans: readonly (ComplexPlanSingle | RealPlanSingle)[]): number {
  const needs = plans.map((plan) =>
    plan.bluestein
      ? bluesteinScratchBytes(plan.bluestein, plan instanceof RealPlanSingle)
      : Math.max(0, ...plan.passes.filter((p) => p.ip > 5).map((p) => scratchRowBytes(p.ip))),
  );
  return align(Math.max(0, ...needs));
}

function twiddleBytes(complex: ComplexPlanSingle, real: RealPlanSingle): { complex: number; real: number } {
  return { complex: complexPlanBytes(complex), real: realPlanBytes(real) };
}

function geometry(n: number, k: number, m: number, mode: SimdLowpassMode, plans: Plans, clip = false, streamed: Streamed = false): Geometry {
  const keepsT = streamed === 'T in memory';
  const w = k + 1;
  const wp = ceil4(w);
  const groups = wp / 4;
  const ygN = Math.ceil(n / 4);
  const ygM = Math.ceil(m / 4);
  const sN = 4 * ygN;
  const sM = 4 * ygM;
  const edge = 2 * k;
  const adz = wp * CE;
  const ayg = edge * adz;
  const bdz = edge * groups * CE;
  const cz = edge * groups * CE;
  const twN = twiddleBytes(plans.complexN, plans.realN);
  const twM = twiddleBytes(plans.complexM, plans.realM);
  const complexN = 0;
  const realN = complexN + align(twN.complex);
  const complexM = realN + align(twN.real);
  const realM = complexM + align(twM.complex);
  const twEnd = realM + align(twM.real);
  // The generic passes' scratch row, between the constants and the work area.
  const row = twEnd;
  const rowEnd = row + scratchRowFor([plans.complexN, plans.realN, plans.complexM, plans.realM]);
  const lineBytes = align(CE * Math.max(sN, sM));
  const plane = 2 * lineBytes;
  const t = align(plane + 4 * Math.max(n * 4 * sN, sM * sM));
  const d = align(t + n * wp * CE);
  const workBytes = align(d + wp * ygM * CE);
  const work = rowEnd;
  const a = work + workBytes;
  const c = a;
  // Streamed with T kept in memory (keepsT), A overwrites T as the z transforms go: row group yg's part of A
  // starts no later than its T (ayg <= tg), ends before the next group's T (m < n), and where it covers this
  // group's T it covers only the entries of the column being transformed, which is read whole before its
  // results are written.
  const tg = n * wp * CE;
  const b = align(a + Math.max(ygN * ayg, m * cz, keepsT ? ygN * tg : 0));
  const total = b + edge * bdz;
  return { n, k, m, mode, clip, streamed: streamed !== false, keepsT, tg, w, wp, groups, ygN, ygM, sN, sM, edge, ayg, adz, bdz, cz, lineBytes, work, workBytes, plane, t, d, a, c, b, total, twiddles: { complexN, realN, complexM, realM, end: twEnd }, row };
}

interface Plans {
  complexN: ComplexPlanSingle;
  realN: RealPlanSingle;
  complexM: ComplexPlanSingle;
  realM: RealPlanSingle;
}

/** A transform function `(line, scratch)`; the result is in `scratch` when `inScratch`. */
interface Transform {
  writer: FunctionWriter;
  inScratch: boolean;
}

/** Emits a complex plan's passes from the buffer at local `p1` to and fro with `p2`; gives the local holding the result. */
function complexPasses(g: FunctionWriter, plan: ComplexPlanSingle, twBase: number, forward: boolean, p1: number, p2: number, row: number): number {
  let l1 = 1;
  let tw = twBase;
  for (const p of plan.passes) {
    const ido = plan.length / (l1 * p.ip);
    complexPass(g, p.ip, ido, l1, p1, p2, tw, forward, p.tws, row);
    [p1, p2] = [p2, p1];
    l1 *= p.ip;
    tw += complexPassBytes(p);
  }
  return p1;
}

/** The passes of a Bluestein plan's n2 plan, for `complexBluestein`. */
function bluesteinPasses(g: FunctionWriter, blue: BluesteinSingle, twBase: number, row: number) {
  // Bluestein's work areas occupy the scratch row; the n2 plan may not use it too. It does not: n2 has no prime
  // factor above 11, so none of its passes is a generic one.
  if (blue.plan.passes.some((p) => p.ip > 11)) throw new Error(`Bluestein length ${blue.n2} needs a generic pass`);
  const inner = bluesteinLayout(blue, twBase).inner;
  return (forward: boolean, p1: number, p2: number) => complexPasses(g, blue.plan, inner, forward, p1, p2, row);
}

function complexTransform(name: string, plan: ComplexPlanSingle, twBase: number, forward: boolean, row: number): Transform {
  const g = new FunctionWriter(name, [I32, I32]);
  const blue = plan.bluestein;
  if (blue) {
    complexBluestein(g, blue, twBase, forward, 0, row, bluesteinPasses(g, blue, twBase, row));
    return { writer: g, inScratch: false };
  }
  return { writer: g, inScratch: complexPasses(g, plan, twBase, forward, 0, 1, row) === 1 };
}

function realTransform(name: string, plan: RealPlanSingle, twBase: number, forward: boolean, row: number): Transform {
  const g = new FunctionWriter(name, [I32, I32]);
  const blue = plan.bluestein;
  if (blue) {
    realBluestein(g, blue, twBase, forward, 0, row, bluesteinPasses(g, blue, twBase, row));
    return { writer: g, inScratch: false };
  }
  const passes = plan.passes;
  const offsets: number[] = [];
  let tw = twBase;
  for (const p of passes) {
    offsets.push(tw);
    tw += realPassBytes(p);
  }
  const n = plan.length;
  let [p1, p2] = [0, 1];
  if (forward) {
    let l1 = n;
    for (let k = passes.length - 1; k >= 0; k--) {
      const { ip, tws } = passes[k];
      const ido = n / l1;
      l1 /= ip;
      realPass(g, ip, ido, l1, p1, p2, offsets[k], true, tws, row);
      [p1, p2] = [p2, p1];
    }
  } else {
    let l1 = 1;
    for (let k = 0; k < passes.length; k++) {
      const { ip, tws } = passes[k];
      const ido = n / (ip * l1);
      realPass(g, ip, ido, l1, p1, p2, offsets[k], false, tws, row);
      [p1, p2] = [p2, p1];
      l1 *= ip;
    }
  }
  return { writer: g, inScratch: p1 === 1 };
}

/** Writes a plan's twiddles as splatted vectors: complex from `complexAt`, real from `realAt`. */
function writeTwiddles(memory: Float32Array, complex: ComplexPlanSingle, complexAt: number, real: RealPlanSingle, realAt: number): void {
  writeComplexTwiddles(memory, complex, complexAt);
  writeRealTwiddles(memory, real, realAt);
}

/** Writes a Bluestein plan's constants (`bluesteinLayout`) as splatted vectors from `at`. */
function writeBluestein(memory: Float32Array, blue: BluesteinSingle, at: number): void {
  let o = at / 4;
  for (const table of [blue.bk, blue.bkf]) {
    for (let e = 0; e < table.length / 2; e++, o += 8) {
      memory.fill(table[2 * e], o, o + 4);
      memory.fill(table[2 * e + 1], o + 4, o + 8);
    }
  }
  writeComplexTwiddles(memory, blue.plan, bluesteinLayout(blue, at).inner);
}

function writeComplexTwiddles(memory: Float32Array, complex: ComplexPlanSingle, at: number): void {
  if (complex.bluestein) return writeBluestein(memory, complex.bluestein, at);
  let o = at / 4;
  for (const { ip, tw, tws } of complex.passes) {
    for (let e = 0; e < tw.length / 2; e++, o += 8) {
      memory.fill(tw[2 * e], o, o + 4);
      memory.fill(tw[2 * e + 1], o + 4, o + 8);
    }
    for (const c of passTable(ip, tws, true)) memory.fill(c, o, (o += 4));
  }
}

function writeRealTwiddles(memory: Float32Array, real: RealPlanSingle, at: number): void {
  if (real.bluestein) return writeBluestein(memory, real.bluestein, at);
  let o = at / 4;
  for (const { ip, tw, tws } of real.passes) {
    for (let e = 0; e < tw.length; e++, o += 4) memory.fill(tw[e], o, o + 4);
    for (const c of passTable(ip, tws, false)) memory.fill(c, o, (o += 4));
  }
}

/**
 * Four 1D transforms of `plan` at once on the SIMD path, unnormalised: `lines` holds them lane-interleaved
 * (value j of line l at `4 j + l`; complex values as a real then an imaginary vector), and the result comes back
 * in the same layout. The low-pass uses these transforms inside its stages; this entry lets tests check each
 * pass on lengths too large for a 3D case (a generic radix-13 pass with twiddles needs an edge of 338).
 */
export function transformFourLinesSimd(plan: ComplexPlanSingle | RealPlanSingle, forward: boolean, lines: Float32Array): Float32Array {
  const complex = plan instanceof ComplexPlanSingle;
  const lineBytes = (complex ? CE : RE) * plan.length;
  if (lines.length * 4 !== lineBytes) throw new RangeError(`expected ${lineBytes / 4} values for four lines of ${plan.length}`);
  const tw = complex ? twiddleBytes(plan, new RealPlanSingle(1)).complex : twiddleBytes(new ComplexPlanSingle(1), plan).real;
  const row = align(tw);
  const line = row + scratchRowFor([plan]);
  const scratch = line + align(lineBytes);
  const transform = complex ? complexTransform('t', plan, 0, forward, row) : realTransform('t', plan, 0, forward, row);
  const module = new WebAssembly.Module(assembleModule([transform.writer.spec()], { minimumPages: 1 }));
  const memory = new WebAssembly.Memory({ initial: Math.ceil((scratch + lineBytes) / PAGE) });
  const run = new WebAssembly.Instance(module, { env: { memory } }).exports.t as (line: number, scratch: number) => void;
  const mem = new Float32Array(memory.buffer);
  if (complex) writeComplexTwiddles(mem, plan, 0);
  else writeRealTwiddles(mem, plan, 0);
  mem.set(lines, line / 4);
  run(line, scratch);
  const at = (transform.inScratch ? scratch : line) / 4;
  return mem.slice(at, at + lines.length);
}

// Function indices in the module (the order of the list given to assembleModule).
const FN = { cfN: 0, rfN: 1, cbM: 2, rbM: 3, xz: 4, yf: 5, zi: 6, yi: 7, xi: 8, xs: 9, zs: 10 } as const;

interface Compiled {
  geometry: Geometry;
  plans: Plans;
  module: WebAssembly.Module;
}

function copyComplex(g: FunctionWriter, dst: number, dstOff: number, src: number, srcOff: number): void {
  g.st(dst, dstOff, g.ld(src, srcOff));
  g.st(dst, dstOff + 16, g.ld(src, srcOff + 16));
}

function build(geo: Geometry, plans: Plans): WebAssembly.Module {
  const { n, k, m, wp, groups, ygN, ygM, sN, sM, ayg, adz, bdz, cz, lineBytes } = geo;
  const t = geo.twiddles;
  const cfN = complexTransform('cfN', plans.complexN, t.complexN, true, geo.row);
  const rfN = realTransform('rfN', plans.realN, t.realN, true, geo.row);
  const cbM = complexTransform('cbM', plans.complexM, t.complexM, false, geo.row);
  const rbM = realTransform('rbM', plans.realM, t.realM, false, geo.row);

  // Every stage function takes its work area first: line and scratch (lineBytes each), then the slab or
  // output plane, T and D at the offsets of the geometry.
  const stage = (name: string, extra: number) => {
    const g = new FunctionWriter(name, [I32, ...new Array<typeof I32>(extra).fill(I32)]);
    const line = g.ptr(0);
    const scratch = g.ptr(0, lineBytes);
    return { g, line, scratch };
  };
  const callTransform = (g: FunctionWriter, fn: number, line: number, scratch: number) => {
    g.code.localGet(line).localGet(scratch).call(fn);
  };
  const result = (tr: Transform, line: number, scratch: number) => (tr.inScratch ? scratch : line);

  // The real forward transforms of four rows of one z plane (at `rows`, sN floats apart), the kept x
  // frequencies into that plane's entries of T at `tz` (lanes the four rows).
  const rowTransforms = (g: FunctionWriter, line: number, scratch: number, rows: number, tz: number) => {
    const zero = g.zero();
    const kp = Math.min(k, n / 2 - 1);
    const src = g.ptr(rows);
    const dst = g.ptr(line);
    g.repeat(sN / 4, [[src, 16], [dst, 4 * RE]], () => {
      const v = [0, 1, 2, 3].map((r) => g.ld(src, r * sN * 4));
      transpose4(g, v[0], v[1], v[2], v[3]).forEach((col, j) => g.st(dst, j * RE, col));
    });
    callTransform(g, FN.rfN, line, scratch);
    const R = result(rfN, line, scratch);
    g.st(tz, 0, g.ld(R, 0));
    g.st(tz, 16, zero);
    const s = g.ptr(R, RE);
    const d = g.ptr(tz, CE);
    g.repeat(kp, [[s, 2 * RE], [d, CE]], () => {
      g.st(d, 0, g.ld(s, 0));
      g.st(d, 16, g.ld(s, RE));
    });
    if (k === n / 2) {
      g.st(tz, (n / 2) * CE, g.ld(R, RE * (n - 1)));
      g.st(tz, (n / 2) * CE + 16, zero);
    }
  };

  // The complex forward transforms along z of one row group's T (plane z's entries at `column` + z · wp · 32),
  // columns fx <= k, the kept z frequencies into A at `out` (advances both).
  const columnTransforms = (g: FunctionWriter, line: number, scratch: number, column: number, out: number) => {
    g.repeat(k + 1, [[column, CE], [out, CE]], () => {
      const src = g.ptr(column);
      const dst = g.ptr(line);
      g.repeat(n, [[src, wp * CE], [dst, CE]], () => copyComplex(g, dst, 0, src, 0));
      callTransform(g, FN.cfN, line, scratch);
      const R = result(cfN, line, scratch);
      // dz < k holds z = n - k + dz; dz >= k holds z = dz - k.
      const s1 = g.ptr(R, CE * (n - k));
      const d1 = g.ptr(out);
      g.repeat(k, [[s1, CE], [d1, adz]], () => copyComplex(g, d1, 0, s1, 0));
      const s2 = g.ptr(R);
      const d2 = g.ptr(out, k * adz);
      g.repeat(k, [[s2, CE], [d2, adz]], () => copyComplex(g, d2, 0, s2, 0));
    });
  };

  // xz(work, out): for the slab of row group yg (in the work area), the x transforms of its rows, one z plane
  // after another, into T[z][fx] (in the work area), then the z transforms of T, into A[yg] (out = A + yg · ayg).
  const xz = (() => {
    const { g, line, scratch } = stage('xz', 1);
    g.zero(); // set before the loop, not in it
    const rows = g.ptr(0, geo.plane);
    const tz = g.ptr(0, geo.t);
    g.repeat(n, [[rows, 4 * sN * 4], [tz, wp * CE]], () => rowTransforms(g, line, scratch, rows, tz));
    columnTransforms(g, line, scratch, g.ptr(0, geo.t), g.ptr(1));
    return g;
  })();

  // The same two halves apart, for a cube given plane by plane (`streamed`): xs(work, rows, tz) transforms
  // one plane's row group into its entries of T; zs(work, column, out) one row group's z columns.
  const streamed = geo.streamed
    ? (() => {
        const xs = stage('xs', 2);
        rowTransforms(xs.g, xs.line, xs.scratch, xs.g.ptr(1), xs.g.ptr(2));
        const zs = stage('zs', 2);
        columnTransforms(zs.g, zs.line, zs.scratch, zs.g.ptr(1), zs.g.ptr(2));
        return [xs.g, zs.g];
      })()
    : [];

  // yf(work, adz, bdz): complex forward transforms along y of z frequency dz of A (adz = A + dz · wp · 32),
  // lanes fx, kept dy into B[dz].
  const yf = (() => {
    const { g, line, scratch } = stage('yf', 2);
    const fxp = g.ptr(1);
    const bp = g.ptr(2);
    g.repeat(groups, [[fxp, 4 * CE], [bp, CE]], () => {
      const src = g.ptr(fxp);
      const dst = g.ptr(line);
      g.repeat(ygN, [[src, ayg], [dst, 4 * CE]], () => {
        for (const part of [0, 16]) {
          const v = [0, 1, 2, 3].map((l) => g.ld(src, l * CE + part));
          transpose4(g, v[0], v[1], v[2], v[3]).forEach((col, j) => g.st(dst, j * CE + part, col));
        }
      });
      callTransform(g, FN.cfN, line, scratch);
      const R = result(cfN, line, scratch);
      const s1 = g.ptr(R, CE * (n - k));
      const d1 = g.ptr(bp);
      g.repeat(k, [[s1, CE], [d1, groups * CE]], () => copyComplex(g, d1, 0, s1, 0));
      const s2 = g.ptr(R);
      const d2 = g.ptr(bp, k * groups * CE);
      g.repeat(k, [[s2, CE], [d2, groups * CE]], () => copyComplex(g, d2, 0, s2, 0));
    });
    return g;
  })();

  // zi(work, first, count): complex backward transforms along z of the block lines at B + first, ... into C.
  const zi = (() => {
    const { g, line, scratch } = stage('zi', 2);
    g.zero();
    const p = g.ptr(1);
    const count = g.ptr(2);
    g.repeatCounted(count, [[p, CE]], () => {
      const gap = g.ptr(line, CE * k);
      g.zeroVectors(gap, RE, 2 * (m - 2 * k));
      const s1 = g.ptr(p);
      const d1 = g.ptr(line, CE * (m - k));
      g.repeat(k, [[s1, bdz], [d1, CE]], () => copyComplex(g, d1, 0, s1, 0));
      const s2 = g.ptr(p, k * bdz);
      const d2 = g.ptr(line);
      g.repeat(k, [[s2, bdz], [d2, CE]], () => copyComplex(g, d2, 0, s2, 0));
      callTransform(g, FN.cbM, line, scratch);
      const s3 = g.ptr(result(cbM, line, scratch));
      const d3 = g.ptr(p, geo.c - geo.b);
      g.repeat(m, [[s3, CE], [d3, cz]], () => copyComplex(g, d3, 0, s3, 0));
    });
    return g;
  })();

  // yi(work, cz): complex backward transforms along y of plane z of C (lanes fx), into D (lanes y).
  const yi = (() => {
    const { g, line, scratch } = stage('yi', 1);
    g.zero();
    const cp = g.ptr(1);
    const dp = g.ptr(0, geo.d);
    g.repeat(groups, [[cp, CE], [dp, 4 * ygM * CE]], () => {
      const gap = g.ptr(line, CE * k);
      g.zeroVectors(gap, RE, 2 * (m - 2 * k));
      const s1 = g.ptr(cp);
      const d1 = g.ptr(line, CE * (m - k));
      g.repeat(k, [[s1, groups * CE], [d1, CE]], () => copyComplex(g, d1, 0, s1, 0));
      const s2 = g.ptr(cp, k * groups * CE);
      const d2 = g.ptr(line);
      g.repeat(k, [[s2, groups * CE], [d2, CE]], () => copyComplex(g, d2, 0, s2, 0));
      callTransform(g, FN.cbM, line, scratch);
      const src = g.ptr(result(cbM, line, scratch));
      const dst = g.ptr(dp);
      g.repeat(ygM, [[src, 4 * CE], [dst, CE]], () => {
        for (const part of [0, 16]) {
          const v = [0, 1, 2, 3].map((j) => g.ld(src, j * CE + part));
          transpose4(g, v[0], v[1], v[2], v[3]).forEach((col, l) => g.st(dst, l * ygM * CE + part, col));
        }
      });
    });
    return g;
  })();

  // xi(work[, lo, hi]): real backward transforms along x of D, normalised (and clipped to [lo, hi]), into the
  // output plane.
  const xi = (() => {
    const g = new FunctionWriter('xi', geo.clip ? [I32, F32, F32] : [I32]);
    const line = g.ptr(0);
    const scratch = g.ptr(0, lineBytes);
    g.zero();
    const fct = g.konst(f(1 / (m * m * m)));
    const factor = geo.mode === 'resample' ? g.konst(f((m / n) ** 3)) : null;
    const range = geo.clip ? { lo: g.splat(1), hi: g.splat(2) } : null;
    const yp = g.ptr(0, geo.d);
    const rows = g.ptr(0, geo.plane);
    const kp = Math.min(k, m / 2 - 1);
    const nyquist = k === m / 2;
    g.repeat(ygM, [[yp, CE], [rows, 4 * sM * 4]], () => {
      g.st(line, 0, g.ld(yp, 0));
      const s = g.ptr(yp, ygM * CE);
      const d = g.ptr(line, RE);
      g.repeat(kp, [[s, ygM * CE], [d, 2 * RE]], () => {
        g.st(d, 0, g.ld(s, 0));
        g.st(d, RE, g.ld(s, 16));
      });
      // d is at position 2 kp + 1; zero up to m - 1 (m - 1 itself holds the Nyquist term when k = m/2).
      g.zeroVectors(d, RE, m - 1 - (2 * kp + 1) + (nyquist ? 0 : 1));
      if (nyquist) g.st(line, RE * (m - 1), g.ld(yp, (m / 2) * ygM * CE));
      callTransform(g, FN.rbM, line, scratch);
      const src = g.ptr(result(rbM, line, scratch));
      const dst = g.ptr(rows);
      g.repeat(sM / 4, [[src, 4 * RE], [dst, 16]], () => {
        const v = [0, 1, 2, 3].map((j) => {
          let x = g.mul(g.ld(src, j * RE), fct);
          if (factor !== null) x = g.mul(x, factor);
          // `x < lo ? lo : x > hi ? hi : x`, as the clipping of the finished map (modify/value-range.ts) does.
          if (range !== null) x = g.pmin(g.pmax(x, range.lo), range.hi);
          return x;
        });
        transpose4(g, v[0], v[1], v[2], v[3]).forEach((row, r) => g.st(dst, r * sM * 4, row));
      });
    });
    return g;
  })();

  const functions = [cfN.writer, rfN.writer, cbM.writer, rbM.writer, xz, yf, zi, yi, xi, ...streamed].map((w) => w.spec());
  const bytes = assembleModule(functions, { minimumPages: 1 });
  return new WebAssembly.Module(bytes);
}

const compiled = new Map<string, Compiled>();
const layouts = new Map<string, Omit<Compiled, 'module'>>();

/** Open {@link withLowpassWorkspace} calls, and the memory they share (made by the first call that needs one). */
let workspaceScopes = 0;
let workspace: WebAssembly.Memory | undefined;
/** A memory a host prepared for the next scope ({@link offerLowpassWorkspace}). */
let offered: WebAssembly.Memory | undefined;

/**
 * Runs `fn` with one WebAssembly memory for all the low-passes and resamplings it makes, grown when a call needs
 * more and dropped when the outermost such scope returns; outside a scope each call has a memory of its own.
 *
 * Why: a new memory is mapped page by page as the call first writes it, and a job makes several calls of the
 * same size. Up-sampling a modified map from the 256 processing box back to a 512 box works in 200 MB: a new
 * memory for each modified map costs ~0.2–0.3 s of page faults on this kind of machine (~1.1 → ~0.8 s per map),
 * and garbage to collect. The result does not depend on what the memory held before: every stage writes what
 * the next one reads, and the lanes past the data, which may hold anything, never mix with kept values
 * (tested on a memory filled with NaN).
 */
export function withLowpassWorkspace<T>(fn: () => T): T {
  workspaceScopes++;
  try {
    return fn();
  } finally {
    workspaceScopes--;
    if (workspaceScopes === 0) workspace = offered = undefined;
  }
}

/**
 * Offers `memory` as the working memory of a {@link withLowpassWorkspace} scope (undefined withdraws it): the
 * first call in a scope that has no memory yet takes it (grown if need be) instead of making one. A host that
 * knows a job's first call can so map the memory's pages while it waits for something else (the CLI, while it
 * reads the input: `resampleWorkspaceBytes`). Dropped, taken or not, when the outermost scope returns.
 */
export function offerLowpassWorkspace(memory: WebAssembly.Memory | undefined): void {
  offered = memory;
}

/**
 * Bytes of working memory that `lowpassBlockSimd(v, k, m, mode)` needs for a cube of edge `n`; 0 where it
 * would not run (no WebAssembly SIMD, or a geometry it does not take).
 */
export function lowpassWorkspaceBytes(n: number, k: number, m: number, mode: SimdLowpassMode): number {
  // The module the call will use, made now (it is kept): its geometry has the size.
  return simdLowpassAvailable(n, k, m) ? compile(n, k, m, mode, false).geometry.total : 0;
}

/** A memory of at least `bytes`: the scope's, grown if need be, or outside a scope a new one. */
function memoryFor(bytes: number): WebAssembly.Memory {
  const pages = Math.ceil(bytes / PAGE);
  if (workspaceScopes === 0) return new WebAssembly.Memory({ initial: pages });
  if (!workspace) {
    workspace = offered ?? new WebAssembly.Memory({ initial: pages });
    offered = undefined;
  }
  return grownTo(workspace, bytes);
}

/** `memory`, grown to at least `bytes` (a growth leaves no last user: its views of the memory are gone). */
function grownTo(memory: WebAssembly.Memory, bytes: number): WebAssembly.Memory {
  const pages = Math.ceil(bytes / PAGE);
  const held = memory.buffer.byteLength / PAGE;
  if (held < pages) {
    memory.grow(pages - held);
    lastUser.delete(memory);
  }
  return memory;
}

/** The memory the calls of the current scope share (undefined outside a scope, or before its first call). */
export function lowpassWorkspace(): WebAssembly.Memory | undefined {
  return workspace;
}

/** Streamed (a cube given plane by plane), where T is kept: in the working memory, or in an array apart. */
type Streamed = false | 'T in memory' | 'T apart';

/** The plans and layout of a geometry, without its module: all that sizing a memory needs. */
function layout(n: number, k: number, m: number, mode: SimdLowpassMode, clip: boolean, streamed: Streamed = false): Omit<Compiled, 'module'> {
  const key = `${n}:${k}:${m}:${mode}:${clip}:${streamed}`;
  let l = layouts.get(key);
  if (!l) {
    const plans: Plans = { complexN: new ComplexPlanSingle(n), realN: new RealPlanSingle(n), complexM: new ComplexPlanSingle(m), realM: new RealPlanSingle(m) };
    l = { geometry: geometry(n, k, m, mode, plans, clip, streamed), plans };
    layouts.set(key, l);
  }
  return l;
}

function compile(n: number, k: number, m: number, mode: SimdLowpassMode, clip: boolean, streamed: Streamed = false): Compiled {
  const key = `${n}:${k}:${m}:${mode}:${clip}:${streamed}`;
  let c = compiled.get(key);
  if (!c) {
    const { geometry: geo, plans } = layout(n, k, m, mode, clip, streamed);
    c = { geometry: geo, plans, module: build(geo, plans) };
    compiled.set(key, c);
  }
  return c;
}

/** Whether the SIMD path can run here (WebAssembly SIMD) for this geometry (k >= 1, memory within 4 GiB). */
export function simdLowpassAvailable(n: number, k: number, m: number): boolean {
  if (!hasWasmSimd() || k < 1 || n < 2 || m < 2) return false;
  // The big regions: A (or C, in the same memory) and B.
  const wp = ceil4(k + 1);
  const bytes = 32 * (Math.max(Math.ceil(n / 4) * 2 * k * wp, m * 2 * k * (wp / 4)) + 4 * k * k * (wp / 4));
  return bytes < 3.5 * 2 ** 30;
}

/** Lines per call of the inverse z stage: enough calls for the engine to optimise the stage code. */
const LINES_PER_CALL = 32;

/**
 * §3 on the SIMD path: forward transform of `v` (edge n), the block of half-width `k`, the spherical window
 * (`lowpass`) or none (`resample`), the inverse at edge `m`, normalised by `float32(1/m^3)` and, for
 * `resample`, then by `float32((m/n)^3)` — the values of `lowpassToResolutionSingle` / `resampleCubeSingle`;
 * with `clipTo` = [lo, hi] (float32 values, lo ≤ hi), each then clipped to it as it is stored, which saves
 * a pass over a large map. With `region` (a block of the output, not the kept block of frequencies), only
 * that block of the m-cube is made, its values those of the whole cube's, bit for bit: a map of another box
 * padded back to its cube and cropped, without the cube. `v` may be a map's cube described rather than made
 * (`MirroredCube`): its rows are read from the map.
 */
export function lowpassBlockSimd(v: Volume | MirroredCube, k: number, m: number, mode: SimdLowpassMode, clipTo?: ClipRange, region?: CubeBlock): Volume {
  if (region) checkBlockInCube(region, m);
  const compiled = compile(edgeOf(v), k, m, mode, clipTo !== undefined);
  const { e, mem } = instantiate(compiled, memoryFor(compiled.geometry.total));
  forwardToBlock(v, e, mem, compiled.geometry, mode);
  return inverseFromBlock(e, mem, compiled.geometry, clipTo, region);
}

function edgeOf(v: Volume | MirroredCube): number {
  return isMirroredCube(v) ? v.edge : cubeEdge(v);
}

/** The forward stages: the kept block B of `v`'s spectrum, windowed for a low-pass. */
function forwardToBlock(v: Volume | MirroredCube, e: StageExports, mem: Float32Array, geo: Geometry, mode: SimdLowpassMode): void {
  const mirrored = isMirroredCube(v);
  const n = edgeOf(v);
  const { edge, ygN, ayg, adz, bdz, sN, work } = geo;
  const planeFloat = (work + geo.plane) / 4;

  // Forward: per row group, x then z (the kept z frequencies into A); then y for every kept z frequency.
  for (let yg = 0; yg < ygN; yg++) {
    const y0 = 4 * yg;
    const rows = Math.min(4, n - y0);
    for (let z = 0; z < n; z++) {
      const to = planeFloat + z * 4 * sN;
      if (mirrored) {
        for (let r = 0; r < rows; r++) copyCubeRow(v, z, y0 + r, mem, to + r * sN);
        continue;
      }
      copyRows(v.data, (z * n + y0) * n, rows, n, mem, to, sN);
    }
    e.xz(work, geo.a + yg * ayg);
  }
  for (let d = 0; d < edge; d++) e.yf(work, geo.a + d * adz, geo.b + d * bdz);

  if (mode === 'lowpass') applyWindow(mem, geo);
}

/**
 * `lowpassBlockSimd(v, k, m, 'resample', clipTo, region)` made a few planes at a time when asked, never whole:
 * a modified map padded back to a large input's box (or the input's block of its cube), written as it is made. Its values are the whole call's,
 * bit for bit (the same stages on the same numbers; each plane is the y and x inverses of its slab of the z
 * inverse). The forward stages and the inverse along z run in `memory` (by default, the scope's: see
 * {@link withLowpassWorkspace}; the source keeps it) when a plane is first asked for, and again whenever
 * another call has used that memory since: sources that share one memory are right in any order, and fastest
 * asked one after the other. `v` is kept until the source is dropped.
 */
export function resampledPlanesSimd(v: Volume, k: number, m: number, clipTo: ClipRange | undefined, region?: CubeBlock): PlaneSource {
  if (region) checkBlockInCube(region, m);
  const compiled = compile(cubeEdge(v), k, m, 'resample', clipTo !== undefined);
  const geo = compiled.geometry;
  const memory = memoryFor(geo.total);
  const [oz] = region?.offset ?? [0, 0, 0];
  const [nz, ny, nx] = region?.shape ?? [m, m, m];
  let made: { e: StageExports; mem: Float32Array } | undefined;
  return {
    nz,
    ny,
    nx,
    fillPlanes(firstPlane, into) {
      const planes = into.length / (ny * nx);
      if (!Number.isInteger(planes) || !Number.isInteger(firstPlane) || firstPlane < 0 || firstPlane + planes > nz) {
        throw new RangeError(`${into.length} values from plane ${firstPlane} are not whole planes of the ${nz}x${ny}x${nx} block`);
      }
      if (!made || lastUser.get(memory) !== made) {
        const instance = instantiate(compiled, grownTo(memory, geo.total));
        forwardToBlock(v, instance.e, instance.mem, geo, 'resample');
        inverseAlongZ(instance.e, geo);
        made = instance;
      }
      for (let p = 0; p < planes; p++) inversePlane(made.e, made.mem, geo, oz + firstPlane + p, clipTo, into, p * ny * nx, region);
    },
  };
}

type StageExports = Record<string, (...args: number[]) => void>;

/** `rows` rows of `n` values from `src` at `from` into `mem` at `to`, its rows `stride` floats apart. */
function copyRows(src: Float32Array, from: number, rows: number, n: number, mem: Float32Array, to: number, stride: number): void {
  if (stride === n) mem.set(src.subarray(from, from + rows * n), to);
  else for (let r = 0; r < rows; r++) mem.set(src.subarray(from + r * n, from + r * n + n), to + r * stride);
}

/**
 * The instance that last wrote each memory (see `instantiate`): a plane source whose memory another call has
 * used since makes its state there again (`resampledPlanesSimd`).
 */
const lastUser = new WeakMap<WebAssembly.Memory, object>();

/** A module instantiated in `memory`, its constants written; recorded as the memory's last user. */
function instantiate({ geometry: geo, plans, module }: Compiled, memory: WebAssembly.Memory): { e: StageExports; mem: Float32Array } {
  const e = new WebAssembly.Instance(module, { env: { memory } }).exports as StageExports;
  const mem = new Float32Array(memory.buffer);
  writeTwiddles(mem, plans.complexN, geo.twiddles.complexN, plans.realN, geo.twiddles.realN);
  writeTwiddles(mem, plans.complexM, geo.twiddles.complexM, plans.realM, geo.twiddles.realM);
  const made = { e, mem };
  lastUser.set(memory, made);
  return made;
}

/** The inverse from the kept block B: z for every kept (fy, fx) into C, then per output plane y and x. */
function inverseFromBlock(e: StageExports, mem: Float32Array, geo: Geometry, clipTo?: ClipRange, region?: CubeBlock): Volume {
  const { m } = geo;
  inverseAlongZ(e, geo);
  // The whole cube, or the region asked for: only its planes are transformed along y and x, only its rows kept.
  const [oz] = region?.offset ?? [0, 0, 0];
  const [nz, ny, nx] = region?.shape ?? [m, m, m];
  const out = createVolume(nz, ny, nx, sharedFloat32Array(nz * ny * nx));
  for (let z = oz; z < oz + nz; z++) inversePlane(e, mem, geo, z, clipTo, out.data, (z - oz) * ny * nx, region);
  return out;
}

/** The inverse along z, for every kept (fy, fx): B into C. */
function inverseAlongZ(e: StageExports, geo: Geometry): void {
  const blockLines = geo.edge * geo.groups;
  for (let first = 0; first < blockLines; first += LINES_PER_CALL) e.zi(geo.work, geo.b + first * CE, Math.min(LINES_PER_CALL, blockLines - first));
}

/** Output plane `z` (its y and x inverses from C, clipped as asked), its rows of `region` (or all) into `out` at `at`. */
function inversePlane(e: StageExports, mem: Float32Array, geo: Geometry, z: number, clipTo: ClipRange | undefined, out: Float32Array, at: number, region?: CubeBlock): void {
  const { m, sM, work } = geo;
  const planeFloat = (work + geo.plane) / 4;
  const [, oy, ox] = region?.offset ?? [0, 0, 0];
  const [, ny, nx] = region?.shape ?? [m, m, m];
  e.yi(work, geo.c + z * geo.cz);
  if (clipTo) e.xi(work, clipTo[0], clipTo[1]);
  else e.xi(work);
  if (sM === m && nx === m && ny === m) out.set(mem.subarray(planeFloat, planeFloat + m * m), at);
  else for (let y = 0; y < ny; y++) out.set(mem.subarray(planeFloat + (oy + y) * sM + ox, planeFloat + (oy + y) * sM + ox + nx), at + y * nx);
}

/** Options of a {@link StreamedResample}. */
export interface StreamedResampleOptions {
  /** The working memory to use (grown if need be); by default one of its own. */
  memory?: WebAssembly.Memory;
  /**
   * Keep the x transforms (T) in an array apart instead of the working memory, and copy each row group's into
   * the working memory for its z transforms. Where typed arrays get transparent huge pages and WebAssembly
   * memories do not (bin/huge-pages.cjs), and a page's first touch is slow, this spares most of the working
   * memory's page faults: at 512³ → 256, T's 264 MiB are touched in 2 MiB pages, and 204 instead of 336 MiB of
   * working memory in 4 KiB ones. It costs two copies of T, and T's bytes of memory more until `finish` (and
   * until the garbage collector frees them).
   */
  transformsApart?: boolean;
}

/**
 * `lowpassBlockSimd(cube, m / 2, m, 'resample')` for a cube of edge n > m that arrives plane by plane (z planes
 * in any order, each once): a map down-sampled as it is read, without ever holding it. Each plane's rows are
 * transformed along x as it comes ({@link addPlanes}), and kept (T for every row group, n² (m/2 + 1) complex
 * values rounded up: in the working memory, which the later stages then overwrite, or in an array apart,
 * `transformsApart`); {@link finish} runs the rest. The same transforms on the same values as the whole-cube
 * call, so the same result bit for bit.
 */
export class StreamedResample {
  private readonly geo: Geometry;
  private readonly e: StageExports;
  private readonly mem: Float32Array;
  private readonly seen: Uint8Array;
  /** T for every row group (`tg` bytes apart), when kept apart; dropped by `finish`. */
  private apart: Uint8Array | undefined;
  private finished = false;

  /** T kept apart, or undefined when it is kept in the working memory (asked before `finish`). */
  private transformsKeptApart(): Uint8Array | undefined {
    if (this.geo.keepsT) return undefined;
    if (!this.apart) throw new Error('the x transforms kept apart are gone');
    return this.apart;
  }

  /**
   * Whether a cube of edge `n` can be resampled to `m` this way here: even edges, m < n, WebAssembly SIMD, the
   * working memory within 4 GiB.
   */
  static available(n: number, m: number): boolean {
    const edges = Number.isInteger(n) && Number.isInteger(m) && n % 2 === 0 && m % 2 === 0 && m >= 2 && m < n;
    return edges && simdLowpassAvailable(n, m / 2, m) && streamedBytes(n, m) < 3.5 * 2 ** 30;
  }

  /**
   * Its working memory: `memory` if given (grown if need be), else one of its own, never a
   * {@link withLowpassWorkspace} scope's: its state lives there from the first plane to `finish`, and another
   * call in the scope meanwhile would overwrite it. It can serve the job's later Fourier steps
   * (`offerLowpassWorkspace`).
   */
  readonly memory: WebAssembly.Memory;

  constructor(
    readonly n: number,
    readonly m: number,
    { memory, transformsApart = false }: StreamedResampleOptions = {},
  ) {
    if (!StreamedResample.available(n, m)) {
      throw new RangeError(`no streamed resampling of ${n} to ${m} here (it goes from an even edge to a smaller even one, with WebAssembly SIMD)`);
    }
    const compiled = compile(n, m / 2, m, 'resample', false, transformsApart ? 'T apart' : 'T in memory');
    this.geo = compiled.geometry;
    this.memory = grownTo(memory ?? new WebAssembly.Memory({ initial: 1 }), this.geo.total);
    ({ e: this.e, mem: this.mem } = instantiate(compiled, this.memory));
    this.seen = new Uint8Array(n);
    if (transformsApart) this.apart = new Uint8Array(this.geo.ygN * this.geo.tg);
  }

  /** Whether the x transforms are kept apart (`StreamedResampleOptions.transformsApart`). */
  get transformsApart(): boolean {
    return !this.geo.keepsT;
  }

  /** Planes `first`, `first + 1`, … of the cube: `values` holds whole planes (n² values each, rows of n). */
  addPlanes(first: number, values: Float32Array): void {
    const { n, geo, e, mem } = this;
    if (this.finished) throw new RangeError('planes given after finish()');
    const size = n * n;
    const count = values.length / size;
    if (!Number.isInteger(count) || first < 0 || first + count > n) {
      throw new RangeError(`planes ${first}… of ${values.length} values do not fit a cube of edge ${n}`);
    }
    const { sN, ygN, work, tg, adz } = geo;
    const plane = work + geo.plane;
    const planeFloat = plane / 4;
    // Kept apart, each row group's entries go to the work area's T first (adz bytes each), then to the array.
    const apart = this.transformsKeptApart();
    const t = work + geo.t;
    const bytes = new Uint8Array(mem.buffer);
    for (let p = 0; p < count; p++) {
      const z = first + p;
      if (this.seen[z]) throw new RangeError(`plane ${z} given twice`);
      copyRows(values, p * size, n, n, mem, planeFloat, sN);
      if (apart) {
        for (let yg = 0; yg < ygN; yg++) e.xs(work, plane + yg * 4 * sN * 4, t + yg * adz);
        for (let yg = 0; yg < ygN; yg++) apart.set(bytes.subarray(t + yg * adz, t + (yg + 1) * adz), yg * tg + z * adz);
      } else {
        for (let yg = 0; yg < ygN; yg++) e.xs(work, plane + yg * 4 * sN * 4, geo.a + yg * tg + z * adz);
      }
      this.seen[z] = 1;
    }
  }

  /** The resampled cube (edge m), once; every plane must have been given. */
  finish(): Volume {
    const { n, geo, e, mem } = this;
    // The later stages overwrite T (or drop it): a second call would compute from what they left.
    if (this.finished) throw new RangeError('finish() called twice');
    const missing = this.seen.reduce((count, given) => count + (given ? 0 : 1), 0);
    if (missing > 0) throw new RangeError(`${missing} of the cube's ${n} planes were not given`);
    const apart = this.transformsKeptApart();
    this.finished = true;
    const { ygN, edge, work, tg } = geo;
    for (let yg = 0; yg < ygN; yg++) {
      if (apart) {
        // The row group's T into the work area's (what the whole-cube call's z transforms read).
        new Uint8Array(mem.buffer).set(apart.subarray(yg * tg, (yg + 1) * tg), work + geo.t);
        e.zs(work, work + geo.t, geo.a + yg * geo.ayg);
      } else e.zs(work, geo.a + yg * tg, geo.a + yg * geo.ayg);
    }
    this.apart = undefined;
    for (let d = 0; d < edge; d++) e.yf(work, geo.a + d * geo.adz, geo.b + d * geo.bdz);
    return inverseFromBlock(e, mem, geo);
  }
}

/**
 * Working memory of a {@link StreamedResample} from edge `n` to `m` with T in it (bytes), about: what
 * `available` bounds, which also bounds T kept apart (a typed array of at most 4 GiB).
 */
function streamedBytes(n: number, m: number): number {
  const wp = ceil4(m / 2 + 1);
  return Math.ceil(n / 4) * n * wp * CE + 32 * m * m * (wp / 4);
}

/**
 * Bytes of memory a {@link StreamedResample} from `n` to `m` takes (0 where it would not run): its working
 * memory, and with `transformsApart` the array T is kept in until `finish`.
 */
export function streamedResampleBytes(n: number, m: number, transformsApart = false): { workspace: number; apart: number } {
  if (!StreamedResample.available(n, m)) return { workspace: 0, apart: 0 };
  // The layout alone: a run plans both ways and uses one (building a module takes 10-45 ms).
  const geo = layout(n, m / 2, m, 'resample', false, transformsApart ? 'T apart' : 'T in memory').geometry;
  return { workspace: geo.total, apart: transformsApart ? geo.ygN * geo.tg : 0 };
}

/**
 * The spherical window of `applySphericalWindowSingle` on B (lanes fx): frequency (fz, fy, fx) is kept when
 * `(2 fz + 1)^2 + (2 fy + 1)^2 + (2 fx - 1)^2 <= 4 (k + 1)^2`. Lanes past k are left as they are: nothing reads
 * them (see the module comment).
 */
function applyWindow(mem: Float32Array, geo: Geometry): void {
  const { k, edge, groups } = geo;
  const w = k + 1;
  const limit = 4 * w * w;
  const base = geo.b / 4;
  for (let dz = 0; dz < edge; dz++) {
    const a = 2 * (dz - k) + 1;
    for (let dy = 0; dy < edge; dy++) {
      const b = 2 * (dy - k) + 1;
      const ab = a * a + b * b;
      for (let g = 0; g < groups; g++) {
        const o = base + ((dz * edge + dy) * groups + g) * 8;
        for (let l = 0; l < 4; l++) {
          const fx = 4 * g + l;
          const c = 2 * fx - 1;
          if (ab + c * c > limit) {
            mem[o + l] = 0;
            mem[o + 4 + l] = 0;
          }
        }
      }
    }
  }
}
