/** `report_<name>.json` for a run: every setting used and every figure detected (see src/report/run-report.ts). */
import type { MemoryUse, RunReport } from '../report/run-report.js';
import type { JobResult } from './job.js';
import type { PlaneSource, Volume } from '../core/volume.js';
import { tileSpheres } from './outputs.js';
import { inputShape, inputValueRange } from './down-sampled-input.js';

export interface ReportContext {
  version: string;
  /** The command line that reproduces the run. */
  command: string;
  /** Files written (names), in order. */
  outputs: string[];
  /** Warnings shown to the user besides the job's own (e.g. about flags). */
  warnings: string[];
  stageSeconds: Record<string, number>;
  /** null where it cannot be measured (the browser). */
  peakResidentMB: number | null;
  /** How the CLI used memory (none from the browser). */
  memory?: MemoryUse;
}

export function jobReport(job: JobResult<Volume | PlaneSource>, context: ReportContext): RunReport {
  const { estimate, settings } = job;
  const { solvent } = estimate;
  const edges = solvent.regionHistogram.edges;
  const [nz, ny, nx] = inputShape(job.input.map);
  const tiles = tileSpheres(job);
  return {
    schema: 'occupy-report/1',
    tool: { name: 'occupy', version: context.version },
    command: context.command,
    input: {
      file: job.input.fileName,
      box: [nx, ny, nz],
      voxelSize: estimate.inputVoxelSize,
      valueRange: inputValueRange(job.input.map),
    },
    settings: {
      scaleMode: estimate.request.scaleMode,
      lowpass: estimate.settings.lowpass,
      kernelSize: estimate.settings.kernel.size,
      kernelRadius: estimate.settings.kernel.radius,
      sampleCount: estimate.settings.kernel.sampleCount,
      tau: estimate.settings.tau,
      recommendedTau: estimate.settings.recommendedTau,
      tileSize: estimate.settings.tileSize,
      naiveNormalisation: estimate.request.naive,
      noiseLevelRecalibration: estimate.request.nlrc,
      hedgeConfidence: estimate.request.hedgeConfidence ?? null,
      maxBox: estimate.request.maxBox,
      processingBox: estimate.processing.nx,
      processingVoxelSize: estimate.processingVoxelSize,
      scaleLimit: settings.modification.scaleLimit,
      modifications: [...settings.modification.modifications],
      excludeSolvent: settings.modification.excludeSolvent,
      seed: job.modification.seed ?? null,
    },
    figures: {
      fullScale: estimate.fullScale.value,
      solventFit: { ...solvent.fit },
      solventLimits: {
        low: edges[solvent.limits.low],
        midLow: edges[solvent.limits.midlow],
        contentAt1pct: solvent.contentAt1pct,
        solventEdge: solvent.solventEdge,
        indices: { low: solvent.limits.low, midLow: solvent.limits.midlow, midHigh: solvent.limits.midhigh, high: solvent.limits.high },
      },
      variabilityLimit: estimate.variabilityLimit,
      confidenceLimit: estimate.confidenceLimit,
      solventModelIsBad: estimate.confidence.modelIsBad,
      maxTileCentre: tiles?.max ?? null,
      minTileCentre: tiles?.min ?? null,
      tileRadius: tiles?.radius ?? null,
      ...(estimate.target
        ? { targetOccupancy: { occupancy: estimate.target.occupancy, tau: estimate.target.tau, voxelCount: estimate.target.voxelCount } }
        : {}),
    },
    outputs: [...context.outputs],
    warnings: [...context.warnings, ...job.warnings],
    performance: { stageSeconds: context.stageSeconds, peakResidentMB: context.peakResidentMB, ...(context.memory ? { memory: context.memory } : {}) },
  };
}
