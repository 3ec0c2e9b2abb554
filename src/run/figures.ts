/**
 * The figure code (src/report/plots, built on d3) is loaded only by runs that draw figures: importing it costs
 * more start-up time than a small map takes to estimate.
 */
import type { solventModelSvg } from '../report/plots/solvent-model.js';
import type { modificationCurvesSvg } from '../report/plots/modification-curves.js';

export interface FigureRenderers {
  solventModelSvg: typeof solventModelSvg;
  modificationCurvesSvg: typeof modificationCurvesSvg;
}

export async function loadFigureRenderers(): Promise<FigureRenderers> {
  const [solvent, curves] = await Promise.all([import('../report/plots/solvent-model.js'), import('../report/plots/modification-curves.js')]);
  return { solventModelSvg: solvent.solventModelSvg, modificationCurvesSvg: curves.modificationCurvesSvg };
}
