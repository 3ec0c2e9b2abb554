/**
 * Estimation and modification of a map of any box: non-cubic (e.g. 200×240×180) and odd edges included.
 *
 * The method (METHOD.md §2–§10) is defined on an even cube. A map of any other box is embedded, centred, in the
 * smallest even cube that holds it (edge = the largest dimension, rounded up to even), with the margin filled
 * by mirroring the map at its faces (core/box.ts): the margin then carries the map's own edge — solvent, for a
 * map boxed with solvent around the molecule — rather than a constant that would spike the histogram.
 * `estimate()` runs on that cube unchanged, and every map is brought back to the input's box:
 *
 * - **Even cube** (the published program's only case): nothing changes. The input is used as it is, the scale
 *   and confidence maps are the estimate's own, at the processing size when `--max-box` down-sampled
 *   (written with a header that overlays the input, §11), and modified maps are at the input box.
 * - **Any other box, not down-sampled** (cube edge ≤ max box): every map (scale, confidence, modified,
 *   low-passed, factors) is the cube's result cropped back to the input's box: same voxels, same grid.
 * - **Any other box, down-sampled** (cube edge > max box): the cube is never made (the down-sampling reads its
 *   rows from the input). Modified and density maps are Fourier-padded back to the cube (as for a cubic map,
 *   §10), of which only the input's block is made. Scale, confidence and modification factors are
 *   interpolated (trilinear, so they stay in [0, 1]) from the processing grid to the input's voxels. They are
 *   not written at the processing size as for a cubic map: the input's block of the processing grid starts a
 *   fraction of a processing voxel into it in general, and an MRC header (integer start indices) cannot place
 *   such a block exactly on the input.
 *
 * So for any box other than an even cube, every output has exactly the input's box (and so its voxel size,
 * origin, start and axis order). Clipping or histogram matching of modified maps (§10) uses the input as read,
 * after cropping, so the margin never enters the value range.
 *
 * Masks (`--solvent-def`, `--target-mask`) are embedded with the map: the solvent definition mirrored like the
 * map (its margin describes the mirrored margin), the target mask with zeros (the margin is not the target, and
 * its voxel count, hence tau, is the user's mask's).
 *
 * Memory: one extra copy of the map at the cube's size while estimating, when the box is not an even cube and
 * is not down-sampled (down-sampled, the down-sampling reads the cube's rows from the map: the cube is never made).
 */
import { createVolume, sameShape, wholeVolume, type CubeBlock, type PlaneSource, type Volume } from '../volume.js';
import { blockSampler, cropFromCube, embedInEvenCube, evenCubeEdge, mirroredCube, sampleBlockFromGrid } from '../box.js';
import { resampleLikeReference } from '../fourier/single/lowpass-single.js';
import { restoreValueRange } from '../modify/index.js';
import { estimate, type Estimate, type EstimateRequest, type MapReady, type ProgressReporter } from './estimate.js';
import { processingGrid } from '../settings.js';
import { modifyMaps, valueReference, type ModifiedMap, type ModifyInput, type ModifyOptions, type ModifyRequest, type ModifyResult } from './modify.js';

export type Shape = [number, number, number];

/** Where the input sits in the cube estimation ran on. */
export interface BoxFrame {
  /** The input's box (nz, ny, nx). */
  inputShape: Shape;
  /** Edge of the even cube estimation ran on (before any `--max-box` down-sampling). */
  cubeEdge: number;
  /** Position of the input's first voxel in the cube (z, y, x). */
  offset: Shape;
  /** The input was an even cube: it was used as it is and nothing is cropped or interpolated. */
  identity: boolean;
}

export interface AnyBoxEstimate<Map extends Volume | PlaneSource = Volume> {
  /** The estimate on the cube (on the input itself for an even cube); its volumes are at the processing size. */
  estimate: Estimate;
  frame: BoxFrame;
  /**
   * The scale map to write: the estimate's own for an even cube, else at the input's box; there, when it is
   * interpolated (down-sampled) and `madeWhenWritten` was asked for, a source that makes it a few planes at a
   * time as it is written, instead of the whole map (see `estimateAnyBox`).
   */
  scale: Map;
  /** The confidence map to write, likewise. */
  confidence: Map;
}

