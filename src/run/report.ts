/** `report_<name>.json` for a run: every setting used and every figure detected (see src/report/run-report.ts). */
import { valueRange } from '../core/volume.js';
import type { RunReport } from '../report/run-report.js';
import type { JobResult } from './job.js';
import { tileSpheres } from './outputs.js';

export interface ReportContext {
  version: string;
  /** The command line that reproduces the run. */
  command: string;
  /** Files written (names), in order. */
  outputs: string[];
  /** Warnings shown to the user besides the job's own (e.g. about flags). */
  warnings: string[];
  stageSeconds: Record<string, number>;
  peakResidentMB: number;
}

export function jobReport(job: JobResult, context: ReportContext): RunReport {
  const { estimate: result, settings } = job;
  const { solvent } = result;
  const edges = solvent.regionHistogram.edges;
  const input = job.input.map.volume;
  const tiles = tileSpheres(job);
  return {
    schema: 'occupy-report/1',
    tool: { name: 'occupy', version: context.version },
    command: context.command,
    input: {
      file: job.input.fileName,
      box: [input.nx, input.ny, input.nz],
      voxelSize: result.inputVoxelSize,
      valueRange: valueRange(input.data),
    },
    settings: {
      scaleMode: result.request.scaleMode,
      lowpass: result.settings.lowpass,
      kernelSize: result.settings.kernel.size,
      kernelRadius: result.settings.kernel.radius,
      sampleCount: result.settings.kernel.sampleCount,
      tau: result.settings.tau,
      recommendedTau: result.settings.recommendedTau,
      tileSize: result.settings.tileSize,
      naiveNormalisation: result.request.naive,
      noiseLevelRecalibration: result.request.nlrc,
      hedgeConfidence: result.request.hedgeConfidence ?? null,
      maxBox: result.request.maxBox,
      processingBox: result.processing.nx,
      processingVoxelSize: result.processingVoxelSize,
      scaleLimit: settings.modification.scaleLimit,
      modifications: [...settings.modification.modifications],
      excludeSolvent: settings.modification.excludeSolvent,
      seed: job.modification.seed ?? null,
    },
    figures: {
      fullScale: result.fullScale.value,
      solventFit: { ...solvent.fit },
      solventLimits: {
        low: edges[solvent.limits.low],
        midLow: edges[solvent.limits.midlow],
        contentAt1pct: solvent.contentAt1pct,
        solventEdge: solvent.solventEdge,
        indices: { low: solvent.limits.low, midLow: solvent.limits.midlow, midHigh: solvent.limits.midhigh, high: solvent.limits.high },
      },
      variabilityLimit: result.variabilityLimit,
      confidenceLimit: result.confidenceLimit,
      solventModelIsBad: result.confidence.modelIsBad,
      maxTileCentre: tiles?.max ?? null,
      minTileCentre: tiles?.min ?? null,
      tileRadius: tiles?.radius ?? null,
      ...(result.target
        ? { targetOccupancy: { occupancy: result.target.occupancy, tau: result.target.tau, voxelCount: result.target.voxelCount } }
        : {}),
    },
    outputs: [...context.outputs],
    warnings: [...context.warnings, ...job.warnings],
    performance: { stageSeconds: context.stageSeconds, peakResidentMB: context.peakResidentMB },
  };
}
