import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockSize, forwardCentredBlock, inverseCentredBlock } from '../../../src/core/fourier/centred-block.js';
import { createCube } from '../../../src/core/volume.js';
import { directDft3, relativeError, seededValues } from './dft.js';

test('forwardCentredBlock holds rfftn frequencies (a-k, b-k, l) at (a*2k + b)*(k+1) + l', () => {
  for (const n of [6, 8, 9]) {
    const v = createCube(n, Float32Array.from(seededValues(n ** 3, n)));
    const full = directDft3(v.data, n, n, n);
    for (let k = 0; 2 * k <= n; k++) {
      const block = forwardCentredBlock(v, k);
      assert.equal(block.re.length, blockSize(k));
      const expRe = new Float64Array(blockSize(k));
      const expIm = new Float64Array(blockSize(k));
      for (let a = 0; a < 2 * k; a++)
        for (let b = 0; b < 2 * k; b++)
          for (let l = 0; l <= k; l++) {
            const i = ((((a - k + n) % n) * n + ((b - k + n) % n)) * n) + l;
            expRe[(a * 2 * k + b) * (k + 1) + l] = full.re[i];
            expIm[(a * 2 * k + b) * (k + 1) + l] = full.im[i];
          }
      const err = relativeError(block.re, block.im, expRe, expIm);
      assert.ok(err < 1e-12, `n=${n} k=${k}: ${err}`);
    }
  }
});

test('inverseCentredBlock of the whole fftshifted spectrum (k = n/2) gives the map back', () => {
  const n = 10;
  const v = createCube(n, Float32Array.from(seededValues(n ** 3, 4)));
  const back = inverseCentredBlock(forwardCentredBlock(v, n / 2), n);
  for (let i = 0; i < v.data.length; i++) assert.ok(Math.abs(back.data[i] - v.data[i]) < 1e-6);
});

test('half-widths beyond the grid are refused; k = 0 gives an empty block and a zero map', () => {
  const v = createCube(6);
  assert.throws(() => forwardCentredBlock(v, 4), RangeError);
  assert.throws(() => forwardCentredBlock(v, 1.5), RangeError);
  const empty = forwardCentredBlock(v, 0);
  assert.equal(empty.re.length, 0);
  assert.ok(inverseCentredBlock(empty, 8).data.every((x) => x === 0));
  assert.throws(() => inverseCentredBlock(forwardCentredBlock(v, 3), 4), RangeError);
});
