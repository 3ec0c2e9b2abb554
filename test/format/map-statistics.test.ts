/**
 * The MRC header statistics (src/format/map-statistics.ts), whole and a piece at a time, against their definition
 * evaluated directly: a first-wins scan for the extremes, sums in index order in double precision.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PiecewiseStatistics, statisticsOfMany, type Statistics } from '../../src/format/map-statistics.js';
import { lcg } from '../random.js';

function direct(data: Float32Array): Statistics {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  if (!Number.isFinite(sum) || data.some((v) => Number.isNaN(v)) || data.length === 0) return { min: 0, max: -1, mean: -2, rms: -1 };
  const mean = sum / data.length;
  let squares = 0;
  for (const v of data) squares += (v - mean) * (v - mean);
  return { min, max, mean, rms: Math.sqrt(squares / data.length) };
}

function piecewise(data: Float32Array, pieceLengths: () => number): Statistics {
  const statistics = new PiecewiseStatistics(data.length);
  const pieces: Float32Array[] = [];
  for (let at = 0; at < data.length; ) {
    const length = Math.min(data.length - at, pieceLengths());
    pieces.push(data.subarray(at, at + length));
    at += length;
  }
  for (const piece of pieces) statistics.addToFirstPass(piece);
  if (statistics.needsSecondPass) for (const piece of pieces) statistics.addToSecondPass(piece);
  return statistics.result();
}

const same = (a: Statistics, b: Statistics) => Object.is(a.min, b.min) && Object.is(a.max, b.max) && Object.is(a.mean, b.mean) && Object.is(a.rms, b.rms);

test('header statistics whole and piece by piece: the definition bit for bit, zero extremes signed as the first zero', () => {
  const next = lcg(29);
  const inputs: Float32Array[] = [
    Float32Array.from([1.5, -2, 3]),
    Float32Array.from([5]),
    // Magnitudes over many octaves, so that the order of the additions shows in the last bits.
    Float32Array.from({ length: 40003 }, () => Math.fround((next() - 0.3) * 10 ** Math.floor(next() * 12 - 6))),
    Float32Array.from({ length: 65536 }, (_, i) => Math.fround(Math.sin(i) * 1e4 + 1e-3 * next())),
    Float32Array.from([3, -0, 2, 0, 1, 4, 5]), // min 0: the first zero is -0
    Float32Array.from([-3, 0, -0, -1]), // max 0: the first zero is +0
    Float32Array.from([-0, 0, -0, 0, 0]),
    Float32Array.from({ length: 10001 }, () => (next() < 0.3 ? 0 : Math.fround(next()))),
    Float32Array.from([0, -0, 5, NaN, 2, 3, 4, 1]),
    Float32Array.from([1, 2, Infinity, 4, 5]),
    Float32Array.from([1, 2, -Infinity, 4, 5, 6, 7, 8, 9]),
    new Float32Array(0),
  ];
  const wholes = statisticsOfMany(inputs);
  inputs.forEach((data, i) => {
    const want = direct(data);
    assert.ok(same(wholes[i], want), `whole ${i}: ${JSON.stringify(wholes[i])} vs ${JSON.stringify(want)}`);
    // Pieces of one value, of odd lengths (so the whole vectors of the WebAssembly fall across pieces), of 4096.
    for (const pieceLengths of [() => 1, () => 1 + Math.floor(next() * 13), () => 4096, () => data.length || 1]) {
      const got = piecewise(data, pieceLengths);
      assert.ok(same(got, want), `pieces of ${i}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
    }
  });
});

test('piecewise statistics refuse values out of turn', () => {
  const statistics = new PiecewiseStatistics(8);
  statistics.addToFirstPass(new Float32Array(4).fill(1));
  assert.throws(() => statistics.mean, /first pass has seen 4 of 8 values/);
  assert.throws(() => statistics.addToSecondPass(new Float32Array(4)), /first pass has seen 4 of 8/);
  assert.throws(() => statistics.addToFirstPass(new Float32Array(5)), /more than the 8 values/);
  statistics.addToFirstPass(new Float32Array(4).fill(3));
  assert.equal(statistics.mean, 2);
  statistics.addToSecondPass(new Float32Array(4).fill(1));
  assert.throws(() => statistics.result(), /second pass has seen 4 of 8/);
  assert.throws(() => statistics.addToFirstPass(new Float32Array(0)), /first pass is over/);
  statistics.addToSecondPass(new Float32Array(4).fill(3));
  assert.deepEqual(statistics.result(), { min: 1, max: 3, mean: 2, rms: 1 });
});
