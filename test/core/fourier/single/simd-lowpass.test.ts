/**
 * The WebAssembly SIMD low-pass and resampling (src/core/fourier/single/simd-lowpass.ts) against the scalar
 * single-precision path, bit for bit: every radix (complex 2, 3, 4, 5, 7, 8, 11 and the generic pass; real 2, 3, 4, 5
 * and the generic pass) in every position,
 * edges that are not multiples of four (partly filled row groups), k = n/2 (the Nyquist terms), cropping and
 * zero-padding. The scalar path is itself checked against direct DFTs (lowpass-single.test.ts) and against
 * scipy.fft (scipy-crosscheck.test.ts, which also runs the SIMD path).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lowpassToResolutionSingle, resampleCubeSingle, resampledPlanesLikeReference, resampleLikeReference, resampleWorkspaceBytes } from '../../../../src/core/fourier/single/lowpass-single.js';
import { lowpassBlockSimd, lowpassWorkspace, offerLowpassWorkspace, simdLowpassAvailable, StreamedResample, streamedResampleBytes, transformFourLinesSimd, withLowpassWorkspace } from '../../../../src/core/fourier/single/simd-lowpass.js';
import { keptShells } from '../../../../src/core/fourier/lowpass.js';
import { hasWasmSimd } from '../../../../src/core/wasm/assembler.js';
import { ComplexPlanSingle, RealPlanSingle } from '../../../../src/core/fourier/single/plans.js';
import { randomCube, randomFloat32 } from './random.js';
import type { PlaneSource, Volume } from '../../../../src/core/volume.js';

/** Index of the first voxel whose float32 bits differ (-1 when identical; -0 and +0 differ). */
function firstDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

const simd = hasWasmSimd();

/** [edge, resolution] at voxel size 1: kept shells floor(n / resolution), clipped to n/2. */
const LOWPASS_CASES: [number, number][] = [
  [2, 0.5], [4, 0.5], [6, 2.5], [6, 1], [8, 3], [8, 1], [10, 3], [10, 1], [12, 2.1], [16, 4], [18, 2.5],
  [20, 3], [24, 2], [30, 4], [30, 1], [32, 2.2], [36, 2], [40, 5], [48, 8], [50, 4], [54, 3], [60, 3],
  [64, 8], [72, 2], [90, 5], [96, 3], [100, 6], [120, 7],
  // Edges with the factors 7, 11, 13 and 17: 98 = 2·7·7 puts a radix-7 pass (complex) and a generic real pass
  // at twiddled positions (ido = 7).
  [14, 3], [22, 2], [26, 3], [28, 2], [34, 4], [98, 5],
];

/** [edge, new edge]: crops and zero-pads. */
const RESAMPLE_CASES: [number, number][] = [
  [4, 2], [2, 4], [8, 4], [8, 6], [6, 10], [8, 12], [10, 6], [12, 8], [16, 8], [20, 10], [30, 20], [32, 16],
  [40, 90], [48, 32], [50, 30], [60, 40], [64, 32], [90, 60], [100, 50], [96, 128], [128, 96],
  [44, 26], [22, 28], [98, 14], [14, 22],
];

/**
 * 1D lengths for the four-line transforms: every odd pass with and without twiddles, including the generic
 * passes at twiddled positions (ido > 1) with l1 > 1 as well (338 = 2·13², 578 = 2·17², 722 = 2·19², 1058 = 2·23²),
 * large primes (226 = 2·113, 302 = 2·151), and box edges users have.
 */
const LINE_LENGTHS = [
  7, 11, 13, 14, 17, 22, 26, 31, 47, 49, 86, 98, 106, 121, 122, 134, 169, 224, 226, 289, 302, 316, 338, 352, 361, 416, 448, 452, 578, 722,
  1001, 1058, 1849, 2209, 64, 120,
  // Bluestein's algorithm in the reference: complex only (101, 202, 214, 254), complex and real (478, 1018, 2039).
  101, 202, 214, 254, 478, 1018, 2039,
];

test('SIMD low-pass equals the scalar single-precision low-pass bit for bit', { skip: !simd && 'no WebAssembly SIMD' }, () => {
  for (const [n, res] of LOWPASS_CASES) {
    const v = randomCube(n, 3 * n + 1);
    const k = Math.min(keptShells(n, 1, res), n / 2);
    assert.ok(simdLowpassAvailable(n, k, n), `n=${n}`);
    const want = lowpassToResolutionSingle(v, 1, res, { simd: false }).data;
    const got = lowpassToResolutionSingle(v, 1, res).data;
    assert.equal(firstDifference(got, want), -1, `low-pass n=${n} k=${k}`);
  }
});

