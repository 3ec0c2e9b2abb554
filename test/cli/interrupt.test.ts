/**
 * Nothing lost or half-written: every output goes through a temporary file renamed into place, and a run
 * interrupted mid-write or mid-computation (SIGINT, SIGTERM, a full disk, SIGKILL) ends at once, never leaves a
 * truncated file under a final name, never touches an existing file of that name, and leaves no temporary: the
 * janitor process removes them once the run has ended (io/temporaries.ts); without it (OCCUPY_NO_JANITOR, as
 * where no shell can be started) the signal handlers do, and after SIGKILL the next run.
 *
 * Deterministic: a preload module (`node --import`) wraps the file system calls of the real command. It logs
 * every open-for-writing and rename, and can interrupt the write of a chosen output half-way through a chunk:
 * send a signal to its own process, fail with ENOSPC, or hang (for the test to SIGKILL it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixturesDir } from '../fixtures/fixture-cases.js';
import { decodeMrc } from '../../src/format/mrc-format.js';
import { waitFor } from '../wait.js'; // the janitor removes temporaries just after the run has ended
import { occupyBin } from './harness.js';

const BIN = occupyBin();
const FIXTURE = path.join(fixturesDir(), '1tii_occ_64.mrc');

const PRELOAD = String.raw`
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const config = JSON.parse(process.env.OCCUPY_TEST_INJECT || '{}');
const log = (entry) => { if (config.log) fs.appendFileSync(config.log, JSON.stringify(entry) + '\n'); };
// Flags as a string ('wx') or as numbers (O_WRONLY | O_CREAT | O_EXCL | ..., logged as 'wx…' when exclusive).
const { O_WRONLY, O_RDWR, O_CREAT, O_EXCL } = fs.constants;
const flagText = (flags) => typeof flags === 'number' ? ((flags & O_CREAT) && (flags & O_EXCL) ? 'wx' : 'w') + '(' + flags + ')' : flags;
const writing = (flags) => (typeof flags === 'string' && /[wa+]/.test(flags)) || (typeof flags === 'number' && (flags & (O_WRONLY | O_RDWR)) !== 0);
let fired = false;
function keepAlive() { setInterval(() => {}, 1000); return new Promise(() => {}); }
async function interrupt(handle, original, args) {
  fired = true;
  const [buffer, offset = 0, length = buffer.length - offset, position] = args;
  await original.call(handle, buffer, offset, Math.max(1, Math.floor(length / 2)), position); // half a chunk on disk
  process.stderr.write('INJECTED ' + config.action + '\n');
  if (config.action === 'ENOSPC') {
    const error = new Error('ENOSPC: no space left on device, write');
    error.code = 'ENOSPC';
    throw error;
  }
  if (config.action === 'SIGINT' || config.action === 'SIGTERM') process.kill(process.pid, config.action);
  return keepAlive(); // mid-write, as a slow disk would be, until the signal (or the test's SIGKILL) ends it
}
const open = fs.promises.open;
fs.promises.open = async function (file, flags, mode) {
  const handle = await open.call(this, file, flags, mode);
  if (writing(flags)) {
    log({ op: 'open', file: String(file), flags: flagText(flags) });
    if (config.match && String(file).includes(config.match) && !fired) {
      const write = handle.write;
      let written = 0;
      handle.write = async function (...args) {
        if (config.action === 'SIGINT-now' && !fired) {
          // Called synchronously from inside the computation (a map written ahead): the signal is sent and the
          // computation goes on at once, as it would when Ctrl-C comes mid-computation.
          fired = true;
          process.kill(process.pid, 'SIGINT');
          fs.writeSync(2, 'STILL RUNNING after SIGINT\n');
        }
        if (!fired && written + (args[2] ?? args[0].length) >= (config.afterBytes ?? 0)) return interrupt(this, write, args);
        const result = await write.apply(this, args);
        written += result.bytesWritten;
        return result;
      };
    }
  }
  return handle;
};
const rename = fs.promises.rename;
fs.promises.rename = async function (from, to) { log({ op: 'rename', from: String(from), to: String(to) }); return rename.call(this, from, to); };
for (const name of ['writeFile', 'appendFile']) {
  const original = fs.promises[name];
  fs.promises[name] = async function (file, ...rest) { log({ op: name, file: String(file) }); return original.call(this, file, ...rest); };
}
for (const name of ['writeFileSync', 'appendFileSync']) {
  const original = fs[name];
  fs[name] = function (file, ...rest) { if (String(file) !== config.log) log({ op: name, file: String(file) }); return original.call(this, file, ...rest); };
}
const openSync = fs.openSync;
fs.openSync = function (file, flags, mode) { if (writing(flags) && String(file) !== config.log) log({ op: 'openSync', file: String(file), flags: flagText(flags) }); return openSync.call(this, file, flags, mode); };
const createWriteStream = fs.createWriteStream;
fs.createWriteStream = function (file, options) { log({ op: 'createWriteStream', file: String(file) }); return createWriteStream.call(this, file, options); };
syncBuiltinESMExports();
`;

interface Injection {
  /** Interrupt the write of the first file opened for writing whose path contains this. */
  match?: string;
  /** SIGINT-now: send SIGINT at the first write, synchronously, and carry on (see the preload). */
  action?: 'SIGINT' | 'SIGTERM' | 'ENOSPC' | 'hang' | 'SIGINT-now';
  /** Interrupt once this many bytes have been written to it. */
  afterBytes?: number;
}

