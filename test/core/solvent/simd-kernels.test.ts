/**
 * The WebAssembly kernels of the solvent model (src/core/solvent/simd-kernels.ts) against the JavaScript loops
 * they replace and against brute force: value ranges (signed zeros, NaN, infinities, regions), histogram counts
 * (chunk tails, regions, edges so close that many coincide in float32), and the confidence lookup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { densityHistogram, selectedRange } from '../../../src/core/solvent/histogram.js';
import { confidenceMap } from '../../../src/core/solvent/confidence-map.js';
import { centralSphereSpans } from '../../../src/core/solvent/region.js';
import { enableSolventKernels, solventKernelsAvailable } from '../../../src/core/solvent/simd-kernels.js';
import { createCube } from '../../../src/core/volume.js';
import { withKernelsOff } from '../../kernels.js';
import { lcg } from '../../random.js';

/** Runs `fn` with the kernels off (the JavaScript loops). */
const withoutKernels = <T>(fn: () => T): T => withKernelsOff(enableSolventKernels, fn);

const skip = !solventKernelsAvailable() && 'no WebAssembly SIMD';

function sameBits(a: Float32Array, b: Float32Array): boolean {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return a.length === b.length && ua.every((x, i) => x === ub[i]);
}

test('range: as the first-wins scan, signed zeros included; NaN, empty and infinite selections refused', { skip }, () => {
  const cases: number[][] = [
    [0, -0, 1],
    [-0, 0, 1],
    [-1, 0, -0],
    [-1, -0, 0],
    [3, 2, 1, 0.5, 7, -2, 9, 9, -2],
    [5],
  ];
  for (const c of cases) {
    const v = Float32Array.from(c);
    const got = selectedRange(v);
    const want = withoutKernels(() => selectedRange(v));
    assert.ok(Object.is(got[0], want[0]) && Object.is(got[1], want[1]), `${c}: ${got} vs ${want}`);
  }
  const next = lcg(3);
  const big = Float32Array.from({ length: 70001 }, () => Math.fround((next() - 0.5) * 1e3));
  assert.deepEqual(selectedRange(big), withoutKernels(() => selectedRange(big)));
  const n = 20;
  const cube = Float32Array.from({ length: n ** 3 }, () => Math.fround(next() * 2 - 1));
  const spans = centralSphereSpans(n);
  assert.deepEqual(selectedRange(cube, spans), withoutKernels(() => selectedRange(cube, spans)));
  const withNaN = Float32Array.from(big);
  withNaN[40000] = NaN;
  assert.throws(() => selectedRange(withNaN), /NaN/);
  const withInf = Float32Array.from(big);
  withInf[5] = -Infinity;
  assert.throws(() => selectedRange(withInf), /infinite/);
  assert.throws(() => selectedRange(big, new Uint8Array(big.length)), /empty/);
});

test('histogram counts: equal to the JavaScript loop for tails, chunks, regions and coinciding float32 edges', { skip }, () => {
  const next = lcg(5);
  const inputs: [string, Float32Array][] = [
    ['smooth', Float32Array.from({ length: 50003 }, (_, i) => Math.fround(Math.sin(i / 300) + 0.01 * next()))],
    ['tiny', Float32Array.from([0.25, -1, 3])],
    // A range of a few float32 ulps at 1000: most of the 1000 edges coincide, so a guess can be far off.
    ['narrow', Float32Array.from({ length: 4099 }, () => Math.fround(1000 + Math.floor(next() * 9) * 6.103515625e-5))],
    ['constant', new Float32Array(1000).fill(2.5)],
  ];
  for (const [name, values] of inputs) {
    for (const bins of [1, 7, 1000]) {
      const got = densityHistogram(values, { bins });
      const want = withoutKernels(() => densityHistogram(values, { bins }));
      assert.deepEqual(Array.from(got.counts), Array.from(want.counts), `${name} bins=${bins}`);
      assert.deepEqual(Array.from(got.heights), Array.from(want.heights), `${name} bins=${bins} heights`);
      assert.equal(got.total, want.total);
      // And by definition: the largest i < bins with edges[i] <= v.
      const brute = new Float64Array(bins);
      for (const v of values) {
        let b = 0;
        for (let i = 0; i < bins; i++) if (got.edges[i] <= v) b = i;
        brute[b]++;
      }
      assert.deepEqual(Array.from(got.counts), Array.from(brute), `${name} bins=${bins} brute force`);
    }
  }
  const n = 24;
  const cube = Float32Array.from({ length: n ** 3 }, () => Math.fround(next() * 2 - 1));
  const spans = centralSphereSpans(n);
  const mask = new Uint8Array(n ** 3).map((_, i) => (i % 3 === 0 ? 1 : 0));
  for (const region of [spans, mask]) {
    const got = densityHistogram(cube, { bins: 1000, region });
    const want = withoutKernels(() => densityHistogram(cube, { bins: 1000, region }));
    assert.deepEqual(Array.from(got.counts), Array.from(want.counts));
    assert.equal(got.total, want.total);
  }
});

