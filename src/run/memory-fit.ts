/**
 * How a run is made to fit its memory, decided from the header before anything is allocated: which of its large
 * maps are made as they are written, whether a map down-sampled as it is read keeps its x transforms apart, and,
 * for a run that cannot fit, the coarser `--max-box` to offer. The needs come from memory.ts's plan; the
 * refusal itself is input-checks.ts's `checkMemory`, whose judgement `fits` repeats.
 */
import { evenCubeEdge } from '../core/box.js';
import { checkBoxUsable } from './input-checks.js';
import { madeWhenWritten, type MadeWhenWritten } from './made-when-written.js';
import { memoryPlanFor, peakMemoryBytes, type ReadingPlan } from './memory.js';
import type { RunSettings } from './settings.js';

/**
 * Whether a map down-sampled as it is read keeps its x transforms apart (`StreamedResampleOptions`): where the
 * process's typed arrays get huge pages and its WebAssembly memories do not (`hugePageArrays`), and only when
 * the run then still fits its limit and the memory free now, as {@link checkMemory} judges it: it costs the
 * transforms' bytes more, and a run that fits with them in the working memory is not to be refused or warned
 * of for a speed-up.
 */
export function keepsTransformsApart(run: RunInMemory, reading: Omit<ReadingPlan, 'transformsApart'>, hugePageArrays: boolean): boolean {
  if (!hugePageArrays || !reading.downSampledWhileReading) return false;
  return fits(needOf(run, { ...reading, transformsApart: true }), run.limit);
}

/** A run and the memory it may use, but for how it reads its input and makes its outputs (a `ReadingPlan`). */
export interface RunInMemory {
  shape: readonly [number, number, number];
  settings: RunSettings;
  masks: number;
  /** The memory limit, and the memory free now (`MemoryLimit`). */
  limit: { bytes: number; available: number };
}

/** The memory a run would need (`peakMemoryBytes`). */
function needOf({ shape, settings, masks }: RunInMemory, reading: ReadingPlan): number {
  return peakMemoryBytes(memoryPlanFor(shape, settings, masks, reading));
}

/** Whether `need` fits the limit and the memory free now, as {@link checkMemory} judges it: no refusal, no warning. */
function fits(need: number, limit: RunInMemory['limit']): boolean {
  return need <= limit.bytes && need <= limit.available;
}


/**
 * Which maps the CLI makes as they are written: those `madeWhenWritten` gives for `threshold` (voxels; the
 * default when undefined), or, when the threshold is the default and the run would then not fit in memory
 * (`fits`), every map that can be made as it is written, if that needs less (`toFit` when the
 * run then fits its limit, whether or not the memory free now suffices): a run that can fit is not refused or
 * left short of memory (384³ with two modifications: 1.27 against 0.83 GiB planned), and one that cannot is
 * refused saying the least it needs. A threshold the user set is kept as it is.
 */
export function madeWhenWrittenToFit(run: RunInMemory, reading: Omit<ReadingPlan, 'made'>, threshold?: number): { made: MadeWhenWritten; toFit: boolean } {
  const made = madeWhenWritten(run.shape, run.settings, threshold);
  if (threshold !== undefined) return { made, toFit: false };
  const need = needOf(run, { ...reading, made });
  if (fits(need, run.limit)) return { made, toFit: false };
  const asWritten = madeWhenWritten(run.shape, run.settings, 0);
  // Small maps need more made as written (each holds its pieces and working memory while written).
  const less = needOf(run, { ...reading, made: asWritten });
  if (less >= need) return { made, toFit: false };
  return { made: asWritten, toFit: less <= run.limit.bytes };
}

/** The `--max-box` values a run that does not fit is offered, largest first: round ones, as a user would type. */
const COARSER_MAX_BOXES = [448, 384, 320, 256, 224, 192, 160, 128, 96, 64];

/**
 * The largest of COARSER_MAX_BOXES below the run's processing box at which its box is usable and it fits its
 * memory limit, read as `downSampledWhileReadingAt` says it would be at that setting, with its large maps made
 * as the run would make them there (`madeWhenWrittenToFit`, with the user's `threshold`); undefined when none
 * does.
 */
export function coarserMaxBoxThatFits(
  run: RunInMemory,
  downSampledWhileReadingAt: (settings: RunSettings) => boolean,
  targetMask = false,
  threshold?: number,
): number | undefined {
  const { shape, settings } = run;
  const [nz, ny, nx] = shape;
  const processingBox = Math.min(evenCubeEdge(shape), settings.estimation.maxBox);
  for (const maxBox of COARSER_MAX_BOXES.filter((b) => b < processingBox)) {
    const coarser: RunSettings = { ...settings, estimation: { ...settings.estimation, maxBox } };
    try {
      checkBoxUsable({ nx, ny, nz }, '', coarser.estimation, targetMask);
    } catch {
      continue; // too coarse for its tiles or its kernel
    }
    const runThere = { ...run, settings: coarser };
    const reading = { downSampledWhileReading: downSampledWhileReadingAt(coarser) };
    const { made } = madeWhenWrittenToFit(runThere, reading, threshold);
    if (needOf(runThere, { ...reading, made }) <= run.limit.bytes) return maxBox;
  }
  return undefined;
}
