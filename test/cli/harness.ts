/** Running the real `occupy` command in a scratch folder, for CLI-level tests. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fixturesDir, repositoryRoot } from '../fixtures/fixture-cases.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export const occupyBin = () => path.join(repositoryRoot(), 'bin', 'occupy.cjs');

/** A fresh folder with the fixture maps linked in; removed by `cleanup`. */
export function scratchFolder(prefix = 'occupy-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const fixtures = fixturesDir();
  for (const f of readdirSync(fixtures)) if (f.endsWith('.mrc')) symlinkSync(path.join(fixtures, f), path.join(dir, f));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runOccupy(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): CliRun {
  const r = spawnSync(process.execPath, [occupyBin(), ...args], { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `argv` (a program and its arguments) in `folder`, made now and removed once the program's shell is in
 * it: a working directory deleted while in use (POSIX systems).
 */
export function runInRemovedFolder(folder: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  mkdirSync(folder);
  const r = spawnSync('/bin/sh', ['-c', 'cd "$0" && rmdir "$0" && exec "$@"', folder, ...argv], { env, encoding: 'utf8', timeout: 50_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** As runOccupy, without blocking the event loop (for tests that serve something to the CLI). */
export function runOccupyAsync(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [occupyBin(), ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Files in `dir` other than the linked fixture maps, hidden temporaries included. */
export function outputsIn(dir: string): string[] {
  const fixtures = new Set(readdirSync(fixturesDir()));
  return readdirSync(dir).filter((f) => !fixtures.has(f)).sort();
}
