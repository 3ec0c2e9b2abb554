/** `--plot`: the figures as SVG (from src/report/plots) and PNG (rendered by resvg, with the system's fonts). */
import { Resvg } from '@resvg/resvg-js';
import type { Estimate } from '../core/pipeline/estimate.js';
import type { ModificationRequest } from '../core/pipeline/modify.js';
import type { OutputNames } from '../report/output-names.js';
import { solventModelSvg } from '../report/plots/solvent-model.js';
import { modificationCurvesSvg } from '../report/plots/modification-curves.js';

export type FileWriter = (fileName: string, bytes: Uint8Array) => Promise<void>;

/** Writes `<stem>.svg` and `<stem>.png` for each figure; returns the file names written. */
export async function writePlots(
  estimate: Estimate,
  modifications: readonly ModificationRequest[],
  names: OutputNames,
  inputName: string,
  write: FileWriter,
): Promise<string[]> {
  const figures: [string, string][] = [[names.solventPlot, solventModelSvg(estimate, { title: `Solvent model of ${inputName}` })]];
  if (modifications.length > 0) {
    figures.push([names.modificationPlot, modificationCurvesSvg(modifications, { title: 'Modification by local scale' })]);
  }
  const written: string[] = [];
  for (const [stem, svg] of figures) {
    await write(`${stem}.svg`, new TextEncoder().encode(svg));
    await write(`${stem}.png`, svgToPng(svg));
    written.push(`${stem}.svg`, `${stem}.png`);
  }
  return written;
}

export function svgToPng(svg: string): Uint8Array {
  const rendered = new Resvg(svg, { fitTo: { mode: 'zoom', value: 1.5 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return rendered.render().asPng();
}