function setup(): { dir: string; preload: string; log: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'occupy-interrupt-'));
  const support = mkdtempSync(path.join(tmpdir(), 'occupy-preload-'));
  const preload = path.join(support, 'inject.mjs');
  writeFileSync(preload, PRELOAD);
  copyFileSync(FIXTURE, path.join(dir, 'map.mrc'));
  return {
    dir,
    preload,
    log: path.join(support, 'fs.log'),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(support, { recursive: true, force: true });
    },
  };
}

function env(preloadLog: string, injection: Injection, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, OCCUPY_TEST_INJECT: JSON.stringify({ ...injection, log: preloadLog }), ...extra };
  delete e.OCCUPY_MEMORY_LIMIT;
  delete e.OCCUPY_NO_JANITOR;
  if (extra.OCCUPY_NO_JANITOR) e.OCCUPY_NO_JANITOR = extra.OCCUPY_NO_JANITOR;
  return e;
}

const ARGS = ['-i', 'map.mrc', '-am', '2', '--plot', '--chimerax-silent', '--save-all-maps', '--seed', '1'];

function run(s: ReturnType<typeof setup>, injection: Injection, args = ARGS, extraEnv: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['--import', pathToFileURL(s.preload).href, BIN, ...args], {
    cwd: s.dir,
    env: env(s.log, injection, extraEnv),
    encoding: 'utf8',
  });
}

type LogEntry = { op: string; file?: string; flags?: string; from?: string; to?: string };
function readLog(file: string): LogEntry[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogEntry) : [];
}

/** Files of the folder that are not hidden temporaries, and the hidden temporaries. */
function listing(dir: string): { files: string[]; temporaries: string[] } {
  const names = readdirSync(dir).sort();
  return { files: names.filter((n) => !n.endsWith('.tmp')), temporaries: names.filter((n) => n.endsWith('.tmp')) };
}

function assertCompleteMap(file: string): void {
  const bytes = new Uint8Array(readFileSync(file));
  const map = decodeMrc(bytes, file); // throws on a truncated file
  assert.ok(map.volume.data.length > 0);
}

// ---------------------------------------------------------------------------------------------------------

