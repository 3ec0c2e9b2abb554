import { test } from 'node:test';
import assert from 'node:assert/strict';
import { densityHistogram, float32Linspace } from '../../../src/core/solvent/histogram.js';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

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

test('edges reproduce NumPy 2 (float32 linspace), not float64 arithmetic rounded at the end', () => {
  // np.histogram(np.array([-0.8214551, 3.1, 0.5, 0.25, 1.75, -0.1], np.float32), bins=1000, density=True)
  // with NumPy 2.4; indices 26, 37, 46, 48 are among those where float64 arithmetic would give another float32.
  const values = new Float32Array([-0.8214551, 3.1, 0.5, 0.25, 1.75, -0.1]);
  const h = densityHistogram(values);
  const numpyEdges: [number, number][] = [
    [1, -0.8175336718559265],
    [2, -0.8136122226715088],
    [26, -0.7194973230361938],
    [37, -0.6763613224029541],
    [46, -0.6410682201385498],
    [48, -0.6332253217697144],
    [500, 1.1392722129821777],
    [999, 3.096078395843506],
    [1000, 3.0999999046325684],
  ];
  for (const [i, e] of numpyEdges) assert.equal(h.edges[i], e, `edge ${i}`);
  const numpyHeights: [number, number][] = [
    [0, 42.501294503300855],
    [183, 42.501294503300855],
    [273, 42.50064850843061],
    [336, 42.50194051780919],
    [655, 42.5032326057437],
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

test('float32Linspace: endpoints exact, float32 values, evenly spaced to float32 rounding', () => {
  const x = float32Linspace(-0.3, 1.9, 1000);
  assert.equal(x.length, 1000);
  assert.equal(x[0], Math.fround(-0.3));
  assert.equal(x[999], Math.fround(1.9));
  const step = (Math.fround(1.9) - Math.fround(-0.3)) / 999;
  for (let i = 0; i < 1000; i++) {
    assert.equal(Math.fround(x[i]), x[i]);
    assert.ok(Math.abs(x[i] - (Math.fround(-0.3) + i * step)) < 1e-6);
  }
});
