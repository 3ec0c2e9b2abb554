/**
 * Checks on input that the format layer cannot make: a box the method can use, memory (how a run is made to fit
 * it is memory-fit.ts), non-finite values (refused, or replaced with the solvent mean), constant maps, values
 * beyond single precision's reach, missing voxel size, empty target masks. Pure, so the CLI and the web app
 * refuse and warn alike; problems are `InputError`s (one line for the user).
 */
import type { Volume } from '../core/volume.js';
import { hasVoxelSize, storageOf, type MapFile, type MapGeometry, type MrcHeader } from '../format/mrc-format.js';
import { memoryPlanFor, peakMemoryBytes, type ReadingPlan } from './memory.js';
import type { RunSettings } from './settings.js';
import { InputError } from './errors.js';
import { TARGET_TILE_SIZE } from '../core/scale/local-scale.js';
import { allFiniteAndFixed, fixedValueRange, scanRange } from '../core/volume.js';
import { evenCubeEdge } from '../core/box.js';
import { kernelSizeProblem } from '../core/settings.js';

/** Where the NaN/infinite voxels of a map are: how many, the first (file order) and their extent. */
export interface NonFiniteVoxels {
  count: number;
  /** Column, row, section of the first one. */
  first: [number, number, number];
  /** Smallest and largest column, row, section over all of them. */
  low: [number, number, number];
  high: [number, number, number];
}

export function findNonFinite(volume: Volume): NonFiniteVoxels | undefined {
  return allFiniteAndFixed(volume.data) ? undefined : locateNonFinite(volume);
}

/** {@link findNonFinite} by a scan of every value (no quicker test first). */
function locateNonFinite(volume: Volume): NonFiniteVoxels | undefined {
  const { data, nz, ny, nx } = volume;
  let count = 0;
  let first = -1;
  const low: [number, number, number] = [nx, ny, nz];
  const high: [number, number, number] = [-1, -1, -1];
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const v = data[i];
        if (v - v === 0) continue; // finite (NaN - NaN and ±Inf - ±Inf are NaN)
        if (first < 0) first = i;
        count++;
        if (x < low[0]) low[0] = x;
        if (x > high[0]) high[0] = x;
        if (y < low[1]) low[1] = y;
        if (y > high[1]) high[1] = y;
        if (z < low[2]) low[2] = z;
        high[2] = z;
      }
    }
  }
  if (count === 0) return undefined;
  const first3: [number, number, number] = [first % nx, Math.floor(first / nx) % ny, Math.floor(first / (nx * ny))];
  return { count, first: first3, low, high };
}

function describeNonFinite(found: NonFiniteVoxels, total: number): string {
  const { count, first, low, high } = found;
  const range = (a: number) => (low[a] === high[a] ? `${low[a]}` : `${low[a]}-${high[a]}`);
  const where =
    count === 1
      ? `at column ${first[0]}, row ${first[1]}, section ${first[2]}`
      : `first at column ${first[0]}, row ${first[1]}, section ${first[2]}; all within columns ${range(0)}, rows ${range(1)}, sections ${range(2)}`;
  const share = count === total ? 'every voxel is' : `${count} of ${total} voxels ${count > 1 ? 'are' : 'is'}`;
  return `${share} NaN or infinite (${where}, counted from 0)`;
}

const NON_FINITE_HINT = '; fix the map or give --replace-non-finite to replace them with the solvent mean';

/** Refuses NaN or infinite values, saying how many and where they are. */
export function checkFinite(volume: Volume, name: string, hint = NON_FINITE_HINT): void {
  const found = findNonFinite(volume);
  if (!found) return;
  throw new InputError(`${name}: ${describeNonFinite(found, volume.data.length)}${hint}.`);
}

/**
 * The "solvent mean" a map's NaN/infinite voxels are replaced with: the mean of the finite voxels outside
 * the ellipsoid inscribed in the box (the corners, about 48 % of the voxels). The method treats everything
 * outside the sphere inscribed in the box as surely solvent (its solvent model, METHOD.md §7, looks only
 * inside), so for a map boxed around a particle the corners are solvent; for a masked map they are the
 * flattened background, which is then the right fill too. When fewer than 1000 of those voxels (or 1 %
 * of the map) are finite, the median of all finite voxels is used instead: the solvent is the bulk of
 * every cryo-EM map, and the median sits in it.
 */
