'use strict';
/**
 * Transparent huge pages for a large map's arrays, by running the CLI again in a child process whose C library
 * is told to ask for them (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, glibc 2.35 and later: `malloc` then marks
 * its large blocks with `madvise(MADV_HUGEPAGE)`, which is where Node keeps typed arrays). NumPy marks its large
 * arrays the same way. Node offers no `madvise`, and glibc reads its tunables only when a process starts.
 *
 * Why: every array the CLI fills is fresh memory, and the first touch of each 4 KiB page is a page fault. On
 * some virtual machines a fault costs ~10 µs instead of ~0.2 µs (measured on this project's 2-core build
 * machines: 3.3-3.6 ms per MiB touched; a 256³ estimate spent more of its time in faults than in arithmetic,
 * 1.59 s against 0.84 s with huge pages, which fault once per 2 MiB).
 *
 * When: only where it pays for a second Node start (~0.1 s): on Linux, when the kernel gives huge pages to
 * memory marked for them (`[madvise]` in /sys/kernel/mm/transparent_hugepage/enabled; with `[always]` every
 * process has them already, with `[never]` none can), the input map's file (`-i`) is at least MIN_INPUT_BYTES, and
 * touching fresh memory here is slow (SLOW_TOUCH_MS_PER_MIB, timed on 1 MiB: ~0.1 ms on bare metal). Never when
 * GLIBC_TUNABLES already names the setting (the child, or a user's own choice), when Node was started with
 * flags of its own (`--inspect` and the like belong to one process), or with OCCUPY_HUGE_PAGES=off;
 * OCCUPY_HUGE_PAGES=on relaunches on Linux whatever the kernel's setting, the map and the memory's speed. The outputs are the same either way: the same code
 * runs on the same numbers, only the memory is mapped differently.
 *
 * The child inherits the terminal; this process waits for it, passes on SIGINT, SIGTERM and SIGHUP (Ctrl-C
 * reaches both already; a `kill` of this process alone reaches the child so), and ends as the child ended: with
 * its exit code, or by the same signal.
 * RELAUNCHED_AT tells the child when this process started, so that its reported start-up includes both starts.
 */
const { spawn } = require('node:child_process');
const { readFileSync, statSync } = require('node:fs');

const HUGE_PAGE_TUNABLE = 'glibc.malloc.hugetlb';
// Measured here (11 interleaved runs each): 144³ (11.4 MiB) 0.60 s either way, 160³ (15.6 MiB) 0.67 -> 0.65 s,
// 192³ (27 MiB) 0.83 -> 0.66 s.
const MIN_INPUT_BYTES = 16 * 2 ** 20;
const SLOW_TOUCH_MS_PER_MIB = 1;
const RELAUNCHED_AT = 'OCCUPY_RELAUNCHED_AT';
const THP_SETTING = '/sys/kernel/mm/transparent_hugepage/enabled';
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The value of `-i` / `--input-map` in the CLI's arguments (commander's spellings), or undefined. */
function inputMapArgument(args) {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return undefined;
    if (arg === '-i' || arg === '--input-map') return args[i + 1];
    if (arg.startsWith('--input-map=')) return arg.slice('--input-map='.length);
    if (arg.startsWith('-i') && !arg.startsWith('--')) return arg.slice(2);
  }
  return undefined;
}

/** The bracketed choice in the kernel's setting (`always [madvise] never` gives `madvise`), or undefined. */
function hugePageMode(settingText) {
  return /\[(\w+)\]/.exec(settingText ?? '')?.[1];
}

/**
 * Whether to relaunch, from what the caller found out: { platform, env, execArgv, args, thpSetting (text of
 * THP_SETTING or undefined), inputBytes (or undefined), touchMsPerMiB (a function, asked last: it costs ~3 ms
 * where memory is slow) }. Returns { relaunch: true }, { relaunch: false, why }, or { relaunch: false, error }
 * for an OCCUPY_HUGE_PAGES it does not know.
 */
