/**
 * Map modification, METHOD.md §9–§10, as one pure function of an estimate and the input volume: each
 * requested modification becomes its own finished map at the input's box. No I/O: the CLI and the browser
 * worker both call this.
 */
import { zeroedFloat32Array } from '../buffers.js';
import { createCube, createVolume, isPlaneSource, type CubeBlock, type PlaneSource, type Volume } from '../volume.js';
import type { Estimate, MapReady, ProgressReporter } from './estimate.js';
import { lowpassLikeReference, resampledPlanesLikeReference, resampleLikeReference } from '../fourier/single/lowpass-single.js';
import {
  addsSyntheticSolvent,
  applyModification,
  createRandom,
  freshSeed,
  modificationFactor,
  rangeOfReference,
  restoreValueRange,
  solventExcluded,
  type Modification,
  type ValueRangeOnly,
  type ValueReference,
} from '../modify/index.js';

export type ModificationKind = 'amplify' | 'attenuate' | 'sigmoid';

/**
 * Whether a run with these modifications fills solvent with synthetic noise (attenuate and sigmoid do, unless
 * solvent is excluded: METHOD.md §9): only then is a seed drawn or used.
 */
export function drawsSyntheticSolvent(request: { modifications: readonly { kind: ModificationKind }[]; excludeSolvent: boolean }): boolean {
  return request.modifications.some((m) => addsSyntheticSolvent(m.kind, request.excludeSolvent));
}

/** One of `-am g`, `-at g`, `--sigmoid g --pivot p`: a sigmoid always has its pivot, the others none. */
export type ModificationRequest = { kind: 'amplify' | 'attenuate'; power: number; pivot?: undefined } | { kind: 'sigmoid'; power: number; pivot: number };

export interface ModifyRequest {
  modifications: readonly ModificationRequest[];
  /** `--exclude-solvent`; alone (no modifications) it yields the solvent-excluded input. */
  excludeSolvent: boolean;
  /** `--omit-confidence`: confidence 1 everywhere. */
  omitConfidence: boolean;
  /** `--scale-limit` (amplify and attenuate). */
  scaleLimit: number;
  /** `--lowpass-output` (Å, at the processing voxel size). */
  lowpassOutput?: number;
  /** `--hist-match` instead of clipping to the input's range. */
  histogramMatch: boolean;
  /** `--seed` for synthetic solvent; a fresh one is drawn (and returned) when absent. */
  seed?: number;
  /** `--save-all-maps`: also return each modification factor (at the processing box). */
  saveFactors: boolean;
  /**
   * Return the finished maps before §10's last step (clipping or histogram matching to `input`): any-box.ts
   * crops the margin of an embedded map first and restores the value range itself, against the map as read.
   */
  skipValueRange?: boolean;
  /**
   * Of a map Fourier-padded back to the input's cube (when §2 down-sampled), keep only this block: any-box.ts's
   * input box within its cube, made without the cube.
   */
  paddedBlock?: CubeBlock;
}

/** What a returned map is; the caller names files from it. */
export type ModifiedMapRole =
  | { role: 'modified'; modification: ModificationRequest }
  | { role: 'solvent-excluded' }
  | { role: 'factor'; modification: ModificationRequest };

export type ModifiedMap<Map extends Volume | PlaneSource = Volume> = ModifiedMapRole & { volume: Map };

export interface ModifyResult<Map extends Volume | PlaneSource = Volume> {
  maps: ModifiedMap<Map>[];
  /** The seed synthetic solvent was drawn with (undefined when no path adds synthetic solvent). */
  seed?: number;
}

export interface ModifyOptions {
  /**
   * Modified maps padded back to a large input's box (or its block: `paddedBlock`) are given as sources that
   * make them as they are written (`PlaneSource`), never whole, where they are clipped to the input's range (not
   * histogram-matched) and the padding takes the SIMD path: at 512³ that is 0.5 GB per map not held, whose
   * mapping into memory took longer than its computation. They are not told to `ready`. For a writer that
   * takes plane sources.
   */
  madeWhenWritten?: boolean;
}

/**
 * The input as §10 needs it: the map as read, or, for a map down-sampled as it was read (not kept), its value
 * range alone, which serves every finishing but histogram matching.
 */
export type ModifyInput = Volume | ValueRangeOnly;

/**
 * §9–§10 for every requested modification, in the order amplify, attenuate, sigmoid (as the reference), then
 * the solvent-excluded copy when `excludeSolvent` is asked for alone.
 *
 * Synthetic solvent draws from its own stream per kind of modification (seeded from `seed` and the kind), so
 * an attenuated map does not change when a sigmoid or an amplification is asked for in the same run.
 */
