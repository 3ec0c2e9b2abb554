/**
 * Applying a modification factor to the processing map (METHOD.md §9): scale each voxel, add synthetic
 * solvent where density was taken away, and confine the change to confident voxels.
 *
 * Arithmetic follows the reference's dtypes: the map, factor and confidence are float32, so each product and
 * sum is rounded to float32; the synthetic solvent `mu + sigma * z` is float64 (NumPy's `randn`), multiplied
 * by the float32 `clip(1 − mod, 0, 1)` in float64 and added into the float32 output.
 */
import { amplificationFactor, attenuationFactor } from './power-factor.js';
import { sigmoidFactor } from './sigmoid.js';
import { zeroedFloat32Array } from '../buffers.js';
import { simdApply } from './simd-kernels.js';

const f32 = Math.fround;

/** The fitted solvent Gaussian (§7.4) and a source of standard normal draws for synthetic solvent. */
export interface SyntheticSolvent {
  /** Solvent mean (the fit's `mu`). */
  mu: number;
  /** Solvent standard deviation (the fit's `sigma`; its sign does not matter to the distribution). */
  sigma: number;
  /** Independent N(0, 1) draws, e.g. `createRandom(seed).nextStandardNormal` bound to its generator. */
  standardNormal: () => number;
  /**
   * Optional, the same draws in bulk: fills `out` with the next `out.length` values `standardNormal` would
   * return (e.g. `RandomSource.fillStandardNormal`). Used when given; the result is the same, only faster.
   */
  fillStandardNormal?: (out: Float64Array) => void;
}

/** Normal draws are taken in blocks of this many when the source can fill arrays. */
const NORMAL_BLOCK = 8192;

/** Fills `out` with the solvent's next standard normal draws, in bulk when it can. */
function drawNormals(solvent: SyntheticSolvent, out: Float64Array): void {
  if (solvent.fillStandardNormal) solvent.fillStandardNormal(out);
  else for (let j = 0; j < out.length; j++) out[j] = solvent.standardNormal();
}

export interface ApplyOptions {
  /** `--exclude-solvent`: drop the unmodified map outside the confidence, and add no synthetic solvent. */
  excludeSolvent: boolean;
  /**
   * Synthetic solvent to add where the factor is below 1 (attenuate and sigmoid; see
   * `addsSyntheticSolvent`). Ignored when `excludeSolvent` is set, as in the reference.
   */
  solvent?: SyntheticSolvent;
}

/**
 * `out = X * mod`; then, with `solvent` and without `excludeSolvent`,
 * `out += (mu + sigma * z) * clip(1 − mod, 0, 1)` with one normal draw `z` per voxel in index order (drawn for
 * every voxel, also where it adds nothing, so the stream position does not depend on the map);
 * then solvent suppression `out = out * C + X * (1 − C)`, the second term dropped with `excludeSolvent`.
 *
 * `confidence = null` means confidence 1 everywhere (`--omit-confidence`), which leaves `out` as it is.
 */
export function applyModification(
  map: Float32Array,
  factor: Float32Array,
  confidence: Float32Array | null,
  options: ApplyOptions,
): Float32Array {
  checkLength(map, factor, 'modification factor');
  if (confidence) checkLength(map, confidence, 'confidence');
  const solvent = options.excludeSolvent ? undefined : options.solvent;
  const out = zeroedFloat32Array(map.length);
  // One loop per combination, with everything loop-invariant hoisted; the arithmetic is the same in each.
  if (solvent) {
    applyWithSolvent(map, factor, confidence, solvent, out);
  } else if (confidence) {
    if (options.excludeSolvent) applyExcludingSolvent(map, factor, confidence, out);
    else applyWithConfidence(map, factor, confidence, out);
  } else {
    for (let i = 0; i < map.length; i++) out[i] = map[i] * factor[i];
  }
  return out;
}

/** Synthetic solvent where density was taken away, then (with `confidence`) solvent suppression. */
function applyWithSolvent(
  map: Float32Array,
  factor: Float32Array,
  confidence: Float32Array | null,
  solvent: SyntheticSolvent,
  out: Float32Array,
): void {
  const { mu, sigma } = solvent;
  const voxel = (i: number, z: number) => {
    const x = map[i];
    const mod = factor[i];
    const noise = mu + sigma * z;
    const removed = f32(1 - mod);
    const weight = removed < 0 ? 0 : removed > 1 ? 1 : removed;
    const value = f32(f32(x * mod) + noise * weight);
    if (!confidence) {
      out[i] = value;
      return;
    }
    const c = confidence[i];
    out[i] = f32(value * c) + f32(x * f32(1 - c));
  };
  const fill = (z: Float64Array) => drawNormals(solvent, z);
  if (simdApply(confidence ? 'solvent-confidence' : 'solvent', map, factor, confidence, out, voxel, { mu, sigma, fill })) return;
  const block = new Float64Array(Math.min(NORMAL_BLOCK, map.length));
  for (let start = 0; start < map.length; start += block.length) {
    const count = Math.min(block.length, map.length - start);
    const z = count === block.length ? block : block.subarray(0, count);
    fill(z);
    for (let j = 0; j < count; j++) voxel(start + j, z[j]);
  }
}