export interface AnyBoxOptions {
  /**
   * Scale and confidence interpolated to the input's box are given as sources that make them as they are
   * written (`PlaneSource`), never whole: at 700×768×640 that is 2 × 1.4 GB not held, whose mapping into
   * memory took longer than their computation. For a writer that takes plane sources (the CLI's).
   */
  madeWhenWritten?: boolean;
}

/** What kind of values a map holds, which decides how it is brought back to the input's grid. */
export type MapKind =
  /** Scale, confidence, modification factors: values in [0, 1]; interpolated, never rung. */
  | 'bounded'
  /** Density (the low-passed or down-sampled input): Fourier-padded like modified maps (§10). */
  | 'density';

/**
 * A map of any box whose even cube was down-sampled to the max box as the map was read (`StreamedResample`;
 * the cube's rows mirrored as `embedInEvenCube` makes them), so that neither was held: it is estimated from
 * this, and modified (`modifyAnyBox`) with the map's value range alone.
 */
export interface DownSampledMap {
  /** The map's box (nz, ny, nx). */
  shape: Shape;
  /** Its even cube down-sampled to the max box. */
  downSampled: Volume;
}

export function isDownSampledMap(v: object): v is DownSampledMap {
  return 'downSampled' in v && 'shape' in v;
}

export function frameOf(input: { nz: number; ny: number; nx: number }): BoxFrame {
  const inputShape: Shape = [input.nz, input.ny, input.nx];
  const cubeEdge = evenCubeEdge(inputShape);
  const offset = inputShape.map((s) => Math.floor((cubeEdge - s) / 2)) as Shape;
  const identity = inputShape.every((s) => s === cubeEdge);
  return { inputShape, cubeEdge, offset, identity };
}

/**
 * §2–§8 on a map of any box (see the module comment), or on one down-sampled as it was read (no masks then).
 * Masks must have the input's box. For an even cube this is exactly `estimate(input, voxelSize, request)`, and `ready` is told when its scale and confidence maps (the
 * ones written) are final; for other boxes they are brought to the input's box at the end, and it is not.
 */
export function estimateAnyBox(
  input: Volume | DownSampledMap,
  voxelSize: number,
  request: EstimateRequest,
  progress?: ProgressReporter,
  ready?: MapReady,
): AnyBoxEstimate;
export function estimateAnyBox(
  input: Volume | DownSampledMap,
  voxelSize: number,
  request: EstimateRequest,
  progress: ProgressReporter | undefined,
  ready: MapReady | undefined,
  options: AnyBoxOptions,
): AnyBoxEstimate<Volume | PlaneSource>;
export function estimateAnyBox(
  input: Volume | DownSampledMap,
  voxelSize: number,
  request: EstimateRequest,
  progress: ProgressReporter = () => {},
  ready?: MapReady,
  options: AnyBoxOptions = {},
): AnyBoxEstimate<Volume | PlaneSource> {
  let result: Estimate;
  let frame: BoxFrame;
  if (isDownSampledMap(input)) {
    // Its voxels are gone: nothing for masks to match.
    if (request.solventDefinition || request.targetMask) throw new RangeError('masks need the map itself, not its down-sampled cube');
    const [nz, ny, nx] = input.shape;
    frame = frameOf({ nz, ny, nx });
    result = estimate({ edge: frame.cubeEdge, downSampled: input.downSampled }, voxelSize, request, progress, frame.identity ? ready : undefined);
  } else {
    frame = frameOf(input);
    for (const [name, mask] of [['solvent definition', request.solventDefinition], ['target mask', request.targetMask]] as const) {
      if (mask && !sameShape(mask, input)) {
        throw new RangeError(`the ${name} is ${mask.nz}x${mask.ny}x${mask.nx}, the map ${input.nz}x${input.ny}x${input.nx}`);
      }
    }
    result = frame.identity ? estimate(input, voxelSize, request, progress, ready) : estimateEmbedded(input, frame, voxelSize, request, progress);
  }
  if (frame.identity) return { estimate: result, frame, scale: result.scale, confidence: result.confidence.confidence };
  if (options.madeWhenWritten && result.downscaled) {
    const source = (v: Volume) => blockSampler(v, frame.cubeEdge, frame.offset, frame.inputShape);
    return { estimate: result, frame, scale: source(result.scale), confidence: source(result.confidence.confidence) };
  }
  progress('back to the input box');
  return {
    estimate: result,
    frame,
    scale: toInputBox(result, frame, result.scale, 'bounded'),
    confidence: toInputBox(result, frame, result.confidence.confidence, 'bounded'),
  };
}

