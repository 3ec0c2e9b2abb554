/**
 * How the other opened maps fit the input map open now, judged again whenever either changes (a mask opened
 * with one input is not left judged against it when another is opened): a mask of another box is refused by
 * a run, so runs wait until it is closed; a mask at another voxel size or stored in another axis order is
 * used, with the command line's warning; a scale map of another box cannot be previewed on the input. Boxes
 * are given along x, y, z, as the cards give them; what must match is the stored box, as for a run.
 */
import { maskGeometryWarnings } from '../../../src/run/input-checks.js';
import { isStandardAxisOrder, spatialCounts, storageOf } from '../../../src/format/mrc-format.js';
import type { MapRole, OpenedMap } from '../worker/protocol.js';
import type { AppState } from './app-state.js';

const MASK_FLAGS: Partial<Record<MapRole, string>> = { solventDefinition: '--solvent-def', targetMask: '--target-mask' };

/** A map's box along x, y, z, as its card gives it (files-panel.ts), with how it is stored when unusual. */
const boxOf = (map: OpenedMap) => {
  const box = spatialCounts(map.shape, map.geometry.axisOrder).join('×');
  return isStandardAxisOrder(map.geometry.axisOrder) ? box : `${box}, stored with ${storageOf(map.geometry.axisOrder)}`;
};

/** How a map's stored box differs from the input's (their boxes may be alike along x, y, z, stored otherwise). */
const boxDifference = (map: OpenedMap, input: OpenedMap) => {
  const [a, b] = [map, input].map((m) => spatialCounts(m.shape, m.geometry.axisOrder).join('×'));
  return a === b
    ? `its box ${a} is stored with ${storageOf(map.geometry.axisOrder)}, the input's with ${storageOf(input.geometry.axisOrder)}`
    : `its box ${boxOf(map)} differs from the input's ${boxOf(input)}`;
};

/** Whether the files store the same box (as a run compares them: the arrays, whatever their axis order). */
const sameBox = (a: OpenedMap, b: OpenedMap) => a.shape.join() === b.shape.join();

/** What to say on a map's card about how it fits the input (nothing for the input itself, or without one). */
export function fitToInput(state: AppState, role: MapRole): string[] {
  const input = state.maps.input;
  const map = state.maps[role];
  if (!input || !map || role === 'input') return [];
  if (!sameBox(map, input)) {
    return [
      role === 'scale'
        ? `${map.fileName}: ${boxDifference(map, input)}, so it cannot be previewed on it.`
        : `${map.fileName}: ${boxDifference(map, input)}; runs wait until it is closed (a ${MASK_FLAGS[role]} mask must have the input's box).`,
    ];
  }
  return role === 'scale' ? [] : maskGeometryWarnings(map.fileName, map.geometry, input.geometry);
}

/** Why runs must wait for the opened masks, or undefined: a mask of another box than the input's. */
export function masksBlockingRuns(state: AppState): string | undefined {
  const input = state.maps.input;
  if (!input) return undefined;
  for (const role of Object.keys(MASK_FLAGS) as MapRole[]) {
    const mask = state.maps[role];
    if (mask && !sameBox(mask, input)) {
      return `The ${MASK_FLAGS[role]} mask ${mask.fileName} (${boxOf(mask)}) does not have the input's box (${boxOf(input)}): close it or open one that does.`;
    }
  }
  return undefined;
}
