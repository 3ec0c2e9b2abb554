import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embedInEvenCube, cropFromCube, evenCubeEdge } from '../../src/core/box.js';
import { createVolume } from '../../src/core/volume.js';

test('an even cube is used as it is', () => {
  const v = createVolume(4, 4, 4);
  const e = embedInEvenCube(v);
  assert.equal(e.cube, v);
  assert.ok(e.identity);
});

test('non-cubic and odd boxes embed centred in the smallest even cube and crop back exactly', () => {
  for (const [nz, ny, nx] of [[5, 7, 6], [3, 3, 3], [8, 6, 7], [2, 9, 4]] as const) {
    const v = createVolume(nz, ny, nx, Float32Array.from({ length: nz * ny * nx }, (_, i) => i * 0.5 - 3));
    const e = embedInEvenCube(v);
    const n = evenCubeEdge([nz, ny, nx]);
    assert.equal(e.cube.nx, n);
    assert.equal(n % 2, 0);
    assert.deepEqual(e.offset, [nz, ny, nx].map((s) => Math.floor((n - s) / 2)));
    assert.deepEqual(Array.from(cropFromCube(e.cube, e.offset, e.shape).data), Array.from(v.data));
  }
});

test('the margin mirrors the map at its faces', () => {
  // 1 x 1 x 3 row [a b c] in a 4-cube: x offset 0 (floor(1/2)), so x = 3 mirrors to c.
  const v = createVolume(1, 1, 3, Float32Array.from([1, 2, 3]));
  const e = embedInEvenCube(v);
  assert.deepEqual(e.offset, [1, 1, 0]);
  const row = (z: number, y: number) => Array.from(e.cube.data.subarray((z * 4 + y) * 4, (z * 4 + y) * 4 + 4));
  assert.deepEqual(row(1, 1), [1, 2, 3, 3]);
  assert.deepEqual(row(0, 0), [1, 2, 3, 3]);
});
