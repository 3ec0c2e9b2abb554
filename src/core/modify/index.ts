/** Map modification (METHOD.md §9–§10) and the GUI's mask tools. */
export { thresholdScale, amplificationFactor, attenuationFactor, UNMODIFIED_SCALE } from './power-factor.js';
export {
  sigmoidMidpoint,
  sigmoidCurve,
  sigmoidTableIndex,
  sigmoidFactor,
  SIGMOID_TABLE_POINTS,
} from './sigmoid.js';
export {
  applyModification,
  solventExcluded,
  modificationFactor,
  addsSyntheticSolvent,
  modifyMap,
  type Modification,
  type ModifyOptions,
  type ApplyOptions,
  type SyntheticSolvent,
} from './apply.js';
export { histogramMatch } from './histogram-match.js';
export { clipToRange, rangeOfReference, restoreValueRange, type ValueRangeOnly, type ValueReference } from './value-range.js';
export { solventDefinitionFromScale } from './solvent-definition.js';
export {
  subtractionMask,
  subtractionTable,
  subtractionTableIndex,
  SUBTRACTION_TABLE_POINTS,
  type SubtractionSettings,
} from './subtraction-mask.js';
export { createRandom, freshSeed, seedState, Xoshiro128StarStar, type RandomSource } from './random.js';
