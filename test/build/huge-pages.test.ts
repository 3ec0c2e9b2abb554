/**
 * bin/huge-pages.cjs: when the `occupy` command runs itself again with transparent huge pages, and that the run
 * so relaunched is the same run: the same files byte for byte, the same messages and exit codes, and signals
 * passed on both ways.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { repositoryRoot } from '../fixtures/fixture-cases.js';
import { inScratch } from '../scratch.js';
import { occupyBin } from '../cli/harness.js';

interface Decision {
  relaunch: boolean;
  why?: string;
  error?: string;
}
interface Facts {
  platform: string;
  env: NodeJS.ProcessEnv;
  execArgv: string[];
  args: string[];
  thpSetting: string | undefined;
  inputBytes: number | undefined;
  touchMsPerMiB: () => number;
}
const hugePages = createRequire(import.meta.url)(path.join(repositoryRoot(), 'bin', 'huge-pages.cjs')) as {
  decideRelaunch(facts: Facts): Decision;
  inputMapArgument(args: string[]): string | undefined;
  hugePageMode(text: string | undefined): string | undefined;
  childEnvironment(env: NodeJS.ProcessEnv, startedAt: number): NodeJS.ProcessEnv;
  MIN_INPUT_BYTES: number;
  SLOW_TOUCH_MS_PER_MIB: number;
};
const { decideRelaunch, inputMapArgument, hugePageMode, childEnvironment, MIN_INPUT_BYTES, SLOW_TOUCH_MS_PER_MIB } = hugePages;

const example = path.join(repositoryRoot(), 'examples', 'phantom_64.mrc');

/** A large map on a Linux host with slow memory and `[madvise]`: the case that relaunches; `changes` vary it. */
function facts(changes: Partial<Facts> = {}): Facts {
  return {
    platform: 'linux',
    env: {},
    execArgv: [],
    args: ['-i', 'map.mrc', '--occupancy'],
    thpSetting: 'always [madvise] never\n',
    inputBytes: MIN_INPUT_BYTES,
    touchMsPerMiB: () => SLOW_TOUCH_MS_PER_MIB * 3,
    ...changes,
  };
}

const neverAsked = () => {
  throw new Error('the memory was timed though the answer was known');
};

test('the input map is found in each of commander’s spellings, and not after --', () => {
  assert.equal(inputMapArgument(['-i', 'a.mrc']), 'a.mrc');
  assert.equal(inputMapArgument(['--occupancy', '--input-map', 'b.map']), 'b.map');
  assert.equal(inputMapArgument(['--input-map=c d.mrc']), 'c d.mrc');
  assert.equal(inputMapArgument(['-ie.mrc', '-am', '2']), 'e.mrc');
  assert.equal(inputMapArgument(['--occupancy']), undefined);
  assert.equal(inputMapArgument(['--', '-i', 'f.mrc']), undefined);
  assert.equal(inputMapArgument(['-i']), undefined);
});

test('the kernel’s huge-page setting is the bracketed word', () => {
  assert.equal(hugePageMode('always [madvise] never\n'), 'madvise');
  assert.equal(hugePageMode('[always] madvise never'), 'always');
  assert.equal(hugePageMode('always madvise [never]'), 'never');
  assert.equal(hugePageMode(undefined), undefined);
  assert.equal(hugePageMode(''), undefined);
});

test('a large map on a Linux host with slow fresh memory and madvise huge pages is relaunched', () => {
  assert.deepEqual(decideRelaunch(facts()), { relaunch: true });
  assert.deepEqual(decideRelaunch(facts({ args: ['--input-map=map.mrc'], env: { OCCUPY_HUGE_PAGES: 'auto' } })), { relaunch: true });
});