export function modifyMaps(estimate: Estimate, input: ModifyInput, request: ModifyRequest, progress?: ProgressReporter, ready?: MapReady): ModifyResult;
export function modifyMaps(
  estimate: Estimate,
  input: ModifyInput,
  request: ModifyRequest,
  progress: ProgressReporter | undefined,
  ready: MapReady | undefined,
  options: ModifyOptions,
): ModifyResult<Volume | PlaneSource>;
export function modifyMaps(
  estimate: Estimate,
  input: ModifyInput,
  request: ModifyRequest,
  progress: ProgressReporter = () => {},
  ready: MapReady = () => {},
  options: ModifyOptions = {},
): ModifyResult<Volume | PlaneSource> {
  const processing = estimate.processing.data;
  const scale = estimate.scale.data;
  const confidence = request.omitConfidence ? null : estimate.confidence.confidence.data;
  const seed = drawsSyntheticSolvent(request) ? (request.seed ?? freshSeed()) : undefined;
  const maps: ModifiedMap<Volume | PlaneSource>[] = [];
  // A map is told to `ready` when it is whole (not a source made as it is written).
  const tell = (volume: Volume | PlaneSource, index: number) => {
    if (!isPlaneSource(volume)) ready('modified', volume, index);
  };
  // One array for the factors, refilled by each modification, unless they are kept (`saveFactors`).
  let factorArray: Float32Array | undefined;

  for (const modification of orderedModifications(request.modifications)) {
    progress(`modifying (${modification.kind})`);
    const full = toCoreModification(modification, request.scaleLimit);
    const into = request.saveFactors ? zeroedFloat32Array(scale.length) : (factorArray ??= zeroedFloat32Array(scale.length));
    const factor = modificationFactor(scale, full, into);
    const solvent =
      seed !== undefined && addsSyntheticSolvent(modification.kind, request.excludeSolvent)
        ? syntheticSolvent(estimate, streamSeed(seed, KIND_ORDER[modification.kind]))
        : undefined;
    const values = applyModification(processing, factor, confidence, { excludeSolvent: request.excludeSolvent, solvent });
    maps.push({ role: 'modified', modification, volume: finish(values, estimate, input, request, options) });
    tell(maps[maps.length - 1].volume, maps.length - 1);
    if (request.saveFactors) maps.push({ role: 'factor', modification, volume: createCube(estimate.processing.nx, factor) });
  }

  if (request.modifications.length === 0 && request.excludeSolvent) {
    progress('excluding solvent');
    const values = confidence ? solventExcluded(processing, confidence) : Float32Array.from(processing);
    maps.push({ role: 'solvent-excluded', volume: finish(values, estimate, input, request, options) });
    tell(maps[0].volume, 0);
  }
  return { maps, seed };
}

/**
 * The maps {@link modifyMaps} returns, without computing them, in its order: each modification (in
 * `orderedModifications` order) followed by its factor when factors are saved; or, with no modification and
 * solvent excluded, the solvent-excluded copy alone. A host names and prepares its output files from it.
 */
export function modifiedMapRoles(request: Pick<ModifyRequest, 'modifications' | 'excludeSolvent' | 'saveFactors'>): ModifiedMapRole[] {
  const roles = orderedModifications(request.modifications).flatMap((modification): ModifiedMapRole[] =>
    request.saveFactors ? [{ role: 'modified', modification }, { role: 'factor', modification }] : [{ role: 'modified', modification }],
  );
  if (roles.length === 0 && request.excludeSolvent) roles.push({ role: 'solvent-excluded' });
  return roles;
}

const KIND_ORDER: Record<ModificationKind, number> = { amplify: 0, attenuate: 1, sigmoid: 2 };

/** Modifications in the order they are made and listed (the reference's): amplify, attenuate, sigmoid. */
export function orderedModifications(modifications: readonly ModificationRequest[]): ModificationRequest[] {
  return [...modifications].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

function toCoreModification(m: ModificationRequest, scaleLimit: number): Modification {
  if (m.kind === 'sigmoid') return { kind: 'sigmoid', power: m.power, pivot: m.pivot };
  return { kind: m.kind, power: m.power, scaleLimit };
}

/** A distinct, reproducible seed for each kind of modification of a run. */
function streamSeed(seed: number, index: number): number {
  return (seed + Math.imul(index, 0x9e3779b9)) >>> 0;
}

function syntheticSolvent(estimate: Estimate, seed: number) {
  const random = createRandom(seed);
  const { mu, sigma } = estimate.solvent.fit;
  return {
    mu,
    sigma,
    standardNormal: () => random.nextStandardNormal(),
    fillStandardNormal: (out: Float64Array) => random.fillStandardNormal(out),
  };
}

/**
 * §10: `--lowpass-output` at the processing voxel size, Fourier-pad back to the input box when §2 cropped,
 * then histogram-match to the input or clip to its range.
 *
 * The reference skips the final clip for the solvent-excluded copy; `X * C` with `C` in [0, 1] lies within
 * the input's range whenever that range contains 0 (every real map), so clipping it too changes nothing
 * there and keeps one finishing path.
 */
function finish(values: Float32Array, estimate: Estimate, input: ModifyInput, request: ModifyRequest, options: ModifyOptions): Volume | PlaneSource {
  let volume = createCube(estimate.processing.nx, values);
  if (request.lowpassOutput !== undefined) {
    volume = lowpassLikeReference(volume, estimate.processingVoxelSize, request.lowpassOutput);
  }
  const original = valueReference(input);
  const clipTo = request.skipValueRange || request.histogramMatch ? undefined : rangeOfReference(original);
  if (estimate.downscaled && clipTo && options.madeWhenWritten) {
    const source = resampledPlanesLikeReference(volume, estimate.inputBox, clipTo, request.paddedBlock);
    if (source) return source;
  }
  if (estimate.downscaled) {
    // Clipped as it is padded back to the input's box: the same values, one pass over the large map fewer.
    volume = resampleLikeReference(volume, estimate.inputBox, clipTo, request.paddedBlock);
    if (clipTo) return volume;
  }
  if (request.skipValueRange) return volume;
  return createVolume(volume.nz, volume.ny, volume.nx, restoreValueRange(volume.data, original, request.histogramMatch));
}

/** What of the input §10's last step reads (`restoreValueRange`). */
export function valueReference(input: ModifyInput): ValueReference {
  return 'data' in input ? input.data : input;
}
