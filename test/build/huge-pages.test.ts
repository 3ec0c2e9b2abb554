/**
 * bin/huge-pages.cjs: when the `occupy` command runs itself again with transparent huge pages, and that the run
 * so relaunched is the same run: the same files byte for byte, the same messages and exit codes, and signals
 * passed on both ways.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { repositoryRoot } from '../fixtures/fixture-cases.js';
import { inScratch } from '../scratch.js';
import { occupyBin, runInRemovedFolder } from '../cli/harness.js';
import { relaunchMilliseconds, relaunchOf, takeRelaunch } from '../../src/cli/relaunch.js';
import {
  hasHugePageTunable as cliHasHugePageTunable,
  hugePageFactsOfThisProcess,
  hugePageMode as cliHugePageMode,
  typedArraysAloneGetHugePages,
} from '../../src/cli/huge-page-arrays.js';
import { emdbNumber } from '../../src/cli/emdb.js';

interface Decision {
  relaunch: boolean;
  why: string;
  warning?: string;
}
interface Facts {
  platform: string;
  env: NodeJS.ProcessEnv;
  execArgv: string[];
  thpSetting: string | undefined;
  inputBytes: number | undefined;
  touchMsPerMiB: () => number;
  glibcVersion: () => string | undefined;
}
const hugePages = createRequire(import.meta.url)(path.join(repositoryRoot(), 'bin', 'huge-pages.cjs')) as {
  decideRelaunch(facts: Facts): Decision;
  factsOfThisProcess(args: string[]): Facts;
  inputMapArgument(args: string[]): string | undefined;
  emdbMapArgument(args: string[]): string | undefined;
  hugePageMode(text: string | undefined): string | undefined;
  hasHugePageTunable(version: string | undefined): boolean;
  childEnvironment(env: NodeJS.ProcessEnv, startedAt: number, why: string, args: string[]): NodeJS.ProcessEnv;
  downloads(args: string[]): boolean;
  MIN_INPUT_BYTES: number;
  SLOW_TOUCH_MS_PER_MIB: number;
};
const { decideRelaunch, factsOfThisProcess, inputMapArgument, emdbMapArgument, hugePageMode, hasHugePageTunable, childEnvironment, downloads, MIN_INPUT_BYTES, SLOW_TOUCH_MS_PER_MIB } =
  hugePages;

const example = path.join(repositoryRoot(), 'examples', 'phantom_64.mrc');

/** A large map on a Linux host with slow memory and `[madvise]`: the case that relaunches; `changes` vary it. */
function facts(changes: Partial<Facts> = {}): Facts {
  return {
    platform: 'linux',
    env: {},
    execArgv: [],
    thpSetting: 'always [madvise] never\n',
    inputBytes: MIN_INPUT_BYTES,
    touchMsPerMiB: () => SLOW_TOUCH_MS_PER_MIB * 3,
    glibcVersion: () => '2.36',
    ...changes,
  };
}

const neverAsked = () => {
  throw new Error('asked for a costly fact though the answer was known');
};

test('the input map is found in each of commander’s spellings, also after a -- (an option’s value, or refused)', () => {
  assert.equal(inputMapArgument(['-i', 'a.mrc']), 'a.mrc');
  assert.equal(inputMapArgument(['--occupancy', '--input-map', 'b.map']), 'b.map');
  assert.equal(inputMapArgument(['--input-map=c d.mrc']), 'c d.mrc');
  assert.equal(inputMapArgument(['-ie.mrc', '-am', '2']), 'e.mrc');
  assert.equal(inputMapArgument(['--occupancy']), undefined);
  assert.equal(inputMapArgument(['-o', '--', '-i', 'f.mrc']), 'f.mrc');
  assert.equal(inputMapArgument(['-i']), undefined);
  // commander keeps the last of a repeated option.
  assert.equal(inputMapArgument(['-i', 'small.mrc', '--input-map', 'large.mrc']), 'large.mrc');
  assert.equal(inputMapArgument(['-ilarge.mrc', '-i', 'small.mrc']), 'small.mrc');
});

