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
 * When (decideRelaunch): only where it pays for a second Node start (0.1-0.2 s): on Linux, when the kernel
 * gives huge pages to memory marked for them (`[madvise]` in /sys/kernel/mm/transparent_hugepage/enabled; with
 * `[always]` every process has them already, with `[never]` none can), the input map's file (`-i`, or the map
 * an earlier `--emdb` run kept) is at least MIN_INPUT_BYTES, touching fresh memory here is slow
 * (SLOW_TOUCH_MS_PER_MIB, timed on 1 MiB: ~0.1 ms on bare metal), and the C library is glibc 2.35 or later. Never when GLIBC_TUNABLES already names the setting (the
 * child, or a user's own choice), or when Node was started with flags (on its command line, or debugging,
 * profiling or preloading ones in NODE_OPTIONS: those belong to one process). OCCUPY_HUGE_PAGES=off never
 * relaunches; OCCUPY_HUGE_PAGES=on relaunches every command on Linux but for those two cases, whatever the
 * kernel's setting, the map and the memory's speed. The outputs are the same either way: the same code runs on
 * the same numbers, only the memory is mapped differently.
 *
 * The child inherits the terminal and ends when this process does: it watches an IPC channel to this one
 * (watchFirstProcess), so that even a SIGKILL of this process alone ends the run without outputs (see
 * src/io/temporaries.ts), once the stage it is in (synchronous code) lets the channel's news through. This
 * process waits, passes on SIGTERM, SIGHUP and SIGQUIT, and SIGINT if the child still runs 250 ms later
 * (Ctrl-C at a terminal reaches the child itself), and ends as the child ended: with its exit code, or by the
 * same signal.
 * RELAUNCHED tells the child when this process started, why it relaunched, and the user's own values of the
 * variables changed for it, which the CLI gives back to the programs it starts (src/cli/relaunch.ts).
 *
 * The child starts without NODE_EXTRA_CA_CERTS unless the command downloads (`--emdb`): Node reads those
 * certificates as it starts whether or not anything is fetched (~50 ms on these machines; a 256³ estimate
 * 1.10 -> 1.01 s, 11 interleaved runs each).
 */
const { spawn } = require('node:child_process');
const { readFileSync, statSync } = require('node:fs');
const path = require('node:path');
const { constants } = require('node:os');

const HUGE_PAGE_TUNABLE = 'glibc.malloc.hugetlb';
// Measured here (11 interleaved runs each, `--occupancy`, OCCUPY_HUGE_PAGES off -> on, the child without the
// certificates): 128³ (8 MiB) 0.45 -> 0.46 s, 144³ (11.4 MiB) 0.50 -> 0.47 s, 160³ (15.6 MiB) 0.61 -> 0.53 s.
const MIN_INPUT_BYTES = 10 * 2 ** 20;
const SLOW_TOUCH_MS_PER_MIB = 1;
const RELAUNCHED = 'OCCUPY_RELAUNCHED';
const CERTIFICATES = 'NODE_EXTRA_CA_CERTS';
const THP_SETTING = '/sys/kernel/mm/transparent_hugepage/enabled';
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
const INTERRUPT_PASSED_ON_AFTER_MS = 250;
// NODE_OPTIONS that act once per process: a second process would attach, profile or preload twice.
const ONE_PROCESS_OPTIONS = /(^|\s)(--inspect|--debug|--prof|--cpu-prof|--heap-prof|--require|-r(\s|$)|--import|--loader|--experimental-loader|--diagnostic-dir|--report)/;

/**
 * The value of the last `long` option (`--long value`, `--long=value`) or `short` one (`-s value`, `-svalue`)
 * in the CLI's arguments, as commander reads them (it takes the last). A `--` does not end the search: it can
 * be an option's value (`-o -- -i map.mrc`), and as the end of the options the CLI refuses what follows it
 * anyway.
 */
function lastOptionValue(args, long, short) {
  let value;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === long || arg === short) value = args[++i];
    else if (arg.startsWith(`${long}=`)) value = arg.slice(long.length + 1);
    else if (short && arg.startsWith(short) && !arg.startsWith('--')) value = arg.slice(short.length);
  }
  return value;
}

/** The input map (`-i` / `--input-map`) in the CLI's arguments. */
function inputMapArgument(args) {
  return lastOptionValue(args, '--input-map', '-i');
}