function decideRelaunch(facts) {
  const { platform, env, execArgv, args } = facts;
  const choice = env.OCCUPY_HUGE_PAGES || 'auto';
  if (!['auto', 'on', 'off'].includes(choice)) return { relaunch: false, error: `OCCUPY_HUGE_PAGES is "${choice}": it takes on, off or auto` };
  if (choice === 'off') return { relaunch: false, why: 'OCCUPY_HUGE_PAGES=off' };
  if (platform !== 'linux') return { relaunch: false, why: `not Linux (${platform})` };
  if ((env.GLIBC_TUNABLES ?? '').includes(HUGE_PAGE_TUNABLE)) return { relaunch: false, why: `GLIBC_TUNABLES names ${HUGE_PAGE_TUNABLE}` };
  if (execArgv.length > 0) return { relaunch: false, why: 'Node was started with flags' };
  if (choice === 'on') return { relaunch: true };
  const mode = hugePageMode(facts.thpSetting);
  if (mode !== 'madvise') return { relaunch: false, why: `transparent huge pages: ${mode ?? 'not available'}` };
  if (inputMapArgument(args) === undefined) return { relaunch: false, why: 'no input map' };
  if (!(facts.inputBytes >= MIN_INPUT_BYTES)) return { relaunch: false, why: 'a small input map' };
  const touch = facts.touchMsPerMiB();
  if (!(touch >= SLOW_TOUCH_MS_PER_MIB)) return { relaunch: false, why: `fresh memory is quick here (${touch.toFixed(2)} ms per MiB)` };
  return { relaunch: true };
}

/** Milliseconds to first touch 1 MiB of fresh memory (an allocation this large is mapped anew by malloc). */
function touchMsPerMiB() {
  const started = process.hrtime.bigint();
  Buffer.allocUnsafeSlow(2 ** 20).fill(1);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function readOrUndefined(read) {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** The environment of the child: GLIBC_TUNABLES with the huge-page setting added to any the user has. */
function childEnvironment(env, startedAt) {
  const tunables = env.GLIBC_TUNABLES ? `${env.GLIBC_TUNABLES}:${HUGE_PAGE_TUNABLE}=1` : `${HUGE_PAGE_TUNABLE}=1`;
  return { ...env, GLIBC_TUNABLES: tunables, [RELAUNCHED_AT]: String(startedAt) };
}

/**
 * Runs the CLI at `entry` again with huge pages when decideRelaunch says so, and returns true (this process then
 * only waits for the child and ends as it did); says what is wrong with OCCUPY_HUGE_PAGES and returns true, the
 * exit code set, if it has a value it does not know; otherwise returns false and changes nothing.
 */
function relaunchWithHugePages(entry, args) {
  const decision = decideRelaunch({
    platform: process.platform,
    env: process.env,
    execArgv: process.execArgv,
    args,
    get thpSetting() {
      return readOrUndefined(() => readFileSync(THP_SETTING, 'latin1'));
    },
    get inputBytes() {
      const input = inputMapArgument(args);
      return input === undefined ? undefined : readOrUndefined(() => statSync(input).size);
    },
    touchMsPerMiB,
  });
  if (decision.error) {
    process.stderr.write(`occupy: ${decision.error}\n`);
    process.exitCode = 2;
    return true;
  }
  if (!decision.relaunch) return false;
  const startedAt = performance.timeOrigin;
  const child = spawn(process.execPath, [entry, ...args], { stdio: 'inherit', env: childEnvironment(process.env, startedAt) });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`occupy: internal error: could not start ${process.execPath}: ${error.message}\n`);
    process.exitCode = 3;
  });
  child.on('exit', (code, signal) => {
    for (const s of FORWARDED_SIGNALS) process.off(s, forward);
    if (signal) {
      process.kill(process.pid, signal);
      return;
    }
    process.exitCode = code ?? 3;
  });
  return true;
}

module.exports = { relaunchWithHugePages, decideRelaunch, inputMapArgument, hugePageMode, childEnvironment, RELAUNCHED_AT, MIN_INPUT_BYTES, SLOW_TOUCH_MS_PER_MIB };
