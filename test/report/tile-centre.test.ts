/**
 * Tile spheres go where the tile is, for every axis order: a map with one bright voxel is written with each of
 * the six axis orders and start indices, gemmi (an independent reader that reorders axes to x, y, z) reports
 * where that voxel is, and `tileCentreAngstrom` must put a centre at that array index in the same place.
 * gemmi places maps by their start indices only; ChimeraX (which draws the spheres) places a map whose header
 * origin is set by that origin instead (its mrc_format.py: "the xyz origin header parameters are used instead
 * of ncstart, nrstart, nsstart ... provided the xyz origin specified is not zero"), so with an origin the
 * expected position is the origin plus gemmi's position of the voxel in the same map without start indices.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tileCentreAngstrom } from '../../src/report/chimerax-script.js';
import { encodeMrc, type Triple } from '../../src/format/mrc-format.js';
import { createVolume } from '../../src/core/volume.js';
import { pythonWith } from '../python.js';
import { inScratch } from '../scratch.js';

const ORDERS: Triple[] = [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]];
/** For each map named on the command line, a line with the position gemmi gives its brightest voxel. */
const GEMMI_POSITIONS = `
import sys, gemmi
for name in sys.argv[1:]:
    m = gemmi.read_ccp4_map(name)
    m.setup(float('nan'))
    g = m.grid
    best = max(((g.get_value(u, v, w), (u, v, w)) for u in range(g.nu) for v in range(g.nv) for w in range(g.nw)))
    u, v, w = best[1]
    p = g.get_position(u, v, w)
    print(p.x, p.y, p.z)
`;

test('tile centres land on the voxel gemmi places there, for all six axis orders', (t) => {
  const found = pythonWith(t, ['gemmi'], 'python3-gemmi');
  if (!found) return;
  const python: string = found;
  inScratch('occupy-tiles-', (dir) => {
    const [nz, ny, nx] = [10, 12, 14];
    const index: Triple = [3, 7, 2]; // section, row, column
    const start: Triple = [2, 1, 3]; // columns, rows, sections: small, so no wrapping in the unit cell
    const voxel = 1.5;
    const none: Triple = [0, 0, 0];
    // Each axis order twice: a map placed by its start indices, and one placed by its header origin, which
    // ChimeraX uses instead of the start (gemmi's position of the voxel without start indices, plus the origin).
    const cases = ORDERS.flatMap((axisOrder) => [
      { axisOrder, name: 'start', fileStart: start, origin: none },
      { axisOrder, name: 'origin', fileStart: none, origin: [30.5, -12, 7.25] as Triple }, // x, y, z (Å)
    ]);
    const files = cases.map(({ axisOrder, name, fileStart }) => {
      const volume = createVolume(nz, ny, nx);
      volume.data[(index[0] * ny + index[1]) * nx + index[2]] = 10;
      const sampling = [0, 0, 0] as Triple;
      [nx, ny, nz].forEach((count, f) => (sampling[axisOrder[f] - 1] = count));
      const file = path.join(dir, `${name}_${axisOrder.join('')}.mrc`);
      writeFileSync(file, encodeMrc(volume, { voxelSize: [voxel, voxel, voxel], origin: none, start: fileStart, axisOrder, sampling }));
      return file;
    });
    const r = spawnSync(python, ['-c', GEMMI_POSITIONS, ...files], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const positions = r.stdout.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number));
    assert.equal(positions.length, cases.length);
    cases.forEach(({ axisOrder, name, origin }, i) => {
      const expected = positions[i].map((p, a) => origin[a] + p);
      const ours = tileCentreAngstrom(index, { axisOrder, start, origin }, voxel, 1);
      ours.forEach((v, a) => assert.ok(Math.abs(v - expected[a]) < 1e-9, `${name}, axis order ${axisOrder}: ${ours} vs gemmi ${expected}`));
    });
  });
});

test('an origin too large to tell voxels apart (an uninitialised one) is ignored, as ChimeraX does', () => {
  const geometry = { axisOrder: [1, 2, 3] as const, start: [1, 2, 3] as const };
  const byStart = tileCentreAngstrom([4, 5, 6], { ...geometry, origin: [0, 0, 0] }, 2, 1);
  assert.deepEqual(byStart, [2 * (6 + 1), 2 * (5 + 2), 2 * (4 + 3)]);
  assert.deepEqual(tileCentreAngstrom([4, 5, 6], { ...geometry, origin: [1e30, 0, 0] }, 2, 1), byStart);
  assert.deepEqual(tileCentreAngstrom([4, 5, 6], { ...geometry, origin: [10, 0, 0] }, 2, 1), [10 + 12, 10, 8]);
});

test('a centre at the processing box is scaled back to the input box before the start is added', () => {
  // 64-voxel input processed at 32: processing index 10 is input index 20.
  assert.deepEqual(tileCentreAngstrom([10, 4, 6], { axisOrder: [1, 2, 3], start: [-32, 0, 5], origin: [0, 0, 0] }, 2, 0.5), [2 * (12 - 32), 2 * (8 + 0), 2 * (20 + 5)]);
});
