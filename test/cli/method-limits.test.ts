/** Maps the method cannot give a scale for are refused in one line, not answered with nonsense or a crash. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { outputsIn, runOccupy, scratchFolder } from './harness.js';
import { readMapFile } from '../../src/io/map-file.js';
import { encodeMrc } from '../../src/format/mrc-format.js';
import { cropFromCube } from '../../src/core/box.js';
import { createCube } from '../../src/core/volume.js';

function assertRefused(r: { status: number | null; stderr: string }, message: RegExp, dir: string, before: string[]) {
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, message);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.deepEqual(outputsIn(dir), before, 'nothing written');
}

test('a map with no positive full scale is refused; a map with inverted contrast is warned about', async () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const source = await readMapFile(path.join(dir, '1tii_occ_64.mrc'));
    const write = (name: string, map: (v: number) => number) =>
      writeFileSync(path.join(dir, name), encodeMrc({ ...source.volume, data: source.volume.data.map(map) }, source.geometry));
    write('below_zero.mrc', (v) => v - 100);
    write('negated.mrc', (v) => -v);
    const before = outputsIn(dir);
    for (const extra of [[], ['--S0']]) {
      const r = runOccupy(['-i', 'below_zero.mrc', '--occupancy', ...extra], dir);
      assertRefused(r, /below_zero\.mrc: the full scale .* is -[\d.e+]+, not above zero.*contrast inverted/, dir, before);
    }
    const negated = runOccupy(['-i', 'negated.mrc', '--occupancy', '--no-chimerax'], dir);
    assert.equal(negated.status, 0, negated.stderr);
    assert.match(negated.stderr, /warning: far more of the map lies below the solvent peak than above it: the contrast looks inverted/);
    const upright = runOccupy(['-i', '1tii_occ_64.mrc', '--occupancy', '--no-chimerax'], dir);
    assert.doesNotMatch(upright.stderr, /inverted/);
  } finally {
    cleanup();
  }
});

test('--target-mask on a box too small for its 12-voxel tiles is refused, whatever --tile-size or --S0 say', async () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const source = await readMapFile(path.join(dir, '1tii_occ_64.mrc'));
    const small = cropFromCube(createCube(64, source.volume.data), [25, 25, 25], [14, 14, 14]);
    const v = source.geometry.voxelSize;
    const geometry = { ...source.geometry, sampling: [14, 14, 14] as [number, number, number], voxelSize: v };
    writeFileSync(path.join(dir, 'small.mrc'), encodeMrc(small, geometry));
    writeFileSync(path.join(dir, 'small_target.mrc'), encodeMrc({ ...small, data: small.data.map(() => 1) }, geometry));
    const before = outputsIn(dir);
    for (const extra of [['--tile-size', '1'], ['--S0']]) {
      const r = runOccupy(['-i', 'small.mrc', '--target-mask', 'small_target.mrc', ...extra], dir);
      assertRefused(r, /small\.mrc: the map is 14x14x14 voxels; --target-mask needs a box of at least 15 voxels/, dir, before);
    }
    // Without the target mask the same box runs.
    const r = runOccupy(['-i', 'small.mrc', '--tile-size', '1', '--quiet'], dir);
    assert.equal(r.status, 0, r.stderr);
  } finally {
    cleanup();
  }
});