test('SIMD resampling (crop and zero-pad) equals the scalar path bit for bit', { skip: !simd && 'no WebAssembly SIMD' }, () => {
  for (const [n, m] of RESAMPLE_CASES) {
    const v = randomCube(n, n + 7 * m);
    const want = resampleCubeSingle(v, m, { simd: false }).data;
    const got = resampleCubeSingle(v, m).data;
    assert.equal(firstDifference(got, want), -1, `resample ${n} -> ${m}`);
  }
});

test('a memory offered for the next scope is its workspace, of the size resampleWorkspaceBytes gives, and is dropped with it', { skip: !simd && 'no WebAssembly SIMD' }, () => {
  for (const [n, m] of [[64, 48], [48, 64], [30, 20], [20, 30]] as const) {
    const v = randomCube(n, n + m);
    const want = resampleCubeSingle(v, m, { simd: false }).data;
    const bytes = resampleWorkspaceBytes(n, m);
    const pages = Math.ceil(bytes / 65536);
    const memory = new WebAssembly.Memory({ initial: pages });
    new Float32Array(memory.buffer).fill(NaN);
    offerLowpassWorkspace(memory);
    withLowpassWorkspace(() => {
      assert.equal(firstDifference(resampleCubeSingle(v, m).data, want), -1, `${n} -> ${m}`);
      assert.equal(lowpassWorkspace(), memory, 'the offered memory is used');
    });
    assert.equal(memory.buffer.byteLength, pages * 65536, `${n} -> ${m}: the size needed, not grown`);
    withLowpassWorkspace(() => {
      resampleCubeSingle(v, m);
      assert.notEqual(lowpassWorkspace(), memory, 'not offered to a later scope');
    });
    // One page less would not do (the size is the least that works, not merely enough).
    withLowpassWorkspace(() => {
      offerLowpassWorkspace(new WebAssembly.Memory({ initial: pages - 1 }));
      resampleCubeSingle(v, m);
      assert.equal(lowpassWorkspace()?.buffer.byteLength, pages * 65536, 'grown by the call');
    });
  }
  assert.ok(resampleWorkspaceBytes(14, 8) > 0, 'an edge with the factor 7 takes the single-precision path');
  assert.ok(resampleWorkspaceBytes(202, 8) > 0, 'an edge of 2·101 (Bluestein in the reference) takes the single-precision path');
  assert.equal(resampleWorkspaceBytes(63, 8), 0, 'an odd edge takes the double-precision path');
  offerLowpassWorkspace(undefined);
});

test('resampling clipped as it is stored equals resampling and then clipping, on every path', () => {
  const clip = (d: Float32Array, lo: number, hi: number) => d.map((x) => (x < lo ? lo : x > hi ? hi : x));
  for (const [n, m] of [...RESAMPLE_CASES, [14, 8], [8, 14]] as [number, number][]) {
    const v = randomCube(n, 5 * n + m);
    const plain = resampleLikeReference(v, m).data;
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of plain) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
    // A range that clips about a third of the values at each end, one that clips nothing, and a single value.
    const ranges: [number, number][] = [[Math.fround(lo + (hi - lo) / 3), Math.fround(hi - (hi - lo) / 3)], [lo, hi], [0, 0]];
    for (const [a, b] of ranges) {
      const want = clip(plain, a, b);
      assert.equal(firstDifference(resampleLikeReference(v, m, [a, b]).data, want), -1, `${n} -> ${m} clipped to [${a}, ${b}]`);
      if (n % 2 === 0 && n % 7 !== 0 && m % 7 !== 0) {
        assert.equal(firstDifference(resampleCubeSingle(v, m, { clipTo: [a, b], simd: false }).data, want), -1, `${n} -> ${m} scalar`);
      }
    }
  }
  const v = randomCube(8, 1);
  assert.throws(() => resampleCubeSingle(v, 4, { clipTo: [1, 0] }), /lo <= hi/);
  assert.throws(() => resampleCubeSingle(v, 4, { clipTo: [0.1, 1] }), /float32/);
  assert.throws(() => resampleLikeReference(randomCube(14, 1), 8, [NaN, 1]), /lo <= hi/);
});

