/**
 * The stage count a page shows progress against (`jobStageCount`) is the number of stages real jobs report:
 * boxes even and cubic or not, down-sampled or not, with masks, modifications, solvent exclusion and the tools.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobStageCount } from '../../src/run/stages.js';
import { runJob, type JobInput } from '../../src/run/job.js';
import { defaultSettings, type RunSettings } from '../../src/run/settings.js';
import { createVolume } from '../../src/core/volume.js';
import type { MapFile, MapGeometry } from '../../src/format/mrc-format.js';
import { seededValues } from '../random.js';

const geometry: MapGeometry = { voxelSize: [1.5, 1.5, 1.5], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [1, 1, 1] };

/** A map of this box: a bright blob in noise, so that every stage has something to work on. */
function map(nz: number, ny: number, nx: number): MapFile {
  const noise = seededValues(nz * ny * nx, nz * 10000 + ny * 100 + nx);
  const data = new Float32Array(nz * ny * nx);
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const r2 = ((z - nz / 2) ** 2 + (y - ny / 2) ** 2 + (x - nx / 2) ** 2) / (nz * nz);
        data[i] = 0.1 * (noise[i] - 0.5) + (r2 < 0.05 ? 1 : 0);
      }
    }
  }
  return { volume: createVolume(nz, ny, nx, data), geometry: { ...geometry, sampling: [nx, ny, nz] }, warnings: [] } as unknown as MapFile;
}

/** A mask of the map's box, selecting its middle. */
function mask(nz: number, ny: number, nx: number): { map: MapFile; fileName: string } {
  const m = map(nz, ny, nx);
  for (let i = 0; i < m.volume.data.length; i++) m.volume.data[i] = m.volume.data[i] > 0.5 ? 1 : 0;
  return { map: m, fileName: 'mask.mrc' };
}

test('the stages a job reports are as many as jobStageCount says', () => {
  const cases: { box: [number, number, number]; change?: (s: RunSettings) => void; solventDefinition?: boolean; targetMask?: boolean }[] = [
    { box: [32, 32, 32] },
    { box: [30, 28, 26] },
    { box: [33, 33, 33] },
    { box: [40, 40, 40], change: (s) => (s.estimation.maxBox = 32) },
    { box: [40, 36, 38], change: (s) => (s.estimation.maxBox = 32) },
    { box: [40, 36, 38], change: (s) => (s.estimation.maxBox = 32), solventDefinition: true },
    { box: [40, 36, 38], change: (s) => (s.estimation.maxBox = 32), targetMask: true },
    { box: [32, 32, 32], targetMask: true, solventDefinition: true },
    { box: [32, 32, 32], change: (s) => (s.modification.modifications = [{ kind: 'amplify', power: 2 }, { kind: 'attenuate', power: 2 }, { kind: 'sigmoid', power: 2, pivot: 0.3 }]) },
    { box: [30, 28, 26], change: (s) => (s.modification.excludeSolvent = true) },
    { box: [32, 32, 32], change: (s) => (s.tools.solventDefinitionThreshold = 0.3) },
    { box: [32, 32, 32], change: (s) => ((s.tools.subtractionMasks = true), (s.modification.modifications = [{ kind: 'amplify', power: 2 }])) },
    { box: [32, 32, 32], change: (s) => ((s.tools.subtractionMasks = true), (s.modification.modifications = [{ kind: 'attenuate', power: 2 }])) },
  ];
  for (const { box, change, solventDefinition = false, targetMask = false } of cases) {
    const settings = defaultSettings();
    settings.estimation.scaleMode = 'occ';
    settings.estimation.tileSize = 1;
    settings.modification.seed = 1;
    change?.(settings);
    const [nz, ny, nx] = box;
    const input: JobInput = {
      map: map(nz, ny, nx),
      fileName: 'map.mrc',
      solventDefinition: solventDefinition ? mask(nz, ny, nx) : undefined,
      targetMask: targetMask ? mask(nz, ny, nx) : undefined,
    };
    const reported: string[] = [];
    runJob(input, settings, (stage) => reported.push(stage));
    const label = `${nz}x${ny}x${nx} ${JSON.stringify({ settings: { maxBox: settings.estimation.maxBox, modification: settings.modification.modifications, excludeSolvent: settings.modification.excludeSolvent, tools: settings.tools }, solventDefinition, targetMask })}: ${reported.join(', ')}`;
    assert.equal(jobStageCount(box, geometry.voxelSize[0], settings, { solventDefinition, targetMask }), reported.length, label);
  }
});