export function solventMean(volume: Volume): { value: number; from: 'corners' | 'median' } {
  const { data, nz, ny, nx } = volume;
  const half = [nz / 2, ny / 2, nx / 2];
  const centre = [(nz - 1) / 2, (ny - 1) / 2, (nx - 1) / 2];
  let sum = 0;
  let count = 0;
  for (let z = 0, i = 0; z < nz; z++) {
    const dz = ((z - centre[0]) / half[0]) ** 2;
    for (let y = 0; y < ny; y++) {
      const dzy = dz + ((y - centre[1]) / half[1]) ** 2;
      for (let x = 0; x < nx; x++, i++) {
        if (dzy + ((x - centre[2]) / half[2]) ** 2 <= 1) continue;
        const v = data[i];
        if (v - v !== 0) continue;
        sum += v;
        count++;
      }
    }
  }
  if (count >= Math.min(1000, Math.max(1, 0.01 * data.length))) return { value: Math.fround(sum / count), from: 'corners' };
  const finite = data.filter((v) => v - v === 0).sort();
  if (finite.length === 0) throw new RangeError('no finite value');
  const m = finite.length >> 1;
  return { value: finite.length % 2 ? finite[m] : Math.fround((finite[m - 1] + finite[m]) / 2), from: 'median' };
}

/**
 * `--replace-non-finite`: replaces NaN/infinite voxels in place (in memory; the file is not touched) with
 * {@link solventMean}; returns a warning saying what was replaced, or undefined when nothing was.
 */
export function replaceNonFinite(volume: Volume, name: string): string | undefined {
  const found = findNonFinite(volume);
  if (!found) return undefined;
  if (found.count === volume.data.length) {
    throw new InputError(`${name}: every voxel is NaN or infinite; there is nothing to replace them with.`);
  }
  const { value, from } = solventMean(volume);
  const { data } = volume;
  for (let i = 0; i < data.length; i++) if (data[i] - data[i] !== 0) data[i] = value;
  const source = from === 'corners' ? 'the mean of the finite voxels outside the ellipsoid inscribed in the box' : 'the median of the finite voxels';
  return `${name}: ${describeNonFinite(found, data.length)}; replaced with the solvent mean ${value.toPrecision(6)} (${source}).`;
}

/** Refuses a map whose voxels all have one value: it has no contrast to estimate a scale from. */
export function checkNotConstant(volume: Volume, name: string): void {
  const [lo, hi] = fixedValueRange(volume.data);
  if (lo === hi) throw constantMapError(name, volume.data[0], volume.data.length);
}

function constantMapError(name: string, value: number, voxels: number): InputError {
  return new InputError(
    `${name}: every voxel has the value ${value}${voxels > 1 ? '' : ' (the map is a single voxel)'}; a map of constant value has no density to estimate a scale from.`,
  );
}

/** Smallest normal float32: values all below it keep only a few significant bits. */
const FLOAT32_MIN_NORMAL = 2 ** -126;
const FLOAT32_MAX = (2 - 2 ** -23) * 2 ** 127;

/**
 * Refuses a (finite) map whose values single precision cannot carry through the method: all subnormal (the
 * solvent histogram and its fit degenerate), or so large that sums over the map overflow. A Fourier transform's
 * terms are sums of up to every voxel of the cube it runs on (the map's, or the even cube another box is
 * embedded in), so the bound is that voxel count times the largest magnitude, with a factor of two to spare.
 */
export function checkMagnitude(volume: Volume, name: string): void {
  checkMagnitudeOf(fixedValueRange(volume.data), [volume.nz, volume.ny, volume.nx], name);
}

function checkMagnitudeOf([lo, hi]: readonly [number, number], shape: readonly [number, number, number], name: string): void {
  const largest = Math.max(Math.abs(lo), Math.abs(hi));
  const advice = '(e.g. to unit standard deviation, as reconstructions usually are)';
  if (largest < FLOAT32_MIN_NORMAL) {
    throw new InputError(
      `${name}: every value is below ${FLOAT32_MIN_NORMAL.toPrecision(2)} in magnitude (the largest is ${largest.toPrecision(3)}), too small for single precision; scale the map up ${advice}.`,
    );
  }
  const voxels = evenCubeEdge(shape) ** 3;
  if (2 * largest * voxels > FLOAT32_MAX) {
    throw new InputError(
      `${name}: values reach ${largest.toPrecision(3)} in magnitude, too large for single-precision Fourier transforms of ${voxels} voxels (their sums would overflow); scale the map down ${advice}.`,
    );
  }
}

