/**
 * The single-precision low-pass and resampling of ./lowpass-single.ts in WebAssembly SIMD: the same 1D
 * transforms on the same lines in the same stage order, four lines per instruction (./simd-codegen.ts), so
 * every value is bit-identical to the scalar path (tested against it).
 *
 * One module is generated per geometry (input edge n, kept half-width k, output edge m, low-pass or resample),
 * with every size, stride and address a constant; it works in a memory of its own, created for the call and
 * dropped after. Layouts (a "vector" is 16 bytes, four float32 lanes; a complex entry is a real vector and an
 * imaginary vector, 32 bytes):
 *
 *   input plane   one z plane of the input, rows padded to Sn = 4 ceil(n/4) floats, Sn rows;
 *   A[z][fx][yg]  after the x and z transforms, fx in [0, wp), wp = k+1 rounded up to 4; lanes are the four
 *                 rows y = 4 yg + l (yg in [0, ceil(n/4)));
 *   B[dz][dy][g]  the kept block, lanes fx = 4 g + l (g in [0, wp/4));
 *   C[z][dy][g]   after the inverse z transforms (m planes), lanes fx;
 *   D[z][fx][yg]  after the inverse y transforms, lanes y (yg in [0, ceil(m/4)));
 *   output plane  one z plane of the result, padded like the input plane.
 *
 * Lanes past the data (fx > k, rows y >= n) carry values nobody reads; lanes never mix, so they cannot
 * change a kept value. C and D reuse A's memory (A is dead once the block is taken).
 */
import { ComplexPlanSingle, RealPlanSingle } from './plans.js';
import { FunctionWriter, complexPass, realPass, transpose4 } from './simd-codegen.js';
import { assembleModule, hasWasmSimd, I32 } from '../../wasm/assembler.js';
import { createCube, cubeEdge, type Volume } from '../../volume.js';
import { sharedFloat32Array } from '../../parallel/pool.js';

const f = Math.fround;
const CE = 32;
const RE = 16;
const PAGE = 65536;

const ceil4 = (x: number) => Math.ceil(x / 4) * 4;
const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

export type SimdLowpassMode = 'lowpass' | 'resample';

/** Sizes, strides and the memory layout of one geometry (bytes unless said otherwise). */
interface Geometry {
  n: number;
  k: number;
  m: number;
  mode: SimdLowpassMode;
  w: number;
  wp: number;
  groups: number;
  ygN: number;
  ygM: number;
  /** Padded row stride (floats) and row count of the input and output planes. */
  sN: number;
  sM: number;
  edge: number;
  az: number;
  bdz: number;
  cz: number;
  dz: number;
  lineBytes: number;
  work: number;
  plane: number;
  a: number;
  c: number;
  d: number;
  b: number;
  total: number;
  twiddles: { complexN: number; realN: number; complexM: number; realM: number; end: number };
}

function twiddleBytes(complex: ComplexPlanSingle, real: RealPlanSingle): { complex: number; real: number } {
  const c = complex.passes.reduce((s, p) => s + (p.tw.length / 2) * CE, 0);
  const r = real.passes.reduce((s, p) => s + p.tw.length * RE, 0);
  return { complex: c, real: r };
}

