import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVolume, cubeEdge, valueRange } from '../../src/core/volume.js';

test('createVolume checks the data length against the shape', () => {
  assert.throws(() => createVolume(2, 3, 4, new Float32Array(23)), /expected 2x3x4 = 24/);
  assert.equal(createVolume(2, 3, 4).data.length, 24);
});

test('cubeEdge refuses a non-cubic volume', () => {
  assert.equal(cubeEdge(createVolume(4, 4, 4)), 4);
  assert.throws(() => cubeEdge(createVolume(4, 4, 2)), /cubic/);
});

test('valueRange finds min and max', () => {
  assert.deepEqual(valueRange([3, -1, 7, 2]), [-1, 7]);
});
