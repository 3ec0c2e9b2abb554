/**
 * Output folders (src/io/folders.ts): made with their missing parents, an existing one accepted, and a path
 * through a file or an unwritable place refused with one line naming the folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { checkOutputFolder, makeFolder } from '../../src/io/folders.js';
import { unprivileged } from '../unprivileged.js';
import { inScratch } from '../scratch.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileError } from '../../src/io/system-errors.js';

const withScratch = (body: (dir: string) => Promise<void>) => inScratch('occupy-folders-', body);

test('makeFolder makes every missing level and accepts an existing folder', () =>
  withScratch(async (dir) => {
    const deep = path.join(dir, 'a', 'b', 'c');
    await checkOutputFolder(deep);
    assert.deepEqual(readdirSync(dir), [], 'the check makes nothing');
    await makeFolder(deep);
    assert.ok(statSync(deep).isDirectory());
    await makeFolder(deep);
    await makeFolder(dir);
    assert.ok(statSync(deep).isDirectory());
  }));

test('a path through a file is refused by the check and by makeFolder, naming the file', () =>
  withScratch(async (dir) => {
    writeFileSync(path.join(dir, 'file'), 'x');
    for (const folder of [path.join(dir, 'file'), path.join(dir, 'file', 'sub', 'deeper')]) {
      for (const step of [checkOutputFolder, makeFolder]) {
        await assert.rejects(step(folder), (error: unknown) => {
          assert.ok(error instanceof FileError);
          assert.equal(error.message, `${folder}: cannot be used as the output folder, ${path.join(dir, 'file')} is not a folder`);
          return true;
        });
      }
    }
  }));

test('an unwritable parent is refused by the check, before anything is made', (t) => {
  // In a child process, so that it can run as the unprivileged user.
  const folders = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'io', 'folders.js');
  const user = unprivileged([folders]);
  if ('reason' in user) {
    t.skip(user.reason);
    return;
  }
  return withScratch(async (dir) => {
    user.own(dir);
    const locked = path.join(dir, 'locked');
    await makeFolder(locked);
    user.own(locked);
    chmodSync(locked, 0o500);
    const script = `
      const { checkOutputFolder, makeFolder } = await import(${JSON.stringify(pathToFileURL(folders).href)});
      const outcome = async (step) => step(process.argv[1]).then(() => 'made', (e) => e.message);
      console.log(JSON.stringify([await outcome(checkOutputFolder), await outcome(makeFolder)]));`;
    const [program, ...args] = user.command([process.execPath, '--input-type=module', '-e', script, path.join(locked, 'out')]);
    const r = spawnSync(program, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const expected = `${path.join(locked, 'out')}: permission denied; cannot write in ${locked}`;
    assert.deepEqual(JSON.parse(r.stdout), [expected, expected]);
    assert.deepEqual(readdirSync(locked), []);
  });
});
