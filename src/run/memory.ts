/**
 * How much memory a run will need, from its input's box and settings alone, so that a map that would not fit
 * is refused before it is read (src/run/input-checks.ts) instead of failing half-way. Pure.
 */
import { evenCubeEdge } from '../core/box.js';
import { inputLowpass } from '../core/settings.js';
import { resampleWorkspaceBytes } from '../core/fourier/single/lowpass-single.js';
import { streamedResampleBytes } from '../core/fourier/single/simd-lowpass.js';
import type { RunSettings } from './settings.js';
import { ALL_MADE_WHOLE, type MadeWhenWritten } from './made-when-written.js';

type Shape = readonly [number, number, number];


/** What decides how much memory a run takes. */
export interface MemoryPlan {
  /** The input's box (nz, ny, nx). */
  shape: Shape;
  maxBox: number;
  /** Maps `modifyAnyBox` returns besides factors: one per modification, or 1 for `--exclude-solvent` alone. */
  modifiedMaps: number;
  /** Maps of the mask tools (`--solvent-def-from-scale`, `--subtraction-mask`), at the input's box. */
  toolMaps: number;
  histogramMatch: boolean;
  /** Modification factors returned too (`--save-all-maps`). */
  saveFactors: boolean;
  /** The low-passed and down-sampled input written too (`--save-all-maps`). */
  saveInputs: boolean;
  /** Masks read at the input's box (`--solvent-def`, `--target-mask`). */
  masks: number;
  /** The input is down-sampled as it is read, never held (run/down-sampled-input.ts). */
  downSampledWhileReading: boolean;
  /** Down-sampled as it is read, with its x transforms kept in an array apart (`StreamedResampleOptions`). */
  transformsApart: boolean;
  /**
   * Scale and confidence interpolated to the input's box (when down-sampling a box other than an even cube)
   * are made as they are written, never held (`MadeWhenWritten.interpolated`, ./made-when-written.ts).
   */
  interpolatedMadeWhenWritten: boolean;
  /**
   * Modified maps padded back to the input's box (down-sampled) are made as they are written, never held
   * (`MadeWhenWritten.padded`).
   */
  paddedMadeWhenWritten: boolean;
}

/** Memory of the process before any map: Node, the libraries, read buffers. */
const BASE_BYTES = 100 * 2 ** 20;

/** A map made as it is written, while it is written: two pieces of ~8 MB and the making's own memory. */
const WRITTEN_AS_MADE_BYTES = 32 * 2 ** 20;

/** Headroom over the sum of the arrays: garbage not yet collected, allocator slack. */
const MEMORY_MARGIN = 1.15;

