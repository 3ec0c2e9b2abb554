/**
 * `runJob` on a fixture map: boxes of every output, the modification paths the published program cannot run
 * (--hist-match on attenuate and sigmoid), synthetic solvent statistics, seeded streams, and the mask tools
 * against an independent computation from the scale.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readMapFile } from '../../src/io/map-file.js';
import type { MapFile } from '../../src/format/mrc-format.js';
import { fixturesDir } from '../fixtures/fixture-cases.js';
import { runJob, type JobInput } from '../../src/run/job.js';
import { defaultSettings, type RunSettings } from '../../src/run/settings.js';
import { resampleLikeReference } from '../../src/core/fourier/single/lowpass-single.js';
import { subtractionMask } from '../../src/core/modify/index.js';
import { modificationFactor } from '../../src/core/modify/apply.js';
import type { ModificationRequest } from '../../src/core/pipeline/modify.js';
import { valueRange } from '../../src/core/volume.js';

const input: JobInput & { map: MapFile } = { map: await readMapFile(path.join(fixturesDir(), '1tii_occ_64.mrc')), fileName: '1tii_occ_64.mrc' };

function settingsWith(modifications: ModificationRequest[], change: (s: RunSettings) => void = () => {}): RunSettings {
  const s = defaultSettings();
  s.estimation.scaleMode = 'occ';
  s.modification.modifications = modifications;
  s.modification.seed = 7;
  change(s);
  return s;
}

const sorted = (a: Float32Array) => Float32Array.from(a).sort();

test('with --max-box below the input box: scale and confidence at the processing box, every map a user edits at the input box', () => {
  const job = runJob(
    input,
    settingsWith([{ kind: 'amplify', power: 2 }, { kind: 'sigmoid', power: 3, pivot: 0.3 }], (s) => {
      s.estimation.maxBox = 48;
      s.tools = { solventDefinitionThreshold: 0.5, subtractionMasks: true };
    }),
  );
  assert.equal(job.estimate.scale.nx, 48);
  assert.equal(job.estimate.confidence.confidence.nx, 48);
  for (const m of job.modification.maps) assert.deepEqual([m.volume.nz, m.volume.ny, m.volume.nx], [64, 64, 64]);
  assert.equal(job.tools.length, 2, 'solvent definition and one subtraction mask (sigmoid; amplify has none)');
  for (const t of job.tools) assert.deepEqual([t.volume.nz, t.volume.ny, t.volume.nx], [64, 64, 64]);

  // The tools read the scale Fourier-resampled to the input box (rounded as the reference's scipy.fft), clipped to [0, 1].
  const scale64 = resampleLikeReference(job.estimate.scale, 64).data.map((v) => Math.min(1, Math.max(0, v)));
  const soldef = job.tools.find((t) => t.tool === 'solvent-definition')!.volume.data;
  let ones = 0;
  for (let i = 0; i < scale64.length; i++) {
    assert.equal(soldef[i], scale64[i] > Math.fround(0.5) ? 1 : 0);
    ones += soldef[i];
  }
  assert.ok(ones > 1000 && ones < scale64.length / 2, `a molecule-sized solvent definition (${ones} voxels)`);
  const mask = job.tools.find((t) => t.tool === 'subtraction-mask')!.volume.data;
  assert.deepEqual(mask, subtractionMask(Float32Array.from(scale64), { kind: 'sigmoid', power: 3, pivot: 0.3 }));
});

test('--hist-match works on the attenuate and sigmoid paths: the output takes the input\'s value distribution', () => {
  const job = runJob(
    input,
    settingsWith([{ kind: 'attenuate', power: 3 }, { kind: 'sigmoid', power: 4, pivot: 0.3 }], (s) => (s.modification.histogramMatch = true)),
  );
  const reference = sorted(input.map.volume.data);
  assert.equal(job.modification.maps.length, 2);
  const [lo, hi] = valueRange(reference);
  for (const m of job.modification.maps) {
    // Rank for rank, the values equal the input's; only tied values (a few hundred of the 262 144 voxels
    // here) can map between neighbouring input values.
    const values = sorted(m.volume.data);
    let largest = 0;
    let equal = 0;
    for (let i = 0; i < values.length; i++) {
      largest = Math.max(largest, Math.abs(values[i] - reference[i]));
      if (values[i] === reference[i]) equal++;
    }
    assert.ok(largest < 1e-3 * (hi - lo), `largest rank difference ${largest}`);
    assert.ok(equal > 0.99 * values.length, `${equal} ranks equal`);
  }
});

test('attenuation adds synthetic solvent drawn from the fitted Gaussian where it removes density', () => {
  const modification = { kind: 'attenuate' as const, power: 4 };
  const job = runJob(input, settingsWith([modification], (s) => (s.modification.omitConfidence = true)));
  const x = input.map.volume.data;
  const out = job.modification.maps[0].volume.data;
  const mod = modificationFactor(job.estimate.scale.data, { ...modification, scaleLimit: 0.05 });
  const [lo, hi] = valueRange(x);
  // Where the factor removed most of the density, (out − X·mod) / (1 − mod) is one normal draw per voxel.
  const residuals: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (mod[i] < 0.2 && out[i] > lo && out[i] < hi) residuals.push((out[i] - x[i] * mod[i]) / (1 - mod[i]));
  }
  assert.ok(residuals.length > 10_000, `${residuals.length} voxels`);
  const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
  const std = Math.sqrt(residuals.reduce((a, b) => a + (b - mean) ** 2, 0) / residuals.length);
  const { mu, sigma } = job.estimate.solvent.fit;
  assert.ok(Math.abs(mean - mu) < 0.05 * sigma, `mean ${mean} vs mu ${mu}`);
  assert.ok(Math.abs(std - sigma) < 0.05 * sigma, `std ${std} vs sigma ${sigma}`);
});

test('synthetic solvent is reproducible by seed and independent of the other modifications asked for', () => {
  const attenuate = { kind: 'attenuate' as const, power: 3 };
  const alone = runJob(input, settingsWith([attenuate])).modification.maps[0].volume.data;
  const again = runJob(input, settingsWith([attenuate])).modification.maps[0].volume.data;
  assert.deepEqual(again, alone);
  const withOthers = runJob(input, settingsWith([{ kind: 'amplify', power: 2 }, attenuate, { kind: 'sigmoid', power: 3, pivot: 0.4 }]));
  const attenuated = withOthers.modification.maps.find((m) => m.role === 'modified' && m.modification.kind === 'attenuate')!;
  assert.deepEqual(attenuated.volume.data, alone);
  const otherSeed = runJob(input, settingsWith([attenuate], (s) => (s.modification.seed = 8))).modification.maps[0].volume.data;
  assert.notDeepEqual(otherSeed, alone);
});

test('--exclude-solvent alone gives X · C', () => {
  const job = runJob(input, settingsWith([], (s) => (s.modification.excludeSolvent = true)));
  assert.equal(job.modification.maps.length, 1);
  assert.equal(job.modification.maps[0].role, 'solvent-excluded');
  const x = input.map.volume.data;
  const c = job.estimate.confidence.confidence.data;
  const out = job.modification.maps[0].volume.data;
  for (let i = 0; i < x.length; i++) assert.equal(out[i], Math.fround(x[i] * c[i]));
});

test('a mask with another box is refused with a message naming the file', async () => {
  const other = await readMapFile(path.join(fixturesDir(), '1tii_occ_96_soldef.mrc'));
  assert.throws(
    () => runJob({ ...input, solventDefinition: { map: other, fileName: 'sol96.mrc' } }, settingsWith([])),
    (e: Error) => e.name === 'InputError' && /sol96\.mrc: the --solvent-def mask is 96x96x96 voxels but the input map is 64x64x64/.test(e.message),
  );
});
