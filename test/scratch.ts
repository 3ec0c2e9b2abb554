/** Scratch folders for tests: made fresh, removed when the test body is done (also when it fails). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * Runs `body` in a fresh folder `<parent>/<prefix>XXXXXX` (parent: the system's temporary folder unless given),
 * removed afterwards (after the promise, if it returns one).
 */
export function inScratch<T>(prefix: string, body: (dir: string) => T, parent = tmpdir()): T {
  const dir = mkdtempSync(path.join(parent, prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let result: T;
  try {
    result = body(dir);
  } catch (error) {
    remove();
    throw error;
  }
  if (result instanceof Promise) return result.finally(remove) as T;
  remove();
  return result;
}
