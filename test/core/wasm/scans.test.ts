/**
 * The WebAssembly whole-map passes (src/core/wasm/scans.ts) against their JavaScript loops, bit for bit:
 * extremes as Math.min/Math.max; normalisation with the variability sum as the loops of local-scale.ts
 * (signed zeros, quotients that round to zero, values at and just past the divisor, infinities, NaN); and
 * valueRange / findNonFinite, which use them, against brute-force scans.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extremesOf, normaliseAndSumOnes, scanKernelsAvailable } from '../../../src/core/wasm/scans.js';
import { allFiniteAndFixed, fixedValueRange, valueRange } from '../../../src/core/volume.js';
import { findNonFinite } from '../../../src/run/input-checks.js';
import { lcg } from '../../random.js';

const skip = !scanKernelsAvailable() && 'no WebAssembly SIMD';

function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  const ia = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ib = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) {
    if (ia[i] !== ib[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) assert.fail(`${what}: index ${i}: ${a[i]} vs ${b[i]}`);
  }
}

function mixed(length: number, seed: number, divisor: number): Float32Array {
  const next = lcg(seed);
  const special = [0, -0, divisor, -divisor, Math.fround(divisor * (1 + 2 ** -23)), Math.fround(divisor * (1 - 2 ** -24)), 1e-45, -1e-45, 3e-39, -3e-39, 3.4e38, -3.4e38];
  return Float32Array.from({ length }, () => {
    const r = next();
    if (r < 0.2) return special[Math.floor(next() * special.length)];
    return Math.fround((next() - 0.3) * divisor * 1.5 * 10 ** Math.floor(next() * 6 - 3));
  });
}

test('extremes: Math.min/Math.max over the whole vectors', { skip }, () => {
  const next = lcg(5);
  const inputs = [
    new Float32Array(0),
    Float32Array.from([1.5, -2, 3]),
    Float32Array.from({ length: 70001 }, () => Math.fround(next() * 2 - 1)),
    Float32Array.from([0, -0, 5, NaN, 2, 3, 4, 1]),
    Float32Array.from([1, 2, Infinity, 4, 5, -Infinity, 0, 0]),
    Float32Array.from([0, -0, 0, 0, -0, 0, 0, 0]),
  ];
  for (const data of inputs) {
    const found = extremesOf(data);
    assert.ok(found);
    assert.equal(found.done, data.length - (data.length % 4));
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < found.done; i++) {
      min = Math.min(min, data[i]);
      max = Math.max(max, data[i]);
    }
    assert.ok(Object.is(found.min, min) && Object.is(found.max, max), `extremes of ${data.length}: ${found.min} ${found.max} vs ${min} ${max}`);
  }
});

test('normalisation and the variability sum: the JavaScript loops bit for bit', { skip }, () => {
  for (const [length, divisor, seed] of [
    [40003, 0.75, 1],
    [65536, Math.fround(3.1e-3), 2],
    [16387, Math.fround(1e30), 3],
    [20000, Math.fround(1e-30), 4],
    [8, 1, 5],
  ] as const) {
    const scale = mixed(length, seed, divisor);
    scale[3] = NaN;
    scale[5] = Infinity;
    scale[6] = -Infinity;
    const values = Float32Array.from({ length }, (_, i) => Math.fround(Math.sin(i) * 10 ** (i % 7)));
    const expected = scale.slice();
    const got = scale.slice();
    const r = normaliseAndSumOnes(got, values, divisor);
    assert.ok(r);
    assert.equal(r.done, length - (length % 4));
    let sum = 0;
    let count = 0;
    for (let i = 0; i < r.done; i++) {
      const s = expected[i] / divisor;
      expected[i] = s < 0 ? 0 : s > 1 ? 1 : s;
    }
    for (let i = 0; i < r.done; i++) {
      if (expected[i] === 1) {
        sum += values[i];
        count++;
      }
    }
    sameBits(got.subarray(0, r.done), expected.subarray(0, r.done), `divisor ${divisor}`);
    sameBits(got.subarray(r.done), scale.subarray(r.done), 'the rest untouched');
    assert.equal(r.count, count);
    assert.ok(Object.is(r.sum, sum), `sum ${r.sum} vs ${sum}`);
    assert.ok(count > 0);
  }
  assert.throws(() => normaliseAndSumOnes(new Float32Array(8), new Float32Array(8), Infinity), RangeError);
  assert.throws(() => normaliseAndSumOnes(new Float32Array(8), new Float32Array(8), 0.1), RangeError);
});

function scanRange(data: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

test('valueRange: the first-wins scan (signed zero extremes, NaN ignored, the last values)', () => {
  const next = lcg(9);
  const base = () => Float32Array.from({ length: 10003 }, () => Math.fround(next() * 4 + 1));
  const cases: Float32Array[] = [];
  cases.push(base());
  let d = base().map((v) => -v);
  d[10001] = -100; // below everything, in the last values
  cases.push(d);
  for (const [first, second] of [[0, -0], [-0, 0]]) {
    d = base(); // all positive: the minimum is a zero, the first one's sign
    d[17] = first;
    d[4000] = second;
    cases.push(d);
    d = base().map((v) => -v); // all negative: the maximum is a zero
    d[9] = first;
    d[9000] = second;
    d[10002] = -0; // a zero in the last values does not replace it
    cases.push(d);
  }
  d = base();
  d[123] = NaN;
  d[10002] = NaN;
  cases.push(d);
  d = base();
  d[77] = -Infinity;
  d[78] = Infinity;
  cases.push(d);
  for (const c of cases) {
    const got = valueRange(c);
    const want = scanRange(c);
    assert.ok(Object.is(got[0], want[0]) && Object.is(got[1], want[1]), `${got} vs ${want}`);
  }
});

test('findNonFinite: none in a finite map; found (count, first, extent) wherever they are', () => {
  const n = 24;
  const make = () => Float32Array.from({ length: n * n * n }, (_, i) => Math.sin(i));
  assert.equal(findNonFinite({ data: make(), nz: n, ny: n, nx: n }), undefined);
  for (const [index, value] of [[0, NaN], [n * n * n - 1, Infinity], [n * n * n - 3, -Infinity], [5000, NaN]] as const) {
    const data = make();
    data[index] = value;
    const found = findNonFinite({ data, nz: n, ny: n, nx: n });
    assert.ok(found);
    assert.equal(found.count, 1);
    assert.deepEqual(found.first, [index % n, Math.floor(index / n) % n, Math.floor(index / (n * n))]);
  }
});

test('allFiniteAndFixed: true only for finite maps (the last values too), and then their range is remembered', () => {
  const make = () => Float32Array.from({ length: 10003 }, (_, i) => Math.fround(Math.sin(i) * 3));
  const finite = make();
  finite[17] = -0;
  assert.equal(allFiniteAndFixed(finite), scanKernelsAvailable());
  assert.deepEqual(fixedValueRange(finite), scanRange(finite));
  for (const [index, value] of [[5, NaN], [10002, Infinity], [10001, NaN], [300, -Infinity]] as const) {
    const data = make();
    data[index] = value;
    assert.equal(allFiniteAndFixed(data), false, `${value} at ${index}`);
  }
  // Remembered: the array is taken to be fixed from then on.
  const fixed = make();
  const range = fixedValueRange(fixed);
  fixed[0] = 1e6;
  assert.deepEqual(fixedValueRange(fixed), range);
  assert.deepEqual(valueRange(fixed), scanRange(fixed));
});
