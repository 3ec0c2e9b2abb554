/**
 * The checks `occupy` makes of what the user opened (src/run/input-checks.ts), made here too so the app
 * refuses and warns exactly as the CLI does: a voxel size, finite values, not constant (input); finite masks,
 * a target mask that selects something; a box the method can use with the run's settings.
 */
import { checkBoxUsable, checkFinite, checkInputMap, checkTargetMask, checkThreeDimensional } from '../../../src/run/input-checks.js';
import { InputError } from '../../../src/run/errors.js';
import { fixedValueRange } from '../../../src/core/volume.js';
import type { MapFile } from '../../../src/format/mrc-format.js';
import type { RunSettings } from '../../../src/run/settings.js';
import type { MapRole } from './protocol.js';

/** The app has no --replace-non-finite: the hint says where it is. */
const NON_FINITE_HINT = '; fix the map first (the command line can replace them with the solvent mean: occupy --replace-non-finite)';

/** A scale map is a local scale: values within [0, 1] (a little float32 rounding allowed). */
const SCALE_SLACK = 1e-4;

/** Refuses an unusable map (throws an InputError); returns warnings. */
export function checkOpenedMap(role: MapRole, map: MapFile, fileName: string): string[] {
  if (role === 'input') {
    // A 2D image is refused now, not at the first run (what depends on the settings waits for the run).
    checkThreeDimensional(map.volume, fileName);
    return checkInputMap(map, fileName, false, NON_FINITE_HINT);
  }
  checkFinite(map.volume, fileName, role === 'scale' ? '; a scale map must be finite everywhere' : '; a mask must be finite everywhere');
  if (role === 'targetMask') checkTargetMask(map.volume, fileName);
  if (role === 'scale') {
    const [lo, hi] = fixedValueRange(map.volume.data);
    if (lo < -SCALE_SLACK || hi > 1 + SCALE_SLACK) {
      throw new InputError(
        `${fileName}: this is not a local-scale map: its values run from ${lo.toPrecision(3)} to ${hi.toPrecision(3)}, a scale lies between 0 and 1 (open a scale_… map made by occupy).`,
      );
    }
  }
  // How it fits the input (box, voxel size) is judged on the page, against whichever input is open then.
  return [];
}

/**
 * Refuses a run whose box the method cannot use with these settings (too small for the tiles, or for a target
 * mask's, a 2D image).
 */
export function checkRunnable(input: MapFile, fileName: string, settings: RunSettings, targetMask: boolean): void {
  checkBoxUsable(input.volume, fileName, settings.estimation, targetMask);
}