test('each condition alone keeps the run in this process, and the memory is timed only when all others hold', () => {
  const kept: [string, Partial<Facts>][] = [
    ['off', { env: { OCCUPY_HUGE_PAGES: 'off' } }],
    ['another system', { platform: 'darwin', touchMsPerMiB: neverAsked }],
    ['tunable set (the child)', { env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, touchMsPerMiB: neverAsked }],
    ['tunable set by the user, off', { env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2' }, touchMsPerMiB: neverAsked }],
    ['node flags', { execArgv: ['--inspect'], touchMsPerMiB: neverAsked }],
    ['thp always', { thpSetting: '[always] madvise never', touchMsPerMiB: neverAsked }],
    ['thp never', { thpSetting: 'always madvise [never]', touchMsPerMiB: neverAsked }],
    ['no thp file', { thpSetting: undefined, touchMsPerMiB: neverAsked }],
    ['no input', { args: ['--emdb', '3061'], inputBytes: undefined, touchMsPerMiB: neverAsked }],
    ['input missing', { inputBytes: undefined, touchMsPerMiB: neverAsked }],
    ['small input', { inputBytes: MIN_INPUT_BYTES - 1, touchMsPerMiB: neverAsked }],
    ['quick memory', { touchMsPerMiB: () => SLOW_TOUCH_MS_PER_MIB * 0.99 }],
  ];
  for (const [name, changes] of kept) {
    const decision = decideRelaunch(facts(changes));
    assert.equal(decision.relaunch, false, name);
    assert.equal(typeof decision.why, 'string', name);
  }
});

test('OCCUPY_HUGE_PAGES=on relaunches on Linux whatever the setting, map and memory; other values are refused', () => {
  const forced = { env: { OCCUPY_HUGE_PAGES: 'on' }, thpSetting: undefined, inputBytes: 0, touchMsPerMiB: neverAsked };
  assert.deepEqual(decideRelaunch(facts(forced)), { relaunch: true });
  assert.equal(decideRelaunch(facts({ ...forced, platform: 'win32' })).relaunch, false);
  assert.equal(decideRelaunch(facts({ ...forced, env: { OCCUPY_HUGE_PAGES: 'on', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' } })).relaunch, false);
  const refused = decideRelaunch(facts({ env: { OCCUPY_HUGE_PAGES: 'yes' }, touchMsPerMiB: neverAsked }));
  assert.equal(refused.relaunch, false);
  assert.match(refused.error ?? '', /OCCUPY_HUGE_PAGES is "yes": it takes on, off or auto/);
});

test('the child’s environment adds the tunable to the user’s and carries the first start', () => {
  const env = childEnvironment({ PATH: '/bin', GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 1234.5);
  assert.deepEqual(env, { PATH: '/bin', GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1', OCCUPY_RELAUNCHED_AT: '1234.5' });
  assert.equal(childEnvironment({}, 0).GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1');
});

// ---------------------------------------------------------------------------------------------------------
// The command relaunched (Linux: OCCUPY_HUGE_PAGES=on relaunches whatever the kernel's setting)
// ---------------------------------------------------------------------------------------------------------

const onLinux = { skip: process.platform !== 'linux' ? 'relaunching is for Linux only' : false };

function environment(hugePagesChoice: 'on' | 'off'): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OCCUPY_HUGE_PAGES: hugePagesChoice };
  delete env.GLIBC_TUNABLES;
  delete env.NODE_OPTIONS;
  return env;
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [occupyBin(), ...args], { env, encoding: 'utf8' });
}

/** Every file in `dir`, the report without what differs between any two runs (times, memory, command). */
function filesOf(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    let bytes = readFileSync(path.join(dir, name)).toString('base64');
    if (name.startsWith('report_')) {
      const report = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
      delete report.performance;
      delete report.command;
      bytes = JSON.stringify(report);
    }
    files.set(name, bytes);
  }
  return files;
}

test('a relaunched run writes the same files and says so under --verbose', onLinux, () =>
  inScratch('occupy-huge-pages-', (dir) => {
    const job = ['-i', example, '--occupancy', '-am', '2', '--seed', '4', '--verbose'];
    const relaunched = run([...job, '--output-dir', path.join(dir, 'on')], environment('on'));
    const plain = run([...job, '--output-dir', path.join(dir, 'off')], environment('off'));
    assert.equal(relaunched.status, 0, relaunched.stderr);
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(relaunched.stdout, /^Relaunched with transparent huge pages \(GLIBC_TUNABLES=glibc\.malloc\.hugetlb=1; fresh memory is slow to map here\), \d+\.\d\d s after the first start$/m);
    assert.doesNotMatch(plain.stdout, /Relaunched/);
    assert.deepEqual(filesOf(path.join(dir, 'on')), filesOf(path.join(dir, 'off')));
    // The start-up counted from the first process's start: more than the relaunch itself.
    const report = JSON.parse(readFileSync(path.join(dir, 'on', 'report_phantom_64.json'), 'utf8'));
    const relaunchSeconds = Number(/(\d+\.\d\d) s after the first start/.exec(relaunched.stdout)?.[1]);
    assert.ok(report.performance.stageSeconds['start-up'] > relaunchSeconds, JSON.stringify(report.performance.stageSeconds));
  }));

test('a relaunched run fails as the run in place does: the same line, the same exit code, no output', onLinux, () =>
  inScratch('occupy-huge-pages-', (dir) => {
    const notAMap = path.join(dir, 'notes.mrc');
    writeFileSync(notAMap, 'not a map\n');
    const out = path.join(dir, 'out');
    const relaunched = run(['-i', notAMap, '--output-dir', out], environment('on'));
    const plain = run(['-i', notAMap, '--output-dir', out], environment('off'));
    assert.notEqual(plain.status, 0);
    assert.equal(relaunched.status, plain.status);
    assert.equal(relaunched.stderr, plain.stderr);
    assert.equal(relaunched.stderr.trim().split('\n').length, 1, relaunched.stderr);
    assert.deepEqual(readdirSync(dir), ['notes.mrc']);
  }));

test('an unknown OCCUPY_HUGE_PAGES is one line and exit code 2', () => {
  const r = run(['-i', example], { ...environment('off'), OCCUPY_HUGE_PAGES: 'sometimes' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'occupy: OCCUPY_HUGE_PAGES is "sometimes": it takes on, off or auto\n');
});

/** `occupy gui` relaunched (it serves until stopped): its first process, once the child serves. */
function serveRelaunched(): Promise<{ parent: ReturnType<typeof spawn>; childPid: number; ended: Promise<{ code: number | null; signal: string | null }> }> {
  return new Promise((resolve, reject) => {
    const parent = spawn(process.execPath, [occupyBin(), 'gui', '--no-open'], { env: environment('on'), stdio: ['ignore', 'pipe', 'inherit'] });
    const ended = new Promise<{ code: number | null; signal: string | null }>((done) => parent.on('exit', (code, signal) => done({ code, signal })));
    let said = '';
    parent.stdout!.on('data', (d) => {
      said += d;
      if (!said.includes('OccuPy web app:')) return;
      const children = spawnSync('pgrep', ['-P', String(parent.pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
      if (children.length !== 1) reject(new Error(`expected one child of ${parent.pid}, found ${JSON.stringify(children)}`));
      else resolve({ parent, childPid: children[0], ended });
    });
    parent.on('error', reject);
  });
}

/** After a failed assertion: a server left running would keep this test process waiting on its pipe. */
function stopLeftOver(parent: ReturnType<typeof spawn>, childPid: number): void {
  for (const pid of [childPid, parent.pid]) if (pid !== undefined && isRunning(pid)) process.kill(pid, 'SIGKILL');
  parent.stdout?.destroy();
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('SIGTERM and SIGINT sent to the first process alone reach the child, and both end as the child does', onLinux, async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const { parent, childPid, ended } = await serveRelaunched();
    try {
      parent.kill(signal);
      // `occupy gui` stops cleanly on either signal and exits with 0: so does the process that relaunched it.
      assert.deepEqual(await ended, { code: 0, signal: null }, signal);
      assert.equal(isRunning(childPid), false, signal);
    } finally {
      stopLeftOver(parent, childPid);
    }
  }
});

test('a child killed by a signal ends the first process by the same signal', onLinux, async () => {
  const { parent, childPid, ended } = await serveRelaunched();
  try {
    process.kill(childPid, 'SIGKILL');
    assert.deepEqual(await ended, { code: null, signal: 'SIGKILL' });
  } finally {
    stopLeftOver(parent, childPid);
  }
});
