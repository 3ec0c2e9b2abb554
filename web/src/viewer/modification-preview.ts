/**
 * The live preview of a modification (METHOD.md §9–§10) on one slice: the core's own factor and apply step on
 * the slice's voxels only, so it follows the sliders at once. For amplify it equals the same slice of the
 * map "Modify map" makes whenever the map was not down-sampled and neither `--lowpass-output` nor
 * `--hist-match` is set (those act on the whole map, so the preview leaves them out and only clips). The
 * synthetic solvent of attenuate and sigmoid is random: the preview draws its own, like in kind, not in voxels.
 */
import { addsSyntheticSolvent, applyModification, clipToRange, createRandom, modificationFactor, type Modification } from '../../../src/core/modify/index.js';
import type { ModificationRequest } from '../../../src/core/pipeline/modify.js';

export interface PreviewInputs {
  /** The processing map X on this slice. */
  map: Float32Array;
  scale: Float32Array;
  /** Null: confidence 1 everywhere (`--omit-confidence`, or no confidence known). */
  confidence: Float32Array | null;
  /** The input's value range, which finished maps are clipped to. */
  valueRange: readonly [number, number];
  /** The fitted solvent Gaussian, for synthetic solvent; without it none is added. */
  solvent?: { mu: number; sigma: number };
}

export interface PreviewSettings {
  modification: ModificationRequest;
  scaleLimit: number;
  excludeSolvent: boolean;
  seed: number;
}

export function previewSlice(inputs: PreviewInputs, settings: PreviewSettings): Float32Array {
  const { modification: m, scaleLimit, excludeSolvent } = settings;
  const full: Modification =
    m.kind === 'sigmoid' ? { kind: 'sigmoid', power: m.power, pivot: m.pivot } : { kind: m.kind, power: m.power, scaleLimit };
  const factor = modificationFactor(inputs.scale, full);
  const random = createRandom(settings.seed);
  const solvent =
    inputs.solvent && addsSyntheticSolvent(m.kind, excludeSolvent)
      ? { ...inputs.solvent, standardNormal: () => random.nextStandardNormal() }
      : undefined;
  const modified = applyModification(inputs.map, factor, inputs.confidence, { excludeSolvent, solvent });
  return clipToRange(modified, inputs.valueRange, modified);
}
