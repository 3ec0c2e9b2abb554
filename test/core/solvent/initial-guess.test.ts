import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialGaussianGuess } from '../../../src/core/solvent/initial-guess.js';

const edgesFrom = (lo: number, width: number, bins: number) => Float64Array.from({ length: bins + 1 }, (_, i) => lo + i * width);

test('guess: peak bin, its left edge, its height, and the width to the first bin below peak/e', () => {
  // Peak 10 at bin 2; 10/e = 3.68: bins 3 (8) and 4 (4) stay above, bin 5 (3.6) falls below.
  // The later 3.7 does not count, nor does anything below the peak.
  const heights = [1, 3, 10, 8, 4, 3.6, 3.7, 1];
  const edges = edgesFrom(-1, 0.25, heights.length);
  const g = initialGaussianGuess(heights, edges);
  assert.equal(g.peakBin, 2);
  assert.equal(g.c, 10);
  assert.equal(g.mu, -0.5); // left edge of bin 2
  assert.equal(g.widthBin, 5);
  assert.equal(g.sigma, 3 * 0.25);
});

test('guess: the first maximum wins a tie; a height exactly at peak/e still counts as above', () => {
  const c = 5;
  const heights = [c, 1, c, c / Math.E, 0]; // 1 < 5/e = 1.84
  const g = initialGaussianGuess(heights, edgesFrom(0, 1, heights.length));
  assert.equal(g.peakBin, 0);
  assert.equal(g.widthBin, 1);
  const h2 = [0, c, (c * 1) / Math.E, 0];
  assert.equal(initialGaussianGuess(h2, edgesFrom(0, 1, 4)).widthBin, 3);
});

test('guess: the width is the float32 first bin width times the bin count', () => {
  const heights = [0, 4, 3, 1];
  const edges = Float64Array.from([0.1, 0.2, 0.30000001192092896, 0.4, 0.5]);
  const g = initialGaussianGuess(heights, edges);
  assert.equal(g.sigma, 2 * Math.fround(0.2 - 0.1));
});

test('guess: a histogram that never falls to peak/e stops at the last bin (the reference would crash)', () => {
  const heights = [1, 2, 3, 3, 3];
  const g = initialGaussianGuess(heights, edgesFrom(0, 1, 5));
  assert.equal(g.peakBin, 2);
  assert.equal(g.widthBin, 5);
  assert.equal(g.sigma, 3);
});
