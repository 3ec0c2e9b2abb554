/**
 * The janitor (src/io/temporaries.ts) removes the temporaries of a process that was killed outright, given by
 * any path: absolute, relative (after the process changed its working directory), with spaces, quotes or a
 * leading dash. Each case runs in a child process that makes its temporaries and then SIGKILLs itself. What a
 * janitor could not remove, a later write removes (`removeStaleTemporaries`): only those of its own files, of
 * this host, of processes that no longer run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { removeStaleTemporaries } from '../../src/io/temporaries.js';
import { inScratch } from '../scratch.js';
import { waitFor } from '../wait.js';

const TEMPORARIES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'io', 'temporaries.js');

test('after SIGKILL the janitor removes every temporary, whatever its path, also after a chdir', (t) => {
  if (process.platform === 'win32') {
    t.skip('no /bin/sh: the signal handlers are used instead');
    return;
  }
  inScratch('occupy-janitor-', (dir) => {
    for (const sub of ['start', 'moved', "odd 'name' \"here\""]) mkdirSync(path.join(dir, sub));
    const script = `
      import { writeFileSync } from 'node:fs';
      const { startTemporaryJanitor, temporaryFileFor } = await import(${JSON.stringify(pathToFileURL(TEMPORARIES).href)});
      startTemporaryJanitor();
      const made = [];
      for (const target of ['relative.mrc', '-dash.mrc', ${JSON.stringify(path.join(dir, "odd 'name' \"here\"", 'x y.mrc'))}]) {
        const { path: file } = temporaryFileFor(target);
        writeFileSync(file, 'partial');
        made.push(file);
        process.chdir('../moved'); // later relative names are relative to here, and the janitor started elsewhere
      }
      process.stdout.write(JSON.stringify(made));
      process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.join(dir, 'start'), encoding: 'utf8' });
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    const made = JSON.parse(r.stdout) as string[];
    assert.equal(made.length, 3);
    for (const file of made) assert.ok(path.isAbsolute(file), `${file} is absolute`);
    assert.ok(made.some((f) => f.includes(`${path.sep}moved${path.sep}.-dash.mrc.`)), 'the second name is relative to the folder moved to');
    waitFor(() => made.every((f) => !existsSync(f)));
    for (const file of made) assert.ok(!existsSync(file), `${file} removed`);
    for (const sub of readdirSync(dir)) assert.deepEqual(readdirSync(path.join(dir, sub)), [], `${sub} is empty`);
  });
});

test('a write removes the stale temporaries of its own files (any folder, one listing each), and nothing else', async () => {
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, '_') || 'host';
  const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const dead = Number(exited.stdout); // its process has ended (a reuse of the number within the test is unlikely)
  const running = process.ppid;
  const temporary = (name: string, pid: number, machine = host) => `.${name}.${machine}.${pid}.0123abcd.tmp`;
  await inScratch('occupy-stale-', async (dir) => {
    const [one, two] = [path.join(dir, 'one'), path.join(dir, 'two')];
    for (const folder of [one, two]) mkdirSync(folder);
    const stale = [
      path.join(one, temporary('scale.mrc', dead)),
      path.join(one, temporary('log_map.v2.txt', dead)), // dots in the name
      path.join(two, temporary('conf.mrc', dead)),
    ];
    const kept = [
      path.join(one, temporary('scale.mrc', process.pid)), // this process's own
      path.join(one, temporary('scale.mrc', running)), // a running process's
      path.join(one, temporary('scale.mrc', dead, 'otherhost')), // another machine's, sharing the folder
      path.join(one, temporary('xscale.mrc', dead)), // another file's (not written now)
      path.join(one, temporary('conf.mrc', dead)), // conf.mrc is written in the other folder only
      path.join(one, `.scale.mrc.${host}.${dead}.0123abcd.tmp.bak`),
      path.join(one, 'scale.mrc'),
    ];
    for (const file of [...stale, ...kept]) writeFileSync(file, 'x');
    await removeStaleTemporaries([path.join(one, 'scale.mrc'), path.join(one, 'log_map.v2.txt'), path.join(two, 'conf.mrc'), path.join(dir, 'missing', 'a.mrc')]);
    for (const file of stale) assert.ok(!existsSync(file), `${path.relative(dir, file)} removed`);
    for (const file of kept) assert.ok(existsSync(file), `${path.relative(dir, file)} kept`);
  });
});
