/** `--show-chimerax`: start ChimeraX on the script if it is on the PATH, and say plainly when it is not. */
import { spawn, spawnSync } from 'node:child_process';
import { shellQuote } from '../run/command-line.js';

export function openInChimerax(script: string): string {
  const probe = spawnSync(process.platform === 'win32' ? 'where' : 'which', ['chimerax'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return `ChimeraX was not found on the PATH, so it was not started. Open the result with:\n${shellQuote(['chimerax', script])}`;
  }
  const child = spawn('chimerax', [script], { detached: true, stdio: 'ignore' });
  child.unref();
  return `Opening ${script} in ChimeraX; this may take a moment.`;
}