/**
 * A deliberately generous estimate of the peak memory (bytes) of a run, to refuse up front a map that would
 * not fit. With V the input's voxels, C the even cube's (V for an even cube), M the processing size's
 * (`min(cube, maxBox)`³), N the cube edge and m the processing edge, float32 everywhere, the larger of two
 * phases, times {@link MEMORY_MARGIN}:
 * - estimating: the input 4V, each mask 4V (and 4M at the processing size; 4C more in the cube), the cube 4C
 *   when the box is not an even cube and is not down-sampled (down-sampled, its rows are read from the map),
 *   estimation at the processing size 16M (low-pass, local maximum, scale, confidence, their transforms), and
 *   when down-sampling (N > maxBox) the Fourier crop's working set 16·N·m² (its n × 2k × (k+1) double-complex
 *   slab is 8·N·m²; twice that matches the measured peaks) and 4M;
 * - after: the input, masks and the estimate's maps (16M; the cube too when it is the processing map, i.e.
 *   not an even cube and not down-sampled), the down-sampling's working set (kept until the job ends), scale
 *   and confidence at the input's box 8V when the box is not an even cube (none when they are interpolated
 *   and made as they are written: `interpolatedMadeWhenWritten`), then each modified map: its values
 *   at the processing size 4M (an array of its own each) and the map kept until written, 4V, plus its
 *   cube-size copy 4C until cropped, when not an even cube and not down-sampled (padded back, only the input's
 *   block is made; none when it is padded back as it is written, `paddedMadeWhenWritten`, in the
 *   down-sampling's working memory; clipping and histogram matching work in place); histogram matching transiently 24V (four
 *   arrays of the map, two of the input); factors 4M each (4V when not an even cube); the low-passed and
 *   down-sampled inputs at the input box 8V (blocks of the cube, made without it, each padding with working
 *   memory of its own, 16·N·m² more); 32 MiB for each map being made as it is written.
 * A map down-sampled as it is read (run/down-sampled-input.ts) is not held (no 4V, and no mask), and the
 * streamed down-sampling's working memory (about 4·N²·m bytes, also kept until the job ends) takes the place
 * of the Fourier crop's; with its x transforms kept apart (`transformsApart`), the working memory is about
 * 4·N·m² + 4·m³ bytes, and the transforms' array (about 4·N²·m bytes) is counted to the end of the run: it is
 * dropped when the down-sampling ends, but the garbage collector may free it only after the modified maps are made.
 * Peak resident memory measured with /usr/bin/time -v lies 0–40 % below this: down-sampled as read, 512³
 * 0.70 GiB (estimated 0.85), 768³ 1.02 (1.23), 1024³ 1.43 (1.75), 512³ with `-am 3 -at 3` 1.85 (2.07),
 * 250×400×400 with three modifications 1.57 (1.73); read whole (runs before that path), default runs on 768³
 * 2.27 GiB (estimated 3.27), 1024³ 5.13 (6.22), 700×768×640 4.44 (5.68), 450×512×400 1.56 (2.16), 301³ with
 * `--save-all-maps` 1.13 (1.66); with `-am 2` on 768³ 4.36 (5.22) and on 450×512×400 2.02 (2.63). Scale and
 * confidence made as they are written, down-sampled as read: 450×512×400 0.70 GiB (0.85), 700×768×640 1.03
 * (1.23), 250×400×400 0.58 (0.73); read whole (`--replace-non-finite`): 700×768×640 1.91 (2.81), 450×512×400
 * 0.90 (1.44: the one case more than 1.5 times the peak). Modified maps padded back as they are written,
 * down-sampled as read: 512³ with `-am 3 -at 3` 0.88 GiB (0.96), 768³ with `-am 2` 1.11 (1.26), 450×512×400
 * with `-am 2` 0.81 (0.96). Down-sampled as read with the x transforms kept apart (relaunched with huge pages,
 * 2026-11-27): 512³ 0.79 GiB (1.00), 512³ with `-am 3 -at 3` 1.98 (2.22), 768³ 1.18 (1.45).
 */
