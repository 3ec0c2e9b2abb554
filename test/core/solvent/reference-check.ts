/**
 * Test helper: compare the solvent model and confidence computed from a low-passed map `L` with what the
 * published program wrote for one fixture case (../shared/fixtures/reference/<case>/): the log's detected
 * limits and confidence limit, and the confidence map voxel by voxel.
 *
 * `lowpassedFixtureMap` rebuilds L the way METHOD.md §2–§5 do (resample when the box exceeds --max-box, then
 * low-pass to the logged "LP Filt." value), using the project's Fourier module in the reference's single-precision
 * rounding (src/core/fourier/single), as the pipeline does.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readFixtureMap } from './fixture-maps.js';
import { lowpassLikeReference, resampleLikeReference } from '../../../src/core/fourier/single/lowpass-single.js';
import { createCube, type Volume } from '../../../src/core/volume.js';
import type { SolventModel, ConfidenceResult } from '../../../src/core/solvent/index.js';

export interface ReferenceLog {
  contentAt1pct: number;
  solventEdge: number;
  solventPeak: number;
  fullScale: number;
  confidenceLimit: number;
  lowpass: number;
  processingBox: number;
}

export function readReferenceLog(caseDir: string, stem: string): ReferenceLog {
  const text = readFileSync(path.join(caseDir, `log_${stem}.txt`), 'utf8');
  const figure = (label: string) => {
    const line = text.split('\n').find((l) => l.startsWith(label));
    if (!line) throw new Error(`${caseDir}: no "${label}" in the log`);
    const m = /(-?\d+(?:\.\d+)?)\)?\s*$/.exec(line.trim());
    if (!m) throw new Error(`${caseDir}: cannot read "${line}"`);
    return Number(m[1]);
  };
  return {
    contentAt1pct: figure('Content at 1% of solvent'),
    solventEdge: figure('Solvent drop to 0% (edge)'),
    solventPeak: figure('Solvent peak'),
    fullScale: figure('Full scale'),
    confidenceLimit: figure('Primary conf. limit'),
    lowpass: figure('LP Filt.'),
    processingBox: figure('Box proc'),
  };
}

/** L of a fixture input: Fourier-cropped to `processingBox` when smaller, then low-passed to `lowpass` Å. */
export function lowpassedFixtureMap(inputFile: string, processingBox: number, lowpass: number): Volume {
  const map = readFixtureMap(inputFile);
  let volume: Volume = createCube(map.nx, map.data);
  let voxelSize = Math.fround(map.voxelSize);
  if (map.nx > processingBox) {
    volume = resampleLikeReference(volume, processingBox);
    voxelSize = Math.fround(Math.fround(voxelSize * map.nx) / processingBox);
  }
  return lowpass > 2 * voxelSize ? lowpassLikeReference(volume, voxelSize, lowpass) : volume;
}

export interface ReferenceComparison {
  log: ReferenceLog;
  ours: { contentAt1pct: number; solventEdge: number; solventPeak: number; confidenceLimit: number };
  /** Confidence map agreement. */
  confidence: { withinTolerance: number; meanAbsolute: number; differing: number };
}

/** Figures and confidence map of `model`/`confidence` against the reference case; s_max from its log. */
export function compareWithReference(
  caseDir: string,
  stem: string,
  model: SolventModel,
  confidence: ConfidenceResult,
  tolerance = 0.03,
): ReferenceComparison {
  const log = readReferenceLog(caseDir, stem);
  const reference = readFixtureMap(path.join(caseDir, `conf_${stem}.mrc`)).data;
  const ours = confidence.confidence.data;
  if (reference.length !== ours.length) throw new Error(`${caseDir}: confidence maps differ in size`);
  let within = 0;
  let sum = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = Math.abs(ours[i] - reference[i]);
    if (d <= tolerance) within++;
    sum += d;
  }
  return {
    log,
    ours: {
      contentAt1pct: model.contentAt1pct,
      solventEdge: model.solventEdge,
      solventPeak: model.fit.mu,
      confidenceLimit: confidence.limitValue / log.fullScale,
    },
    confidence: { withinTolerance: within / ours.length, meanAbsolute: sum / ours.length, differing: ours.length - within },
  };
}

/** fixtures/README.md: a logged real number agrees within 0.5 % or 0.001, whichever is larger — against the
 * 3-decimal rounding of the log, so half a unit of the last digit is added. */
export function agreesWithLogged(ours: number, logged: number): boolean {
  return Math.abs(ours - logged) <= Math.max(0.005 * Math.abs(logged), 0.001) + 0.0005;
}