test('every output of a full run is written to a temporary and renamed into place, nothing written directly', () => {
  const s = setup();
  try {
    const r = run(s, {});
    assert.equal(r.status, 0, r.stderr);
    const log = readLog(s.log);
    const outputs = listing(s.dir).files.filter((f) => f !== 'map.mrc');
    // Maps, text (log, report, ChimeraX scripts) and figures (SVG and PNG) are all there.
    for (const pattern of [/^scale_occ_map\.mrc$/, /^conf_map\.mrc$/, /^ampl_2\.0_map\.mrc$/, /^log_map\.txt$/, /^report_map\.json$/, /^chimX_map\.cxc$/, /^chimX_map_silent\.cxc$/, /\.svg$/, /\.png$/, /^lowpass_map\.mrc$/, /^modification_amplify_map\.mrc$/]) {
      assert.ok(outputs.some((f) => pattern.test(f)), `an output matching ${pattern}: ${outputs.join(', ')}`);
    }
    for (const output of outputs) {
      const full = path.join(s.dir, output);
      const renames = log.filter((e) => e.op === 'rename' && e.to === full);
      assert.equal(renames.length, 1, `${output} renamed into place once`);
      const temporary = renames[0].from!;
      assert.match(path.basename(temporary), new RegExp(`^\\.${output.replace(/\./g, '\\.')}\\..+\\.\\d+\\.[0-9a-f]{8}\\.tmp$`));
      assert.ok(log.some((e) => e.op === 'open' && e.file === temporary && /^wx/.test(e.flags ?? '')), `${output}: its temporary was created exclusively`);
    }
    const direct = log.filter((e) => e.op !== 'rename' && e.file && !e.file.endsWith('.tmp'));
    assert.deepEqual(direct, [], 'no file is opened for writing under its final name');
    assert.deepEqual(listing(s.dir).temporaries, []);
  } finally {
    s.cleanup();
  }
});

for (const [kind, match] of [
  ['a map', 'conf_map.mrc'],
  ['a text file', 'log_map.txt'],
  ['a PNG figure', 'solModel_map.png'],
] as const) {
  for (const [signal, cleaner] of [
    ['SIGINT', 'janitor'],
    ['SIGTERM', 'janitor'],
    ['SIGINT', 'handlers'],
    ['SIGTERM', 'handlers'],
  ] as const) {
    test(`${signal} while writing ${kind} (${cleaner}): the temporaries are removed, no output of the run is put in place, older files intact`, () => {
      const s = setup();
      try {
        const old = `an earlier ${match}, to be kept`;
        writeFileSync(path.join(s.dir, match), old);
        const input = readFileSync(path.join(s.dir, 'map.mrc'));
        const r = run(s, { match, action: signal, afterBytes: 100 }, ARGS, cleaner === 'handlers' ? { OCCUPY_NO_JANITOR: '1' } : {});
        assert.match(r.stderr, new RegExp(`INJECTED ${signal}`), 'the write was interrupted');
        assert.equal(r.signal, signal, `ended by ${signal} (status ${r.status}, stderr ${r.stderr})`);
        const log = readLog(s.log);
        const temporary = log.find((e) => e.op === 'open' && e.file?.includes(`.${match}.`))?.file;
        assert.ok(temporary, 'the interrupted temporary was opened');
        if (cleaner === 'janitor') waitFor(() => listing(s.dir).temporaries.length === 0);
        assert.ok(!existsSync(temporary), `and removed by the ${cleaner}`);
        assert.deepEqual(listing(s.dir).temporaries, [], 'no temporary left');
        assert.equal(readFileSync(path.join(s.dir, match), 'utf8'), old, 'the existing file is untouched');
        assert.deepEqual(readFileSync(path.join(s.dir, 'map.mrc')), input, 'the input is untouched');
        // Outputs are renamed into place only when all are complete (writeFilesTogether): the scale map,
        // staged before the interruption, was discarded, not put in place.
        assert.ok(log.some((e) => e.op === 'open' && e.file?.includes('.scale_occ_map.mrc.')), 'the scale map was staged first');
        assert.deepEqual(log.filter((e) => e.op === 'rename'), [], 'nothing was renamed into place');
        assert.ok(!existsSync(path.join(s.dir, 'scale_occ_map.mrc')));
      } finally {
        s.cleanup();
      }
    });
  }
}