function geometry(n: number, k: number, m: number, mode: SimdLowpassMode, plans: Plans): Geometry {
  const w = k + 1;
  const wp = ceil4(w);
  const groups = wp / 4;
  const ygN = Math.ceil(n / 4);
  const ygM = Math.ceil(m / 4);
  const sN = 4 * ygN;
  const sM = 4 * ygM;
  const edge = 2 * k;
  const az = wp * ygN * CE;
  const bdz = edge * groups * CE;
  const cz = edge * groups * CE;
  const dz = wp * ygM * CE;
  const twN = twiddleBytes(plans.complexN, plans.realN);
  const twM = twiddleBytes(plans.complexM, plans.realM);
  const complexN = 0;
  const realN = complexN + align(twN.complex);
  const complexM = realN + align(twN.real);
  const realM = complexM + align(twM.complex);
  const twEnd = realM + align(twM.real);
  const lineBytes = align(CE * Math.max(sN, sM));
  const work = twEnd;
  const plane = work + 2 * lineBytes;
  const a = align(plane + 4 * Math.max(sN * sN, sM * sM));
  const aBytes = n * az;
  const c = a;
  const d = align(c + m * cz);
  const b = align(Math.max(a + aBytes, d + m * dz));
  const total = b + edge * bdz;
  return { n, k, m, mode, w, wp, groups, ygN, ygM, sN, sM, edge, az, bdz, cz, dz, lineBytes, work, plane, a, c, d, b, total, twiddles: { complexN, realN, complexM, realM, end: twEnd } };
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

function complexTransform(name: string, plan: ComplexPlanSingle, twBase: number, forward: boolean): Transform {
  const g = new FunctionWriter(name, [I32, I32]);
  let [p1, p2] = [0, 1];
  let l1 = 1;
  let tw = twBase;
  for (const { ip, tw: table } of plan.passes) {
    const ido = plan.length / (l1 * ip);
    complexPass(g, ip, ido, l1, p1, p2, tw, forward);
    [p1, p2] = [p2, p1];
    l1 *= ip;
    tw += (table.length / 2) * CE;
  }
  return { writer: g, inScratch: p1 === 1 };
}

function realTransform(name: string, plan: RealPlanSingle, twBase: number, forward: boolean): Transform {
  const g = new FunctionWriter(name, [I32, I32]);
  const passes = plan.passes;
  const offsets: number[] = [];
  let tw = twBase;
  for (const p of passes) {
    offsets.push(tw);
    tw += p.tw.length * RE;
  }
  const n = plan.length;
  let [p1, p2] = [0, 1];
  if (forward) {
    let l1 = n;
    for (let k = passes.length - 1; k >= 0; k--) {
      const ip = passes[k].ip;
      const ido = n / l1;
      l1 /= ip;
      realPass(g, ip, ido, l1, p1, p2, offsets[k], true);
      [p1, p2] = [p2, p1];
    }
  } else {
    let l1 = 1;
    for (let k = 0; k < passes.length; k++) {
      const ip = passes[k].ip;
      const ido = n / (ip * l1);
      realPass(g, ip, ido, l1, p1, p2, offsets[k], false);
      [p1, p2] = [p2, p1];
      l1 *= ip;
    }
  }
  return { writer: g, inScratch: p1 === 1 };
}

/** Writes a plan's twiddles as splatted vectors: complex from `complexAt`, real from `realAt`. */
function writeTwiddles(memory: Float32Array, complex: ComplexPlanSingle, complexAt: number, real: RealPlanSingle, realAt: number): void {
  let o = complexAt / 4;
  for (const { tw } of complex.passes) {
    for (let e = 0; e < tw.length / 2; e++, o += 8) {
      memory.fill(tw[2 * e], o, o + 4);
      memory.fill(tw[2 * e + 1], o + 4, o + 8);
    }
  }
  o = realAt / 4;
  for (const { tw } of real.passes) {
    for (let e = 0; e < tw.length; e++, o += 4) memory.fill(tw[e], o, o + 4);
  }
}

// Function indices in the module (the order of the list given to assembleModule).
const FN = { cfN: 0, rfN: 1, cbM: 2, rbM: 3, xf: 4, zf: 5, yf: 6, zi: 7, yi: 8, xi: 9 } as const;

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
  const { n, k, m, wp, groups, ygN, ygM, sN, sM, az, bdz, cz, dz, lineBytes } = geo;
  const t = geo.twiddles;
  const cfN = complexTransform('cfN', plans.complexN, t.complexN, true);
  const rfN = realTransform('rfN', plans.realN, t.realN, true);
  const cbM = complexTransform('cbM', plans.complexM, t.complexM, false);
  const rbM = realTransform('rbM', plans.realM, t.realM, false);

  // Every stage function takes the work area first: line (lineBytes), scratch (lineBytes), plane.
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

  // xf(work, az): real forward transforms of the plane's rows, four at a time, into A[z][fx][yg].
  const xf = (() => {
    const { g, line, scratch } = stage('xf', 1);
    const zero = g.zero();
    const rows = g.ptr(0, 2 * lineBytes);
    const out = g.ptr(1);
    const kp = Math.min(k, n / 2 - 1);
    g.repeat(ygN, [[rows, 4 * sN * 4], [out, CE]], () => {
      const src = g.ptr(rows);
      const dst = g.ptr(line);
      g.repeat(sN / 4, [[src, 16], [dst, 4 * RE]], () => {
        const v = [0, 1, 2, 3].map((r) => g.ld(src, r * sN * 4));
        transpose4(g, v[0], v[1], v[2], v[3]).forEach((col, j) => g.st(dst, j * RE, col));
      });
      callTransform(g, FN.rfN, line, scratch);
      const R = result(rfN, line, scratch);
      g.st(out, 0, g.ld(R, 0));
      g.st(out, 16, zero);
      const s = g.ptr(R, RE);
      const d = g.ptr(out, ygN * CE);
      g.repeat(kp, [[s, 2 * RE], [d, ygN * CE]], () => {
        g.st(d, 0, g.ld(s, 0));
        g.st(d, 16, g.ld(s, RE));
      });
      if (k === n / 2) {
        g.st(out, (n / 2) * ygN * CE, g.ld(R, RE * (n - 1)));
        g.st(out, (n / 2) * ygN * CE + 16, zero);
      }
      for (let fx = k + 1; fx < wp; fx++) {
        g.st(out, fx * ygN * CE, zero);
        g.st(out, fx * ygN * CE + 16, zero);
      }
    });
    return g;
  })();

  // zf(work, first, count): complex forward transforms along z of the lines at A + first, + 32, ...
  const zf = (() => {
    const { g, line, scratch } = stage('zf', 2);
    const p = g.ptr(1);
    const count = g.ptr(2);
    g.repeatCounted(count, [[p, CE]], () => {
      const src = g.ptr(p);
      const dst = g.ptr(line);
      g.repeat(n, [[src, az], [dst, CE]], () => copyComplex(g, dst, 0, src, 0));
      callTransform(g, FN.cfN, line, scratch);
      const s = g.ptr(result(cfN, line, scratch));
      const d = g.ptr(p);
      g.repeat(n, [[s, CE], [d, az]], () => copyComplex(g, d, 0, s, 0));
    });
    return g;
  })();

  // yf(work, az, bdz): complex forward transforms along y of plane z (lanes fx), kept dy into B[dz].
  const yf = (() => {
    const { g, line, scratch } = stage('yf', 2);
    const fxp = g.ptr(1);
    const bp = g.ptr(2);
    g.repeat(groups, [[fxp, 4 * ygN * CE], [bp, CE]], () => {
      const src = g.ptr(fxp);
      const dst = g.ptr(line);
      g.repeat(ygN, [[src, CE], [dst, 4 * CE]], () => {
        for (const part of [0, 16]) {
          const v = [0, 1, 2, 3].map((l) => g.ld(src, l * ygN * CE + part));
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

  // yi(work, cz, dz): complex backward transforms along y of plane z of C (lanes fx), into D[z] (lanes y).
  const yi = (() => {
    const { g, line, scratch } = stage('yi', 2);
    g.zero();
    const cp = g.ptr(1);
    const dp = g.ptr(2);
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

  // xi(work, dz): real backward transforms along x of plane z of D, normalised, into the output plane.
  const xi = (() => {
    const { g, line, scratch } = stage('xi', 1);
    g.zero();
    const fct = g.konst(f(1 / (m * m * m)));
    const factor = geo.mode === 'resample' ? g.konst(f((m / n) ** 3)) : null;
    const yp = g.ptr(1);
    const rows = g.ptr(0, 2 * lineBytes);
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
          return x;
        });
        transpose4(g, v[0], v[1], v[2], v[3]).forEach((row, r) => g.st(dst, r * sM * 4, row));
      });
    });
    return g;
  })();

  const functions = [cfN.writer, rfN.writer, cbM.writer, rbM.writer, xf, zf, yf, zi, yi, xi].map((w) => w.spec());
  const bytes = assembleModule(functions, { minimumPages: 1 });
  return new WebAssembly.Module(bytes);
}

const compiled = new Map<string, Compiled>();

function compile(n: number, k: number, m: number, mode: SimdLowpassMode): Compiled {
  const key = `${n}:${k}:${m}:${mode}`;
  let c = compiled.get(key);
  if (!c) {
    const plans: Plans = {
      complexN: new ComplexPlanSingle(n),
      realN: new RealPlanSingle(n),
      complexM: new ComplexPlanSingle(m),
      realM: new RealPlanSingle(m),
    };
    const geo = geometry(n, k, m, mode, plans);
    c = { geometry: geo, plans, module: build(geo, plans) };
    compiled.set(key, c);
  }
  return c;
}

/** Whether the SIMD path can run here (WebAssembly SIMD) for this geometry (k >= 1, memory within 4 GiB). */
export function simdLowpassAvailable(n: number, k: number, m: number): boolean {
  if (!hasWasmSimd() || k < 1 || n < 2 || m < 2) return false;
  // A rough upper bound of the memory: A or C + D, and B.
  const w = ceil4(k + 1);
  const bytes = 32 * (Math.max(n * w * Math.ceil(n / 4), m * 2 * k * (w / 4) + m * w * Math.ceil(m / 4)) + 4 * k * k * (w / 4));
  return bytes < 3.5 * 2 ** 30;
}

/** Lines per call of the line stages (zf, zi): enough calls for the engine to optimise the stage code. */
const LINES_PER_CALL = 32;

/**
 * §3 on the SIMD path: forward transform of `v` (edge n), the block of half-width `k`, the spherical window
 * (`lowpass`) or none (`resample`), the inverse at edge `m`, normalised by `float32(1/m^3)` and, for
 * `resample`, then by `float32((m/n)^3)` — the values of `lowpassToResolutionSingle` / `resampleCubeSingle`.
 */
export function lowpassBlockSimd(v: Volume, k: number, m: number, mode: SimdLowpassMode): Volume {
  const n = cubeEdge(v);
  const { geometry: geo, plans, module } = compile(n, k, m, mode);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(geo.total / PAGE) });
  const e = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...args: number[]) => void>;
  const mem = new Float32Array(memory.buffer);
  writeTwiddles(mem, plans.complexN, geo.twiddles.complexN, plans.realN, geo.twiddles.realN);
  writeTwiddles(mem, plans.complexM, geo.twiddles.complexM, plans.realM, geo.twiddles.realM);
  const { w, edge, groups, az, bdz, cz, dz, sN, sM, work, plane } = geo;
  const data = v.data;
  const planeFloat = plane / 4;

  // Forward: x, then z, then y for the kept z frequencies.
  for (let z = 0; z < n; z++) {
    const from = z * n * n;
    if (sN === n) mem.set(data.subarray(from, from + n * n), planeFloat);
    else for (let y = 0; y < n; y++) mem.set(data.subarray(from + y * n, from + y * n + n), planeFloat + y * sN);
    e.xf(work, geo.a + z * az);
  }
  const zLines = w * geo.ygN;
  for (let first = 0; first < zLines; first += LINES_PER_CALL) e.zf(work, geo.a + first * CE, Math.min(LINES_PER_CALL, zLines - first));
  for (let d = 0; d < edge; d++) e.yf(work, geo.a + ((d - k + n) % n) * az, geo.b + d * bdz);

  if (mode === 'lowpass') applyWindow(mem, geo);

  // Inverse: z for every kept (fy, fx), y for every z, x for every (z, y).
  const blockLines = edge * groups;
  for (let first = 0; first < blockLines; first += LINES_PER_CALL) e.zi(work, geo.b + first * CE, Math.min(LINES_PER_CALL, blockLines - first));
  for (let z = 0; z < m; z++) e.yi(work, geo.c + z * cz, geo.d + z * dz);
  const out = createCube(m, sharedFloat32Array(m * m * m));
  const o = out.data;
  for (let z = 0; z < m; z++) {
    e.xi(work, geo.d + z * dz);
    const to = z * m * m;
    if (sM === m) o.set(mem.subarray(planeFloat, planeFloat + m * m), to);
    else for (let y = 0; y < m; y++) o.set(mem.subarray(planeFloat + y * sM, planeFloat + y * sM + m), to + y * m);
  }
  return out;
}

/**
 * The spherical window of `applySphericalWindowSingle` on B (lanes fx): frequency (fz, fy, fx) is kept when
 * `(2 fz + 1)^2 + (2 fy + 1)^2 + (2 fx - 1)^2 <= 4 (k + 1)^2`; lanes past k are cleared too.
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
          if (fx > k || ab + c * c > limit) {
            mem[o + l] = 0;
            mem[o + 4 + l] = 0;
          }
        }
      }
    }
  }
}
