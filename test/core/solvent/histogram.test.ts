import { test } from 'node:test';
import assert from 'node:assert/strict';
import { densityHistogram, float32Linspace, float64Linspace } from '../../../src/core/solvent/histogram.js';
import { lcg } from '../../random.js';

/** The bin of v by definition: the largest i < bins with edges[i] <= v (the last bin closed on the right). */
function bruteForceBin(v: number, edges: Float64Array): number {
  let bin = -1;
  for (let i = 0; i < edges.length - 1; i++) if (edges[i] <= v) bin = i;
  return bin;
}

test('counts agree with a brute-force scan of the edges, and densities integrate to 1', () => {
  const next = lcg(7);
  const values = new Float32Array(20000);
  for (let i = 0; i < values.length; i++) values[i] = (next() + next() + next() - 1.5) * 2.3 + 0.4;
  for (const bins of [1, 7, 1000]) {
    const h = densityHistogram(values, { bins });
    const expected = new Float64Array(bins);
    for (const v of values) expected[bruteForceBin(v, h.edges)]++;
    assert.deepEqual(Array.from(h.counts), Array.from(expected), `bins=${bins}`);
    let integral = 0;
    for (let i = 0; i < bins; i++) {
      const width = Math.fround(h.edges[i + 1] - h.edges[i]);
      assert.equal(h.heights[i], h.counts[i] / width / values.length);
      integral += h.heights[i] * (h.edges[i + 1] - h.edges[i]);
    }
    assert.ok(Math.abs(integral - 1) < 1e-6, `integral ${integral}`);
  }
});

test('edges are float32, span [min, max] exactly, and stay within a few ulp of the exact spacing', () => {
  const values = new Float32Array([0.3, -1.7, 2.9, 0.0001]);
  const h = densityHistogram(values, { bins: 1000 });
  assert.equal(h.edges.length, 1001);
  assert.equal(h.edges[0], Math.fround(-1.7));
  assert.equal(h.edges[1000], Math.fround(2.9));
  const lo = Math.fround(-1.7);
  const hi = Math.fround(2.9);
  for (let i = 0; i <= 1000; i++) {
    assert.equal(Math.fround(h.edges[i]), h.edges[i]);
    if (i > 0) assert.ok(h.edges[i] > h.edges[i - 1]);
    assert.ok(Math.abs(h.edges[i] - (lo + (i * (hi - lo)) / 1000)) < 4 * 2 ** -23 * 3, `edge ${i}`);
  }
});

test('edges reproduce NumPy 1.x (float64 linspace cast to float32), not NumPy 2 (float32 linspace)', () => {
  // np.histogram(np.array([-0.8214551, 3.1, 0.5, 0.25, 1.75, -0.1], np.float32), bins=1000, density=True)
  // with NumPy 1.24.2. NumPy 2.4 evaluates the linspace in float32 and gives other float32 edges at 814 of the
  // 1001 indices, among them 26 (-0.7194973230361938), 37, 46, 48 and 500 (1.1392722129821777).
  const values = new Float32Array([-0.8214551, 3.1, 0.5, 0.25, 1.75, -0.1]);
  const h = densityHistogram(values);
  const numpyEdges: [number, number][] = [
    [1, -0.8175336718559265],
    [2, -0.8136122226715088],
    [26, -0.7194972634315491],
    [37, -0.6763612627983093],
    [46, -0.641068160533905],
    [48, -0.6332252621650696],
    [500, 1.1392724514007568],
    [999, 3.096078395843506],
    [1000, 3.0999999046325684],
  ];
  for (const [i, e] of numpyEdges) assert.equal(h.edges[i], e, `edge ${i}`);
  const numpyHeights: [number, number][] = [
    [0, 42.501294503300855],
    [183, 42.50121375286813],
    [273, 42.50113300274226],
    [336, 42.501294503300855],
    [655, 42.50194051780919],
    [999, 42.50064850843061],
  ];
  for (const [i, a] of numpyHeights) assert.equal(h.heights[i], a, `height ${i}`);
  assert.equal(h.counts.reduce((s, c) => s + c, 0), 6);
});

test('the maximum lands in the last bin; values on inner edges land in the bin above', () => {
  const base = new Float32Array([0, 10]);
  const edges = densityHistogram(base, { bins: 1000 }).edges;
  const onEdges = new Float32Array([0, 10, edges[1], edges[2], edges[500], edges[999], 10]);
  const h = densityHistogram(onEdges, { bins: 1000 });
  assert.deepEqual(Array.from(h.edges), Array.from(edges));
  const expected = new Map([[0, 1], [1, 1], [2, 1], [500, 1], [999, 3]]);
  for (let i = 0; i < 1000; i++) assert.equal(h.counts[i], expected.get(i) ?? 0, `bin ${i}`);
  // Just below an inner edge stays in the bin below.
  const below = new Float32Array([0, 10, Math.fround(edges[500] - 1e-6)]);
  assert.equal(densityHistogram(below).counts[499], 1);
});

