/** The session log as a text file: every run, numbered, with its command line, warnings and log. */
import type { SessionEntry } from './app-state.js';

export function sessionLogText(entries: readonly SessionEntry[], version: string): string {
  const lines = [`# occupy ${version} web app: session log (${entries.length} run${entries.length === 1 ? '' : 's'})`, ''];
  for (const e of entries) {
    const what = e.purpose === 'modify' ? 'modify map' : 'estimate scale';
    const outcome = e.status === 'done' ? `done in ${e.seconds?.toFixed(2)} s` : e.status;
    lines.push(`## Run ${e.run}: ${what}, ${e.started}, ${outcome}`, '', `$ ${e.command}`, '');
    for (const w of e.warnings) lines.push(`warning: ${w}`);
    for (const n of e.notes) lines.push(n);
    if (e.error) lines.push(`error: ${e.error}`);
    if (e.logText) lines.push(e.logText.trimEnd());
    lines.push('');
  }
  return lines.join('\n');
}

