/**
 * Local-scale estimation, METHOD.md §2–§8, as one pure function of the input volume and the settings.
 * No I/O: the CLI and the browser worker both call this.
 */
import { cubeEdge, type Volume } from '../volume.js';
import { deriveSettings, processingGrid, type EstimationSettings, type SettingsRequest } from '../settings.js';
import { lowpassLikeReference, resampleLikeReference, resampleMirroredLikeReference } from '../fourier/single/lowpass-single.js';
import { embedInEvenCube, isMirroredCube, type MirroredCube } from '../box.js';
import { estimateLocalScale, recalibrateToNoiseLevel, targetedOccupancy, type TargetedOccupancy } from '../scale/local-scale.js';
import type { FullScale } from '../scale/full-scale.js';
import { fitSolventModel, confidenceFromModel, type SolventModel, type ConfidenceResult } from '../solvent/index.js';

export type ScaleMode = 'res' | 'occ';

export interface EstimateRequest extends SettingsRequest {
  scaleMode: ScaleMode;
  /** `--S0`. */
  naive: boolean;
  nlrc: boolean;
  hedgeConfidence?: number;
  maxBox: number;
  /** `--solvent-def`, at the input box. */
  solventDefinition?: Volume;
  /** `--target-mask`, at the input box. */
  targetMask?: Volume;
}

export type ProgressReporter = (stage: string) => void;

/**
 * An even cube of edge `edge` that its reader down-sampled to the max box as it read it (§2, the same values as
 * `resampleLikeReference`: `StreamedResample`), so that the cube itself was never held; `downSampled` is the
 * result.
 */
export interface DownSampledCube {
  edge: number;
  downSampled: Volume;
}

function isDownSampledCube(v: object): v is DownSampledCube {
  return 'downSampled' in v && 'edge' in v;
}

/**
 * Told when a map that is written as it is (the scale, the confidence, modified map `index` of the list
 * `modifyMaps` returns) is final, before the rest of the run: a host can start writing it while the
 * computation goes on. The volume must not be changed.
 */
export type MapReady = (kind: 'scale' | 'confidence' | 'modified', volume: Volume, index?: number) => void;

export interface Estimate {
  request: EstimateRequest;
  inputBox: number;
  inputVoxelSize: number;
  /** The map estimation ran on: the input, Fourier-cropped to `maxBox` when larger (§2). */
  processing: Volume;
  processingVoxelSize: number;
  downscaled: boolean;
  settings: EstimationSettings;
  /** `L`: the low-passed processing map (the processing map itself when the low-pass is not above 2 voxels). */
  lowpassed: Volume;
  /** `S` after nlrc when asked. */
  scale: Volume;
  fullScale: FullScale;
  variabilityLimit: number;
  solvent: SolventModel;
  confidence: ConfidenceResult;
  /** `E[idx] / s_max` (§7.8). */
  confidenceLimit: number;
  target?: TargetedOccupancy;
  warnings: string[];
}

/**
 * §2–§8 on an even cube: a volume, a map's cube described rather than made (`MirroredCube`, see core/box.ts),
 * which is then read from the map when down-sampled and made only when not, or a cube down-sampled already
 * (`DownSampledCube`, which must be larger than the max box and down-sampled to it).
 */
export function estimate(
  input: Volume | MirroredCube | DownSampledCube,
  inputVoxelSize: number,
  request: EstimateRequest,
  progress: ProgressReporter = () => {},
  ready: MapReady = () => {},
): Estimate {
  const inputBox = isDownSampledCube(input) || isMirroredCube(input) ? input.edge : cubeEdge(input);
  const { downscaled, box: processingBox, voxelSize: processingVoxelSize } = processingGrid(inputBox, inputVoxelSize, request.maxBox);
  let processing: Volume;
  if (isDownSampledCube(input)) {
    const { nz, ny, nx } = input.downSampled;
    if (!downscaled || nz !== request.maxBox || ny !== nz || nx !== nz) {
      throw new RangeError(`a cube of edge ${input.edge} down-sampled to ${nz}x${ny}x${nx}, not to the max box ${request.maxBox}`);
    }
    processing = input.downSampled;
  } else {
    progress(downscaled ? 'down-sampling' : 'preparing');
    if (isMirroredCube(input)) processing = downscaled ? resampleMirroredLikeReference(input, request.maxBox) : embedInEvenCube(input.map).cube;
    else processing = downscaled ? resampleLikeReference(input, request.maxBox) : input;
  }
  const toProcessing = (mask: Volume | undefined) =>
    mask && downscaled ? resampleLikeReference(mask, request.maxBox) : mask;

  const settings = deriveSettings(processingVoxelSize, processingBox, request);
  const warnings = [...settings.warnings];

  progress('low-pass');
  const lowpassed =
    settings.lowpass > 2 * processingVoxelSize
      ? lowpassLikeReference(processing, processingVoxelSize, settings.lowpass)
      : processing;

  progress('solvent model');
  const solvent = fitSolventModel(lowpassed, {
    solventDefinition: toProcessing(request.solventDefinition)?.data ?? null,
  });

  progress('confidence');
  // Before the local scale (the two are independent), so a host can write the confidence while it runs.
  const confidence = confidenceFromModel(lowpassed, solvent, { hedge: request.hedgeConfidence });
  ready('confidence', confidence.confidence);
  if (confidence.modelIsBad) {
    warnings.push(
      `the solvent model fit is probably bad (confidence limit at ${(confidence.limitIndex / 10).toFixed(1)}% of the histogram); ` +
        'check it with --plot and consider --solvent-def' +
        (settings.kernelWarning ? ' and a larger --lowpass (the kernel is small)' : ''),
    );
  }

  const estimationMap = request.scaleMode === 'occ' ? lowpassed : processing;
  const local = estimateLocalScale(
    estimationMap,
    { kernel: settings.kernel, tau: settings.tau, tileSize: settings.tileSize, naive: request.naive },
    progress,
  );
  const sMax = local.fullScale.value;
  const confidenceLimit = confidence.limitValue / sMax;

  const scale = request.nlrc ? recalibrateToNoiseLevel(local.scale, confidenceLimit) : local.scale;
  ready('scale', scale);

  let target: TargetedOccupancy | undefined;
  const targetMask = toProcessing(request.targetMask);
  if (targetMask) {
    progress('targeted occupancy');
    target = targetedOccupancy(estimationMap, targetMask.data, {
      confidenceLimit: request.nlrc ? confidenceLimit : undefined,
    });
  }

  return {
    request,
    inputBox,
    inputVoxelSize,
    processing,
    processingVoxelSize,
    downscaled,
    settings,
    lowpassed,
    scale,
    fullScale: local.fullScale,
    variabilityLimit: local.variabilityLimit,
    solvent,
    confidence,
    confidenceLimit,
    target,
    warnings,
  };
}
