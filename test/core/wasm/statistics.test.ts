/**
 * The WebAssembly passes of the MRC header statistics (src/core/wasm/statistics.ts) against the JavaScript
 * loops: extremes as Math.min/Math.max, and both float64 sums (over the whole vectors; the caller takes the
 * rest) bit for bit (index order, no reassociation).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extremesAndSumOf, extremesAndSumsOf, squaredDeviationsOf, squaredDeviationsOfMany } from '../../../src/core/wasm/statistics.js';
import { hasWasmSimd } from '../../../src/core/wasm/assembler.js';
import { lcg } from '../../random.js';

test('statistics passes: the sums of the JavaScript loops bit for bit, the extremes of Math.min/Math.max', { skip: !hasWasmSimd() && 'no WebAssembly SIMD' }, () => {
  const next = lcg(3);
  const inputs: Float32Array[] = [
    new Float32Array(0),
    Float32Array.from([1.5, -2, 3]),
    // Magnitudes over many octaves, so that the order of the additions shows in the last bits.
    Float32Array.from({ length: 40003 }, () => Math.fround((next() - 0.3) * 10 ** Math.floor(next() * 12 - 6))),
    Float32Array.from({ length: 65536 }, (_, i) => Math.fround(Math.sin(i) * 1e4 + 1e-3 * next())),
    Float32Array.from([0, -0, 5, NaN, 2, 3, 4, 1]),
    Float32Array.from([1, 2, Infinity, 4, 5]),
    Float32Array.from([-0, 0, -0, 0]),
  ];
  for (const data of inputs) {
    const first = extremesAndSumOf(data);
    assert.ok(first);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < first.done; i++) {
      min = Math.min(min, data[i]);
      max = Math.max(max, data[i]);
      sum += data[i];
    }
    assert.equal(first.done, data.length - (data.length % 4));
    assert.ok(Object.is(first.sum, sum), `sum of ${data.length}: ${first.sum} vs ${sum}`);
    assert.ok(Object.is(first.min, min) && Object.is(first.max, max), `extremes of ${data.length}`);
    const mean = data.length > 0 ? sum / data.length : 0;
    const second = squaredDeviationsOf(data, mean);
    assert.ok(second);
    let squares = 0;
    for (let i = 0; i < second.done; i++) {
      const d = data[i] - mean;
      squares += d * d;
    }
    assert.ok(Object.is(second.squares, squares), `squares of ${data.length}: ${second.squares} vs ${squares}`);
  }
});

test('statistics of several arrays in one pass: each as computed alone (groups by length, more than a pass holds)', { skip: !hasWasmSimd() && 'no WebAssembly SIMD' }, () => {
  const next = lcg(11);
  const datas = [40003, 40003, 123, 40003, 40003, 40003, 40003, 40003, 123, 0].map((length, j) =>
    Float32Array.from({ length }, () => Math.fround((next() - 0.4 + j) * 10 ** Math.floor(next() * 8 - 4))),
  );
  datas[3][7] = NaN;
  const firsts = extremesAndSumsOf(datas);
  assert.ok(firsts);
  const means = firsts.map((f, i) => (datas[i].length > 0 ? f.sum / datas[i].length : 0));
  const seconds = squaredDeviationsOfMany(datas, means);
  assert.ok(seconds);
  datas.forEach((data, i) => {
    const alone = extremesAndSumOf(data);
    assert.ok(alone);
    assert.ok(Object.is(firsts[i].sum, alone.sum) && Object.is(firsts[i].min, alone.min) && Object.is(firsts[i].max, alone.max), `array ${i}`);
    assert.equal(firsts[i].done, alone.done);
    const second = squaredDeviationsOf(data, means[i]);
    assert.ok(second);
    assert.ok(Object.is(seconds[i].squares, second.squares), `squares of array ${i}`);
  });
});
