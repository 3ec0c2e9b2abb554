/**
 * The run log (`log_<name>.txt`), line for line in the published program's layout so that users' scripts that
 * read it keep working.
 */
import { fixedLikePython, reprLikePython } from './python-format.js';

export interface LogInput {
  inputName: string;
  inputVoxelSize: number;
  inputShape: [number, number, number];
  processingShape: [number, number, number];
  processingVoxelSize?: number;
  boxRadius: number;
  kernelSize: number;
  kernelRadius: number;
  sampleCount: number;
  tau: number;
  recommendedTau?: number;
  lowpass: number;
  scaleMode: 'res' | 'occ';
  scaleLimit: number;
  lowpassOutput?: number;
  contentAt1pct: number;
  solventEdge: number;
  solventPeak: number;
  fullScale: number;
  variabilityLimit: number;
  confidenceLimit: number;
}

const shape = (s: [number, number, number]) => `(${s.join(', ')})`;

/** The line the published program prints for a target mask (`--target-mask`), in its wording. */
export function targetedOccupancyLine(t: { occupancy: number; tau: number; voxelCount: number }): string {
  return `Targeted occupancy estimated to ${fixedLikePython(t.occupancy, 3)} using tau=${fixedLikePython(t.tau, 5)} from n_spec=${t.voxelCount} pixels in the target mask`;
}

export function logText(l: LogInput): string {
  const lines = [
    '',
    '---------------I/O AND CALCULATED SETTINGS-------',
    `Input    :\t     \t ${l.inputName}`,
    `Pix      :\t[A]  \t ${fixedLikePython(l.inputVoxelSize, 2)}`,
    `Box in   :\t[pix]\t ${shape(l.inputShape)}`,
    `Box proc :\t[pix]\t ${shape(l.processingShape)}`,
  ];
  if (l.processingVoxelSize !== undefined) lines.push(`Pix proc :\t[A]  \t ${fixedLikePython(l.processingVoxelSize, 2)}`);
  lines.push(
    `Box radi :\t[pix]\t ${fixedLikePython(l.boxRadius, 3)}`,
    `Kernel s :\t[pix]\t ${l.kernelSize}`,
    `Kernel r :\t[pix]\t ${fixedLikePython(l.kernelRadius, 2)}`,
    `Kernel nv:\t[pix]\t ${l.sampleCount}`,
    `Tau      :\t[0,1]\t ${fixedLikePython(l.tau, 3)}`,
  );
  if (l.recommendedTau !== undefined) lines.push(`Tau(rec).:\t[0,1]\t ${fixedLikePython(l.recommendedTau, 3)}`);
  lines.push(`LP Filt. :\t[A]  \t ${fixedLikePython(l.lowpass, 2)}`);
  lines.push(
    l.scaleMode === 'occ' ? 'LP scale :\t     \t True (Try to ignore res)' : 'LP scale :\t     \t False (Include res-dep)',
  );
  lines.push(`Scale lim:\t[0,1]\t ${fixedLikePython(l.scaleLimit, 3)}`);
  if (l.lowpassOutput !== undefined) lines.push(`LP output:\t     \t ${reprLikePython(l.lowpassOutput)} (Include res-dep)`);
  lines.push(
    '',
    '------------------------------------Detected limits-------',
    `Content at 1% of solvent  \t: \t ${fixedLikePython(l.contentAt1pct, 3)}`,
    `Solvent drop to 0% (edge) \t: \t ${fixedLikePython(l.solventEdge, 3)}`,
    `Solvent peak        \t    \t: \t ${fixedLikePython(l.solventPeak, 3)}`,
    `Full scale          \t    \t: \t ${fixedLikePython(l.fullScale, 3)}`,
    `Variability_limit   \t    \t: \t ${fixedLikePython(l.variabilityLimit, 3)}`,
    `Primary conf. limit \t    \t: \t ${fixedLikePython(l.confidenceLimit, 3)}`,
  );
  return lines.join('\n') + '\n';
}

/** Parses the figures of a log (ours or the reference's) into name → number, for tests and pipelines. */
export function parseLogFigures(text: string): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(.+?)\s*:\s*(?:\[[^\]]*\])?\s*([-+]?\d+(?:\.\d+)?)\s*$/.exec(line.replace(/\t/g, ' '));
    if (m) figures[m[1].trim()] = Number(m[2]);
  }
  return figures;
}
