/**
 * Output file names (METHOD.md §11). `<name>` is the input file's stem: the file name without folders and
 * without its map extension (and a `.gz` before it).
 */
export function mapStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const withoutGz = base.replace(/\.gz$/i, '');
  const dot = withoutGz.lastIndexOf('.');
  return dot > 0 ? withoutGz.slice(0, dot) : withoutGz;
}

export type ModificationKind = 'amplify' | 'attenuate' | 'sigmoid';

export interface OutputNames {
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
}

export function outputNames(inputFile: string, options: { scaleMode: 'res' | 'occ'; naive: boolean; excludeSolvent: boolean }): OutputNames {
  const stem = mapStem(inputFile);
  const mapName = `${stem}.mrc`;
  const modifiedBase = options.excludeSolvent ? `solExcl_${mapName}` : mapName;
  return {
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
      if (kind === 'amplify') return `ampl_${power.toFixed(1)}_${modifiedBase}`;
      if (kind === 'attenuate') return `attn_${power.toFixed(1)}_${modifiedBase}`;
      return `sigm_${power.toFixed(1)}-${(pivot ?? 0).toFixed(2)}_${modifiedBase}`;
    },
    modificationFactor(kind) {
      return `modification_${kind}_${mapName}`;
    },
  };
}
