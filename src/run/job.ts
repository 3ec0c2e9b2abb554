/**
 * One run of OccuPy on maps already read: settings → estimate → modify → mask tools. Pure (no I/O), so the
 * CLI and the web app's worker run exactly this; they differ only in how they read inputs and deliver outputs.
 */
import type { MapFile } from '../format/mrc-format.js';
import { type Estimate, type MapReady, type ProgressReporter } from '../core/pipeline/estimate.js';
import { processingGrid } from '../core/settings.js';
import { orderedModifications, type ModificationRequest, type ModifyResult } from '../core/pipeline/modify.js';
import { estimateAnyBox, frameOf, modifyAnyBox, scaleAtInputBox, type AnyBoxEstimate } from '../core/pipeline/any-box.js';
import { inputLowpass } from '../core/settings.js';
import { keptShells } from '../core/fourier/lowpass.js';
import { withLowpassWorkspace } from '../core/fourier/single/simd-lowpass.js';
import { createVolume, sameShape, type PlaneSource, type Volume } from '../core/volume.js';
import { solventDefinitionFromScale, subtractionMask } from '../core/modify/index.js';
import type { RunSettings } from './settings.js';
import { ALL_MADE_WHOLE, type MadeWhenWritten } from './made-when-written.js';
import { InputError } from './errors.js';
import { maskGeometryWarnings } from './input-checks.js';
import { inputBox, isDownSampledInput, type InputMap } from './down-sampled-input.js';

export interface JobInput {
  /** Read whole, or (large maps, where the run allows) down-sampled as it was read: run/down-sampled-input.ts. */
  map: InputMap;
  /** The input's file name as the user gave it (used in output names and the log). */
  fileName: string;
  solventDefinition?: { map: MapFile; fileName: string };
  targetMask?: { map: MapFile; fileName: string };
}

/** A map made by one of the GUI's mask tools, at the input's box. */
export type ToolMap =
  | { tool: 'solvent-definition'; threshold: number; volume: Volume }
  | { tool: 'subtraction-mask'; modification: ModificationRequest; volume: Volume };

export interface JobResult<Map extends Volume | PlaneSource = Volume> {
  input: JobInput;
  settings: RunSettings;
  estimate: Estimate;
  /**
   * `estimate` with where the input sits in the even cube it ran on (any box is embedded in one; an even cube is
   * used as it is), and the scale and confidence maps to write (core/pipeline/any-box.ts): sources that make
   * them as they are written when the job was asked for that (`JobOptions`) and could.
   */
  box: AnyBoxEstimate<Map>;
  /** Modified maps: also sources made as they are written where the job was asked for that and could. */
  modification: ModifyResult<Map>;
  tools: ToolMap[];
  warnings: string[];
}

export interface JobOptions {
  /** See `MapReady` (core/pipeline/estimate.ts); told only for maps written exactly as they are then. */
  ready?: MapReady;
  /**
   * For a caller that writes plane sources (`jobOutputs` then gives a writer for them): which maps at the
   * input's box are made as they are written (`madeWhenWritten`, ./made-when-written.ts). Every map is whole
   * without it.
   */
  madeWhenWritten?: MadeWhenWritten;
}

export function runJob(input: JobInput, settings: RunSettings, progress?: ProgressReporter, options?: JobOptions & { madeWhenWritten?: undefined }): JobResult;
export function runJob(input: JobInput, settings: RunSettings, progress: ProgressReporter | undefined, options: JobOptions): JobResult<Volume | PlaneSource>;
export function runJob(input: JobInput, settings: RunSettings, progress: ProgressReporter = () => {}, options: JobOptions = {}): JobResult<Volume | PlaneSource> {
  // The job's low-passes and resamplings (§2, §3, §10) share one working memory instead of mapping a new one each.
  return withLowpassWorkspace(() => runJobSteps(input, settings, progress, options));
}

function runJobSteps(
  input: JobInput,
  settings: RunSettings,
  progress: ProgressReporter,
  { ready, madeWhenWritten: made = ALL_MADE_WHOLE }: JobOptions,
): JobResult<Volume | PlaneSource> {
  const map = input.map;
  // A map down-sampled as it was read is its own stand-in: its box and down-sampled cube for the estimate, its
  // value range for the finishing of modified maps.
  const source = isDownSampledInput(map) ? map : map.volume;
  const solventDefinition = input.solventDefinition && sameBoxMask(input.solventDefinition, input, '--solvent-def');
  const targetMask = input.targetMask && sameBoxMask(input.targetMask, input, '--target-mask');
  const voxelSize = Math.fround(input.map.geometry.voxelSize[0]);
  checkLowpassesKeepSomething(input, voxelSize, settings);

  const box = estimateAnyBox(source, voxelSize, { ...settings.estimation, solventDefinition, targetMask }, progress, ready, {
    madeWhenWritten: made.interpolated,
  });
  const result = box.estimate;
  const sMax = result.fullScale.value;
  if (!(sMax > 0)) {
    throw new InputError(
      `${input.fileName}: the full scale (the ${result.request.naive ? 'tau-scaled maximum' : 'densest tile'}) is ${sMax.toPrecision(3)}, not above zero, so no local scale can be given; ` +
        'is the contrast inverted (density negative)? If so, multiply the map by -1 first.',
    );
  }
  const modification = modifyAnyBox(box, source, settings.modification, progress, ready, { madeWhenWritten: made.padded });
  const tools = maskTools(box, settings, progress);
  const contrast = invertedContrastWarning(result);
  const masks = [input.solventDefinition, input.targetMask].filter((mask) => mask !== undefined);
  const maskWarnings = masks.flatMap((mask) => maskGeometryWarnings(mask.fileName, mask.map.geometry, input.map.geometry));
  return {
    input,
    settings,
    estimate: result,
    box,
    modification,
    tools,
    warnings: [...maskWarnings, ...result.warnings, ...result.solvent.warnings, ...(contrast ? [contrast] : [])],
  };
}

