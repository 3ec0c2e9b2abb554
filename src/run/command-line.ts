/**
 * The `occupy` command line equivalent to a set of run settings, e.g. for the web app's session log ("this
 * is what the CLI would do"). Only settings that differ from the defaults are spelled out; the CLI parses the
 * result back into the same settings (tested).
 */
import { defaultSettings, type RunSettings } from './settings.js';

export interface CommandFiles {
  input: string;
  solventDefinition?: string;
  targetMask?: string;
}

export function commandLine(settings: RunSettings, files: CommandFiles): string[] {
  const d = defaultSettings();
  const args: string[] = ['occupy', '-i', files.input];
  const add = (flag: string, value?: number | string) => args.push(...(value === undefined ? [flag] : [flag, String(value)]));
  const e = settings.estimation;
  const m = settings.modification;
  const o = settings.outputs;

  const modifying = m.modifications.length > 0;
  if (e.scaleMode === 'occ' && !modifying) add('--occupancy');
  if (e.scaleMode === 'res' && modifying) add('--raw-scale');
  if (e.resolution !== undefined) add('-r', e.resolution);
  if (e.lowpass !== undefined) add('-lp', e.lowpass);
  if (e.kernelSize !== undefined) add('--kernel-size', e.kernelSize);
  if (e.kernelRadius !== undefined) add('--kernel-radius', e.kernelRadius);
  if (e.tau !== undefined) add('--tau', e.tau);
  if (e.tileSize !== undefined) add('--tile-size', e.tileSize);
  if (e.maxBox !== d.estimation.maxBox) add('--max-box', e.maxBox);
  if (e.naive) add('--S0');
  if (e.nlrc) add('--nlrc');
  if (e.hedgeConfidence !== undefined) add('--hedge-confidence', e.hedgeConfidence);
  if (files.solventDefinition) add('--solvent-def', files.solventDefinition);
  if (files.targetMask) add('--target-mask', files.targetMask);

  for (const mod of m.modifications) {
    if (mod.kind === 'amplify') add('-am', mod.power);
    if (mod.kind === 'attenuate') add('-at', mod.power);
    if (mod.kind === 'sigmoid') {
      add('--sigmoid', mod.power);
      add('--pivot', mod.pivot);
    }
  }
  if (m.scaleLimit !== d.modification.scaleLimit) add('--scale-limit', m.scaleLimit);
  if (m.excludeSolvent) add('--exclude-solvent');
  if (m.omitConfidence) add('--omit-confidence');
  if (m.lowpassOutput !== undefined) add('--lowpass-output', m.lowpassOutput);
  if (m.histogramMatch) add('--hist-match');
  if (m.seed !== undefined) add('--seed', m.seed);

  if (settings.tools.solventDefinitionThreshold !== undefined) add('--solvent-def-from-scale', settings.tools.solventDefinitionThreshold);
  if (settings.tools.subtractionMasks) add('--subtraction-mask');

  if (o.outputMap) add('-o', o.outputMap);
  if (o.plot) add('--plot');
  if (o.saveAllMaps) add('--save-all-maps');
  if (!o.chimerax) add('--no-chimerax');
  if (o.chimeraxSilent) add('--chimerax-silent');
  if (o.minVisScale !== d.outputs.minVisScale) add('--min-vis-scale', o.minVisScale);
  if (!o.report) add('--no-report');
  return args;
}

/** Quotes arguments for a POSIX shell where needed. */
export function shellQuote(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
