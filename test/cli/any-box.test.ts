/**
 * Non-cubic and odd maps through the real command: every output map has exactly the input's box, voxel size,
 * origin, start indices and axis order, with and without --max-box down-sampling; a cubic even map's scale
 * and confidence stay at the processing size as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decodeMrc, encodeMrc, type MapGeometry } from '../../src/format/mrc-format.js';
import { makePhantom, phantomSpec } from '../../src/synthetic/phantom.js';
import { runOccupy } from './harness.js';

function run(dir: string, args: string[]) {
  const env = { ...process.env };
  delete env.OCCUPY_MEMORY_LIMIT;
  return runOccupy(args, dir, env);
}

for (const [label, shape, maxBox] of [
  ['non-cubic 36x30x40 (columns x rows x sections)', [40, 30, 36], 256],
  ['odd 33x35x31, down-sampled by --max-box 24', [31, 35, 33], 24],
  ['non-cubic 30x44x38, down-sampled by --max-box 32', [38, 44, 30], 32],
] as const) {
  test(`${label}: every output map has the input's box and geometry`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'occupy-anybox-'));
    try {
      const volume = makePhantom(phantomSpec([shape[0], shape[1], shape[2]])).volume;
      const geometry: MapGeometry = { voxelSize: [1.2, 1.2, 1.2], origin: [12.5, -3, 40], start: [-5, 7, 2], axisOrder: [2, 3, 1], sampling: [0, 0, 0] };
      writeFileSync(path.join(dir, 'box.mrc'), encodeMrc(volume, geometry));
      const input = decodeMrc(new Uint8Array(readFileSync(path.join(dir, 'box.mrc'))), 'box.mrc');
      const r = run(dir, ['-i', 'box.mrc', '-am', '2', '--sigmoid', '2', '--pivot', '0.4', '--save-all-maps', '--max-box', String(maxBox), '--seed', '3']);
      assert.equal(r.status, 0, r.stderr);
      const maps = readdirSync(dir).filter((f) => f.endsWith('.mrc') && f !== 'box.mrc').sort();
      assert.ok(maps.includes('scale_occ_box.mrc') && maps.includes('conf_box.mrc') && maps.includes('ampl_2.0_box.mrc') && maps.includes('sigm_2.0-0.40_box.mrc'), maps.join(', '));
      assert.ok(maps.length >= 6, maps.join(', '));
      for (const file of maps) {
        const out = decodeMrc(new Uint8Array(readFileSync(path.join(dir, file))), file);
        assert.deepEqual([out.volume.nz, out.volume.ny, out.volume.nx], [volume.nz, volume.ny, volume.nx], `${file}: box`);
        assert.deepEqual(out.geometry.voxelSize, input.geometry.voxelSize, `${file}: voxel size`);
        assert.deepEqual(out.geometry.origin, input.geometry.origin, `${file}: origin`);
        assert.deepEqual(out.geometry.start, input.geometry.start, `${file}: start`);
        assert.deepEqual(out.geometry.axisOrder, input.geometry.axisOrder, `${file}: axis order`);
        assert.deepEqual(out.geometry.sampling, input.geometry.sampling, `${file}: sampling`);
        assert.ok(out.volume.data.every(Number.isFinite), `${file}: finite`);
      }
      for (const file of ['scale_occ_box.mrc', 'conf_box.mrc']) {
        const data = decodeMrc(new Uint8Array(readFileSync(path.join(dir, file))), file).volume.data;
        assert.ok(data.every((v) => v >= 0 && v <= 1), `${file} in [0, 1]`);
      }
      // The log states both boxes.
      const log = readFileSync(path.join(dir, 'log_box.txt'), 'utf8');
      assert.ok(log.includes(`Box in   :\t[pix]\t (${volume.nz}, ${volume.ny}, ${volume.nx})`), log);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a cubic even map is unchanged: scale and confidence at the processing size, overlaying the input', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'occupy-anybox-'));
  try {
    const volume = makePhantom(phantomSpec(40)).volume;
    const geometry: MapGeometry = { voxelSize: [1.2, 1.2, 1.2], origin: [0, 0, 0], start: [4, 8, -6], axisOrder: [1, 2, 3], sampling: [40, 40, 40] };
    writeFileSync(path.join(dir, 'cube.mrc'), encodeMrc(volume, geometry));
    const r = run(dir, ['-i', 'cube.mrc', '-am', '2', '--max-box', '32']);
    assert.equal(r.status, 0, r.stderr);
    const scale = decodeMrc(new Uint8Array(readFileSync(path.join(dir, 'scale_occ_cube.mrc'))), 'scale');
    assert.deepEqual([scale.volume.nz, scale.volume.ny, scale.volume.nx], [32, 32, 32]);
    assert.deepEqual(scale.geometry.voxelSize, [1.5, 1.5, 1.5]);
    assert.deepEqual(scale.geometry.start, [3, 6, -5]);
    const amplified = decodeMrc(new Uint8Array(readFileSync(path.join(dir, 'ampl_2.0_cube.mrc'))), 'ampl');
    assert.deepEqual([amplified.volume.nz, amplified.volume.ny, amplified.volume.nx], [40, 40, 40]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
