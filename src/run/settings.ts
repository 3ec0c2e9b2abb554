/**
 * What a user asked a run to do, independent of how they asked (command-line flags or the web app's form):
 * the estimation and modification requests of the core, the mask tools, and which outputs to write.
 * The CLI and the web app both build a `RunSettings` and hand it to `runJob`, so they compute the same thing.
 */
import type { EstimateRequest, ScaleMode } from '../core/pipeline/estimate.js';
import type { ModificationRequest, ModifyRequest } from '../core/pipeline/modify.js';

export type EstimationSettings = Omit<EstimateRequest, 'solventDefinition' | 'targetMask'>;

export interface ToolSettings {
  /** Write a solvent definition from the scale: 1 where the scale exceeds this threshold (the GUI's tool). */
  solventDefinitionThreshold?: number;
  /** Write a RELION subtraction mask for each attenuate / sigmoid modification (the GUI's tool). */
  subtractionMasks: boolean;
}

export interface OutputSettings {
  chimerax: boolean;
  chimeraxSilent: boolean;
  plot: boolean;
  report: boolean;
  /** Lowest scale of the ChimeraX colour range. */
  minVisScale: number;
  /** Also write the low-passed and down-sampled input and the modification factors. */
  saveAllMaps: boolean;
  /** `-o`: file name of the modified map (with several, the stem is a prefix). */
  outputMap?: string;
}

export interface RunSettings {
  estimation: EstimationSettings;
  modification: ModifyRequest;
  tools: ToolSettings;
  outputs: OutputSettings;
}

export const DEFAULT_MAX_BOX = 256;
export const DEFAULT_SCALE_LIMIT = 0.05;
export const DEFAULT_MIN_VIS_SCALE = 0.2;

/** Settings of `occupy -i map.mrc` with no other flag. */
export function defaultSettings(): RunSettings {
  return {
    estimation: { scaleMode: 'res', naive: false, nlrc: false, maxBox: DEFAULT_MAX_BOX },
    modification: {
      modifications: [],
      excludeSolvent: false,
      omitConfidence: false,
      scaleLimit: DEFAULT_SCALE_LIMIT,
      histogramMatch: false,
      saveFactors: false,
    },
    tools: { subtractionMasks: false },
    outputs: { chimerax: true, chimeraxSilent: false, plot: false, report: true, minVisScale: DEFAULT_MIN_VIS_SCALE, saveAllMaps: false },
  };
}

/**
 * The scale mode a run uses (METHOD.md §5 and its Defect): the one asked for, else `occ` when modifying (a
 * resolution-dependent scale would change flexible or low-resolution density too) and `res` otherwise.
 * Asking for `res` explicitly while modifying is honoured, with a warning.
 */
export function resolveScaleMode(
  requested: ScaleMode | undefined,
  modifications: readonly ModificationRequest[],
): { scaleMode: ScaleMode; warning?: string } {
  const modifying = modifications.length > 0;
  if (requested === 'res' && modifying) {
    return {
      scaleMode: 'res',
      warning:
        'modifying by a relative-resolution scale (--raw-scale): weak density from flexibility or low resolution will be changed too; --occupancy is usually what you want.',
    };
  }
  return { scaleMode: requested ?? (modifying ? 'occ' : 'res') };
}