test('a region histogram equals the histogram of the selected values', () => {
  const next = lcg(3);
  const values = new Float32Array(5000);
  const region = new Uint8Array(5000);
  const selected: number[] = [];
  for (let i = 0; i < values.length; i++) {
    values[i] = next() * 4 - 1;
    region[i] = next() < 0.3 ? 1 : 0;
    if (region[i]) selected.push(values[i]);
  }
  const a = densityHistogram(values, { region });
  const b = densityHistogram(new Float32Array(selected));
  assert.equal(a.total, selected.length);
  assert.deepEqual(Array.from(a.heights), Array.from(b.heights));
  assert.deepEqual(Array.from(a.edges), Array.from(b.edges));
});

test('a constant input is widened to [v - 0.5, v + 0.5]; empty selections and NaN are refused', () => {
  const h = densityHistogram(new Float32Array([2, 2, 2]), { bins: 10 });
  assert.equal(h.edges[0], 1.5);
  assert.equal(h.edges[10], 2.5);
  assert.equal(h.counts[5], 3);
  assert.throws(() => densityHistogram(new Float32Array([1, 2]), { region: new Uint8Array(2) }), /empty/);
  assert.throws(() => densityHistogram(new Float32Array([1, NaN])), /NaN/);
});

test('float64Linspace is i * step + start in float64 with the last point exactly stop (NumPy 1.x linspace)', () => {
  const lo = Math.fround(-0.3);
  const hi = Math.fround(1.9);
  const x = float64Linspace(lo, hi, 1000);
  assert.equal(x.length, 1000);
  assert.equal(x[0], lo);
  assert.equal(x[999], hi);
  const step = (hi - lo) / 999;
  for (let i = 0; i < 999; i++) assert.equal(x[i], i * step + lo);
  // np.linspace(np.float32(-0.3), np.float32(1.9), 1000) with NumPy 1.24.2 (float64 result):
  assert.equal(x[1], -0.2977978097306596);
  assert.equal(x[500], 0.8011010832137413);
  assert.deepEqual(Array.from(float64Linspace(2, 5, 1)), [2]);
});

test('float32Linspace rounds float64Linspace to float32, endpoints exact', () => {
  const x = float32Linspace(-0.3, 1.9, 1000);
  const y = float64Linspace(Math.fround(-0.3), Math.fround(1.9), 1000);
  assert.equal(x[0], Math.fround(-0.3));
  assert.equal(x[999], Math.fround(1.9));
  for (let i = 0; i < 1000; i++) assert.equal(x[i], Math.fround(y[i]));
});

test('a mask region and row spans select the same values as a brute-force filter; ranges and counts agree', () => {
  const next = lcg(11);
  const n = 12;
  const values = new Float32Array(n * n * n);
  for (let i = 0; i < values.length; i++) values[i] = (next() + next() - 1) * 3.1;
  // Spans: a different interval in every row, some empty; the same selection as a mask.
  const start = new Int32Array(n * n);
  const end = new Int32Array(n * n);
  const mask = new Uint8Array(n * n * n);
  for (let r = 0; r < n * n; r++) {
    start[r] = Math.floor(next() * n);
    end[r] = r % 5 === 0 ? start[r] : start[r] + Math.floor(next() * (n - start[r] + 1));
    mask.fill(1, r * n + start[r], r * n + end[r]);
  }
  const selected = values.filter((_, i) => mask[i] === 1);
  for (const region of [mask, { rowLength: n, start, end }]) {
    const h = densityHistogram(values, { bins: 50, region });
    const plain = densityHistogram(selected, { bins: 50 });
    assert.deepEqual(Array.from(h.edges), Array.from(plain.edges));
    assert.deepEqual(Array.from(h.counts), Array.from(plain.counts));
    assert.equal(h.total, selected.length);
    const expected = new Float64Array(50);
    for (const v of selected) expected[bruteForceBin(v, h.edges)]++;
    assert.deepEqual(Array.from(h.counts), Array.from(expected));
  }
  // A float64 input is histogrammed as its float32 values.
  const wide = Float64Array.from(selected, (v, i) => v + (i % 3) * 1e-12);
  assert.deepEqual(Array.from(densityHistogram(wide, { bins: 50 }).counts), Array.from(densityHistogram(selected, { bins: 50 }).counts));
  assert.throws(() => densityHistogram(values, { region: new Uint8Array(3) }), /region has 3 entries/);
  assert.throws(() => densityHistogram(values, { region: { rowLength: n, start: new Int32Array(2), end: new Int32Array(2) } }), /row spans/);
  assert.throws(() => densityHistogram(new Float32Array([1, NaN, 2])), /NaN/);
  assert.throws(() => densityHistogram(values, { region: new Uint8Array(values.length) }), /empty selection/);
});
