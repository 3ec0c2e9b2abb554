/**
 * Which maps of a run a caller that writes plane sources (the CLI: `JobOptions.writesPlaneSources`, ./job.ts)
 * gets as sources made as they are written, never whole: the memory plan and the arrays prepared ahead
 * (./memory.ts) count none of them, and the CLI prepares no file to write them ahead. Pure.
 */
import { evenCubeEdge } from '../core/box.js';
import { resamplesAsPlanes } from '../core/fourier/single/lowpass-single.js';
import type { RunSettings } from './settings.js';

/**
 * Scale and confidence interpolated to the input's box (a box other than an even cube, down-sampled): unless a
 * mask tool needs the scale whole.
 */
export function interpolatedMapsMadeWhenWritten(settings: RunSettings): boolean {
  const { solventDefinitionThreshold, subtractionMasks } = settings.tools;
  return solventDefinitionThreshold === undefined && !subtractionMasks;
}

/**
 * Modified maps of a down-sampled map, padded back to its (even) cube, of which only the input's block is made
 * for another box: when they are clipped to the input's range (not `--hist-match`) and the padding takes the
 * SIMD path (`resamplesAsPlanes`).
 */
export function paddedMapsMadeWhenWritten(shape: readonly [number, number, number], settings: RunSettings): boolean {
  const N = evenCubeEdge(shape);
  const m = settings.estimation.maxBox;
  // Padded from the processing box m up to the cube's edge N.
  return N > m && !settings.modification.histogramMatch && resamplesAsPlanes(m, N);
}