/**
 * What the checks of {@link checkInputMap} need of a map's values, gathered from its planes as they are read
 * (in order), for a map that is not kept (run/down-sampled-input.ts): the value range, the first value, and
 * where any NaN or infinite voxels are.
 */
export class ValueSummary {
  range: [number, number] = [Infinity, -Infinity];
  private first = NaN;
  private voxels = 0;
  private nonFinite?: NonFiniteVoxels;

  constructor(readonly shape: readonly [number, number, number]) {}

  /** Planes `firstPlane`, … of the map, whole (the next ones after those added before). */
  add(firstPlane: number, values: Float32Array): void {
    const [, ny, nx] = this.shape;
    if (firstPlane * ny * nx !== this.voxels) throw new RangeError(`planes from ${firstPlane}, after ${this.voxels / (ny * nx)} planes`);
    if (this.voxels === 0) this.first = values[0];
    this.voxels += values.length;
    // Scanned afresh, nothing remembered: a reader may hand the same buffer again with other values.
    const { range, finite } = scanRange(values);
    const found = finite ? undefined : locateNonFinite({ data: values, nz: values.length / (ny * nx), ny, nx });
    if (found) {
      this.addNonFinite(found, firstPlane);
      return;
    }
    const [lo, hi] = range;
    // Strictly: of equal extremes (+0 and -0) the first stays, as in one scan of the whole map.
    if (lo < this.range[0]) this.range[0] = lo;
    if (hi > this.range[1]) this.range[1] = hi;
  }

  private addNonFinite(found: NonFiniteVoxels, firstPlane: number): void {
    const shifted = (p: [number, number, number]): [number, number, number] => [p[0], p[1], p[2] + firstPlane];
    const before = this.nonFinite;
    if (!before) {
      this.nonFinite = { count: found.count, first: shifted(found.first), low: shifted(found.low), high: shifted(found.high) };
      return;
    }
    before.count += found.count;
    const low = shifted(found.low);
    const high = shifted(found.high);
    for (let a = 0; a < 3; a++) {
      before.low[a] = Math.min(before.low[a], low[a]);
      before.high[a] = Math.max(before.high[a], high[a]);
    }
  }

  /** The checks of {@link checkInputMap} without `--replace-non-finite` (which needs the map), on the summary. */
  check(name: string): void {
    const total = this.shape[0] * this.shape[1] * this.shape[2];
    if (this.voxels !== total) throw new RangeError(`${this.voxels} of the map's ${total} voxels were summarised`);
    if (this.nonFinite) throw new InputError(`${name}: ${describeNonFinite(this.nonFinite, total)}${NON_FINITE_HINT}.`);
    if (this.range[0] === this.range[1]) throw constantMapError(name, this.first, total);
    checkMagnitudeOf(this.range, this.shape, name);
  }
}

/**
 * A mask whose header gives another voxel size than the map's (by more than 1 % along an axis): the boxes
 * match, so it is used voxel for voxel, but it may have been made for another map. A mask without a voxel size
 * says nothing.
 */
function maskVoxelSizeWarning(fileName: string, mask: MapGeometry, input: MapGeometry): string | undefined {
  const [a, b] = [input.voxelSize, mask.voxelSize];
  if (!hasVoxelSize(mask) || a.every((v, k) => Math.abs(v - b[k]) <= 0.01 * v)) return undefined;
  const sizes = (v: readonly number[]) => v.map((x) => Number(x.toPrecision(4))).join(', ');
  return `${fileName}: its voxel size (${sizes(b)} Å) is not the map's (${sizes(a)} Å); it is used voxel for voxel, as the boxes match. Check it was made for this map.`;
}

/**
 * A mask stored in another axis order than the map (MRC mapc, mapr, maps): the stored boxes match, so it is
 * used voxel for voxel in the order both files keep them, as the published program uses the arrays; but its
 * columns run along another axis than the map's, so unless it is symmetric it does not lie over the map.
 */
function maskAxisOrderWarning(fileName: string, mask: MapGeometry, input: MapGeometry): string | undefined {
  if (mask.axisOrder.join() === input.axisOrder.join()) return undefined;
  const order = (g: MapGeometry) => `${storageOf(g.axisOrder)} (axis order ${g.axisOrder.join(', ')})`;
  return `${fileName}: it is stored with ${order(mask)}, the map with ${order(input)}; it is used voxel for voxel as stored, so it is turned against the map. Check it was made for this map.`;
}

