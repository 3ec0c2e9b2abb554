/**
 * Cross-check with the Python ecosystem: maps written by encodeMrc must pass `mrcfile.validate` (strict MRC2014)
 * and read in gemmi with the right cell, voxel size, origin, start and values; maps mrcfile writes in every mode
 * and byte order must decode to the values numpy holds.
 *
 * Needs python3 with mrcfile and gemmi (Debian/Ubuntu: apt-get install python3-mrcfile python3-gemmi). When the
 * environment variable CI is set, missing modules FAIL this test; elsewhere it skips with a visible message.
 * OCCUPY_PYTHON may name the interpreter (then only it is tried); otherwise `python3`, then `/usr/bin/python3`
 * (apt's modules live there even when a pyenv `python3` comes first on PATH).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { pythonWith } from '../python.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readMapFile, writeMapFile } from '../../src/io/map-file.js';
import { geometryForBox, type MapGeometry } from '../../src/format/mrc-format.js';
import { createVolume, type Volume } from '../../src/core/volume.js';
import { mulberry32 } from '../../src/synthetic/random.js';

const CHECK_SCRIPT = String.raw`
import sys, json, io
import numpy as np
import mrcfile, gemmi

path = sys.argv[1]
report = io.StringIO()
valid = bool(mrcfile.validate(path, print_file=report))

m = gemmi.read_ccp4_map(path)
nstart = [m.header_i32(w) for w in (5, 6, 7)]
axes = [m.header_i32(w) for w in (17, 18, 19)]
counts = [m.header_i32(w) for w in (1, 2, 3)]
origin = [m.header_float(w) for w in (50, 51, 52)]
raw = np.array(m.grid, copy=True)  # before setup: file order, indexed [column, row, section]
m.setup(float('nan'))  # full unit cell, axes reordered to x, y, z
cell = m.grid.unit_cell
# Independent placement: voxel (c, r, s) belongs at ((start + index) mod sampling) on its spatial axis.
expected = np.full((m.grid.nu, m.grid.nv, m.grid.nw), np.nan, dtype=np.float32)
sampling = [m.grid.nu, m.grid.nv, m.grid.nw]
index = np.indices(raw.shape)
xyz = [None, None, None]
for f in range(3):
    xyz[axes[f] - 1] = (index[f] + nstart[f]) % sampling[axes[f] - 1]
expected[xyz[0], xyz[1], xyz[2]] = raw
grid = np.array(m.grid, copy=False)
values_match = bool(np.array_equal(grid, expected, equal_nan=True))

print(json.dumps({
    'valid': valid,
    'report': report.getvalue(),
    # gemmi 0.5 leaves grid.spacing at 0 after setup() for a non-xyz axis order; derive it from what it read.
    'spacing': [cell.a / m.grid.nu, cell.b / m.grid.nv, cell.c / m.grid.nw],
    'cell': [cell.a, cell.b, cell.c, cell.alpha, cell.beta, cell.gamma],
    'sampling': sampling,
    'origin': origin,
    'nstart': nstart,
    'counts': counts,
    'values_match': values_match,
    'raw_sum': float(np.nansum(raw.astype(np.float64))),
}))
`;

interface PythonReport {
  valid: boolean;
  report: string;
  spacing: number[];
  cell: number[];
  sampling: number[];
  origin: number[];
  nstart: number[];
  counts: number[];
  values_match: boolean;
  raw_sum: number;
}

function randomVolume(nz: number, ny: number, nx: number, seed: number): Volume {
  const random = mulberry32(seed);
  return createVolume(nz, ny, nx, new Float32Array(nz * ny * nx).map(() => Math.fround(random() * 4 - 1)));
}

test('maps written by encodeMrc pass mrcfile.validate and read in gemmi with their geometry', async (t) => {
  const python = pythonWith(t, ['mrcfile', 'gemmi', 'numpy'], 'python3-mrcfile python3-gemmi');
  if (!python) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'occupy-python-'));
  const plain: MapGeometry = { voxelSize: [1.1, 1.1, 1.1], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [0, 0, 0] };
  const input96: MapGeometry = { ...plain, start: [-33, 10, 0], origin: [12.5, -4, 0.25] };
  const withNaN = randomVolume(4, 4, 4, 4);
  withNaN.data[5] = NaN;
  const cases: { name: string; volume: Volume; geometry: MapGeometry; labels?: string[] }[] = [
    { name: 'cube.mrc', volume: randomVolume(10, 10, 10, 1), geometry: plain, labels: ['Created using occupy 0.1.0', 'second label'] },
    {
      name: 'permuted.mrc',
      volume: randomVolume(6, 5, 4, 2),
      geometry: { voxelSize: [1.5, 2, 2.5], origin: [1, -2, 3.5], start: [-2, 3, 1], axisOrder: [3, 1, 2], sampling: [0, 0, 0] },
    },
    { name: 'constant.mrc', volume: createVolume(3, 3, 3), geometry: plain },
    { name: 'processing-size.mrc', volume: randomVolume(8, 8, 8, 3), geometry: geometryForBox(input96, [96, 96, 96], [8, 8, 8]) },
    { name: 'nan.mrc', volume: withNaN, geometry: plain },
  ];
  try {
    for (const c of cases) {
      const file = path.join(dir, c.name);
      await writeMapFile(file, c.volume, c.geometry, { labels: c.labels });
      const run: SpawnSyncReturns<string> = spawnSync(python, ['-c', CHECK_SCRIPT, file], { encoding: 'utf8' });
      assert.equal(run.status, 0, `${c.name}: python failed: ${run.stderr}`);
      const r = JSON.parse(run.stdout) as PythonReport;
      assert.ok(r.valid, `${c.name}: mrcfile.validate says:\n${r.report}`);
      assert.ok(r.values_match, `${c.name}: gemmi placed the values differently`);

      const { voxelSize, origin, start, axisOrder } = c.geometry;
      const fileCounts = [c.volume.nx, c.volume.ny, c.volume.nz];
      assert.deepEqual(r.counts, fileCounts, c.name);
      assert.deepEqual(r.nstart, start, c.name);
      assert.deepEqual(r.origin, origin.map(Math.fround), c.name);
      for (let a = 0; a < 3; a++) {
        const n = fileCounts[axisOrder.indexOf(a + 1)];
        assert.equal(r.sampling[a], n, `${c.name}: sampling along axis ${a}`);
        assert.ok(Math.abs(r.spacing[a] - voxelSize[a]) < 1e-6 * voxelSize[a], `${c.name}: spacing ${r.spacing[a]} vs ${voxelSize[a]}`);
        assert.ok(Math.abs(r.cell[a] - voxelSize[a] * n) < 1e-5 * voxelSize[a] * n, `${c.name}: cell ${r.cell[a]}`);
        assert.equal(r.cell[3 + a], 90);
      }
      let sum = 0;
      for (const v of c.volume.data) if (!Number.isNaN(v)) sum += v;
      assert.ok(Math.abs(r.raw_sum - sum) < 1e-9 * (1 + Math.abs(sum)), `${c.name}: values`);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});

const WRITE_SCRIPT = String.raw`
import sys, json
import numpy as np
import mrcfile

out = sys.argv[1]
rng = np.random.default_rng(5)
cases = []
for mode, dtype in [(0, 'i1'), (1, 'i2'), (2, 'f4'), (6, 'u2'), (12, 'f2')]:
    for order in '<>':
        shape = (3, 4, 5)  # sections, rows, columns
        if dtype == 'f4':
            values = rng.normal(size=shape).astype(np.float32)
        elif dtype == 'f2':
            values = (rng.normal(size=shape) * 100).astype(np.float16)
        else:
            info = np.iinfo(dtype)
            values = rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)
        name = 'mode%d%s.mrc%s' % (mode, 'le' if order == '<' else 'be', '.gz' if mode == 12 else '')
        with mrcfile.new(out + '/' + name, overwrite=True, compression='gzip' if mode == 12 else None) as m:
            m.set_data(values.astype(order + dtype))
            m.voxel_size = (1.5, 2.0, 2.5)
            m.header.origin = (1.0, -2.0, 3.5)
            m.header.nxstart, m.header.nystart, m.header.nzstart = -3, 4, 5
        values.astype('<f4').tofile(out + '/' + name + '.expected')
        # A single byte has no byte order: mrcfile stamps int8 data with the machine's own.
        cases.append({'name': name, 'mode': mode, 'littleEndian': order == '<' or mode == 0})
print(json.dumps(cases))
`;

test('maps written by mrcfile in every mode and byte order (and gzipped) decode to the values numpy holds', async (t) => {
  const python = pythonWith(t, ['mrcfile', 'gemmi', 'numpy'], 'python3-mrcfile python3-gemmi');
  if (!python) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'occupy-python-'));
  try {
    const run: SpawnSyncReturns<string> = spawnSync(python, ['-c', WRITE_SCRIPT, dir], { encoding: 'utf8' });
    assert.equal(run.status, 0, `python failed: ${run.stderr}`);
    const cases = JSON.parse(run.stdout) as { name: string; mode: number; littleEndian: boolean }[];
    assert.equal(cases.length, 10);
    for (const c of cases) {
      const map = await readMapFile(path.join(dir, c.name));
      const raw = readFileSync(path.join(dir, `${c.name}.expected`));
      const expected = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      assert.equal(map.mode, c.mode, c.name);
      assert.equal(map.littleEndian, c.littleEndian, c.name);
      assert.deepEqual([map.volume.nz, map.volume.ny, map.volume.nx], [3, 4, 5], c.name);
      assert.deepEqual(map.volume.data, expected, c.name);
      assert.deepEqual(map.geometry.voxelSize, [1.5, 2, 2.5], c.name);
      assert.deepEqual(map.geometry.origin, [1, -2, 3.5], c.name);
      assert.deepEqual(map.geometry.start, [-3, 4, 5], c.name);
      assert.deepEqual(map.warnings, [], c.name);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});
