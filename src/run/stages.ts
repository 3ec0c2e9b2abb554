/**
 * How many stages a job reports through its `progress` (`runJob`), known before it runs: for a progress bar
 * (the web app's). Counted from the conditions under which the pipeline reports each (core/pipeline/estimate.ts,
 * any-box.ts, modify.ts, scale/local-scale.ts, run/job.ts), for a job whose maps are made whole, as the web
 * app's are; test/run/stages.test.ts checks the count against the reports of real jobs. Small and pure, so a
 * page can import it without the pipeline.
 */
import { evenCubeEdge } from '../core/box.js';
import { processingGrid } from '../core/settings.js';
import type { RunSettings } from './settings.js';

export function jobStageCount(
  shape: readonly [number, number, number],
  voxelSize: number,
  settings: RunSettings,
  masks: { solventDefinition: boolean; targetMask: boolean },
): number {
  const [nz, ny, nx] = shape;
  const edge = evenCubeEdge(shape);
  const evenCube = nz === edge && ny === edge && nx === edge;
  const { downscaled } = processingGrid(edge, voxelSize, settings.estimation.maxBox);
  // Preparing (or down-sampling), low-pass, solvent model, confidence, full scale, max filter.
  let stages = 6;
  if (!evenCube) {
    // Down-sampled, the cube is read from the map, never made, unless a mask must be embedded with it.
    if (!downscaled || masks.solventDefinition || masks.targetMask) stages++; // embedding in a cube
    stages++; // back to the input box
  }
  if (masks.targetMask) stages++; // targeted occupancy
  const { modifications, excludeSolvent } = settings.modification;
  stages += modifications.length > 0 ? modifications.length : excludeSolvent ? 1 : 0;
  const { solventDefinitionThreshold, subtractionMasks } = settings.tools;
  if (solventDefinitionThreshold !== undefined || (subtractionMasks && modifications.some((m) => m.kind !== 'amplify'))) stages++; // mask tools
  return stages;
}