/**
 * What a mask of the map's stored box may still get wrong, said as warnings (the CLI prints them, the web app
 * puts them on the mask's card): another voxel size, another axis order.
 */
export function maskGeometryWarnings(fileName: string, mask: MapGeometry, input: MapGeometry): string[] {
  return [maskVoxelSizeWarning(fileName, mask, input), maskAxisOrderWarning(fileName, mask, input)].filter((w) => w !== undefined);
}

/** The voxel size estimation runs with, or a refusal when the header has none; anisotropy is a warning. */
export function checkVoxelSize(geometry: MapGeometry, name: string): { voxelSize: number; warning?: string } {
  const [x, y, z] = geometry.voxelSize;
  if (!geometry.voxelSize.every((v) => Number.isFinite(v) && v > 0)) {
    throw new InputError(
      `${name}: the header gives no voxel size (${x}, ${y}, ${z} Å along x, y, z, from the cell dimensions); set it in the file first (e.g. ChimeraX 'volume #1 voxelSize 1.1' then 'save').`,
    );
  }
  const spread = Math.max(x, y, z) / Math.min(x, y, z) - 1;
  if (spread > 1e-4) {
    // Float32 header values: 1.1 is 1.100000023841858 in double precision; 7 digits say what the file holds.
    const [sx, sy, sz] = [x, y, z].map((v) => String(Number(v.toPrecision(7))));
    return {
      voxelSize: x,
      warning: `${name}: the voxels are not cubic (${sx}, ${sy}, ${sz} Å along x, y, z); estimation uses ${sx} Å for every axis.`,
    };
  }
  return { voxelSize: x };
}

/** Refuses a --target-mask with no voxel above 0.5 (the targeted occupancy would have no sample). */
export function checkTargetMask(volume: Volume, name: string): void {
  const { data } = volume;
  for (let i = 0; i < data.length; i++) if (data[i] > 0.5) return;
  throw new InputError(`${name}: the --target-mask has no voxel above 0.5, so it selects nothing; check the mask (or its threshold).`);
}

/** Refuses a map one voxel thick along an axis: a 2D image (whatever the settings). */
export function checkThreeDimensional(volume: { nx: number; ny: number; nz: number }, name: string): void {
  const { nx, ny, nz } = volume;
  if (Math.min(nx, ny, nz) === 1) {
    throw new InputError(
      `${name}: the map is ${nx}x${ny}x${nz} voxels, a single ${nz === 1 ? 'section' : ny === 1 ? 'row' : 'column'} thick: a 2D image, not a 3D map.`,
    );
  }
}

/**
 * Refuses boxes the method cannot work on, before any work: a single section, row or column (a 2D image or a
 * line, not a 3D map), and boxes too small for the full-scale tiles (METHOD.md §6.2: tile edge box/20 by
 * default, and at least 4 tile positions per axis so one lies in the search sphere) unless `--S0` needs none.
 * `edge` below is the edge estimation runs at: the even cube holding the map, or `--max-box` below it.
 */
export function checkBoxUsable(
  volume: { nx: number; ny: number; nz: number },
  name: string,
  settings: { maxBox: number; tileSize?: number; kernelSize?: number; naive: boolean },
  targetMask = false,
): void {
  checkThreeDimensional(volume, name);
  const { nx, ny, nz } = volume;
  const box = `${nx}x${ny}x${nz}`;
  const largest = Math.max(nx, ny, nz);
  const cube = largest % 2 === 0 ? largest : largest + 1;
  const edge = Math.min(cube, settings.maxBox);
  const kernelProblem = settings.kernelSize === undefined ? undefined : kernelSizeProblem(settings.kernelSize, edge);
  if (kernelProblem) throw new InputError(`${name}: --kernel-size ${settings.kernelSize} ${kernelProblem}.`);
  // Targeted occupancy always uses 12-voxel tiles (as the published program), whatever --tile-size or --S0 say.
  if (targetMask && Math.min(20, edge - TARGET_TILE_SIZE + 1) < 4) {
    throw new InputError(
      `${name}: the map is ${box} voxels; --target-mask needs a box of at least ${TARGET_TILE_SIZE + 3} voxels${edge < cube ? ` (at --max-box ${settings.maxBox})` : ''}, since its full scale is taken from ${TARGET_TILE_SIZE}-voxel tiles.`,
    );
  }
  if (settings.naive) return;
  const tile = settings.tileSize ?? Math.floor(edge / 20);
  const positions = Math.min(20, edge - tile + 1);
  if (tile < 1 || positions < 4) {
    throw new InputError(
      settings.tileSize === undefined
        ? `${name}: the map is ${box} voxels; ${edge < cube ? `at --max-box ${settings.maxBox} that is` : 'that is'} too small for the full-scale tiles (tile edge = ${edge}/20 = ${tile} voxels); give --tile-size 1 (or --S0), or ${edge < cube ? 'a larger --max-box' : 'use a box of 20 voxels or more'}.`
        : `${name}: --tile-size ${tile} does not fit the ${edge}-voxel box estimation runs at (it allows at most ${Math.max(edge - 3, 0)}).`,
    );
  }
}

