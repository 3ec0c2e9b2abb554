/**
 * Temporary files: every output is written to a hidden temporary beside it and renamed into place, and no
 * temporary outlives the run, however the run ends.
 *
 * Two mechanisms remove the temporaries of a run that ends early:
 * - a janitor: a small shell process started with the first temporary, outside this process's group (so
 *   Ctrl-C at a terminal does not reach it), told each temporary's name over a pipe before the file is
 *   created. When this process ends — normally, by a signal, by SIGKILL or the out-of-memory killer — its end
 *   of the pipe closes, and the janitor removes whichever of those files are still there (renamed ones are
 *   gone already). Signals therefore keep their default action: a run stops at once on Ctrl-C, even in the
 *   middle of a long synchronous computation, during which no JavaScript handler could run;
 * - where no POSIX shell can be started (Windows; or OCCUPY_NO_JANITOR=1), and for a name with a newline in
 *   it (the janitor reads names a line each), handlers for SIGINT, SIGTERM and SIGHUP remove them instead, once
 *   the computation lets them run; after SIGKILL such a temporary stays until the next write of its file.
 * Either way, temporaries still pending at a normal exit are removed then, and a later write of the same
 * file removes those of processes of this host that no longer run ({@link removeStaleTemporaries}, called once
 * per write with all its files).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import type { Writable } from 'node:stream';

/** Temporary files of this process not yet renamed or removed. */
const pendingTemporaries = new Set<string>();

function removePendingTemporaries(): void {
  for (const file of pendingTemporaries) {
    try {
      unlinkSync(file);
    } catch {
      // already renamed or removed
    }
  }
  pendingTemporaries.clear();
}

// ---------------------------------------------------------------------------------------------------------
// The janitor
// ---------------------------------------------------------------------------------------------------------

/** Reads names, one a line, until the pipe closes; then removes those files (`rm -f`: missing ones are fine). */
const JANITOR_SCRIPT = 'while IFS= read -r f; do set -- "$@" "$f"; done; rm -f -- "$@"';

let janitor: ChildProcessByStdio<Writable, null, null> | null | undefined;

/**
 * Starts the janitor now, if it is not running yet (it is started on first use otherwise). Call it before
 * allocating large arrays: starting a process forks this one, and after a fork every page of this process is
 * write-protected until it is next written (copy-on-write), which costs ~0.1 s of page faults for a few
 * hundred MB of maps, but nothing while the process is small.
 */
export function startTemporaryJanitor(): void {
  startedJanitor();
}

/** The janitor, started on first use; null where it cannot be (no /bin/sh). */
function startedJanitor(): ChildProcessByStdio<Writable, null, null> | null {
  if (janitor !== undefined) return janitor;
  janitor = null;
  if (process.platform === 'win32' || process.env.OCCUPY_NO_JANITOR === '1') return null;
  try {
    const child = spawn('/bin/sh', ['-c', JANITOR_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    // Neither the process nor the pipe may keep this one alive: the pipe is meant to close when this ends.
    child.unref();
    (child.stdin as Writable & { _handle?: { unref?: () => void } })._handle?.unref?.();
    child.on('error', () => {
      if (janitor === child) janitor = null;
    });
    child.stdin.on('error', () => undefined); // a janitor that died early: the handlers below take over
    if (child.pid === undefined) return null;
    janitor = child;
  } catch {
    janitor = null;
  }
  return janitor;
}

/** Tells the janitor of `file`; false when there is none (or the name cannot be passed as a line). */
function toldJanitor(file: string): boolean {
  if (file.includes('\n')) return false;
  const j = startedJanitor();
  if (!j || j.stdin.destroyed) return false;
  // Written at once into the pipe (libuv writes straight away when nothing is queued), before the file exists.
  j.stdin.write(`${file}\n`);
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Signal handlers, where there is no janitor
// ---------------------------------------------------------------------------------------------------------

const CLEANUP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let handlersInstalled = false;

/**
 * Ctrl-C, `kill` or a closed terminal while a temporary file exists: remove every pending temporary
 * (synchronously, in the handler), then let the signal end the process as it would have (re-raised, so the
 * exit status says which signal) unless someone else also listens for it.
 */
function onCleanupSignal(signal: NodeJS.Signals): void {
  removePendingTemporaries();
  uninstallHandlers();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of CLEANUP_SIGNALS) process.on(signal, onCleanupSignal);
}

function uninstallHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  for (const signal of CLEANUP_SIGNALS) process.removeListener(signal, onCleanupSignal);
}

let exitHookInstalled = false;

// ---------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------

const HOST = hostname().replace(/[^A-Za-z0-9_-]/g, '_') || 'host';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A temporary file beside `target`: `.<name>.<host>.<pid>.<random>.tmp` in the same directory (same file
 * system, so renaming it over `target` is atomic). Until `release` is called it is removed if the process
 * ends before (see the module comment). The caller creates the file.
 */
export function temporaryFileFor(target: string): { path: string; release: () => void } {
  // Absolute: the janitor resolves names in its own working directory, which this process may have left.
  const absolute = path.resolve(target);
  const file = path.join(path.dirname(absolute), `.${path.basename(absolute)}.${HOST}.${process.pid}.${randomHex8()}.tmp`);
  pendingTemporaries.add(file);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', removePendingTemporaries);
  }
  if (!toldJanitor(file)) installHandlers();
  return {
    path: file,
    release: () => {
      pendingTemporaries.delete(file);
      if (pendingTemporaries.size === 0) uninstallHandlers();
    },
  };
}

/**
 * Eight random hex digits for a temporary's name. Math.random, not node:crypto (whose loading every run would
 * pay): the name needs only to differ from other runs' (it also carries host and PID), and the file is created
 * exclusively, so a clash fails rather than overwrites.
 */
function randomHex8(): string {
  return Math.floor(Math.random() * 2 ** 32)
    .toString(16)
    .padStart(8, '0');
}

/** True unless `pid` surely names no running process. */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the temporaries of `targets` left by processes of this host that no longer run (where neither the
 * janitor nor a handler could remove them). Each folder is listed once for all its targets: an output folder
 * may hold tens of thousands of files (a listing of 20 000 took ~15 ms here, once per output before). Best
 * effort: failures are ignored.
 */
export async function removeStaleTemporaries(targets: readonly string[]): Promise<void> {
  const namesByFolder = new Map<string, Set<string>>();
  for (const target of targets) {
    const absolute = path.resolve(target);
    const folder = path.dirname(absolute);
    if (!namesByFolder.has(folder)) namesByFolder.set(folder, new Set());
    namesByFolder.get(folder)!.add(path.basename(absolute));
  }
  // `.<name>.<host>.<pid>.<8 hex>.tmp`: the fixed tail is anchored, so <name> is whatever precedes it.
  const pattern = new RegExp(`^\\.(.+)\\.${escapeRegExp(HOST)}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
  await Promise.all(
    [...namesByFolder].map(async ([folder, targetNames]) => {
      let names: string[];
      try {
        names = await readdir(folder);
      } catch {
        return;
      }
      for (const name of names) {
        const m = pattern.exec(name);
        if (!m || !targetNames.has(m[1]) || Number(m[2]) === process.pid || processExists(Number(m[2]))) continue;
        await unlink(path.join(folder, name)).catch(() => undefined);
      }
    }),
  );
}