test('a full disk while writing a map: one clear line, exit 1, every temporary removed, no output put in place', () => {
  const s = setup();
  try {
    const r = run(s, { match: 'ampl_2.0_map.mrc', action: 'ENOSPC', afterBytes: 5000 });
    assert.match(r.stderr, /INJECTED ENOSPC/);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('occupy:'));
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^occupy: .*ampl_2\.0_map\.mrc: the disk is full \(or over quota\); nothing was written$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const { files, temporaries } = listing(s.dir);
    assert.deepEqual(temporaries, []);
    assert.deepEqual(files.filter((n) => n !== 'map.mrc'), [], 'no output of the failed run is in place');
  } finally {
    s.cleanup();
  }
});

/** Runs the CLI until the injected hang in the scale map's write, then SIGKILLs it. */
async function killedMidWrite(s: ReturnType<typeof setup>, extraEnv: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, ['--import', pathToFileURL(s.preload).href, BIN, ...ARGS], {
    cwd: s.dir,
    env: env(s.log, { match: 'scale_occ_map.mrc', action: 'hang', afterBytes: 100 }, extraEnv),
  });
  let stderr = '';
  const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.includes('INJECTED hang')) resolve();
    });
    child.on('close', () => reject(new Error(`ended before the injected hang: ${stderr}`)));
  });
  assert.ok(listing(s.dir).temporaries.length > 0, 'temporaries exist when it is killed');
  child.kill('SIGKILL');
  assert.equal(await ended, 'SIGKILL');
}

test('SIGKILL mid-write (no handler can run): the janitor removes the temporaries, nothing is under a final name', async () => {
  const s = setup();
  try {
    await killedMidWrite(s, {});
    waitFor(() => listing(s.dir).temporaries.length === 0);
    assert.deepEqual(listing(s.dir), { files: ['map.mrc'], temporaries: [] });
  } finally {
    s.cleanup();
  }
});

test('a signal during the computation ends the run at once (no handler waits for the computation to end)', () => {
  const s = setup();
  try {
    // conf_map.mrc is written ahead, from inside the computation (its folder exists): the signal comes there.
    const r = run(s, { match: 'conf_map.mrc', action: 'SIGINT-now' });
    assert.equal(r.signal, 'SIGINT', `ended by SIGINT (status ${r.status}, stderr ${r.stderr})`);
    assert.doesNotMatch(r.stderr, /STILL RUNNING/, 'nothing ran after the signal');
    waitFor(() => listing(s.dir).temporaries.length === 0);
    assert.deepEqual(listing(s.dir), { files: ['map.mrc'], temporaries: [] });
  } finally {
    s.cleanup();
  }
});

test('without the janitor, SIGKILL mid-write leaves only hidden temporaries; the next run removes them', async () => {
  const s = setup();
  try {
    await killedMidWrite(s, { OCCUPY_NO_JANITOR: '1' });
    const after = listing(s.dir);
    assert.deepEqual(after.files, ['map.mrc'], 'no file under a final name');
    // The outputs are written at once (writeFilesTogether), so the other temporaries may be there too.
    const scale = after.temporaries.filter((t) => /^\.scale_occ_map\.mrc\..+\.\d+\.[0-9a-f]{8}\.tmp$/.test(t));
    assert.equal(scale.length, 1, after.temporaries.join(', '));
    assert.ok(statSync(path.join(s.dir, scale[0])).size > 0, 'the half-written temporary');
    for (const t of after.temporaries) assert.match(t, /^\.[^/]+\.(mrc|txt|json|cxc|svg|png)\..+\.\d+\.[0-9a-f]{8}\.tmp$/, 'only hidden temporaries of outputs');

    const again = run(s, {}, ARGS, { OCCUPY_NO_JANITOR: '1' });
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(listing(s.dir).temporaries, [], 'the dead run\'s temporary is gone');
    assertCompleteMap(path.join(s.dir, 'scale_occ_map.mrc'));
  } finally {
    s.cleanup();
  }
});