/**
 * §9–§10 on an {@link estimateAnyBox} result: every modified map at the input's box, value range restored
 * against `input` (the map as read, or its value range alone: see `ModifyInput`). Modification factors (`saveFactors`) are at the processing size for an
 * even cube, as `modifyMaps` returns them, else at the input's box. For an even cube this is exactly
 * `modifyMaps(result.estimate, input, request)` (and `ready` is told of each modified map; for other boxes not).
 */
export function modifyAnyBox(
  result: AnyBoxEstimate<Volume | PlaneSource>,
  input: ModifyInput,
  request: ModifyRequest,
  progress?: ProgressReporter,
  ready?: MapReady,
): ModifyResult;
export function modifyAnyBox(
  result: AnyBoxEstimate<Volume | PlaneSource>,
  input: ModifyInput,
  request: ModifyRequest,
  progress: ProgressReporter | undefined,
  ready: MapReady | undefined,
  options: ModifyOptions,
): ModifyResult<Volume | PlaneSource>;
export function modifyAnyBox(
  result: AnyBoxEstimate<Volume | PlaneSource>,
  input: ModifyInput,
  request: ModifyRequest,
  progress: ProgressReporter = () => {},
  ready?: MapReady,
  options: ModifyOptions = {},
): ModifyResult<Volume | PlaneSource> {
  const { frame, estimate: cubeEstimate } = result;
  if (frame.identity) return modifyMaps(cubeEstimate, input, request, progress, ready, options);
  const [nz, ny, nx] = frame.inputShape;
  if ('data' in input && (input.nz !== nz || input.ny !== ny || input.nx !== nx)) {
    throw new RangeError(`the map is ${input.nz}x${input.ny}x${input.nx}, the estimate was made for ${nz}x${ny}x${nx}`);
  }
  // Padded back (down-sampled) and clipped, maps come as the input's block of the cube, clipped to the input's
  // range as they are padded (one pass fewer over the large map), and (`madeWhenWritten`) made as they are written.
  if (cubeEstimate.downscaled && !request.histogramMatch) {
    const padded = modifyMaps(cubeEstimate, input, { ...request, paddedBlock: inputBlock(frame) }, progress, undefined, options);
    const maps = padded.maps.map((m) => (m.role === 'factor' ? { ...m, volume: toInputBox(cubeEstimate, frame, wholeVolume(m.volume), 'bounded') } : m));
    return { maps, seed: padded.seed };
  }
  // The cube argument is only the value-range reference, which is skipped here and applied after cropping.
  // Maps padded back to the cube (down-sampled) come as the input's block of it already.
  const cubeResult = modifyMaps(cubeEstimate, cubeEstimate.processing, { ...request, skipValueRange: true, paddedBlock: inputBlock(frame) }, progress);
  const maps: ModifiedMap[] = cubeResult.maps.map((m) => {
    if (m.role === 'factor') return { ...m, volume: toInputBox(cubeEstimate, frame, m.volume, 'bounded') };
    const cropped = cubeEstimate.downscaled ? m.volume : cropFromCube(m.volume, frame.offset, frame.inputShape);
    return { ...m, volume: createVolume(nz, ny, nx, restoreValueRange(cropped.data, valueReference(input), request.histogramMatch)) };
  });
  return { maps, seed: cubeResult.seed };
}

/**
 * A map at the estimate's processing size brought to the box it is written at: itself for an even cube,
 * else the input's box — cropped when the cube was not down-sampled; when it was, interpolated ('bounded') or
 * Fourier-padded to the cube, of which only the input's block is made ('density').
 */
