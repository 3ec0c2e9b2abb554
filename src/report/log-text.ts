/**
 * The run log (`log_<name>.txt`), line for line in the published program's layout so that users' scripts that
 * read it keep working.
 */
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

/** Python's `str()` of a float, as `f'{x}'` prints it. */
function pyStr(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

export function logText(l: LogInput): string {
  const lines = [
    '',
    '---------------I/O AND CALCULATED SETTINGS-------',
    `Input    :\t     \t ${l.inputName}`,
    `Pix      :\t[A]  \t ${l.inputVoxelSize.toFixed(2)}`,
    `Box in   :\t[pix]\t ${shape(l.inputShape)}`,
    `Box proc :\t[pix]\t ${shape(l.processingShape)}`,
  ];
  if (l.processingVoxelSize !== undefined) lines.push(`Pix proc :\t[A]  \t ${l.processingVoxelSize.toFixed(2)}`);
  lines.push(
    `Box radi :\t[pix]\t ${l.boxRadius.toFixed(3)}`,
    `Kernel s :\t[pix]\t ${l.kernelSize}`,
    `Kernel r :\t[pix]\t ${l.kernelRadius.toFixed(2)}`,
    `Kernel nv:\t[pix]\t ${l.sampleCount}`,
    `Tau      :\t[0,1]\t ${l.tau.toFixed(3)}`,
  );
  if (l.recommendedTau !== undefined) lines.push(`Tau(rec).:\t[0,1]\t ${l.recommendedTau.toFixed(3)}`);
  lines.push(`LP Filt. :\t[A]  \t ${l.lowpass.toFixed(2)}`);
  lines.push(
    l.scaleMode === 'occ' ? 'LP scale :\t     \t True (Try to ignore res)' : 'LP scale :\t     \t False (Include res-dep)',
  );
  lines.push(`Scale lim:\t[0,1]\t ${l.scaleLimit.toFixed(3)}`);
  if (l.lowpassOutput !== undefined) lines.push(`LP output:\t     \t ${pyStr(l.lowpassOutput)} (Include res-dep)`);
  lines.push(
    '',
    '------------------------------------Detected limits-------',
    `Content at 1% of solvent  \t: \t ${l.contentAt1pct.toFixed(3)}`,
    `Solvent drop to 0% (edge) \t: \t ${l.solventEdge.toFixed(3)}`,
    `Solvent peak        \t    \t: \t ${l.solventPeak.toFixed(3)}`,
    `Full scale          \t    \t: \t ${l.fullScale.toFixed(3)}`,
    `Variability_limit   \t    \t: \t ${l.variabilityLimit.toFixed(3)}`,
    `Primary conf. limit \t    \t: \t ${l.confidenceLimit.toFixed(3)}`,
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
