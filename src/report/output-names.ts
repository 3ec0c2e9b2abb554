/**
 * Output file names (METHOD.md §11). `<name>` is the input file's stem: the file name without folders and
 * without its map extension (and a `.gz` before it).
 */
import { fixedLikePython } from './python-format.js';

export function mapStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const withoutGz = base.replace(/\.gz$/i, '');
  const dot = withoutGz.lastIndexOf('.');
  return dot > 0 ? withoutGz.slice(0, dot) : withoutGz;
}

export type ModificationKind = 'amplify' | 'attenuate' | 'sigmoid';

export interface OutputNames {
  /** The input's stem, `<name>` in the names below. */
  stem: string;
  scale: string;
  confidence: string;
  log: string;
  chimerax: string;
  chimeraxSilent: string;
  report: string;
  solventPlot: string;
  modificationPlot: string;
  solventExcluded: string;
  lowpassed: string;
  downscaled: string;
  modified(kind: ModificationKind, power: number, pivot?: number): string;
  modificationFactor(kind: ModificationKind): string;
  /** The GUI's "scale as solvent definition" tool. */
  solventDefinition(threshold: number): string;
  /** The GUI's subtraction mask for an attenuate or sigmoid modification. */
  subtractionMask(kind: ModificationKind, power: number, pivot?: number): string;
}

/** `<g:.1f>` for amplify/attenuate, `<g:.1f>-<p:.2f>` for sigmoid, as the reference names modified maps. */
function modificationTag(kind: ModificationKind, power: number, pivot?: number): string {
  const prefix = kind === 'amplify' ? 'ampl' : kind === 'attenuate' ? 'attn' : 'sigm';
  return kind === 'sigmoid' ? `${prefix}_${fixedLikePython(power, 1)}-${fixedLikePython(pivot ?? 0, 2)}` : `${prefix}_${fixedLikePython(power, 1)}`;
}

export function outputNames(inputFile: string, options: { scaleMode: 'res' | 'occ'; naive: boolean; excludeSolvent: boolean }): OutputNames {
  const stem = mapStem(inputFile);
  const mapName = `${stem}.mrc`;
  const modifiedBase = options.excludeSolvent ? `solExcl_${mapName}` : mapName;
  return {
    stem,
    scale: options.naive ? `scale_naive_${options.scaleMode}_${mapName}` : `scale_${options.scaleMode}_${mapName}`,
    confidence: `conf_${mapName}`,
    log: `log_${stem}.txt`,
    chimerax: `chimX_${stem}.cxc`,
    chimeraxSilent: `chimX_${stem}_silent.cxc`,
    report: `report_${stem}.json`,
    solventPlot: `solModel_${stem}`,
    modificationPlot: `modification_${stem}`,
    solventExcluded: `solExcl_${mapName}`,
    lowpassed: `lowpass_${mapName}`,
    downscaled: `downscaled_${mapName}`,
    modified(kind, power, pivot) {
      return `${modificationTag(kind, power, pivot)}_${modifiedBase}`;
    },
    modificationFactor(kind) {
      return `modification_${kind}_${mapName}`;
    },
    solventDefinition(threshold) {
      return `solDef_${fixedLikePython(threshold, 2)}_${mapName}`;
    },
    subtractionMask(kind, power, pivot) {
      return `subtractionMask_${modificationTag(kind, power, pivot)}_${mapName}`;
    },
  };
}

/**
 * The PNG the CLI writes beside an SVG figure (`solModel_….svg` → `solModel_….png`); the web app draws it from
 * the SVG when it is downloaded.
 */
export function figurePngName(svgName: string): string {
  return svgName.replace(/\.svg$/, '.png');
}

/** The SVG figure a PNG name is drawn from (the inverse of {@link figurePngName}). */
export function figureSvgName(pngName: string): string {
  return pngName.replace(/\.png$/, '.svg');
}