export function toInputBox(cubeEstimate: Estimate, frame: BoxFrame, volume: Volume, kind: MapKind): Volume {
  if (frame.identity) return volume;
  if (volume.nz !== volume.ny || volume.ny !== volume.nx || volume.nx !== cubeEstimate.processing.nx) {
    throw new RangeError(`expected a map at the processing size ${cubeEstimate.processing.nx}, got ${volume.nz}x${volume.ny}x${volume.nx}`);
  }
  if (!cubeEstimate.downscaled) return cropFromCube(volume, frame.offset, frame.inputShape);
  if (kind === 'bounded') return sampleBlockFromGrid(volume, frame.cubeEdge, frame.offset, frame.inputShape);
  return resampleLikeReference(volume, frame.cubeEdge, undefined, inputBlock(frame));
}

/** The input's block of its cube. */
function inputBlock(frame: BoxFrame): CubeBlock {
  return { offset: frame.offset, shape: frame.inputShape };
}

/**
 * The scale at the input's box whatever the box: for an even cube that was down-sampled, Fourier-padded back
 * and clipped to [0, 1] (as the GUI's mask tools do); otherwise the map {@link estimateAnyBox} returned.
 */
export function scaleAtInputBox(result: AnyBoxEstimate<Volume | PlaneSource>): Volume {
  const { frame, estimate: e } = result;
  if (!frame.identity || !e.downscaled) return wholeVolume(result.scale);
  const resampled = resampleLikeReference(e.scale, frame.cubeEdge);
  const data = resampled.data;
  for (let i = 0; i < data.length; i++) data[i] = Math.min(1, Math.max(0, data[i]));
  return resampled;
}

/**
 * A position in processing voxels of the cube (z, y, x; e.g. a full-scale tile centre) in input voxels
 * (z, y, x; fractional, possibly outside the input's box when it lies in the margin).
 */
export function processingToInputVoxel(result: AnyBoxEstimate<Volume | PlaneSource>, zyx: readonly number[]): Shape {
  const factor = result.frame.cubeEdge / result.estimate.processing.nx;
  return [0, 1, 2].map((a) => zyx[a] * factor - result.frame.offset[a]) as Shape;
}

/**
 * `estimate()` on the cube the input is embedded in. The cube (and the masks' cubes) are unreachable once this
 * returns unless the estimate runs on the cube itself (not down-sampled): the returned estimate carries the
 * caller's request (masks at the input's box), so a down-sampled run keeps no map-sized cube alive while the
 * scale and confidence are brought to the input's box.
 */
function estimateEmbedded(
  input: Volume,
  frame: BoxFrame,
  voxelSize: number,
  request: EstimateRequest,
  progress: ProgressReporter,
): Estimate {
  // Down-sampled, the cube is read a row at a time by the down-sampling, from the map: it is never made.
  const { downscaled } = processingGrid(frame.cubeEdge, voxelSize, request.maxBox);
  if (!downscaled || request.solventDefinition || request.targetMask) progress('embedding in a cube');
  const cube = downscaled ? mirroredCube(input) : embedInEvenCube(input).cube;
  const solventDefinition = request.solventDefinition && embedInEvenCube(request.solventDefinition).cube;
  const targetMask = request.targetMask && embedWithZeros(request.targetMask, frame);
  return { ...estimate(cube, voxelSize, { ...request, solventDefinition, targetMask }, progress), request };
}

/** The target mask in the cube: the mask at the input's place, 0 in the margin. */
function embedWithZeros(mask: Volume, frame: BoxFrame): Volume {
  const n = frame.cubeEdge;
  const cube = createVolume(n, n, n);
  const [oz, oy, ox] = frame.offset;
  for (let z = 0; z < mask.nz; z++) {
    for (let y = 0; y < mask.ny; y++) {
      const src = (z * mask.ny + y) * mask.nx;
      cube.data.set(mask.data.subarray(src, src + mask.nx), ((z + oz) * n + (y + oy)) * n + ox);
    }
  }
  return cube;
}