test('in a workspace scope the calls share one memory, and what it held before changes no value', { skip: !simd && 'no WebAssembly SIMD' }, () => {
  // Every case, in an order that mixes sizes (so the memory grows, and smaller calls follow larger ones), each
  // into a memory first filled with NaN: a stage that read anything it had not written would show.
  const cases = [
    ...LOWPASS_CASES.map(([n, res]) => ({ what: `low-pass n=${n}`, v: randomCube(n, 3 * n + 1), run: (v: Volume, simd?: false) => lowpassToResolutionSingle(v, 1, res, { simd }) })),
    ...RESAMPLE_CASES.map(([n, m]) => ({ what: `resample ${n} -> ${m}`, v: randomCube(n, n + 7 * m), run: (v: Volume, simd?: false) => resampleCubeSingle(v, m, { simd }) })),
  ].sort((a, b) => ((a.v.nx * 37) % 101) - ((b.v.nx * 37) % 101));
  const wanted = cases.map((c) => c.run(c.v, false).data);
  let shared: WebAssembly.Memory | undefined;
  withLowpassWorkspace(() => {
    assert.equal(lowpassWorkspace(), undefined, 'made by the first call that needs one');
    cases.forEach((c, i) => {
      new Float32Array(lowpassWorkspace()?.buffer ?? new ArrayBuffer(0)).fill(NaN);
      assert.equal(firstDifference(c.run(c.v).data, wanted[i]), -1, c.what);
      shared ??= lowpassWorkspace();
      assert.ok(shared !== undefined && lowpassWorkspace() === shared, `${c.what}: the scope's one memory`);
    });
    // A nested scope goes on with the same memory, and does not drop it when it returns.
    withLowpassWorkspace(() => cases[0].run(cases[0].v));
    assert.equal(lowpassWorkspace(), shared);
  });
  assert.equal(lowpassWorkspace(), undefined, 'dropped when the scope returns');
});

test('SIMD four-line transforms equal the scalar plans bit for bit, every pass kind and length', { skip: !simd && 'no WebAssembly SIMD' }, () => {
  let seed = 1;
  for (const n of LINE_LENGTHS) {
    for (const complex of [true, false]) {
      const plan = complex ? new ComplexPlanSingle(n) : new RealPlanSingle(n);
      const width = complex ? 2 : 1;
      for (const forward of [true, false]) {
        // Four different lines, each transformed by the scalar plan.
        const lines = [0, 1, 2, 3].map(() => randomFloat32(width * n, seed++));
        const want = lines.map((line) => {
          const c = Float32Array.from(line);
          plan.exec(c, 1, forward);
          return c;
        });
        // Lane-interleaved: value j of line l at 4 j + l; a complex value's real vector, then its imaginary one.
        const interleave = (ls: Float32Array[]) => {
          const out = new Float32Array(4 * width * n);
          for (let j = 0; j < n; j++) {
            for (let part = 0; part < width; part++) {
              for (let l = 0; l < 4; l++) out[4 * (width * j + part) + l] = ls[l][width * j + part];
            }
          }
          return out;
        };
        const got = transformFourLinesSimd(plan, forward, interleave(lines));
        const expected = interleave(want);
        const at = firstDifference(got, expected);
        assert.equal(at, -1, `${complex ? 'complex' : 'real'} ${forward ? 'forward' : 'backward'} n=${n}: value ${at}`);
      }
    }
  }
});

test('the cases above cover every radix of both plan kinds', () => {
  const complex = new Set<number>();
  const real = new Set<number>();
  // Every transform length the cases run: the edges, and the new edges of resampling.
  for (const n of new Set([...LOWPASS_CASES.map(([n]) => n), ...RESAMPLE_CASES.flat()])) {
    new ComplexPlanSingle(n).radices.forEach((r) => complex.add(r));
    new RealPlanSingle(n).radices.forEach((r) => real.add(r));
  }
  const sorted = (x: Set<number>) => [...x].sort((a, b) => a - b);
  assert.deepEqual(sorted(complex), [2, 3, 4, 5, 7, 8, 11, 13, 17]);
  assert.deepEqual(sorted(real), [2, 3, 4, 5, 7, 11, 13, 17]);
  // The four-line lengths add the generic passes at twiddled positions (ido > 1): complex for primes from 13,
  // real for primes from 7, each with a prime from 19 (the real sums' blocks of 4, 2 and 1).
  const twiddledGeneric = (n: number, complex: boolean) => {
    let l1 = 1;
    const plan = complex ? new ComplexPlanSingle(n) : new RealPlanSingle(n);
    return plan.passes.some(({ ip }) => {
      const ido = n / (l1 * ip);
      l1 *= ip;
      return ip >= 19 && ido > 1;
    });
  };
  assert.ok(LINE_LENGTHS.some((n) => twiddledGeneric(n, true)), 'complex generic pass with twiddles');
  assert.ok(LINE_LENGTHS.some((n) => twiddledGeneric(n, false)), 'real generic pass with twiddles');
});