test('the map an earlier --emdb run kept is found as the CLI names it, for the last --emdb', () => {
  // The same ids as the CLI's, named the same, and none that the CLI refuses.
  for (const id of ['3061', 'EMD-3061', 'emd_12345', ' emd-0042 ', 'x', '123', 'EMD 3061', 'emdb-3061', '3061.map', '']) {
    let expected: string | undefined;
    try {
      expected = path.resolve(`emd_${emdbNumber(id)}.map`);
    } catch {
      expected = undefined;
    }
    assert.equal(emdbMapArgument(['--emdb', id, '--occupancy']), expected, id);
  }
  assert.equal(emdbMapArgument(['--emdb=EMD-1234']), path.resolve('emd_1234.map'));
  assert.equal(emdbMapArgument(['--emdb', '1111', '--emdb', '2222']), path.resolve('emd_2222.map'));
  assert.equal(emdbMapArgument(['-o', '--', '--emdb', '1234']), path.resolve('emd_1234.map'));
  for (const args of [[], ['--emdb'], ['--emdb-server', '1234']]) assert.equal(emdbMapArgument(args), undefined, args.join(' '));
});

test('the kernel’s huge-page setting is the bracketed word', () => {
  assert.equal(hugePageMode('always [madvise] never\n'), 'madvise');
  assert.equal(hugePageMode('[always] madvise never'), 'always');
  assert.equal(hugePageMode('always madvise [never]'), 'never');
  assert.equal(hugePageMode(undefined), undefined);
  assert.equal(hugePageMode(''), undefined);
});

test('glibc has the huge-page tunable from 2.35', () => {
  for (const v of ['2.35', '2.36', '2.40', '3.0']) assert.equal(hasHugePageTunable(v), true, v);
  for (const v of ['2.34', '2.31', '2.28', '1.99', '', undefined]) assert.equal(hasHugePageTunable(v), false, String(v));
});

test('the CLI reads the setting and the glibc version as the launcher does', () => {
  for (const text of ['always [madvise] never\n', '[always] madvise never', 'always madvise [never]', undefined, '', 'madvise']) {
    assert.equal(cliHugePageMode(text), hugePageMode(text), String(text));
  }
  for (const v of ['2.35', '2.36', '2.40', '3.0', '2.34', '2.28', '', undefined, '2', 'x.y']) assert.equal(cliHasHugePageTunable(v), hasHugePageTunable(v), String(v));
});

test('typed arrays alone get huge pages where glibc was told to ask for them and the kernel gives them on request only', () => {
  const asked: string[] = [];
  const facts = (tunables: string | undefined, thp = 'always [madvise] never', glibc = '2.36') => ({
    tunables,
    thpSetting: () => (asked.push('thp'), thp),
    glibcVersion: () => (asked.push('glibc'), glibc),
  });
  assert.equal(typedArraysAloneGetHugePages(facts('glibc.malloc.hugetlb=1')), true, 'as relaunched');
  assert.equal(typedArraysAloneGetHugePages(facts('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1')), true, 'after the user’s own');
  assert.equal(typedArraysAloneGetHugePages(facts('glibc.malloc.hugetlb=1:glibc.malloc.arena_max=2')), true, 'the user’s own, first');
  asked.length = 0;
  for (const tunables of [undefined, '', 'glibc.malloc.arena_max=2', 'glibc.malloc.hugetlb=0', 'glibc.malloc.hugetlb=10']) {
    assert.equal(typedArraysAloneGetHugePages(facts(tunables)), false, String(tunables));
  }
  assert.deepEqual(asked, [], 'without the tunable, neither the kernel nor glibc is asked');
  assert.equal(typedArraysAloneGetHugePages(facts('glibc.malloc.hugetlb=1', '[always] madvise never')), false, 'every memory has them');
  assert.equal(typedArraysAloneGetHugePages(facts('glibc.malloc.hugetlb=1', 'always madvise [never]')), false, 'none has them');
  assert.equal(typedArraysAloneGetHugePages(facts('glibc.malloc.hugetlb=1', 'always [madvise] never', '2.34')), false, 'glibc too old');
});

