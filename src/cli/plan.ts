/**
 * Turns parsed flags into a run plan: what to read, what to compute, what to write where. All flag
 * interplay (scale mode, solvent handling, output folder) is decided here, once.
 */
import * as path from 'node:path';
import type { CliOptions } from './options.js';
import { UserError } from './errors.js';
import type { ScaleMode } from '../core/pipeline/estimate.js';
import type { ModificationRequest } from '../core/pipeline/modify.js';


export interface RunPlan {
  /** Map path, or undefined with `--emdb` until fetched. */
  input?: string;
  emdbId?: string;
  outputDir: string;
  scaleMode: ScaleMode;
  modifications: ModificationRequest[];
  excludeSolvent: boolean;
  warnings: string[];
  options: CliOptions;
  version: string;
}

export function resolveRun(options: CliOptions, cwd: string, version = 'unknown'): RunPlan {
  const warnings: string[] = [];
  if (options.S0 && options.SW) throw new UserError('--S0 and --SW contradict each other; give one.');
  if ((options.lpScale || options.occupancy) && options.rawScale) {
    throw new UserError('--raw-scale contradicts --occupancy/--lp-scale; give one.');
  }
  if (options.excludeSolvent && options.retainSolvent) {
    throw new UserError('--exclude-solvent and --retain-solvent contradict each other; give one.');
  }
  if (options.inputMap && options.emdb) throw new UserError('give either --input-map or --emdb, not both.');

  const modifications: ModificationRequest[] = [];
  if (options.amplify > 1) modifications.push({ kind: 'amplify', power: options.amplify });
  if (options.attenuate > 1) modifications.push({ kind: 'attenuate', power: options.attenuate });
  if (options.sigmoid > 1) {
    if (options.pivot === undefined) throw new UserError('--sigmoid needs --pivot (the scale it leaves unchanged, e.g. --pivot 0.3).');
    modifications.push({ kind: 'sigmoid', power: options.sigmoid, pivot: options.pivot });
  } else if (options.pivot !== undefined) {
    warnings.push('--pivot is only used with --sigmoid; ignored.');
  }

  // METHOD.md §5 Defect: modifying by a resolution-dependent scale is meaningless, so modification implies
  // occupancy mode unless the user insists with --raw-scale.
  let scaleMode: ScaleMode = options.lpScale || options.occupancy ? 'occ' : 'res';
  if (modifications.length > 0 && !options.rawScale) scaleMode = 'occ';
  if (modifications.length > 0 && options.rawScale) {
    warnings.push('modifying by a relative-resolution scale (--raw-scale): weak density from flexibility or low resolution will be changed too; --occupancy is usually what you want.');
  }

  const input = options.inputMap ? path.resolve(cwd, options.inputMap) : undefined;
  let outputDir = cwd;
  if (options.outputDir) outputDir = path.resolve(cwd, options.outputDir);
  else if (options.keepOutputPath && input) outputDir = path.dirname(input);

  return {
    input,
    emdbId: options.emdb,
    outputDir,
    scaleMode,
    modifications,
    excludeSolvent: options.excludeSolvent,
    warnings,
    options,
    version,
  };
}
