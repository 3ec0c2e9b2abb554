/**
 * Output folders (src/io/folders.ts): made with their missing parents, an existing one accepted, and a path
 * through a file or an unwritable place refused with one line naming the folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkOutputFolder, makeFolder } from '../../src/io/folders.js';
import { MapFormatError } from '../../src/io/mrc-format.js';

function withScratch(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'occupy-folders-'));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

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
          assert.ok(error instanceof MapFormatError);
          assert.equal(error.message, `${folder}: cannot be used as the output folder, ${path.join(dir, 'file')} is not a folder`);
          return true;
        });
      }
    }
  }));

test('an unwritable parent is refused by the check, before anything is made', (t) => {
  if (process.getuid?.() === 0) {
    t.skip('root writes anywhere');
    return;
  }
  return withScratch(async (dir) => {
    const locked = path.join(dir, 'locked');
    await makeFolder(locked);
    chmodSync(locked, 0o500);
    try {
      await assert.rejects(checkOutputFolder(path.join(locked, 'out')), /permission denied; cannot write in .*locked$/);
      await assert.rejects(makeFolder(path.join(locked, 'out')), /permission denied; cannot write in .*locked$/);
    } finally {
      chmodSync(locked, 0o700);
    }
  });
});