export function peakMemoryBytes(plan: MemoryPlan): number {
  const [nz, ny, nx] = plan.shape;
  const V = nz * ny * nx;
  const N = evenCubeEdge(plan.shape);
  const identity = nz === N && ny === N && nx === N;
  const C = N ** 3;
  const downscaled = N > plan.maxBox;
  const m = downscaled ? plan.maxBox : N;
  const M = m ** 3;
  // Down-sampled as it is read, the map is not held and the down-sampling works in memory of its own kind.
  const streamed = plan.downSampledWhileReading;
  const padding = downscaled ? 16 * N * m * m : 0;
  // The Fourier crop's working set, or the streamed down-sampling's memory (its working memory, and its x
  // transforms when kept apart).
  const streamedDownSampling = streamed && downscaled ? streamedResampleBytes(N, m, plan.transformsApart) : undefined;
  const fourier = streamedDownSampling ? streamedDownSampling.workspace : padding;

  const held = BASE_BYTES + (streamed ? 0 : 4 * V) + plan.masks * (4 * V + 4 * M) + 16 * M;
  // The down-sampling's working memory is kept until the job ends (withLowpassWorkspace). The x transforms kept
  // apart are dropped when the down-sampling ends, but their memory is given back only when the garbage
  // collector next runs, which may be after the modified maps are made (512³ with two: 2030 MiB against 1899
  // with the transforms in the working memory): counted until the end too.
  const downSampling = fourier + (streamedDownSampling?.apart ?? 0);
  const estimating = held + (identity ? 0 : 4 * C * ((downscaled ? 0 : 1) + plan.masks)) + downSampling + (downscaled ? 4 * M : 0);
  const scaleAndConfidence = identity || (downscaled && plan.interpolatedMadeWhenWritten) ? 0 : 8 * V;
  let after = held + scaleAndConfidence + (identity || downscaled ? 0 : 4 * C) + downSampling;
  const k = plan.modifiedMaps;
  // Each mask tool's map at the input's box, as a modified map held whole.
  const atInputBox = 4 * M + 4 * V + (identity || downscaled ? 0 : 4 * C);
  after += plan.toolMaps * atInputBox;
  if (k > 0) {
    // Each modified map's values at the processing size are an array of their own (the reserve's), then it at
    // the input's box (padded back, or cropped from its cube), unless it is made as it is written.
    after += k * (downscaled && plan.paddedMadeWhenWritten ? 4 * M : atInputBox);
    if (plan.histogramMatch) after += 24 * V;
    if (plan.saveFactors) after += k * 4 * (identity ? M : V);
  }
  // The density maps are padded back when the outputs are written, each with working memory of its own.
  if (plan.saveInputs && !identity) after += 8 * V + padding;
  // Maps made as they are written: each has its pieces in hand and some working memory while it is written
  // (scale and confidence together, the modified maps one after another).
  const interpolatedWritten = !identity && downscaled && plan.interpolatedMadeWhenWritten ? 2 : 0;
  const paddedWritten = downscaled && k > 0 && plan.paddedMadeWhenWritten ? 1 : 0;
  after += (interpolatedWritten + paddedWritten) * WRITTEN_AS_MADE_BYTES;
  return Math.ceil(MEMORY_MARGIN * Math.max(estimating, after));
}

/** How the input is read and the outputs made, as far as memory goes (for `memoryPlanFor`). */
export interface ReadingPlan {
  /** The input is down-sampled as it is read (default false). */
  downSampledWhileReading?: boolean;
  /** Down-sampled as it is read, its x transforms are kept apart (default false; `StreamedResampleOptions`). */
  transformsApart?: boolean;
  /** The maps made as they are written (default none). */
  made?: MadeWhenWritten;
}

/** What of a run's settings decides its memory (for `peakMemoryBytes`). */
export function memoryPlanFor(
  shape: readonly [number, number, number],
  settings: RunSettings,
  masks: number,
  { downSampledWhileReading = false, transformsApart = false, made = ALL_MADE_WHOLE }: ReadingPlan = {},
): MemoryPlan {
  const { modification, tools, outputs, estimation } = settings;
  const modified = modification.modifications.length || (modification.excludeSolvent ? 1 : 0);
  const toolMaps =
    (tools.solventDefinitionThreshold !== undefined ? 1 : 0) +
    (tools.subtractionMasks ? modification.modifications.filter((m) => m.kind !== 'amplify').length : 0);
  return {
    shape: [shape[0], shape[1], shape[2]],
    maxBox: estimation.maxBox,
    modifiedMaps: modified,
    toolMaps,
    histogramMatch: modification.histogramMatch,
    saveFactors: modification.saveFactors,
    saveInputs: outputs.saveAllMaps,
    masks,
    downSampledWhileReading,
    transformsApart: downSampledWhileReading && transformsApart,
    interpolatedMadeWhenWritten: made.interpolated,
    paddedMadeWhenWritten: made.padded,
  };
}

/** Zeroed arrays a run will take from the core's reserve, by length (floats), in the order it takes them. */
export interface ReservableArrays {
  /** Taken while estimating: the cube a box other than an even cube is embedded in, then the processing maps. */
  estimating: number[];
  /** Taken after the down-sampling: maps at the input's box (for an even cube, modified maps padded back to it). */
  later: number[];
  /** The Fourier steps' working memory for the down-sampling, its first user (0 when not down-sampling). */
  workspaceBytes: number;
}

