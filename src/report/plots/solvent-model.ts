/**
 * The solvent-model figure (`solModel_<name>`, METHOD.md §11): the histogram of the solvent region, the
 * initial guess and the fitted Gaussian, the confidence curve (and its hedged form), and the two detected
 * limits, on a log y axis — what a user checks when the confidence looks wrong.
 */
import type { Estimate } from '../../core/pipeline/estimate.js';
import { gaussianCurve } from '../../core/solvent/index.js';
import { lineChartSvg, type Series } from './line-chart.js';

export function solventModelSvg(estimate: Estimate, options: { title?: string } = {}): string {
  const { solvent, confidence } = estimate;
  const x = solvent.domain;
  const all = confidence.allHistogram;
  const allX = all.edges.subarray(0, all.heights.length);
  const series: Series[] = [];
  if (solvent.solventDefinition) series.push({ label: 'unmasked data', x: allX, y: all.heights, color: '#999999' });
  series.push(
    { label: 'solvent region', x: solvent.regionHistogram.edges.subarray(0, x.length), y: solvent.regionHistogram.heights, color: '#222222', width: 1 },
    { label: 'guess', x, y: gaussianCurve(x, solvent.guess), color: '#2ca02c', dash: '2 3' },
    { label: 'solvent model (fit)', x, y: gaussianCurve(x, solvent.fit), color: '#1f77b4', width: 2 },
    { label: 'confidence', x: allX, y: confidence.unhedgedCurve, color: '#d62728' },
  );
  const hedge = estimate.request.hedgeConfidence;
  if (hedge !== undefined && hedge > 1) {
    series.push({ label: `hedged confidence (^${hedge})`, x: allX, y: confidence.curve, color: '#d62728', dash: '2 2' });
  }
  const peak = Math.max(1, ...Array.from(solvent.regionHistogram.heights));
  return lineChartSvg({
    title: options.title,
    xLabel: 'map value (low-passed)',
    yLabel: 'density / confidence',
    series,
    markers: [
      { label: 'content at 1% of solvent', x: solvent.contentAt1pct, color: '#ff7f0e', dash: '5 3' },
      { label: 'solvent edge (0%)', x: solvent.solventEdge, color: '#9467bd', dash: '5 3' },
    ],
    logY: { min: 1e-3 },
    yDomain: [1e-3, peak * 2],
  });
}