/**
 * A low-pass coarser than the whole processing box keeps no Fourier shell (METHOD.md §3): the map would come
 * out all zeros, which nothing after it can use. It is usually a wrong voxel size in the header or a typo.
 */
function checkLowpassesKeepSomething(input: JobInput, voxelSize: number, settings: RunSettings): void {
  const grid = processingGrid(frameOf(inputBox(input.map)).cubeEdge, voxelSize, settings.estimation.maxBox);
  const across = `the ${grid.box}-voxel processing box at ${grid.voxelSize.toPrecision(4)} Å/voxel is ${(grid.box * grid.voxelSize).toPrecision(4)} Å across`;
  const { lowpass } = inputLowpass(grid.voxelSize, settings.estimation);
  if (keptShells(grid.box, grid.voxelSize, lowpass) < 1) {
    throw new InputError(
      `${input.fileName}: the low-pass to ${lowpass.toPrecision(4)} Å is coarser than the whole map (${across}), so nothing of it would be left; ` +
        'check the voxel size in the header, or give a finer --lowpass/--resolution.',
    );
  }
  const output = settings.modification.lowpassOutput;
  if (output !== undefined && keptShells(grid.box, grid.voxelSize, output) < 1) {
    throw new InputError(`--lowpass-output ${output}: coarser than the whole map (${across}), so the modified maps would be empty; give a finer one.`);
  }
}

function sameBoxMask(mask: { map: MapFile; fileName: string }, input: JobInput, flag: string): Volume {
  const { nz, ny, nx } = inputBox(input.map);
  const b = mask.map.volume;
  if (!sameShape({ nz, ny, nx }, b)) {
    throw new InputError(
      `${mask.fileName}: the ${flag} mask is ${b.nx}x${b.ny}x${b.nz} voxels but the input map is ${nx}x${ny}x${nz}; they must have the same box.`,
    );
  }
  return b;
}

/**
 * The GUI's tools, at the input's box: the scale is Fourier-resampled to the input box first when §2
 * down-sampled an even cube (and clipped back to [0, 1], which resampling can leave), then thresholded or
 * looked up; any other box already has its scale at the input's box (any-box.ts).
 */
function maskTools(result: AnyBoxEstimate<Volume | PlaneSource>, settings: RunSettings, progress: ProgressReporter): ToolMap[] {
  const { solventDefinitionThreshold, subtractionMasks } = settings.tools;
  const subtractable = subtractionMasks
    ? orderedModifications(settings.modification.modifications).filter((m) => m.kind !== 'amplify')
    : [];
  if (solventDefinitionThreshold === undefined && subtractable.length === 0) return [];
  progress('mask tools');
  const scale = scaleAtInputBox(result).data;
  const [nz, ny, nx] = result.frame.inputShape;
  const tools: ToolMap[] = [];
  if (solventDefinitionThreshold !== undefined) {
    const mask = solventDefinitionFromScale(scale, solventDefinitionThreshold);
    tools.push({ tool: 'solvent-definition', threshold: solventDefinitionThreshold, volume: createVolume(nz, ny, nx, mask) });
  }
  for (const m of subtractable) {
    const subtraction =
      m.kind === 'sigmoid' ? { kind: 'sigmoid' as const, power: m.power, pivot: m.pivot } : { kind: 'attenuate' as const, power: m.power };
    tools.push({ tool: 'subtraction-mask', modification: m, volume: createVolume(nz, ny, nx, subtractionMask(scale, subtraction)) });
  }
  return tools;
}

/**
 * Density is bright in a cryo-EM map: beyond the solvent noise, the low-passed map's histogram has a long tail
 * above the solvent peak and little below it. When the tail below is the long one (more than 3 times the
 * voxels beyond 5 sigma), the map is probably inverted, and every scale would describe noise.
 */
export function invertedContrastWarning(estimate: Estimate): string | undefined {
  const { heights, edges } = estimate.confidence.allHistogram;
  const { mu, sigma } = estimate.solvent.fit;
  let below = 0;
  let above = 0;
  let total = 0;
  for (let i = 0; i < heights.length; i++) {
    const mass = heights[i] * (edges[i + 1] - edges[i]);
    total += mass;
    if (edges[i + 1] <= mu - 5 * sigma) below += mass;
    else if (edges[i] >= mu + 5 * sigma) above += mass;
  }
  if (below > 3 * above && below > 0.005 * total) {
    return 'far more of the map lies below the solvent peak than above it: the contrast looks inverted (density dark). If so, multiply the map by -1 and run again.';
  }
  return undefined;
}
