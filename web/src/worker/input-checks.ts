/**
 * The checks `occupy` makes of what the user opened (src/run/input-checks.ts), made here too so the app
 * refuses and warns exactly as the CLI does: a voxel size, finite values, not constant (input); finite masks,
 * a target mask that selects something; a box the method can use with the run's settings.
 */
import { checkBoxUsable, checkFinite, checkInputMap, checkTargetMask } from '../../../src/run/input-checks.js';
import type { MapFile } from '../../../src/io/mrc-format.js';
import type { RunSettings } from '../../../src/run/settings.js';
import type { MapRole } from './protocol.js';

/** Refuses an unusable map (throws an InputError); returns warnings. */
export function checkOpenedMap(role: MapRole, map: MapFile, fileName: string): string[] {
  if (role === 'input') return checkInputMap(map, fileName, false);
  checkFinite(map.volume, fileName, '; a mask must be finite everywhere');
  if (role === 'targetMask') checkTargetMask(map.volume, fileName);
  return [];
}

/** Refuses a run whose box the method cannot use with these settings (too small for the tiles, a 2D image). */
export function checkRunnable(input: MapFile, fileName: string, settings: RunSettings): void {
  checkBoxUsable(input.volume, fileName, settings.estimation);
}