test('a large map on a Linux host with slow fresh memory, madvise huge pages and glibc 2.35+ is relaunched', () => {
  assert.deepEqual(decideRelaunch(facts()), { relaunch: true, why: 'first touching 1 MiB of fresh memory took 3.0 ms here' });
  assert.equal(decideRelaunch(facts({ env: { OCCUPY_HUGE_PAGES: 'auto' } })).relaunch, true);
  // Flags that a second process may repeat harmlessly do not keep the run here.
  assert.equal(decideRelaunch(facts({ env: { NODE_OPTIONS: '--max-old-space-size=8192' } })).relaunch, true);
});

test('each condition alone keeps the run in this process, and the memory is timed only when all others hold', () => {
  const kept: [string, Partial<Facts>][] = [
    ['off', { env: { OCCUPY_HUGE_PAGES: 'off' } }],
    ['another system', { platform: 'darwin', touchMsPerMiB: neverAsked }],
    ['tunable set (the child)', { env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, touchMsPerMiB: neverAsked }],
    ['tunable set by the user, off', { env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2' }, touchMsPerMiB: neverAsked }],
    ['node flags', { execArgv: ['--inspect'], touchMsPerMiB: neverAsked }],
    ['inspector in NODE_OPTIONS', { env: { NODE_OPTIONS: '--inspect=127.0.0.1:9555' }, touchMsPerMiB: neverAsked }],
    ['preload in NODE_OPTIONS', { env: { NODE_OPTIONS: '--max-old-space-size=4096 -r ./hook.cjs' }, touchMsPerMiB: neverAsked }],
    ['profiler in NODE_OPTIONS', { env: { NODE_OPTIONS: '--cpu-prof' }, touchMsPerMiB: neverAsked }],
    ['thp always', { thpSetting: '[always] madvise never', touchMsPerMiB: neverAsked }],
    ['thp never', { thpSetting: 'always madvise [never]', touchMsPerMiB: neverAsked }],
    ['no thp file', { thpSetting: undefined, touchMsPerMiB: neverAsked }],
    ['no input', { inputBytes: undefined, touchMsPerMiB: neverAsked }],
    ['input missing', { inputBytes: undefined, touchMsPerMiB: neverAsked }],
    ['small input', { inputBytes: MIN_INPUT_BYTES - 1, touchMsPerMiB: neverAsked }],
    ['quick memory', { touchMsPerMiB: () => SLOW_TOUCH_MS_PER_MIB * 0.99, glibcVersion: neverAsked }],
    ['old glibc', { glibcVersion: () => '2.31' }],
    ['musl', { glibcVersion: () => undefined }],
  ];
  for (const [name, changes] of kept) {
    const decision = decideRelaunch(facts(changes));
    assert.equal(decision.relaunch, false, name);
    assert.equal(typeof decision.why, 'string', name);
  }
});

test('OCCUPY_HUGE_PAGES=on relaunches on Linux whatever the setting, map and memory; unknown values are taken as auto', () => {
  const forced = { env: { OCCUPY_HUGE_PAGES: 'on' }, thpSetting: undefined, inputBytes: 0, touchMsPerMiB: neverAsked, glibcVersion: neverAsked };
  assert.deepEqual(decideRelaunch(facts(forced)), { relaunch: true, why: 'OCCUPY_HUGE_PAGES=on' });
  assert.equal(decideRelaunch(facts({ ...forced, env: { OCCUPY_HUGE_PAGES: 'ON' } })).relaunch, true);
  assert.equal(decideRelaunch(facts({ ...forced, platform: 'win32' })).relaunch, false);
  assert.equal(decideRelaunch(facts({ ...forced, env: { OCCUPY_HUGE_PAGES: 'on', GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' } })).relaunch, false);
  assert.equal(decideRelaunch(facts({ env: { OCCUPY_HUGE_PAGES: 'Off' }, touchMsPerMiB: neverAsked })).relaunch, false);
  const unknown = decideRelaunch(facts({ env: { OCCUPY_HUGE_PAGES: 'yes' } }));
  assert.equal(unknown.relaunch, true);
  assert.equal(unknown.warning, 'OCCUPY_HUGE_PAGES is "yes" (it takes on, off or auto): taken as auto');
});

test('the child’s environment adds the tunable to the user’s and says when, why and what the user had', () => {
  const env = childEnvironment({ PATH: '/bin', GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 1234.5, 'because', ['-i', 'a.mrc']);
  assert.deepEqual(env, {
    PATH: '/bin',
    GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1',
    OCCUPY_RELAUNCHED: JSON.stringify({ at: 1234.5, why: 'because', userEnvironment: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' } }),
  });
  assert.equal(childEnvironment({}, 0, 'x', []).GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1');
});

test('the child starts without the user’s extra certificates unless the command downloads (--emdb)', () => {
  // `--` can be an option's value (`--output-dir -- --emdb 3061` downloads): not the end of the options here.
  const downloading = [['--emdb', '3061'], ['--emdb=3061', '--occupancy'], ['--output-dir', '--', '--emdb', '1']];
  for (const args of downloading) assert.equal(downloads(args), true, args.join(' '));
  const notDownloading = [[], ['-i', 'a.mrc', '--occupancy'], ['-i', 'emdb.mrc', '-o', 'x--emdb.mrc'], ['-i', 'a.mrc', '--emdb-server', 'http://x']];
  for (const args of notDownloading) assert.equal(downloads(args), false, args.join(' '));
  const user = { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/my.pem' };
  const local = childEnvironment(user, 1, 'w', ['-i', 'a.mrc']);
  assert.equal(local.NODE_EXTRA_CA_CERTS, undefined);
  assert.deepEqual(JSON.parse(local.OCCUPY_RELAUNCHED ?? '').userEnvironment, { GLIBC_TUNABLES: null, NODE_EXTRA_CA_CERTS: '/etc/my.pem' });
  const fetching = childEnvironment(user, 1, 'w', ['--emdb', '3061']);
  assert.equal(fetching.NODE_EXTRA_CA_CERTS, '/etc/my.pem');
  assert.deepEqual(JSON.parse(fetching.OCCUPY_RELAUNCHED ?? '').userEnvironment, { GLIBC_TUNABLES: null });
});

test('the CLI takes its relaunch out of the environment, giving back the user’s own', () => {
  const variants: NodeJS.ProcessEnv[] = [{}, { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, { NODE_EXTRA_CA_CERTS: '/etc/my.pem' }];
  for (const own of variants) {
    for (const args of [['-i', 'a.mrc'], ['--emdb', '1']]) {
      const user: NodeJS.ProcessEnv = { PATH: '/bin', ...own };
      const env = childEnvironment(user, 1000, 'why not', args);
      const relaunch = takeRelaunch(env);
      assert.equal(relaunch?.at, 1000);
      assert.equal(relaunch?.why, 'why not');
      assert.deepEqual(env, user);
      assert.equal(takeRelaunch(env), undefined);
    }
  }
  const junk = ['', 'x', '{"at":"soon","why":"w","userEnvironment":{}}', '{"at":1,"why":2,"userEnvironment":{}}', '{"at":1,"why":"w"}'];
  for (const text of [...junk, '{"at":1,"why":"w","userEnvironment":{"A":3}}', '{"at":1,"why":"w","userEnvironment":[]}']) {
    assert.equal(relaunchOf({ OCCUPY_RELAUNCHED: text }), undefined, text);
  }
  assert.equal(relaunchMilliseconds({ at: performance.timeOrigin - 2500, why: '', userEnvironment: {} }), 2500);
});

test('the facts of this process are read from where the decision says', () => {
  const f = factsOfThisProcess(['--occupancy', '-i', example]);
  assert.equal(f.inputBytes, statSync(example).size);
  assert.equal(factsOfThisProcess(['--occupancy']).inputBytes, undefined);
  inScratch('occupy-huge-pages-', (dir) => {
    const before = process.cwd();
    process.chdir(dir);
    try {
      assert.equal(factsOfThisProcess(['--emdb', '1234']).inputBytes, undefined, 'not downloaded yet');
      writeFileSync('emd_1234.map', Buffer.alloc(4321));
      assert.equal(factsOfThisProcess(['--emdb', 'EMD-1234']).inputBytes, 4321);
    } finally {
      process.chdir(before);
    }
  });
  const setting = '/sys/kernel/mm/transparent_hugepage/enabled';
  assert.equal(f.thpSetting, existsSync(setting) ? readFileSync(setting, 'latin1') : undefined);
  assert.ok(f.touchMsPerMiB() > 0);
  const header = process.report.getReport() as unknown as { header: { glibcVersionRuntime?: string } };
  assert.equal(f.glibcVersion(), header.header.glibcVersionRuntime);
});

test('a working directory that is gone: the facts hold no input, and the command fails as it does in place', { skip: process.platform === 'win32' ? 'a directory in use cannot be removed' : false, timeout: 60_000 }, () =>
  inScratch('occupy-huge-pages-', (dir) => {
    const gone = path.join(dir, 'gone');
    const huge = path.join(repositoryRoot(), 'bin', 'huge-pages.cjs');
    const facts = 'const f = require(process.argv[1]).factsOfThisProcess(["--emdb", "1234"]); process.stdout.write(String(f.inputBytes))';
    const r = runInRemovedFolder(gone, [process.execPath, '-e', facts, huge], environment('off'));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'undefined');
    const command = [process.execPath, occupyBin(), '--emdb', '1234', '--output-dir', path.join(dir, 'out')];
    const inPlace = runInRemovedFolder(gone, command, environment('off'));
    const auto = runInRemovedFolder(gone, command, { ...environment('off'), OCCUPY_HUGE_PAGES: undefined });
    assert.notEqual(inPlace.status, 0);
    assert.equal(auto.status, inPlace.status, auto.stderr);
    assert.equal(auto.stderr, inPlace.stderr);
    assert.doesNotMatch(auto.stderr, /\n\s+at /, 'no stack trace');
  }));

// ---------------------------------------------------------------------------------------------------------
// The command relaunched (Linux: OCCUPY_HUGE_PAGES=on relaunches whatever the kernel's setting)
// ---------------------------------------------------------------------------------------------------------

const onLinux = { skip: process.platform !== 'linux' ? 'relaunching is for Linux only' : false, timeout: 60_000 };

function environment(hugePagesChoice: 'on' | 'off'): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OCCUPY_HUGE_PAGES: hugePagesChoice };
  delete env.GLIBC_TUNABLES;
  delete env.NODE_OPTIONS;
  delete env.OCCUPY_RELAUNCHED;
  return env;
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [occupyBin(), ...args], { env, encoding: 'utf8', timeout: 50_000 });
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
    // Also down-sampled as it is read (64 to 48), which relaunched keeps its x transforms apart.
    for (const [name, extra] of [['whole', []], ['down-sampled', ['--max-box', '48']]] as const) {
      const job = ['-i', example, '--occupancy', '-am', '2', '--seed', '4', '--verbose', ...extra];
      const relaunched = run([...job, '--output-dir', path.join(dir, name, 'on')], environment('on'));
      const plain = run([...job, '--output-dir', path.join(dir, name, 'off')], environment('off'));
      assert.equal(relaunched.status, 0, relaunched.stderr);
      assert.equal(plain.status, 0, plain.stderr);
      assert.match(relaunched.stdout, /^Relaunched with transparent huge pages \(OCCUPY_HUGE_PAGES=on\), \d+\.\d\d s after the first start$/m);
      assert.doesNotMatch(plain.stdout, /Relaunched/);
      // Kept apart where the relaunched child's typed arrays alone get huge pages (the kernel's `[madvise]`).
      const apart = typedArraysAloneGetHugePages(hugePageFactsOfThisProcess('glibc.malloc.hugetlb=1'))
        ? /down-sampled to 48 voxels as it is read \(the map itself is not kept; its x transforms are kept in an array of their own/
        : /down-sampled to 48 voxels as it is read \(the map itself is not kept\)$/m;
      if (name === 'down-sampled') {
        assert.match(relaunched.stdout, apart);
        assert.match(plain.stdout, /down-sampled to 48 voxels as it is read \(the map itself is not kept\)$/m);
      } else assert.doesNotMatch(relaunched.stdout, /down-sampled/);
      // The reports say so too (filesOf leaves their performance out).
      const memoryUse = (folder: string) => JSON.parse(readFileSync(path.join(dir, name, folder, 'report_phantom_64.json'), 'utf8')).performance.memory;
      const apartHere = name === 'down-sampled' && typedArraysAloneGetHugePages(hugePageFactsOfThisProcess('glibc.malloc.hugetlb=1'));
      assert.deepEqual([memoryUse('on').relaunchedWithHugePages, memoryUse('on').transformsApart], [true, apartHere], name);
      assert.deepEqual([memoryUse('off').relaunchedWithHugePages, memoryUse('off').transformsApart], [false, false], name);
      assert.deepEqual(filesOf(path.join(dir, name, 'on')), filesOf(path.join(dir, name, 'off')), name);
    }
  }));

test('start-up counts from the first process’s start', { timeout: 60_000 }, () =>
  inScratch('occupy-huge-pages-', (dir) => {
    // As a relaunched child is told it (not relaunched here: the variable alone), 10 s before this process.
    const env = { ...environment('off'), OCCUPY_RELAUNCHED: JSON.stringify({ at: Date.now() - 10_000, why: 'a test', userEnvironment: {} }) };
    const r = run(['-i', example, '--occupancy', '--output-dir', dir], env);
    assert.equal(r.status, 0, r.stderr);
    const startUp = JSON.parse(readFileSync(path.join(dir, 'report_phantom_64.json'), 'utf8')).performance.stageSeconds['start-up'];
    assert.ok(startUp >= 10 && startUp < 40, String(startUp));
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

test('the relaunched CLI starts without the certificates, and what it starts gets the user’s environment', onLinux, async () =>
  inScratch('occupy-huge-pages-', async (dir) => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    const seen = path.join(dir, 'environment-chimerax-saw');
    writeFileSync(path.join(bin, 'chimerax'), `#!/bin/sh\nenv > "${seen}.part" && mv "${seen}.part" "${seen}"\n`);
    chmodSync(path.join(bin, 'chimerax'), 0o755);
    // Node warns of extra certificates it cannot load, once per process that starts with them.
    const certificates = path.join(dir, 'no-such-certificates.pem');
    const user = { PATH: `${bin}:${process.env.PATH}`, NODE_EXTRA_CA_CERTS: certificates, GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' };
    const r = run(['-i', example, '--occupancy', '--show-chimerax', '--output-dir', path.join(dir, 'out')], { ...environment('on'), ...user });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.split(certificates).length - 1, 1, r.stderr);
    for (let i = 0; i < 100 && !existsSync(seen); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const environmentSeen = new Map(readFileSync(seen, 'utf8').split('\n').map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]));
    assert.equal(environmentSeen.get('NODE_EXTRA_CA_CERTS'), certificates);
    assert.equal(environmentSeen.get('GLIBC_TUNABLES'), 'glibc.malloc.arena_max=2');
    assert.equal(environmentSeen.has('OCCUPY_RELAUNCHED'), false);
  }));

test('an unknown OCCUPY_HUGE_PAGES is a warning, and the command runs', { timeout: 60_000 }, () => {
  const r = run(['--version'], { ...environment('off'), OCCUPY_HUGE_PAGES: 'sometimes' });
  assert.equal(r.status, 0);
  assert.equal(r.stderr, 'occupy: warning: OCCUPY_HUGE_PAGES is "sometimes" (it takes on, off or auto): taken as auto\n');
  assert.match(r.stdout, /^\d+\.\d+\.\d+/);
});

type Ended = { code: number | null; signal: string | null };

/** `occupy gui` relaunched (it serves until stopped), in a process group of its own: both processes once it serves. */
function serveRelaunched(): Promise<{ parent: ChildProcess; childPid: number; ended: Promise<Ended> }> {
  return new Promise((resolve, reject) => {
    const parent = spawn(process.execPath, [occupyBin(), 'gui', '--no-open'], { env: environment('on'), stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    const ended = new Promise<Ended>((done) => parent.on('exit', (code, signal) => done({ code, signal })));
    let said = '';
    parent.stdout!.on('data', (d) => {
      said += d;
      if (!said.includes('OccuPy web app:')) return;
      const children = readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      if (children.length !== 1) reject(new Error(`expected one child of ${parent.pid}, found ${JSON.stringify(children)}`));
      else resolve({ parent, childPid: children[0], ended });
    });
    parent.on('error', reject);
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, withinMs = 10_000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < withinMs; await new Promise((r) => setTimeout(r, 20))) if (!isRunning(pid)) return true;
  return false;
}

/** After a failed assertion: a server left running would keep this test process waiting on its pipe. */
function stopLeftOver(parent: ChildProcess, childPid: number): void {
  for (const pid of [childPid, parent.pid]) if (pid !== undefined && isRunning(pid)) process.kill(pid, 'SIGKILL');
  parent.stdout?.destroy();
}

/** Sends `signal` to the first process alone, or to its whole group as Ctrl-C at a terminal does. */
async function stopWith(signal: NodeJS.Signals, toGroup: boolean): Promise<{ ended: Ended; childGone: boolean }> {
  const { parent, childPid, ended } = await serveRelaunched();
  try {
    process.kill(toGroup ? -parent.pid! : parent.pid!, signal);
    return { ended: await ended, childGone: await gone(childPid) };
  } finally {
    stopLeftOver(parent, childPid);
  }
}

test('signals to the first process alone reach the child, and both end as the child does', onLinux, async () => {
  // `occupy gui` stops cleanly on SIGINT and SIGTERM and exits with 0: so does the process that relaunched it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) assert.deepEqual(await stopWith(signal, false), { ended: { code: 0, signal: null }, childGone: true }, signal);
  // SIGHUP ends it by the signal: the first process ends by the same one.
  assert.deepEqual(await stopWith('SIGHUP', false), { ended: { code: null, signal: 'SIGHUP' }, childGone: true });
});

test('Ctrl-C (SIGINT to the whole group, so twice to the child) ends both as one', onLinux, async () => {
  for (let i = 0; i < 3; i++) assert.deepEqual(await stopWith('SIGINT', true), { ended: { code: 0, signal: null }, childGone: true });
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

test('the child ends when the first process is killed outright', onLinux, async () => {
  const { parent, childPid, ended } = await serveRelaunched();
  try {
    parent.kill('SIGKILL');
    assert.deepEqual(await ended, { code: null, signal: 'SIGKILL' });
    assert.equal(await gone(childPid), true);
  } finally {
    stopLeftOver(parent, childPid);
  }
});