test('SIMD path: a block of half-width 0 or a missing engine feature is left to the scalar path', () => {
  assert.equal(simdLowpassAvailable(8, 0, 8), false);
  if (simd) {
    // The direct call works for k >= 1 and returns the requested edge.
    const out = lowpassBlockSimd(randomCube(8, 2), 2, 6, 'resample');
    assert.equal(out.nx, 6);
    assert.equal(out.data.length, 216);
  }
});

test('a cube resampled as its planes arrive (StreamedResample) equals the whole-cube resampling bit for bit, its x transforms kept in its memory or apart', { skip: !simd && 'no WebAssembly SIMD' }, () => {
  // Down-sampling cases only (the streamed form exists for reading large maps): edges that are not multiples
  // of four (partly filled row groups: 18, 22, 30, 50, 98), odd factors, and Bluestein's lengths (202, 214:
  // the reference transforms those with its Bluestein plan).
  const cases: [number, number][] = [
    [4, 2], [8, 4], [8, 6], [10, 6], [12, 8], [18, 16], [20, 10], [22, 14], [30, 20], [32, 16], [48, 32],
    [50, 30], [64, 32], [98, 14], [100, 50], [128, 96], [202, 40], [214, 20],
  ];
  for (const [n, m] of cases) {
    const v = randomCube(n, 5 * n + m);
    const wanted = resampleCubeSingle(v, m, { simd: false }).data;
    for (const transformsApart of [false, true]) {
      // Planes in a shuffled order, in runs of 1 to 3, into a memory first filled with NaN: any value the
      // stages read before writing it would show.
      const bytes = streamedResampleBytes(n, m, transformsApart);
      const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes.workspace / 65536) - (n === 100 ? 1 : 0) });
      new Float32Array(memory.buffer).fill(NaN);
      const streamed = new StreamedResample(n, m, { memory, transformsApart });
      assert.ok(streamed.memory === memory && memory.buffer.byteLength >= bytes.workspace, 'the memory given, grown if need be');
      const starts: number[] = [];
      for (let z = 0; z < n; z += 1 + (z % 3)) starts.push(z);
      const order = starts.map((z, i) => ({ z, end: starts[i + 1] ?? n, key: (z * 7919) % 101 })).sort((a, b) => a.key - b.key);
      for (const { z, end } of order) streamed.addPlanes(z, v.data.subarray(z * n * n, end * n * n));
      assert.equal(firstDifference(streamed.finish().data, wanted), -1, `${n} -> ${m}, transforms apart: ${transformsApart}`);
    }
    // Kept apart, the working memory holds no T of every row group: it is smaller by at least what is apart,
    // less the kept block's part of it (A, where T was).
    const inMemory = streamedResampleBytes(n, m);
    const apart = streamedResampleBytes(n, m, true);
    assert.equal(inMemory.apart, 0);
    const wp = 4 * Math.ceil((m / 2 + 1) / 4);
    assert.equal(apart.apart, Math.ceil(n / 4) * n * wp * 32, `${n} -> ${m}: T's bytes`);
    assert.ok(apart.workspace < inMemory.workspace && apart.workspace + apart.apart > inMemory.workspace, `${n} -> ${m}: ${apart.workspace} + ${apart.apart} against ${inMemory.workspace}`);
  }
});