/**
 * How many zeroed arrays a run will surely take from the core's reserve (src/core/buffers.ts), so that a host
 * can prepare them ahead. Counts only arrays the run makes for sure: one prepared and not taken would be memory
 * spent for nothing.
 *
 * At the processing size m (the cube's edge N, or the max box when down-sampling): the down-sampled map (when
 * down-sampling), the low-passed map (when the low-pass applies), the local maximum (which becomes the scale),
 * the re-calibrated scale (`--nlrc`), the confidence, and per modified map its values and (one reused, or each
 * kept with `--save-all-maps`) its factor. Later, for an even cube that is down-sampled: each modified map (or
 * the solvent-excluded copy) Fourier-padded back to N³ (§10), which is clipped or histogram-matched in place
 * and kept until written.
 *
 * Any other box runs on the even cube that holds it (core/pipeline/any-box.ts), which comes first when it is
 * made (when not down-sampled; down-sampled, its rows are read from the map). Later, at the input's box: the
 * scale and the confidence (interpolated or cropped; not when they are made as they are written: `made`), each
 * modified map (not those made as they are written either) (padded back as the input's block, or
 * cropped) and each kept factor — all held until written, so preparing them early holds nothing longer than
 * the run would. Masks take arrays of the list too (nothing is prepared for nothing; some step then maps its
 * own).
 *
 * Also the working memory the down-sampling will use, which the job then keeps for its other Fourier steps
 * (`withLowpassWorkspace`), unless the input is down-sampled as it is read (`downSampledWhileReading`), which
 * writes it from the start. `voxelSize` is the input's (x).
 */
export function reservableMapArrays(
  shape: readonly [number, number, number],
  voxelSize: number,
  settings: RunSettings,
  downSampledWhileReading = false,
  made: MadeWhenWritten = ALL_MADE_WHOLE,
): ReservableArrays {
  const [nz, ny, nx] = shape;
  const N = evenCubeEdge(shape);
  if (!(nz > 0 && ny > 0 && nx > 0)) return { estimating: [], later: [], workspaceBytes: 0 };
  const evenCube = nz === N && ny === N && nx === N;
  const { estimation, modification } = settings;
  const downscaled = N > estimation.maxBox;
  const m = downscaled ? estimation.maxBox : N;
  const f32 = Math.fround;
  const processingVoxelSize = downscaled ? f32(f32(f32(voxelSize) * N) / estimation.maxBox) : f32(voxelSize);
  let count = 2; // local maximum, confidence
  if (downscaled) count++;
  if (inputLowpass(processingVoxelSize, estimation).lowpass > 2 * processingVoxelSize) count++;
  if (estimation.nlrc) count++;
  const k = modification.modifications.length;
  if (k > 0) count += k + (modification.saveFactors ? k : 1);
  else if (modification.excludeSolvent && !modification.omitConfidence) count++;
  const modifiedMaps = k > 0 ? k : modification.excludeSolvent ? 1 : 0;
  // Padded back and made as they are written, modified maps are never arrays.
  const heldModified = made.padded ? 0 : modifiedMaps;
  const padded = downscaled ? heldModified : 0;
  // The cube of another box is made only when it is not down-sampled (else its rows are read from the map).
  const estimating = [...(evenCube || downscaled ? [] : [N ** 3]), ...Array<number>(count).fill(m ** 3)];
  // Interpolated scale and confidence made as they are written are never arrays.
  const scaleAndConfidence = made.interpolated ? 0 : 2;
  const atInputBox = scaleAndConfidence + heldModified + (modification.saveFactors ? k : 0);
  const later = evenCube ? Array<number>(padded).fill(N ** 3) : Array<number>(atInputBox).fill(nz * ny * nx);
  // Down-sampled while reading, the working memory is written as the map is read: not mapped ahead then.
  const workspaceBytes = downscaled && !downSampledWhileReading ? resampleWorkspaceBytes(N, m) : 0;
  return { estimating, later, workspaceBytes };
}
