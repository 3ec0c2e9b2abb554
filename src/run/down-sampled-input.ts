/**
 * A large map down-sampled as it is read (METHOD.md §2 done by the reader), so that it is never held whole.
 *
 * A run that only estimates (no modification, no mask) on an even cube larger than the max box needs the map at
 * its own size for two things: the down-sampling to the processing box, and the checks and the value range of
 * the report. Both can be had plane by plane: `StreamedResample` transforms each plane's rows as it arrives
 * (bit for bit the whole-cube resampling) and a `ValueSummary` gathers what the checks need. The map's memory
 * (4 bytes a voxel: 537 MB at 512³, 4.3 GB at 1024³) and the page faults of mapping it are saved; reading
 * overlaps the transforms.
 *
 * Everything else reads the input map through {@link inputShape} and {@link inputValueRange}, whichever way it
 * was read.
 */
import type { MapFile, MrcHeader, PlaneSink, StreamedMapFile } from '../io/mrc-format.js';
import type { Volume } from '../core/volume.js';
import { StreamedResample } from '../core/fourier/single/simd-lowpass.js';
import { roundsLikeReference } from '../core/fourier/single/lowpass-single.js';
import { fixedValueRange } from '../core/volume.js';
import { ValueSummary } from './input-checks.js';
import type { RunSettings } from './settings.js';

/** An input map read without being kept: its description, its value range, and the map at the processing box. */
export interface DownSampledInputMap extends StreamedMapFile {
  valueRange: [number, number];
  /** The map down-sampled to the max box (§2). */
  downSampled: Volume;
}

/** The input map of a job: read whole, or down-sampled as it was read. */
export type InputMap = MapFile | DownSampledInputMap;

export function isDownSampledInput(map: InputMap): map is DownSampledInputMap {
  return 'downSampled' in map;
}

/** The input map's box (sections, rows, columns). */
export function inputShape(map: InputMap): [number, number, number] {
  if (isDownSampledInput(map)) return [...map.shape];
  return [map.volume.nz, map.volume.ny, map.volume.nx];
}

/** The input map's smallest and largest value. */
export function inputValueRange(map: InputMap): [number, number] {
  return isDownSampledInput(map) ? map.valueRange : fixedValueRange(map.volume.data);
}

/**
 * Whether a run down-samples its input as it reads it: an even cube larger than the max box, a run that needs
 * the map at its own size for nothing else (no modification, no solvent exclusion, no mask, no mask tool, no
 * `--replace-non-finite`, which needs the whole map for its fill value), and the down-sampling the single-precision
 * WebAssembly path the reference's rounding takes (`roundsLikeReference`, `StreamedResample.available`).
 */
export function downSamplesWhileReading(
  header: Pick<MrcHeader, 'nx' | 'ny' | 'nz'>,
  settings: RunSettings,
  { masks, replaceNonFinite }: { masks: number; replaceNonFinite: boolean },
): boolean {
  const { nx, ny, nz } = header;
  const m = settings.estimation.maxBox;
  const { modification, tools } = settings;
  const needsMap =
    modification.modifications.length > 0 ||
    modification.excludeSolvent ||
    masks > 0 ||
    replaceNonFinite ||
    tools.solventDefinitionThreshold !== undefined ||
    tools.subtractionMasks;
  if (needsMap || nx !== ny || ny !== nz || nx % 2 !== 0 || nx <= m || m % 2 !== 0) return false;
  return roundsLikeReference(nx, m / 2, m) && StreamedResample.available(nx, m);
}

/** Takes a map's planes as they are read ({@link sink}) and gives the map down-sampled ({@link finish}). */
export class DownSamplingReader {
  private readonly summary: ValueSummary;
  private readonly resample: StreamedResample;
  /** Hands planes to both the summary and the resampling. */
  readonly sink: PlaneSink;

  /** `memory`: the working memory to use (grown if need be); see `StreamedResample`. */
  constructor(header: Pick<MrcHeader, 'nx' | 'ny' | 'nz'>, maxBox: number, memory?: WebAssembly.Memory) {
    this.summary = new ValueSummary([header.nz, header.ny, header.nx]);
    this.resample = new StreamedResample(header.nx, maxBox, memory);
    this.sink = (first, values) => {
      this.summary.add(first, values);
      this.resample.addPlanes(first, values);
    };
  }

  /** The working memory, which the job's Fourier steps can go on using (`offerLowpassWorkspace`). */
  get memory(): WebAssembly.Memory {
    return this.resample.memory;
  }

  /** The map's checks (`InputError`s as `checkInputMap` words them), then the down-sampling's last stages. */
  finish(map: StreamedMapFile, name: string): DownSampledInputMap {
    this.summary.check(name);
    return { ...map, valueRange: this.summary.range, downSampled: this.resample.finish() };
  }
}