/**
 * The map the last `--emdb` would use without downloading: `emd_<number>.map` in the working directory, kept
 * there by an earlier run (src/cli/emdb.ts names it so; test/build/huge-pages.test.ts checks that the two
 * agree); undefined without `--emdb`, or for an id that is not an entry number.
 */
function emdbMapArgument(args) {
  const number = /^(?:emd[-_]?)?(\d{4,})$/i.exec(String(lastOptionValue(args, '--emdb') ?? '').trim())?.[1];
  return number === undefined ? undefined : path.resolve(`emd_${number}.map`);
}

/** The bracketed choice in the kernel's setting (`always [madvise] never` gives `madvise`), or undefined. */
function hugePageMode(settingText) {
  return /\[(\w+)\]/.exec(settingText ?? '')?.[1];
}

/** Whether a glibc version string (`2.36`) is 2.35 or later, the first with the huge-page tunable. */
function hasHugePageTunable(glibcVersion) {
  const [major, minor] = String(glibcVersion ?? '').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 35);
}

/**
 * Whether to relaunch, from what the caller found out: { platform, env, execArgv, thpSetting (text of
 * THP_SETTING or undefined), inputBytes (the input map's file size, or undefined), touchMsPerMiB and
 * glibcVersion (functions, asked last: they cost ~3 ms where memory is slow and ~7 ms) }. Returns
 * { relaunch, why }, with `warning` for an OCCUPY_HUGE_PAGES it does not know (taken as auto).
 */
