/**
 * One run in the worker: the CLI's sequence (src/cli/execute.ts) without the disk — runJob, then every output
 * file the CLI writes (jobOutputs), then the report listing them — kept in memory for download, plus a summary
 * for the page to draw. Same settings, same bytes as `occupy` on the command line.
 */
import type { MapFile } from '../../../src/format/mrc-format.js';
import { runJob, type JobInput, type JobResult } from '../../../src/run/job.js';
import { jobLog, jobOutputs, mapSurfaceLevel, modifiedMapNames, namesFor, type OutputFile } from '../../../src/run/outputs.js';
import { jobReport } from '../../../src/run/report.js';
import { commandLine, shellQuote } from '../../../src/run/command-line.js';
import type { RunSettings } from '../../../src/run/settings.js';
import { reportJson } from '../../../src/report/run-report.js';
import { targetedOccupancyLine } from '../../../src/report/log-text.js';
import { solventModelSvg } from '../../../src/report/plots/solvent-model.js';
import { modificationCurvesSvg } from '../../../src/report/plots/modification-curves.js';
import type { ModifiedMap } from '../../../src/core/pipeline/modify.js';
import { sameShape, wholeVolume, type Volume } from '../../../src/core/volume.js';
import type { DisplayedMap, MapRole, RunSummary } from './protocol.js';
import { inputBox } from '../../../src/run/down-sampled-input.js';
import { figurePngName } from '../../../src/report/output-names.js';

export interface FinishedRun {
  job: JobResult;
  files: OutputFile[];
  summary: RunSummary;
}

export interface RunRequest {
  run: number;
  settings: RunSettings;
  version: string;
  maps: Partial<Record<MapRole, { map: MapFile; fileName: string }>>;
  progress: (stage: string) => void;
}

export function runInWorker({ run, settings, version, maps, progress }: RunRequest): FinishedRun {
  const input = maps.input;
  if (!input) throw new Error('open a map first');
  const jobInput: JobInput = { map: input.map, fileName: input.fileName, solventDefinition: maps.solventDefinition, targetMask: maps.targetMask };

  const stageSeconds: Record<string, number> = {};
  const started = performance.now();
  let stage = '';
  let stageStart = started;
  const enterStage = (next: string) => {
    const now = performance.now();
    if (stage) stageSeconds[stage] = (stageSeconds[stage] ?? 0) + (now - stageStart) / 1000;
    stage = next;
    stageStart = now;
    if (next) progress(next); // '' ends the last stage; the run status shows no empty stage
  };

  const job = runJob(jobInput, settings, enterStage);
  // The seed the run drew for synthetic solvent goes into its command line, so that the line repeats the run.
  const seed = settings.modification.seed ?? job.modification.seed;
  const command = shellQuote(
    commandLine({ ...settings, modification: { ...settings.modification, seed } }, {
      input: input.fileName,
      solventDefinition: maps.solventDefinition?.fileName,
      targetMask: maps.targetMask?.fileName,
    }),
  );
  enterStage('writing');
  const files = jobOutputs(job, { inputPathInScript: input.fileName, version, figures: { solventModelSvg, modificationCurvesSvg } });
  // The CLI also writes a PNG beside each SVG figure; the page draws those from the SVG (see download/), and
  // the report lists them as the CLI's does.
  const listed = files.flatMap((f) => (f.kind === 'figure' ? [f.name, figurePngName(f.name)] : [f.name]));
  const notes = targetNote(job);
  if (settings.outputs.report) {
    const reportName = namesFor(job).report;
    const report = jobReport(job, {
      version,
      command,
      // As the CLI: every file of the run, the report itself last.
      outputs: [...listed, reportName],
      warnings: [],
      stageSeconds: { ...stageSeconds },
      peakResidentMB: null, // a browser tells a page nothing of its process's memory
    });
    files.push({ name: reportName, kind: 'text', parts: [new TextEncoder().encode(reportJson(report))] });
  }
  enterStage('');
  const seconds = (performance.now() - started) / 1000;
  return { job, files, summary: summarise(run, job, files, { seconds, stageSeconds, command, notes }) };
}

/** The file's bytes as one array (maps come as header + body views of the volume). */
export function fileBytes(file: OutputFile): Uint8Array {
  if (file.parts.length === 1) return file.parts[0].slice();
  const total = file.parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of file.parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function summarise(
  run: number,
  job: JobResult,
  files: OutputFile[],
  extra: { seconds: number; stageSeconds: Record<string, number>; command: string; notes: string[] },
): RunSummary {
  const { estimate: e } = job;
  const names = namesFor(job);
  const modifiedNames = modifiedMapNames(job.modification.maps, names, job.settings.outputs.outputMap);
  return {
    run,
    seconds: extra.seconds,
    stageSeconds: extra.stageSeconds,
    command: extra.command,
    warnings: job.warnings,
    notes: extra.notes,
    scaleMode: e.request.scaleMode,
    used: {
      lowpass: e.settings.lowpass,
      kernelSize: e.settings.kernel.size,
      kernelRadius: e.settings.kernel.radius,
      sampleCount: e.settings.kernel.sampleCount,
      tau: e.settings.tau,
      tileSize: e.settings.tileSize,
      processingBox: e.processing.nx,
      processingVoxelSize: e.processingVoxelSize,
    },
    figures: {
      fullScale: e.fullScale.value,
      variabilityLimit: e.variabilityLimit,
      confidenceLimit: e.confidenceLimit,
      solventEdge: e.solvent.solventEdge,
      contentAt1pct: e.solvent.contentAt1pct,
      solventMean: e.solvent.fit.mu,
      solventSigma: e.solvent.fit.sigma,
      solventModelIsBad: e.confidence.modelIsBad,
      surfaceLevel: mapSurfaceLevel(e),
    },
    scale: displayed(names.scale, `scale (${e.request.scaleMode === 'occ' ? 'occupancy' : 'resolution'})`, wholeVolume(job.box.scale)),
    confidence: displayed(names.confidence, 'solvent confidence', wholeVolume(job.box.confidence)),
    processing: sameShape(job.box.scale, inputBox(job.input.map)) ? undefined : displayed('', `input down-sampled to ${e.processing.nx}`, e.processing),
    modified: job.modification.maps.flatMap((m, i) => (m.role === 'factor' ? [] : [displayedModified(m, modifiedNames[i])])),
    solventModelSvg: solventModelSvg(e, { title: `Solvent model of ${job.input.fileName}` }),
    logText: jobLog(job),
    files: files.map((f) => ({ name: f.name, kind: f.kind, bytes: f.parts.reduce((n, p) => n + p.length, 0) })),
  };
}

function displayed(fileName: string, label: string, volume: Volume): DisplayedMap {
  return { fileName, label, shape: [volume.nz, volume.ny, volume.nx], data: volume.data.slice() };
}

function displayedModified(m: ModifiedMap, fileName: string): DisplayedMap {
  if (m.role === 'solvent-excluded') return displayed(fileName, 'solvent excluded', m.volume);
  const { kind, power, pivot } = m.modification;
  const label = kind === 'sigmoid' ? `sigmoid ${power}, pivot ${pivot}` : `${kind} ${power}`;
  return { ...displayed(fileName, label, m.volume), modification: m.modification };
}

function targetNote(job: JobResult): string[] {
  const t = job.estimate.target;
  if (!t) return [];
  return [targetedOccupancyLine(t)];
}
