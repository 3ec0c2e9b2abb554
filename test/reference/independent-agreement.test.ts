/**
 * The project against an independent NumPy/SciPy implementation of METHOD.md §2–§8 (occupy_numpy.py beside
 * this file), on maps the fixtures do not contain: other models, boxes and voxel sizes.
 *
 * First the stand-in earns its place: on the fixture cases it covers it must agree with the published
 * program's own outputs. Then project and stand-in run on new synthetic maps and are compared with
 * ../shared/fixtures/README.md's tolerances.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fixturesDir, fixtureCases, repositoryRoot } from '../fixtures/fixture-cases.js';
import { compareMaps, figureAgrees } from '../fixtures/agreement.js';
import { readMapFile } from '../../src/io/map-file.js';
import { encodeMrc } from '../../src/format/mrc-format.js';
import { makePhantom, phantomSpec, type PhantomDomain } from '../../src/synthetic/phantom.js';
import { pythonWith } from '../python.js';
import { occupyBin } from '../cli/harness.js';

const standIn = path.join(repositoryRoot(), 'test', 'reference', 'occupy_numpy.py');
const MODULES = ['numpy', 'scipy', 'mrcfile'];
const PACKAGES = 'python3-numpy python3-scipy python3-mrcfile';

function runStandIn(python: string, map: string, args: string[], out: string): Record<string, number> {
  const r = spawnSync(python, [standIn, map, out, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `occupy_numpy.py failed (needs python3-numpy, python3-scipy, python3-mrcfile): ${r.stderr}`);
  return JSON.parse(readFileSync(path.join(out, 'figures.json'), 'utf8'));
}

async function data(file: string): Promise<Float32Array> {
  return (await readMapFile(file)).volume.data;
}

function assertScaleAgrees(ours: Float32Array, theirs: Float32Array, what: string) {
  const a = compareMaps(ours, theirs, 0.001);
  assert.ok(a.fractionWithin >= 0.999, `${what} scale: ${JSON.stringify(a)}`);
}

function assertConfidenceAgrees(ours: Float32Array, theirs: Float32Array, what: string) {
  const a = compareMaps(ours, theirs, 0.03);
  assert.ok(a.fractionWithin >= 0.995 && a.meanAbsoluteDifference < 0.002, `${what} confidence: ${JSON.stringify(a)}`);
}

/** The stand-in's flags for a fixture case, or undefined when the case uses something it does not cover. */
function standInArgs(args: string[]): string[] | undefined {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--occupancy' || a === '--nlrc' || a === '--S0') out.push(a);
    else if (a === '--max-box' || a === '--hedge-confidence' || a === '-lp') out.push(a === '-lp' ? '--lowpass' : a, args[++i]);
    else if (a === '--solvent-def') out.push(a, path.join(fixturesDir(), args[++i]));
    else if (['-am', '-at', '--sigmoid', '--pivot', '--lowpass-output'].includes(a)) i++;
    else if (['--exclude-solvent', '--hist-match'].includes(a)) continue;
    else return undefined;
  }
  return out;
}

