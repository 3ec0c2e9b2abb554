/**
 * A large map down-sampled as it is read (METHOD.md §2 done by the reader), so that it is never held whole.
 *
 * A run on a map whose even cube is larger than the max box (with no mask and no `--hist-match`) needs the map at
 * its own size for three things: the down-sampling to the processing box; the checks and the value range of
 * the report; and the value range modified maps are clipped to (they are made at the processing box and padded
 * back). All can be had plane by plane: `StreamedResample` transforms each plane's rows as it arrives (bit for
 * bit the whole-cube resampling; for another box, each plane gives the cube planes that hold it) and a
 * `ValueSummary` gathers what the checks need and the range. The map's memory (4 bytes a voxel: 537 MB at 512³,
 * 4.3 GB at 1024³) and the page faults of mapping it are saved; reading overlaps the transforms.
 *
 * Everything else reads the input map through {@link inputShape}, {@link inputBox} and {@link inputValueRange},
 * whichever way it was read.
 */
import type { MapFile, MrcHeader, PlaneSink, StreamedMapFile } from '../format/mrc-format.js';
import type { Volume } from '../core/volume.js';
import { StreamedResample, type StreamedResampleOptions } from '../core/fourier/single/simd-lowpass.js';
import { roundsLikeReference } from '../core/fourier/single/lowpass-single.js';
import { fixedValueRange } from '../core/volume.js';
import { copyCubeRow, evenCubeEdge, mirroredCube } from '../core/box.js';
import { reflectIndex } from '../core/filters/reflect.js';
import { checkVoxelSize, ValueSummary } from './input-checks.js';
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

/** The input map's box as a volume's dimensions. */
export function inputBox(map: InputMap): { nz: number; ny: number; nx: number } {
  const [nz, ny, nx] = inputShape(map);
  return { nz, ny, nx };
}

/** The input map's smallest and largest value. */
export function inputValueRange(map: InputMap): [number, number] {
  return isDownSampledInput(map) ? map.valueRange : fixedValueRange(map.volume.data);
}

/**
 * Whether a run down-samples its input as it reads it: a map whose even cube is larger than the max box, a
 * run that needs the map at its own size for nothing else (modified maps are made at the processing box and
 * padded back, and need of the input only its value range; but no `--hist-match`, which needs its values; no
 * mask, which must match it; no `--replace-non-finite`, which needs the whole map for its fill value; no mask
 * tool, which only the web app runs, and it reads maps whole), and the down-sampling the single-precision
 * WebAssembly path the reference's rounding takes (`roundsLikeReference`, `StreamedResample.available`).
 */
export function downSamplesWhileReading(
  header: Pick<MrcHeader, 'nx' | 'ny' | 'nz'>,
  settings: RunSettings,
  { masks, replaceNonFinite }: { masks: number; replaceNonFinite: boolean },
): boolean {
  const { nx, ny, nz } = header;
  const n = evenCubeEdge([nz, ny, nx]);
  const m = settings.estimation.maxBox;
  const { modification, tools } = settings;
  const needsMap =
    modification.histogramMatch ||
    masks > 0 ||
    replaceNonFinite ||
    tools.solventDefinitionThreshold !== undefined ||
    tools.subtractionMasks;
  if (needsMap || n <= m || m % 2 !== 0) return false;
  return roundsLikeReference(n, m / 2, m) && StreamedResample.available(n, m);
}

/**
 * Takes a map's planes as they are read ({@link sink}), checks its values ({@link check}) and gives the map
 * down-sampled ({@link finish}).
 */
export class DownSamplingReader {
  private readonly summary: ValueSummary;
  private readonly resample: StreamedResample;
  /** Hands planes to both the summary and the resampling. */
  readonly sink: PlaneSink;

  /** `options`: the down-sampling's working memory, and where it keeps its x transforms (`StreamedResample`). */
  constructor(header: Pick<MrcHeader, 'nx' | 'ny' | 'nz'>, maxBox: number, options: StreamedResampleOptions = {}) {
    const shape: [number, number, number] = [header.nz, header.ny, header.nx];
    this.summary = new ValueSummary(shape);
    const cube = planesOfCube(shape);
    this.resample = new StreamedResample(cube.edge, maxBox, options);
    this.sink = (first, values) => {
      this.summary.add(first, values);
      cube.add(first, values, (z, plane) => this.resample.addPlanes(z, plane));
    };
  }

  /** Whether the down-sampling keeps its x transforms apart (`StreamedResampleOptions`). */
  get transformsApart(): boolean {
    return this.resample.transformsApart;
  }

  /** The working memory, which the job's Fourier steps can go on using (`offerLowpassWorkspace`). */
  get memory(): WebAssembly.Memory {
    return this.resample.memory;
  }

  /** The checks `checkInputMap` makes of a map read whole, in its words: its warnings, or an `InputError`. */
  check(map: StreamedMapFile, name: string): string[] {
    const voxelSize = checkVoxelSize(map.geometry, name);
    this.summary.check(name);
    return voxelSize.warning ? [voxelSize.warning] : [];
  }

  /** The map down-sampled: the down-sampling's last stages. */
  finish(map: StreamedMapFile): DownSampledInputMap {
    return { ...map, valueRange: this.summary.range, downSampled: this.resample.finish() };
  }
}

/**
 * The planes of a map's even cube (`embedInEvenCube`'s, rows and planes mirrored into the margins) made from the
 * map's planes as they come: each map plane gives every cube plane that holds it (itself, and its mirror images
 * in the z margins), in whatever order that makes. An even cube's planes are its own.
 */
function planesOfCube(shape: [number, number, number]): {
  edge: number;
  add: (first: number, values: Float32Array, give: (z: number, plane: Float32Array) => void) => void;
} {
  const [nz, ny, nx] = shape;
  const edge = evenCubeEdge(shape);
  if (nz === edge && ny === edge && nx === edge) return { edge, add: (first, values, give) => give(first, values) };
  const size = ny * nx;
  // The cube planes each map plane fills: z with reflectIndex(z - oz) = p.
  const offsetZ = Math.floor((edge - nz) / 2);
  const cubePlanes: number[][] = Array.from({ length: nz }, () => []);
  for (let z = 0; z < edge; z++) cubePlanes[reflectIndex(z - offsetZ, nz)].push(z);
  const plane = new Float32Array(edge * edge);
  // Each map plane as a one-plane map at the cube's (y, x) place: its cube rows are the cube plane's. The
  // margins are the same for every plane: worked out once.
  const onePlane = mirroredCube({ nz: 1, ny, nx, data: new Float32Array(size) }, edge);
  return {
    edge,
    add: (first, values, give) => {
      for (let p = 0; p * size < values.length; p++) {
        const one = { ...onePlane, map: { nz: 1, ny, nx, data: values.subarray(p * size, (p + 1) * size) } };
        for (let y = 0; y < edge; y++) copyCubeRow(one, 0, y, plane, y * edge);
        for (const z of cubePlanes[first + p]) give(z, plane);
      }
    },
  };
}
