/**
 * Which maps of a run a caller that writes plane sources (the CLI: `JobOptions.madeWhenWritten`, ./job.ts)
 * gets as sources made as they are written, never whole: the memory plan and the arrays prepared ahead
 * (./memory.ts) count none of them, and the CLI prepares no file to write them ahead. The caller decides once,
 * from the input's header, and hands the decision to each of them. Pure.
 *
 * Only maps of at least {@link MADE_WHEN_WRITTEN_MIN_VOXELS} at the input's box (or a caller's own threshold):
 * below it a map made whole can be quicker, its memory mapped ahead on the other core while the run goes on
 * (src/cli/prefault.ts), where a map made as written is made twice (its header's second statistics pass) on
 * the main thread (384³ `-am 2` on a RAM disk: 2.26 s whole against 2.54 s as written). Either way the bytes
 * are the same.
 */
import { evenCubeEdge } from '../core/box.js';
import { resamplesAsPlanes } from '../core/fourier/single/lowpass-single.js';
import type { RunSettings } from './settings.js';

/**
 * Voxels at the input's box from which its maps are made as they are written: 2^26 (about 406³, 256 MiB as
 * float32). It was 2^28 until 2026-11-27, when runs relaunched with huge pages (interleaved, 5 each, made whole
 * against as written) gave: on disk, 512³ `-am 3 -at 3` 6.96 against 5.47 s, 512³ `-am 2` 4.53 against 3.74 s,
 * 450×512×400 4.28 against 3.54 s, 384³ `-am 2` 3.02 against 2.78 s; on a RAM disk, 512³ `-am 2` 3.84 against
 * 3.28 s, 450×512×400 3.99 against 3.10 s, but 384³ `-am 2` 2.26 against 2.54 s. The same bytes either way, and
 * about half the memory.
 */
export const MADE_WHEN_WRITTEN_MIN_VOXELS = 2 ** 26;

/** Which maps are made as they are written (for a caller that writes plane sources). */
export interface MadeWhenWritten {
  /** Scale and confidence interpolated to the input's box. */
  interpolated: boolean;
  /** Modified maps padded back to the input's box. */
  padded: boolean;
}

/** Nothing made as it is written: every map whole (a caller that does not write plane sources, e.g. the web app). */
export const ALL_MADE_WHOLE: MadeWhenWritten = { interpolated: false, padded: false };

/**
 * For a map of `shape` (nz, ny, nx), down-sampled: scale and confidence interpolated to its box (a box other
 * than an even cube) unless a mask tool needs the scale whole; modified maps padded back to its cube (of which
 * only the input's block is made for another box) when they are clipped to the input's range (not
 * `--hist-match`) and the padding takes the SIMD path (`resamplesAsPlanes`). Neither below `minVoxels`.
 */
export function madeWhenWritten(
  shape: readonly [number, number, number],
  settings: RunSettings,
  minVoxels = MADE_WHEN_WRITTEN_MIN_VOXELS,
): MadeWhenWritten {
  const N = evenCubeEdge(shape);
  const m = settings.estimation.maxBox;
  const large = N > m && shape[0] * shape[1] * shape[2] >= minVoxels;
  const { solventDefinitionThreshold, subtractionMasks } = settings.tools;
  const interpolated = large && !shape.every((s) => s === N) && solventDefinitionThreshold === undefined && !subtractionMasks;
  // Padded from the processing box m up to the cube's edge N.
  const padded = large && !settings.modification.histogramMatch && resamplesAsPlanes(m, N);
  return { interpolated, padded };
}