test('the stand-in reproduces the published program on the fixture cases it covers', async (t) => {
  const python = pythonWith(t, MODULES, PACKAGES);
  if (!python) return;
  const scratch = mkdtempSync(path.join(tmpdir(), 'occupy-standin-'));
  let covered = 0;
  try {
    for (const c of fixtureCases()) {
      const args = standInArgs(c.args);
      if (!args) continue;
      covered++;
      const out = path.join(scratch, c.id);
      runStandIn(python, path.join(fixturesDir(), c.input), args, out);
      const stem = c.input.replace(/\.mrc$/, '');
      const mode = c.args.includes('--occupancy') ? 'occ' : 'res';
      const scaleName = c.args.includes('--S0') ? `scale_naive_${mode}_${stem}.mrc` : `scale_${mode}_${stem}.mrc`;
      assertScaleAgrees(await data(path.join(out, 'scale.mrc')), await data(path.join(c.referenceDir, scaleName)), c.id);
      assertConfidenceAgrees(await data(path.join(out, 'conf.mrc')), await data(path.join(c.referenceDir, `conf_${stem}.mrc`)), c.id);
    }
    assert.ok(covered >= 12, `${covered} fixture cases covered`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

interface NewMap {
  name: string;
  box: number;
  voxelSize: number;
  resolution: number;
  domains?: PhantomDomain[];
  seed: number;
  args: string[];
}

const NEW_MAPS: NewMap[] = [
  { name: 'box 48, 2.1 Å voxels', box: 48, voxelSize: 2.1, resolution: 7, seed: 11, args: ['--occupancy'] },
  { name: 'box 80, 0.85 Å voxels, relative resolution', box: 80, voxelSize: 0.85, resolution: 3.2, seed: 12, args: [] },
  {
    name: 'box 100, 1.3 Å voxels, three elongated domains, nlrc',
    box: 100,
    voxelSize: 1.3,
    resolution: 4,
    seed: 13,
    domains: [
      { centre: [0.5, 0.5, 0.35], radius: 0.14, occupancy: 1 },
      { centre: [0.5, 0.5, 0.62], radius: 0.12, occupancy: 0.5 },
      { centre: [0.3, 0.45, 0.5], radius: 0.08, occupancy: 0.8 },
    ],
    args: ['--occupancy', '--nlrc'],
  },
  { name: 'box 128 down-sampled to 96, 1.05 Å voxels', box: 128, voxelSize: 1.05, resolution: 3.8, seed: 14, args: ['--occupancy', '--max-box', '96'] },
  // Edges with the prime factors 7 and 11, transformed by the single-precision odd-radix passes.
  { name: 'box 112 (a factor 7), 1.2 Å voxels', box: 112, voxelSize: 1.2, resolution: 4.2, seed: 15, args: ['--occupancy'] },
  { name: 'box 132 (a factor 11) down-sampled to 98 (7²), 0.95 Å voxels, relative resolution', box: 132, voxelSize: 0.95, resolution: 3.5, seed: 16, args: ['--max-box', '98'] },
];

for (const m of NEW_MAPS) {
  test(`a new map agrees with the stand-in: ${m.name}`, async (t) => {
    const python = pythonWith(t, MODULES, PACKAGES);
    if (!python) return;
    const scratch = mkdtempSync(path.join(tmpdir(), 'occupy-newmap-'));
    try {
      const spec = phantomSpec(m.box, { voxelSize: m.voxelSize, resolution: m.resolution, seed: m.seed, ...(m.domains ? { domains: m.domains } : {}) });
      const { volume } = makePhantom(spec);
      const file = path.join(scratch, 'new.mrc');
      const v = m.voxelSize;
      writeFileSync(file, encodeMrc(volume, { voxelSize: [v, v, v], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [m.box, m.box, m.box] }));
      const theirs = runStandIn(python, file, m.args, path.join(scratch, 'standin'));
      const r = spawnSync(process.execPath, [occupyBin(), '-i', 'new.mrc', ...m.args, '--quiet'], { cwd: scratch, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const mode = m.args.includes('--occupancy') ? 'occ' : 'res';
      assertScaleAgrees(await data(path.join(scratch, `scale_${mode}_new.mrc`)), await data(path.join(scratch, 'standin', 'scale.mrc')), m.name);
      assertConfidenceAgrees(await data(path.join(scratch, 'conf_new.mrc')), await data(path.join(scratch, 'standin', 'conf.mrc')), m.name);
      const ours = JSON.parse(readFileSync(path.join(scratch, 'report_new.json'), 'utf8'));
      const pairs: [string, number, number, boolean][] = [
        ['kernel size', ours.settings.kernelSize, theirs.kernelSize, true],
        ['n_v', ours.settings.sampleCount, theirs.sampleCount, true],
        ['tile size', ours.settings.tileSize, theirs.tileSize, true],
        ['kernel radius', ours.settings.kernelRadius, theirs.kernelRadius, false],
        ['tau', ours.settings.tau, theirs.tau, false],
        ['low-pass', ours.settings.lowpass, theirs.lowpass, false],
        ['full scale', ours.figures.fullScale, theirs.fullScale, false],
        ['variability limit', ours.figures.variabilityLimit, theirs.variabilityLimit, false],
        ['confidence limit', ours.figures.confidenceLimit, theirs.confidenceLimit, false],
        ['solvent peak', ours.figures.solventFit.mu, theirs.solventPeak, false],
        ['content at 1 %', ours.figures.solventLimits.contentAt1pct, theirs.contentAt1pct, false],
        ['solvent edge', ours.figures.solventLimits.solventEdge, theirs.solventEdge, false],
      ];
      for (const [what, a, b, integer] of pairs) assert.ok(figureAgrees(a, b, integer), `${m.name} ${what}: ${a} vs ${b}`);
      // tau exactly: the tile rank floor(tau * t^3) can turn on its 4th decimal (src/core/scale/kernel.ts).
      assert.equal(ours.settings.tau, theirs.tau, `${m.name} tau`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
}