function applyWithConfidence(map: Float32Array, factor: Float32Array, confidence: Float32Array, out: Float32Array): void {
  const voxel = (i: number) => {
    const x = map[i];
    const c = confidence[i];
    out[i] = f32(f32(x * factor[i]) * c) + f32(x * f32(1 - c));
  };
  if (simdApply('confidence', map, factor, confidence, out, voxel)) return;
  for (let i = 0; i < map.length; i++) voxel(i);
}

function applyExcludingSolvent(map: Float32Array, factor: Float32Array, confidence: Float32Array, out: Float32Array): void {
  const voxel = (i: number) => (out[i] = f32(map[i] * factor[i]) * confidence[i]);
  if (simdApply('excluding', map, factor, confidence, out, voxel)) return;
  for (let i = 0; i < map.length; i++) voxel(i);
}

/** `--exclude-solvent` with no modification: `X * C` (written as `solExcl_<name>.mrc`). */
export function solventExcluded(map: Float32Array, confidence: Float32Array): Float32Array {
  checkLength(map, confidence, 'confidence');
  const out = zeroedFloat32Array(map.length);
  for (let i = 0; i < map.length; i++) out[i] = map[i] * confidence[i];
  return out;
}

export type Modification =
  | { kind: 'amplify'; power: number; scaleLimit: number }
  | { kind: 'attenuate'; power: number; scaleLimit: number }
  | { kind: 'sigmoid'; power: number; pivot: number };

/** The factor `mod` of §9 for one modification (into `out`, every value written, when given). */
export function modificationFactor(scale: Float32Array, modification: Modification, out?: Float32Array): Float32Array {
  switch (modification.kind) {
    case 'amplify':
      return amplificationFactor(scale, modification.power, modification.scaleLimit, out);
    case 'attenuate':
      return attenuationFactor(scale, modification.power, modification.scaleLimit, out);
    case 'sigmoid':
      return sigmoidFactor(scale, modification.power, modification.pivot, out);
  }
}

/**
 * Whether a modification adds synthetic solvent: attenuate and sigmoid do unless `--exclude-solvent`;
 * amplify never does (its factor is ≥ 1, so it takes no density away).
 */
export function addsSyntheticSolvent(kind: Modification['kind'], excludeSolvent: boolean): boolean {
  return kind !== 'amplify' && !excludeSolvent;
}

export interface ModifyOptions {
  excludeSolvent: boolean;
  /** The fitted solvent Gaussian; required when `addsSyntheticSolvent` holds. */
  solvent?: { mu: number; sigma: number };
  /** N(0, 1) draws for synthetic solvent; required with `solvent`. */
  standardNormal?: () => number;
}

/**
 * One modified map of §9 (before the finishing of §10): the factor for `modification`, applied to the
 * processing map `map` with confidence `confidence` (null: 1 everywhere), adding synthetic solvent exactly
 * on the paths METHOD.md names.
 */
export function modifyMap(
  map: Float32Array,
  scale: Float32Array,
  confidence: Float32Array | null,
  modification: Modification,
  options: ModifyOptions,
): Float32Array {
  checkLength(map, scale, 'scale');
  const factor = modificationFactor(scale, modification);
  let solvent: SyntheticSolvent | undefined;
  if (addsSyntheticSolvent(modification.kind, options.excludeSolvent)) {
    if (!options.solvent || !options.standardNormal) {
      throw new Error(`${modification.kind} without --exclude-solvent adds synthetic solvent: pass the solvent model and a normal source`);
    }
    solvent = { ...options.solvent, standardNormal: options.standardNormal };
  }
  return applyModification(map, factor, confidence, { excludeSolvent: options.excludeSolvent, solvent });
}

function checkLength(map: Float32Array, other: Float32Array, what: string): void {
  if (map.length !== other.length) {
    throw new RangeError(`${what} has ${other.length} values, the map ${map.length}`);
  }
}
