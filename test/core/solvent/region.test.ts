import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centralSphereMask, centralSphereSpans, quieterSideOfDefinition, solventRegion } from '../../../src/core/solvent/region.js';
import { createCube } from '../../../src/core/volume.js';

test('central sphere: distance from (n-1)/2 <= floor(n/2), by floating-point distance', () => {
  for (const n of [2, 6, 8, 9, 16]) {
    const mask = centralSphereMask(n);
    const c = (n - 1) / 2;
    const r = Math.floor(n / 2);
    let p = 0;
    for (let z = 0; z < n; z++) {
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++, p++) {
          assert.equal(mask[p], Math.hypot(z - c, y - c, x - c) <= r ? 1 : 0, `n=${n} (${z},${y},${x})`);
        }
      }
    }
  }
});

test('central sphere is inclusive: for odd n the face centres at exactly the radius are in', () => {
  const n = 9; // centre 4, radius 4: (4, 4, 0) is at distance exactly 4
  const mask = centralSphereMask(n);
  assert.equal(mask[(4 * n + 4) * n + 0], 1);
  assert.equal(mask[(4 * n + 4) * n + 8], 1);
  assert.equal(mask[0], 0);
  // Even n = 8: centre 3.5, radius 4; (3, 3, 0) is at sqrt(0.25 + 0.25 + 12.25) < 4, a corner is out.
  const m8 = centralSphereMask(8);
  assert.equal(m8[(3 * 8 + 3) * 8 + 0], 1);
  assert.equal(m8[7 * 64 + 7 * 8 + 7], 0);
});

/** A cube where voxels with x < n/2 are quiet (small alternating values) and the rest noisy. */
function halfQuietCube(n: number) {
  const data = new Float32Array(n * n * n);
  const quietHalf = new Float32Array(n * n * n);
  let p = 0;
  for (let z = 0; z < n; z++) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++, p++) {
        const sign = (x + y + z) % 2 ? 1 : -1;
        const quiet = x < n / 2;
        data[p] = quiet ? 0.01 * sign : 1 + sign * ((p % 7) / 3);
        quietHalf[p] = quiet ? 1 : 0;
      }
    }
  }
  return { L: createCube(n, data), quietHalf };
}

test('solvent definition: the quieter side is used, whichever way round the mask is drawn', () => {
  const n = 10;
  const { L, quietHalf } = halfQuietCube(n);
  const sphere = centralSphereMask(n);
  const drawnOnSolvent = quieterSideOfDefinition(L.data, quietHalf, sphere);
  assert.equal(drawnOnSolvent.usedInside, true);
  const drawnOnContent = quieterSideOfDefinition(L.data, quietHalf.map((v) => 1 - v), sphere);
  assert.equal(drawnOnContent.usedInside, false);
  // Either way the same voxels: quiet half within the sphere.
  for (let i = 0; i < sphere.length; i++) {
    const expected = sphere[i] && quietHalf[i] ? 1 : 0;
    assert.equal(drawnOnSolvent.region[i], expected);
    assert.equal(drawnOnContent.region[i], expected);
  }
  assert.ok(drawnOnSolvent.varianceInside < drawnOnSolvent.varianceOutside);
  const viaEntry = solventRegion(L, quietHalf);
  assert.deepEqual(Array.from(viaEntry.region as Uint8Array), Array.from(drawnOnSolvent.region));
});

test('solvent definition is binarised at > 0.9 (0.9 itself is out)', () => {
  const values = new Float32Array([0, 0, 5, -5]);
  const within = new Uint8Array([1, 1, 1, 1]);
  const choice = quieterSideOfDefinition(values, new Float32Array([0.9, 0.91, 0.9, 0.2]), within);
  // Inside = {1} (one voxel, variance 0) is quieter than outside = {0, 2, 3}.
  assert.equal(choice.usedInside, true);
  assert.deepEqual(Array.from(choice.region), [0, 1, 0, 0]);
});

test('solvent definition: ties and an empty inside use the complement; an empty complement uses the inside', () => {
  const within = new Uint8Array([1, 1, 1, 1, 0]);
  const values = new Float32Array([1, -1, 1, -1, 100]);
  const tie = quieterSideOfDefinition(values, new Float32Array([1, 1, 0, 0, 1]), within);
  assert.equal(tie.usedInside, false);
  const noneInside = quieterSideOfDefinition(values, new Float32Array([0, 0, 0, 0, 1]), within);
  assert.equal(noneInside.usedInside, false);
  assert.deepEqual(Array.from(noneInside.region), [1, 1, 1, 1, 0]);
  const allInside = quieterSideOfDefinition(values, new Float32Array([1, 1, 1, 1, 0]), within);
  assert.equal(allInside.usedInside, true);
  assert.deepEqual(Array.from(allInside.region), [1, 1, 1, 1, 0]);
  assert.throws(() => quieterSideOfDefinition(values, new Float32Array(5), new Uint8Array(5)), /no voxels/);
  assert.throws(() => quieterSideOfDefinition(values, new Float32Array(4), within), /same box/);
});

test('central sphere row spans select exactly the voxels of the mask (odd and even edges)', () => {
  for (const n of [1, 2, 3, 6, 8, 9, 16, 21, 64, 65]) {
    const spans = centralSphereSpans(n);
    const c = (n - 1) / 2;
    const r = Math.floor(n / 2);
    for (let z = 0; z < n; z++) {
      for (let y = 0; y < n; y++) {
        const row = z * n + y;
        for (let x = 0; x < n; x++) {
          const inside = Math.hypot(z - c, y - c, x - c) <= r;
          const inSpan = x >= spans.start[row] && x < spans.end[row];
          assert.equal(inSpan, inside, `n=${n} (${z},${y},${x})`);
        }
      }
    }
  }
});
