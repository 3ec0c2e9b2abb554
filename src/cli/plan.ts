/**
 * Turns parsed flags into a run plan: what to read, which run settings, where to write. All flag interplay
 * (contradictions, scale mode, solvent handling, output folder) is decided here, once.
 */
import * as path from 'node:path';
import type { CliOptions } from './options.js';
import { InputError } from '../run/errors.js';
import { drawsSyntheticSolvent, type ModificationRequest } from '../core/pipeline/modify.js';
import { resolveScaleMode, type RunSettings } from '../run/settings.js';
import { memoryLimitSetting } from '../io/memory-limit.js';

export interface RunPlan {
  /** Map path, or undefined with `--emdb` until fetched. */
  input?: string;
  emdbId?: string;
  outputDir: string;
  settings: RunSettings;
  warnings: string[];
  options: CliOptions;
  version: string;
  /** `OCCUPY_WRITE_AS_MADE_FROM` (voxels), undefined for the default (src/run/made-when-written.ts). */
  writeAsMadeFrom?: number;
}

/**
 * `OCCUPY_WRITE_AS_MADE_FROM`: the voxels at the input's box from which large maps are made as they are written
 * (src/run/made-when-written.ts; 0 for every map, which halves the memory of a large run); undefined when unset,
 * or when not a whole number, which is said in `warnings`.
 */
function writeAsMadeFromEnvironment(warnings: string[]): number | undefined {
  const text = process.env.OCCUPY_WRITE_AS_MADE_FROM?.trim();
  if (!text) return undefined;
  // Digits only: `Number` would also take 0x10, 1e3 and 0b1.
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isSafeInteger(value)) return value;
  warnings.push(`OCCUPY_WRITE_AS_MADE_FROM is "${text}" (it takes a number of voxels, 0 for every map): taken as unset.`);
  return undefined;
}