test('a streamed resampling refuses planes twice, missing planes, partial planes and edges it does not take', { skip: !simd && 'no WebAssembly SIMD' }, () => {
  const n = 12;
  const plane = new Float32Array(n * n);
  const streamed = new StreamedResample(n, 8);
  streamed.addPlanes(0, plane);
  assert.throws(() => streamed.addPlanes(0, plane), /plane 0 given twice/);
  assert.throws(() => streamed.addPlanes(11, new Float32Array(2 * n * n)), /do not fit/);
  assert.throws(() => streamed.addPlanes(1, new Float32Array(n * n - 1)), /do not fit/);
  assert.throws(() => streamed.finish(), /11 of the cube's 12 planes were not given/);
  // Once finished, neither more planes nor a second result: the later stages have overwritten (or dropped) T.
  for (const transformsApart of [false, true]) {
    const once = new StreamedResample(n, 8, { transformsApart });
    once.addPlanes(0, new Float32Array(n * n * n));
    once.finish();
    assert.throws(() => once.finish(), /finish\(\) called twice/);
    assert.throws(() => once.addPlanes(0, plane), /planes given after finish\(\)/);
  }
  // Inside a workspace scope it keeps a memory of its own: another call in the scope meanwhile changes nothing.
  const v = randomCube(n, 9);
  const wanted = resampleCubeSingle(v, 8, { simd: false }).data;
  withLowpassWorkspace(() => {
    const inScope = new StreamedResample(n, 8);
    inScope.addPlanes(0, v.data.subarray(0, 6 * n * n));
    resampleCubeSingle(randomCube(16, 2), 12);
    assert.notEqual(inScope.memory, lowpassWorkspace());
    inScope.addPlanes(6, v.data.subarray(6 * n * n));
    assert.equal(firstDifference(inScope.finish().data, wanted), -1);
  });
  for (const [from, to] of [[12, 12], [12, 16], [12, 7], [11, 6], [12, 0], [12.5, 6]]) {
    assert.equal(StreamedResample.available(from, to), false, `${from} -> ${to}`);
    assert.throws(() => new StreamedResample(from, to), RangeError);
  }
});

test('a resampling made a few planes at a time (resampledPlanesLikeReference) equals the whole call bit for bit, sharing a memory with anything', { skip: !simd && 'no WebAssembly SIMD' }, () => {
  const planesOf = (source: PlaneSource, order: 'forwards' | 'backwards', next: () => number) => {
    const m = source.nz;
    const out = new Float32Array(m ** 3).fill(NaN);
    const pieces: [number, number][] = [];
    for (let z = 0; z < m; ) {
      const count = Math.min(m - z, 1 + Math.floor(next() * 5));
      pieces.push([z, count]);
      z += count;
    }
    if (order === 'backwards') pieces.reverse();
    for (const [z, count] of pieces) {
      const piece = new Float32Array(count * m * m);
      source.fillPlanes(z, piece);
      out.set(piece, z * m * m);
    }
    return out;
  };
  let seed = 3;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const [n, m] of [[16, 24], [20, 40], [32, 48], [12, 30], [22, 28], [8, 12]] as [number, number][]) {
    const v = randomCube(n, 11 * n + m);
    for (const clipTo of [undefined, [-0.25, 0.5] as [number, number]]) {
      const want = resampleLikeReference(v, m, clipTo).data;
      const what = `${n} -> ${m}${clipTo ? ' clipped' : ''}`;
      // Alone (a memory of its own), in any order of pieces, twice (a second pass).
      const alone = resampledPlanesLikeReference(v, m, clipTo);
      assert.ok(alone, what);
      assert.equal(firstDifference(planesOf(alone, 'forwards', next), want), -1, `${what}, alone`);
      assert.equal(firstDifference(planesOf(alone, 'backwards', next), want), -1, `${what}, alone, backwards`);
      // In a scope: two sources and other calls share its memory, in turns (each makes its state again).
      withLowpassWorkspace(() => {
        const a = resampledPlanesLikeReference(v, m, clipTo)!;
        const other = randomCube(m, m + 1);
        const b = resampledPlanesLikeReference(other, n, undefined)!;
        const wantB = resampleLikeReference(other, n).data;
        const gotA = new Float32Array(m ** 3);
        const gotB = new Float32Array(n ** 3);
        for (let z = 0; z < Math.max(m, n); z++) {
          if (z < m) a.fillPlanes(z, gotA.subarray(z * m * m, (z + 1) * m * m));
          if (z % 3 === 0) resampleCubeSingle(randomCube(n, z), m); // another call in the scope's memory
          if (z < n) b.fillPlanes(z, gotB.subarray(z * n * n, (z + 1) * n * n));
        }
        assert.equal(firstDifference(gotA, want), -1, `${what}, in turns with other calls`);
        assert.equal(firstDifference(gotB, wantB), -1, `${m} -> ${n}, in turns with other calls`);
      });
    }
  }
  // A source whose memory grows (a larger source made in the scope) between two of its planes: its views are
  // made again.
  withLowpassWorkspace(() => {
    const v = randomCube(8, 2);
    const small = resampledPlanesLikeReference(v, 12, undefined)!;
    const want = resampleLikeReference(v, 12).data;
    const got = new Float32Array(12 ** 3);
    small.fillPlanes(0, got.subarray(0, 144));
    assert.ok(resampledPlanesLikeReference(randomCube(64, 3), 96, undefined)); // made, not asked: grows the scope's memory
    small.fillPlanes(1, got.subarray(144));
    assert.equal(firstDifference(got, want), -1, 'across a growth of its memory');
  });
  const source = resampledPlanesLikeReference(randomCube(8, 1), 12, undefined)!;
  assert.throws(() => source.fillPlanes(0, new Float32Array(145)), /not whole planes/);
  assert.throws(() => source.fillPlanes(11, new Float32Array(288)), /not whole planes/);
});
