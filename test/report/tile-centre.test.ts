/**
 * Tile spheres go where the tile is, for every axis order: a map with one bright voxel is written with each of
 * the six axis orders and start indices, gemmi (an independent reader that reorders axes to x, y, z) reports
 * where that voxel is, and `tileCentreAngstrom` must put a centre at that array index in the same place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { tileCentreAngstrom } from '../../src/report/chimerax-script.js';
import { encodeMrc, type Triple } from '../../src/io/mrc-format.js';
import { createVolume } from '../../src/core/volume.js';
import { pythonWith } from '../python.js';

const ORDERS: Triple[] = [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]];
const GEMMI_POSITION = `
import sys, gemmi
m = gemmi.read_ccp4_map(sys.argv[1])
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
  const dir = mkdtempSync(path.join(tmpdir(), 'occupy-tiles-'));
  try {
    const [nz, ny, nx] = [10, 12, 14];
    const index: Triple = [3, 7, 2]; // section, row, column
    const start: Triple = [2, 1, 3]; // columns, rows, sections: small, so no wrapping in the unit cell
    const voxel = 1.5;
    for (const axisOrder of ORDERS) {
      const volume = createVolume(nz, ny, nx);
      volume.data[(index[0] * ny + index[1]) * nx + index[2]] = 10;
      const sampling = [0, 0, 0] as Triple;
      [nx, ny, nz].forEach((count, f) => (sampling[axisOrder[f] - 1] = count));
      const file = path.join(dir, `order_${axisOrder.join('')}.mrc`);
      writeFileSync(file, encodeMrc(volume, { voxelSize: [voxel, voxel, voxel], origin: [0, 0, 0], start, axisOrder, sampling }));
      const r = spawnSync(python, ['-c', GEMMI_POSITION, file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const expected = r.stdout.trim().split(/\s+/).map(Number);
      const ours = tileCentreAngstrom(index, axisOrder, start, voxel, 1);
      ours.forEach((v, a) => assert.ok(Math.abs(v - expected[a]) < 1e-9, `axis order ${axisOrder}: ${ours} vs gemmi ${expected}`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a centre at the processing box is scaled back to the input box before the start is added', () => {
  // 64-voxel input processed at 32: processing index 10 is input index 20.
  assert.deepEqual(tileCentreAngstrom([10, 4, 6], [1, 2, 3], [-32, 0, 5], 2, 0.5), [2 * (12 - 32), 2 * (8 + 0), 2 * (20 + 5)]);
});