export function resolveRun(options: CliOptions, cwd: string, version = 'unknown'): RunPlan {
  const warnings: string[] = [];
  if (options.S0 && options.SW) throw new InputError('--S0 and --SW contradict each other; give one.');
  if ((options.lpScale || options.occupancy) && options.rawScale) {
    throw new InputError('--raw-scale contradicts --occupancy/--lp-scale; give one.');
  }
  if (options.excludeSolvent && options.retainSolvent) {
    throw new InputError('--exclude-solvent and --retain-solvent contradict each other; give one.');
  }
  if (options.inputMap && options.emdb) throw new InputError('give either --input-map or --emdb, not both.');

  const modifications: ModificationRequest[] = [];
  // A power of 1 is the published program's "off": said, so that no one waits for a map that is not written.
  const powerOfOne = (flag: string, kind: string) => warnings.push(`${flag} 1 leaves the map as it is (a power of 1 is off); no ${kind} map is written.`);
  if (options.amplify !== undefined) {
    if (options.amplify > 1) modifications.push({ kind: 'amplify', power: options.amplify });
    else powerOfOne('-am/--amplify', 'amplified');
  }
  if (options.attenuate !== undefined) {
    if (options.attenuate > 1) modifications.push({ kind: 'attenuate', power: options.attenuate });
    else powerOfOne('-at/--attenuate', 'attenuated');
  }
  if (options.sigmoid !== undefined && options.sigmoid > 1) {
    if (options.pivot === undefined) throw new InputError('--sigmoid needs --pivot (the scale it leaves unchanged, e.g. --pivot 0.3).');
    modifications.push({ kind: 'sigmoid', power: options.sigmoid, pivot: options.pivot });
  } else if (options.sigmoid !== undefined) {
    powerOfOne('--sigmoid', 'sigmoid-modified');
  } else if (options.pivot !== undefined) {
    warnings.push('--pivot is only used with --sigmoid; ignored.');
  }
  if (options.subtractionMask && !modifications.some((m) => m.kind !== 'amplify')) {
    throw new InputError('--subtraction-mask needs an attenuation (-at) or a sigmoid (--sigmoid … --pivot …) to make the mask from.');
  }
  const modifying = modifications.length > 0 || Boolean(options.excludeSolvent);
  if (!modifying) {
    // Options for modified maps, given without a modification: said, rather than silently not used (and left
    // out of the settings, so that nothing checks or reports them).
    const unused: [boolean, string][] = [
      [Boolean(options.outputMap), '-o/--output-map names the modified map'],
      [options.lowpassOutput !== undefined, '--lowpass-output filters the modified maps'],
      [Boolean(options.histMatch), '--hist-match adjusts the modified maps'],
      [Boolean(options.omitConfidence), '--omit-confidence changes how maps are modified'],
    ];
    for (const [given, what] of unused) if (given) warnings.push(`${what}, but no modification was asked for; ignored.`);
  }
  const drawsSolvent = drawsSyntheticSolvent({ modifications, excludeSolvent: Boolean(options.excludeSolvent) });
  if (options.seed !== undefined && !drawsSolvent) {
    warnings.push('--seed sets the synthetic solvent of attenuate and sigmoid (none with --exclude-solvent), but this run draws none; ignored.');
  }
  if (options.emdbServer !== undefined && !options.emdb) warnings.push('--emdb-server is where --emdb fetches from, but no --emdb was given; ignored.');
  const memorySetting = memoryLimitSetting();
  // Checked for a run only: `occupy` alone still shows the help.
  const runs = Boolean(options.inputMap || options.emdb);
  if (runs && memorySetting.kind === 'invalid') {
    throw new InputError(`OCCUPY_MEMORY_LIMIT=${memorySetting.text} is not a memory size above zero (e.g. 4G, 512M, 1.5GiB, or bytes); set it so or unset it.`);
  }
  const writeAsMadeFrom = runs ? writeAsMadeFromEnvironment(warnings) : undefined;

  const requested = options.lpScale || options.occupancy ? 'occ' : options.rawScale ? 'res' : undefined;
  const { scaleMode, warning } = resolveScaleMode(requested, modifications);
  if (warning) warnings.push(warning);

  const input = options.inputMap ? path.resolve(cwd, options.inputMap) : undefined;
  let outputDir = cwd;
  if (options.outputDir) outputDir = path.resolve(cwd, options.outputDir);
  else if (options.keepOutputPath && input) outputDir = path.dirname(input);

  const settings: RunSettings = {
    estimation: {
      scaleMode,
      naive: options.S0,
      nlrc: options.nlrc,
      hedgeConfidence: options.hedgeConfidence,
      maxBox: options.maxBox,
      lowpass: options.lowpass,
      resolution: options.resolution,
      kernelSize: options.kernelSize,
      kernelRadius: options.kernelRadius,
      tau: options.tau,
      tileSize: options.tileSize,
    },
    modification: {
      modifications,
      excludeSolvent: options.excludeSolvent,
      omitConfidence: modifying && options.omitConfidence,
      scaleLimit: options.scaleLimit,
      lowpassOutput: modifying ? options.lowpassOutput : undefined,
      histogramMatch: modifying && options.histMatch,
      seed: drawsSolvent ? options.seed : undefined,
      saveFactors: options.saveAllMaps,
    },
    tools: { solventDefinitionThreshold: options.solventDefFromScale, subtractionMasks: options.subtractionMask },
    outputs: {
      chimerax: options.chimerax || options.showChimerax,
      chimeraxSilent: options.chimeraxSilent,
      plot: options.plot,
      report: options.report,
      minVisScale: options.minVisScale,
      saveAllMaps: options.saveAllMaps,
      // -o is a path from the working directory; outputs are named relative to the output folder.
      outputMap:
        options.outputMap && (modifications.length > 0 || options.excludeSolvent)
          ? path.relative(outputDir, path.resolve(cwd, options.outputMap))
          : undefined,
    },
  };
  return { input, emdbId: options.emdb, outputDir, settings, warnings, options, version, writeAsMadeFrom };
}
