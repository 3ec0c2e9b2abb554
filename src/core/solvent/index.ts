/** Solvent model and confidence (METHOD.md §7). */
export {
  fitSolventModel,
  confidenceFromModel,
  SOLVENT_BINS,
  type SolventModel,
  type SolventModelOptions,
  type ConfidenceResult,
  type ConfidenceOptions,
  type HistogramData,
} from './model.js';
export { gaussian, gaussianCurve, type GaussianParameters } from './gaussian.js';
export { densityHistogram, float32Linspace, float64Linspace, selectedRange, type Histogram, type HistogramRegion, type RowSpans } from './histogram.js';
export { centralSphereMask, centralSphereSpans, quieterSideOfDefinition, solventRegion } from './region.js';
export { initialGaussianGuess } from './initial-guess.js';
export { fitGaussianLeastSquares, type GaussianFit } from './levenberg-marquardt.js';
export { detectSolventLimits, type SolventLimits } from './limits.js';
export { contentFraction, monotoneConfidence, hedgeConfidence } from './confidence-curve.js';
export { confidenceIndexer, confidenceMap, confidenceLimit } from './confidence-map.js';
