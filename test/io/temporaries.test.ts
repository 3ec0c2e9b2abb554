/**
 * The janitor (src/io/temporaries.ts) removes the temporaries of a process that was killed outright, given by
 * any path: absolute, relative (after the process changed its working directory), with spaces, quotes or a
 * leading dash. Each case runs in a child process that makes its temporaries and then SIGKILLs itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