test('confidence lookup: equal bit for bit to the JavaScript loop over several chunks and a ragged end', { skip }, () => {
  const next = lcg(9);
  const n = 33; // 35937 voxels: more than two chunks, not a multiple of four
  const L = createCube(n, Float32Array.from({ length: n ** 3 }, () => Math.fround((next() + next() - 1) * 2.2)));
  const curve = Float64Array.from({ length: 1000 }, (_, i) => (i < 300 ? -0.2 : i > 900 ? 1.3 : (i - 300) / 600));
  const got = confidenceMap(L, curve).data;
  const want = withoutKernels(() => confidenceMap(L, curve).data);
  assert.ok(sameBits(got, want));
});

test('row spans packed in blocks of rows by the module: ranges and counts equal the JavaScript runs and brute force', { skip }, () => {
  const next = lcg(13);
  // 70-voxel rows: 234 rows per block of the module, so the 4900 rows take 21 blocks, the last one short.
  const n = 70;
  const values = Float32Array.from({ length: n ** 3 }, () => Math.fround(next() * 4 - 2));
  // Arbitrary spans: empty (end <= start, also end < start), whole rows, single values, row ends.
  const rows = n * n;
  const start = new Int32Array(rows);
  const end = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const kind = r % 5;
    if (kind === 0) [start[r], end[r]] = [0, n];
    else if (kind === 1) [start[r], end[r]] = [9, 3];
    else if (kind === 2) [start[r], end[r]] = [n - 1, n];
    else [start[r], end[r]] = [Math.floor(next() * n), Math.floor(next() * (n + 1))];
  }
  const arbitrary = { rowLength: n, start, end };
  // Rows longer than the module's chunk: packed from JavaScript, as before.
  const longRows = { rowLength: 17000, start: Int32Array.from([5, 0, 16990]), end: Int32Array.from([16000, 0, 17000]) };
  const long = Float32Array.from({ length: 3 * 17000 }, () => Math.fround(next()));
  // Zeros of both signs at the extremes: the first one selected decides the sign.
  const zeros = Float32Array.from(values, (v, i) => (i % 7 === 0 ? (i % 2 ? 0 : -0) : Math.abs(v) + 0.5));
  const cases: [string, Float32Array, { rowLength: number; start: Int32Array; end: Int32Array }][] = [
    ['sphere', values, centralSphereSpans(n)],
    ['arbitrary', values, arbitrary],
    ['long rows', long, longRows],
    ['zeros', zeros, arbitrary],
  ];
  for (const [name, data, spans] of cases) {
    const selected: number[] = [];
    for (let r = 0; r < spans.start.length; r++) for (let x = spans.start[r]; x < spans.end[r]; x++) selected.push(data[r * spans.rowLength + x]);
    const range = selectedRange(data, spans);
    const want = withoutKernels(() => selectedRange(data, spans));
    assert.ok(Object.is(range[0], want[0]) && Object.is(range[1], want[1]), `${name}: range ${range} vs ${want}`);
    assert.equal(range[0], selected.reduce((a, b) => Math.min(a, b)), `${name}: minimum`);
    assert.equal(range[1], selected.reduce((a, b) => Math.max(a, b)), `${name}: maximum`);
    const got = densityHistogram(data, { bins: 1000, region: spans });
    const script = withoutKernels(() => densityHistogram(data, { bins: 1000, region: spans }));
    assert.deepEqual(Array.from(got.counts), Array.from(script.counts), `${name}: counts`);
    assert.equal(got.total, selected.length, `${name}: total`);
  }
});