/** A memory need for messages, rounded up: "6.5 GiB", "300 MiB", "128 KiB", "100 bytes". */
function memorySize(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${Math.ceil(bytes / 2 ** 20)} MiB`;
  return bytes >= 2 ** 10 ? `${Math.ceil(bytes / 2 ** 10)} KiB` : `${bytes} bytes`;
}

/**
 * Refuses, from the header alone (before the map is allocated), a run that would need more memory than
 * `limit` allows, saying how much it would need; returns a warning when it fits the limit but not the memory
 * free right now. `need` comes from memory.ts's `peakMemoryBytes`.
 */
export function checkMemory(
  name: string,
  shape: readonly [number, number, number],
  need: number,
  limit: { bytes: number; source: string; available: number },
  coarserMaxBox: () => number | undefined = () => undefined,
): string | undefined {
  const [nz, ny, nx] = shape;
  const what = `the map is ${nx}x${ny}x${nz} voxels (${memorySize(4 * nx * ny * nz)} as float32)`;
  if (need > limit.bytes) {
    const coarser = coarserMaxBox();
    const otherwise = coarser === undefined ? '' : `--max-box ${coarser} would fit (the estimate then runs on a coarser box), or `;
    throw new InputError(
      `${name}: ${what}; this run would need about ${memorySize(need)} of memory, more than the ${memorySize(limit.bytes)} of ${limit.source}; ${otherwise}bin or crop the map first (or run on a machine with more memory).`,
    );
  }
  if (need > limit.available) {
    return `${name}: ${what}; this run needs about ${memorySize(need)} of memory and only ${memorySize(limit.available)} is free now; it may be slow or be stopped by the system.`;
  }
  return undefined;
}


/**
 * The checks a header allows, before the map is read: the box is usable (see {@link checkBoxUsable}) and the
 * run fits in memory (see {@link checkMemory}; a refusal names a coarser `--max-box` that would fit, asked of
 * `coarserMaxBox`). Returns warnings.
 */
export function checkHeader(
  name: string,
  header: Pick<MrcHeader, 'nx' | 'ny' | 'nz'>,
  settings: RunSettings,
  masks: number,
  limit: { bytes: number; source: string; available: number },
  { targetMask = false, ...reading }: ReadingPlan & { targetMask?: boolean } = {},
  coarserMaxBox?: () => number | undefined,
): string[] {
  const shape: [number, number, number] = [header.nz, header.ny, header.nx];
  checkBoxUsable(header, name, settings.estimation, targetMask);
  const plan = memoryPlanFor(shape, settings, masks, reading);
  const warning = checkMemory(name, shape, peakMemoryBytes(plan), limit, coarserMaxBox);
  return warning ? [warning] : [];
}

/**
 * The checks of the values, once read: a voxel size, finite values (or `--replace-non-finite`, which replaces
 * them in memory), not constant. Returns warnings.
 */
export function checkInputMap(map: MapFile, name: string, replace: boolean, nonFiniteHint?: string): string[] {
  const warnings: string[] = [];
  const voxelSize = checkVoxelSize(map.geometry, name);
  if (voxelSize.warning) warnings.push(voxelSize.warning);
  if (replace) {
    const replaced = replaceNonFinite(map.volume, name);
    if (replaced) warnings.push(replaced);
  } else {
    checkFinite(map.volume, name, nonFiniteHint);
  }
  checkNotConstant(map.volume, name);
  checkMagnitude(map.volume, name);
  return warnings;
}