function decideRelaunch(facts) {
  const { platform, env, execArgv } = facts;
  const given = env.OCCUPY_HUGE_PAGES ?? '';
  let choice = given.toLowerCase() || 'auto';
  let warning;
  if (!['auto', 'on', 'off'].includes(choice)) {
    warning = `OCCUPY_HUGE_PAGES is "${given}" (it takes on, off or auto): taken as auto`;
    choice = 'auto';
  }
  const decided = (relaunch, why) => (warning ? { relaunch, why, warning } : { relaunch, why });
  if (choice === 'off') return decided(false, 'OCCUPY_HUGE_PAGES=off');
  if (platform !== 'linux') return decided(false, `not Linux (${platform})`);
  if ((env.GLIBC_TUNABLES ?? '').includes(HUGE_PAGE_TUNABLE)) return decided(false, `GLIBC_TUNABLES names ${HUGE_PAGE_TUNABLE}`);
  if (execArgv.length > 0) return decided(false, 'Node was started with flags');
  if (ONE_PROCESS_OPTIONS.test(env.NODE_OPTIONS ?? '')) return decided(false, 'NODE_OPTIONS has flags for one process');
  if (choice === 'on') return decided(true, 'OCCUPY_HUGE_PAGES=on');
  // Undefined without an input map, or for one that cannot be read (the run then says why). Asked before the
  // kernel's setting: commands without a map (--help, gui) then read no file.
  if (!(facts.inputBytes >= MIN_INPUT_BYTES)) return decided(false, `no input map of at least ${MIN_INPUT_BYTES / 2 ** 20} MiB`);
  const mode = hugePageMode(facts.thpSetting);
  if (mode !== 'madvise') return decided(false, `transparent huge pages: ${mode ?? 'not available'}`);
  const touch = facts.touchMsPerMiB();
  if (!(touch >= SLOW_TOUCH_MS_PER_MIB)) return decided(false, `fresh memory is quick here (${touch.toFixed(2)} ms per MiB)`);
  const glibc = facts.glibcVersion();
  if (!hasHugePageTunable(glibc)) return decided(false, `the C library is not glibc 2.35 or later (${glibc ?? 'not glibc'})`);
  return decided(true, `first touching 1 MiB of fresh memory took ${touch.toFixed(1)} ms here`);
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

/** The facts decideRelaunch needs, read from this process and host (the costly ones only when asked). */
function factsOfThisProcess(args) {
  return {
    platform: process.platform,
    env: process.env,
    execArgv: process.execArgv,
    get thpSetting() {
      return readOrUndefined(() => readFileSync(THP_SETTING, 'latin1'));
    },
    get inputBytes() {
      // Resolving the --emdb map fails too where the working directory is gone (the run then says why).
      return readOrUndefined(() => {
        const input = inputMapArgument(args) ?? emdbMapArgument(args);
        return input === undefined ? undefined : statSync(input).size;
      });
    },
    touchMsPerMiB,
    glibcVersion: () => readOrUndefined(() => process.report.getReport().header.glibcVersionRuntime),
  };
}

/**
 * Whether the CLI's arguments may ask for a download (`--emdb`, the only one), which needs the user's
 * certificates: `--emdb` anywhere, even after a `--` (which may be an option's value) or as another option's
 * value (a wrong yes costs only the certificates' load).
 */
function downloads(args) {
  return args.some((arg) => arg === '--emdb' || arg.startsWith('--emdb='));
}

/**
 * The environment of the child: GLIBC_TUNABLES with the huge-page setting added to any the user has, no
 * NODE_EXTRA_CA_CERTS unless the command downloads, and RELAUNCHED: { at: this process's start (ms since the
 * epoch), why, userEnvironment: the user's own value (null: unset) of each variable changed }.
 */
function childEnvironment(env, startedAt, why, args) {
  const ownTunables = env.GLIBC_TUNABLES;
  const child = { ...env, GLIBC_TUNABLES: ownTunables ? `${ownTunables}:${HUGE_PAGE_TUNABLE}=1` : `${HUGE_PAGE_TUNABLE}=1` };
  const userEnvironment = { GLIBC_TUNABLES: ownTunables ?? null };
  if (env[CERTIFICATES] !== undefined && !downloads(args)) {
    userEnvironment[CERTIFICATES] = env[CERTIFICATES];
    delete child[CERTIFICATES];
  }
  child[RELAUNCHED] = JSON.stringify({ at: startedAt, why, userEnvironment });
  return child;
}

/**
 * Runs the CLI at `entry` again with huge pages when decideRelaunch says so (this process then only waits for
 * the child and ends as it did), else calls `runInPlace`; also when the child cannot be started.
 */
function relaunchWithHugePagesOr(runInPlace, entry, args) {
  const decision = decideRelaunch(factsOfThisProcess(args));
  if (decision.warning) process.stderr.write(`occupy: warning: ${decision.warning}\n`);
  if (!decision.relaunch) {
    runInPlace();
    return;
  }
  // Listened for before the spawn, so that a signal during it does not end this process by its default action
  // (the listeners run only once the spawn has returned, the child there).
  let child;
  let interruptTimer;
  const forward = (signal) => {
    // Ctrl-C at a terminal reaches the child itself: passed on only if the child is still running a moment
    // later (a SIGINT sent to this process alone), so that one Ctrl-C does not interrupt the child's own
    // handling of it a second time.
    if (signal === 'SIGINT') {
      interruptTimer ??= setTimeout(() => {
        interruptTimer = undefined;
        child.kill(signal);
      }, INTERRUPT_PASSED_ON_AFTER_MS);
    } else child.kill(signal);
  };
  const stopForwarding = () => {
    clearTimeout(interruptTimer);
    FORWARDED_SIGNALS.forEach((s) => process.off(s, forward));
  };
  FORWARDED_SIGNALS.forEach((s) => process.on(s, forward));
  child = spawn(process.execPath, [entry, ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: childEnvironment(process.env, performance.timeOrigin, decision.why, args),
  });
  child.on('error', () => {
    // Not started (no process, no output): the run goes on here, without huge pages.
    stopForwarding();
    runInPlace();
  });
  child.on('exit', (code, signal) => {
    stopForwarding();
    // The status a shell gives a process ended by a signal, should the signal not end this one.
    process.exitCode = signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 3);
    if (signal) process.kill(process.pid, signal);
  });
}

/**
 * In the child: ends the run (SIGKILL, which the CLI's janitor expects; see src/io/temporaries.ts) when the
 * first process is gone, however it ended: as soon as the event loop hears of it, after the synchronous stage
 * running then (up to a few seconds on a large map). The channel does not keep the child alive.
 */
function watchFirstProcess() {
  if (!process.env[RELAUNCHED] || !process.channel) return;
  process.channel.unref();
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}

module.exports = {
  relaunchWithHugePagesOr,
  watchFirstProcess,
  decideRelaunch,
  factsOfThisProcess,
  inputMapArgument,
  emdbMapArgument,
  hugePageMode,
  hasHugePageTunable,
  childEnvironment,
  downloads,
  RELAUNCHED,
  MIN_INPUT_BYTES,
  SLOW_TOUCH_MS_PER_MIB,
};
