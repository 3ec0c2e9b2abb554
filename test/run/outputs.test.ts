/**
 * Maps made as they are written (`JobOptions.madeWhenWritten`, `jobOutputs(…, { writers: true })`): a job of
 * another box down-sampled gives its scale and confidence as plane sources, and a down-sampled job its modified
 * maps padded back (clipped, not histogram-matched); the writers turn them into the very bytes of the maps made
 * whole. A job that needs the scale whole (mask tools), or whose maps are neither,
 * gives volumes as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readMapFile } from '../../src/io/map-file.js';
import type { MapFile } from '../../src/format/mrc-format.js';
import { fixturesDir } from '../fixtures/fixture-cases.js';
import { runJob, type JobInput } from '../../src/run/job.js';
import { madeWhenWritten } from '../../src/run/made-when-written.js';
import { defaultSettings, type RunSettings } from '../../src/run/settings.js';
import { jobOutputs, type MadeWhenWrittenFile, type OutputFile } from '../../src/run/outputs.js';
import { cropFromCube } from '../../src/core/box.js';
import { isPlaneSource } from '../../src/core/volume.js';

const fixture = await readMapFile(path.join(fixturesDir(), '1tii_occ_64.mrc'));
const cropped: MapFile = { ...fixture, volume: cropFromCube(fixture.volume, [1, 3, 0], [61, 52, 63]) };

/** A file's bytes: its parts one after the other, or what its writer writes (into memory). */
async function bytesOf(file: OutputFile | MadeWhenWrittenFile): Promise<string> {
  if ('parts' in file) return Buffer.concat(file.parts).toString('base64');
  const writes: { bytes: Uint8Array; position: number }[] = [];
  await file.writer(async (bytes, position) => void writes.push({ bytes: bytes.slice(), position }));
  const length = Math.max(...writes.map((w) => w.position + w.bytes.length));
  const out = Buffer.alloc(length);
  for (const w of writes) out.set(w.bytes, w.position);
  return out.toString('base64');
}

function settingsWith(change: (s: RunSettings) => void): RunSettings {
  const s = defaultSettings();
  s.estimation.maxBox = 40;
  s.modification.seed = 5;
  change(s);
  return s;
}

test('maps made as they are written: the bytes of the maps made whole, and only where they are interpolated or padded back', async () => {
  const cases: [string, MapFile, (s: RunSettings) => void, number][] = [
    ['another box, down-sampled', cropped, (s) => (s.estimation.scaleMode = 'occ'), 2],
    [
      'with modifications, factors and the inputs',
      cropped,
      (s) => {
        s.modification.modifications = [{ kind: 'amplify', power: 2 }, { kind: 'attenuate', power: 3 }];
        s.modification.saveFactors = true;
        s.outputs.saveAllMaps = true;
      },
      4,
    ],
    [
      'another box, histogram-matched (its modified map whole)',
      cropped,
      (s) => ((s.modification.modifications = [{ kind: 'attenuate', power: 2 }]), (s.modification.histogramMatch = true)),
      2,
    ],
    ['another box, a mask tool and a modification', cropped, (s) => ((s.tools.subtractionMasks = true), (s.modification.modifications = [{ kind: 'attenuate', power: 2 }])), 1],
    ['a mask tool needs the scale whole', cropped, (s) => (s.tools.solventDefinitionThreshold = 0.4), 0],
    ['another box, not down-sampled', cropped, (s) => (s.estimation.maxBox = 64), 0],
    ['an even cube', fixture, () => {}, 0],
    // An even cube down-sampled: its modified maps padded back to its box, made as they are written.
    [
      'an even cube, modified',
      fixture,
      (s) => {
        s.modification.modifications = [{ kind: 'amplify', power: 2 }, { kind: 'sigmoid', power: 3, pivot: 0.4 }];
        s.modification.saveFactors = true;
        s.modification.lowpassOutput = 9;
      },
      2,
    ],
    ['an even cube, solvent excluded', fixture, (s) => (s.modification.excludeSolvent = true), 1],
    [
      'an even cube, histogram-matched (the map whole)',
      fixture,
      (s) => ((s.modification.modifications = [{ kind: 'attenuate', power: 2 }]), (s.modification.histogramMatch = true)),
      0,
    ],
    ['an even cube, not down-sampled', fixture, (s) => ((s.estimation.maxBox = 64), (s.modification.modifications = [{ kind: 'amplify', power: 2 }])), 0],
  ];
  for (const [what, map, change, writers] of cases) {
    const settings = settingsWith(change);
    const input: JobInput = { map, fileName: 'map.mrc' };
    const whole = runJob(input, settings);
    // Every map large enough (threshold 0): small maps exercise the path.
    const { nz, ny, nx } = map.volume;
    const asMade = runJob(input, settings, undefined, { madeWhenWritten: madeWhenWritten([nz, ny, nx], settings, 0) });
    const maps = [asMade.box.scale, asMade.box.confidence, ...asMade.modification.maps.map((m) => m.volume)];
    assert.equal(maps.filter(isPlaneSource).length, writers, `${what}: plane sources`);
    const context = { inputPathInScript: 'map.mrc', version: 'test' };
    const files = jobOutputs(asMade, { ...context, writers: true });
    assert.equal(files.filter((f) => 'writer' in f).length, writers, `${what}: files written by a writer`);
    const want = await Promise.all(jobOutputs(whole, context).map(async (f) => [f.name, await bytesOf(f)]));
    const got = await Promise.all(files.map(async (f) => [f.name, await bytesOf(f)]));
    assert.deepEqual(got, want, `${what}: every file, byte for byte`);
    // Without writers, the same job's plane sources are made whole.
    const madeWhole = await Promise.all(jobOutputs(asMade, context).map(async (f) => [f.name, await bytesOf(f)]));
    assert.deepEqual(madeWhole, want, `${what}: plane sources made whole`);
  }
});
