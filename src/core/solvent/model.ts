/**
 * The solvent model and confidence of METHOD.md §7, as two entry points on the low-passed map `L`:
 * `fitSolventModel` (§7.1–§7.5) and `confidenceFromModel` (§7.6–§7.8). Their results hold everything a plot of
 * the solvent model needs: both histograms, the fit domain, guess and fit parameters (evaluate with
 * `gaussianCurve`), the confidence curve before and after the hedge, and the limits.
 */
import type { Volume } from '../volume.js';
import { gaussianCurve, type GaussianParameters } from './gaussian.js';
import { densityHistogram, float64Linspace, selectedRange } from './histogram.js';
import { initialGaussianGuess } from './initial-guess.js';
import { fitGaussianLeastSquares, type GaussianFit } from './levenberg-marquardt.js';
import { detectSolventLimits, type SolventLimits } from './limits.js';
import { SOLVENT_DEFINITION_THRESHOLD, solventRegion, type SolventDefinitionChoice } from './region.js';
import { contentFraction, hedgeConfidence, monotoneConfidence } from './confidence-curve.js';
import { confidenceLimit, confidenceMap } from './confidence-map.js';

/** Bins of both histograms (the reference's `levels`). */
export const SOLVENT_BINS = 1000;

export interface HistogramData {
  /** Densities, one per bin. */
  heights: Float64Array;
  /** Bin edges, one more than heights (float32 values). */
  edges: Float64Array;
}

export interface SolventModel {
  /** The fitted Gaussian (§7.4); `mu` is the log's "Solvent peak". `sigma` is reported as |sigma|. */
  fit: GaussianParameters;
  /** The starting point (§7.3). */
  guess: GaussianParameters;
  /** How the least-squares fit ended. */
  fitReport: Pick<GaussianFit, 'cost' | 'iterations' | 'stop' | 'converged'>;
  /** Histogram of the region's values (§7.2). */
  regionHistogram: HistogramData;
  /** Number of voxels in the region. */
  regionSize: number;
  /**
   * `x_i = linspace(min, max, 1000)` of the region in float64 (NumPy 1.x, see histogram.ts): the points the
   * Gaussian was fitted at (not bin centres).
   */
  domain: Float64Array;
  /** Indices into `domain` / `regionHistogram.edges` (§7.5). */
  limits: Pick<SolventLimits, 'low' | 'midlow' | 'midhigh' | 'high'>;
  /** `edges[midhigh + 1]`, map units (not divided by s_max): the log's "Content at 1% of solvent". */
  contentAt1pct: number;
  /** `edges[high]`, map units: the log's "Solvent drop to 0% (edge)"; ChimeraX level `(s_max + this) / 2`. */
  solventEdge: number;
  /** With `--solvent-def`: which side of the mask was used and the variances compared. */
  solventDefinition?: Omit<SolventDefinitionChoice, 'region'>;
  /** Conditions under which the reference would have stopped with an error, or the fit did not converge. */
  warnings: string[];
}

export interface SolventModelOptions {
  /** `--solvent-def` at the processing box (already Fourier-cropped when §2 applies), file order. */
  solventDefinition?: ArrayLike<number> | null;
}

export function fitSolventModel(L: Volume, options: SolventModelOptions = {}): SolventModel {
  const { region, choice } = solventRegion(L, options.solventDefinition ?? null);
  const histogram = densityHistogram(L.data, { bins: SOLVENT_BINS, region });
  const { heights, edges } = histogram;
  const guess = initialGaussianGuess(heights, edges);
  const warnings: string[] = [];
  if (choice?.oneSided) {
    warnings.push(
      `--solvent-def: every voxel of the central sphere is on one side of ${SOLVENT_DEFINITION_THRESHOLD} in the mask, so it tells solvent from nothing; the solvent model is made as without it`,
    );
  }
  if (guess.widthBin >= SOLVENT_BINS) {
    warnings.push('the region histogram never falls to 1/e of its peak above it (the reference fails here)');
  }
  const domain = float64Linspace(edges[0], edges[SOLVENT_BINS], SOLVENT_BINS);
  const result = fitGaussianLeastSquares(domain, heights, guess);
  if (!result.converged) warnings.push(`the solvent fit did not converge (${result.iterations} iterations)`);
  const fit = { c: result.params.c, mu: result.params.mu, sigma: Math.abs(result.params.sigma) };
  const detected = detectSolventLimits(heights, gaussianCurve(domain, fit));
  warnings.push(...detected.problems);
  const { low, midlow, midhigh, high } = detected;
  return {
    fit,
    guess: { c: guess.c, mu: guess.mu, sigma: guess.sigma },
    fitReport: { cost: result.cost, iterations: result.iterations, stop: result.stop, converged: result.converged },
    regionHistogram: { heights, edges },
    regionSize: histogram.total,
    domain,
    limits: { low, midlow, midhigh, high },
    contentAt1pct: edges[midhigh + 1],
    solventEdge: edges[high],
    solventDefinition: choice
      ? { usedInside: choice.usedInside, varianceInside: choice.varianceInside, varianceOutside: choice.varianceOutside, oneSided: choice.oneSided }
      : undefined,
    warnings,
  };
}

export interface ConfidenceOptions {
  /** `--hedge-confidence h`; applied when > 1. */
  hedge?: number | null;
}

export interface ConfidenceResult {
  /** Confidence per voxel, float32 in [0, 1], same box as `L`. */
  confidence: Volume;
  /** The curve the map was read from: after the monotone pass and the hedge. */
  curve: Float64Array;
  /** After the monotone pass, before the hedge (equal to `curve` without a hedge). */
  unhedgedCurve: Float64Array;
  /** Before the monotone pass: `(A + 0.01 - G) / (A + 0.01)`. */
  contentFraction: Float64Array;
  /** Histogram of all voxels of `L` (§7.6). */
  allHistogram: HistogramData;
  /** `1000 - count(curve > 0.5)`. */
  limitIndex: number;
  /** `allHistogram.edges[limitIndex]` in map units; divide by s_max for the log's "Primary conf. limit". */
  limitValue: number;
  /** `limitIndex / 1000 > 0.5`. */
  modelIsBad: boolean;
}

export function confidenceFromModel(L: Volume, model: Pick<SolventModel, 'fit'>, options: ConfidenceOptions = {}): ConfidenceResult {
  const range = selectedRange(L.data);
  const all = densityHistogram(L.data, { bins: SOLVENT_BINS, range });
  const raw = contentFraction(all.heights, all.edges, model.fit);
  const unhedgedCurve = monotoneConfidence(raw);
  const curve = hedgeConfidence(unhedgedCurve, options.hedge);
  const limit = confidenceLimit(curve, all.edges);
  return {
    confidence: confidenceMap(L, curve, range),
    curve,
    unhedgedCurve,
    contentFraction: raw,
    allHistogram: { heights: all.heights, edges: all.edges },
    limitIndex: limit.index,
    limitValue: limit.value,
    modelIsBad: limit.modelIsBad,
  };
}
