/**
 * The plugin that makes the CLI bundle ASCII-only (scripts/ascii-only.mjs): each character past ASCII becomes
 * the escape that means it, and the two cases where an escape would change the program are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repositoryRoot } from '../fixtures/fixture-cases.js';

interface Chunk {
  type: 'chunk';
  fileName: string;
  code: string;
}

async function escaped(code: string): Promise<string> {
  const url = pathToFileURL(path.join(repositoryRoot(), 'scripts', 'ascii-only.mjs')).href;
  const { asciiOnly } = (await import(url)) as { asciiOnly: () => { generateBundle: (options: object, bundle: Record<string, Chunk>) => void } };
  const bundle = { chunk: { type: 'chunk' as const, fileName: 'x.cjs', code } };
  asciiOnly().generateBundle({}, bundle);
  return bundle.chunk.code;
}

test('characters past ASCII become escapes that evaluate to the same strings', async () => {
  const source = 'module.exports = ["<Å>", `3× ${1}`, /§/.test("a§b"), "\u{1F600}"]; // — a comment';
  const out = await escaped(source);
  assert.match(out, /^[\x00-\x7f]*$/);
  assert.equal(out, 'module.exports = ["<\\u00c5>", `3\\u00d7 ${1}`, /\\u00a7/.test("a\\u00a7b"), "\\ud83d\\ude00"]; // \\u2014 a comment');
  const evaluate = (code: string) => {
    const module = { exports: undefined as unknown };
    new Function('module', code)(module);
    return module.exports;
  };
  assert.deepEqual(evaluate(out), evaluate(source));
  assert.equal(await escaped('plain ASCII'), 'plain ASCII');
});

test('a character after a backslash, or a line separator (which ends a // comment), is refused', async () => {
  await assert.rejects(escaped('const a = "\\\u00e9";'), /x\.cjs: cannot write U\+00e9 at offset 12/);
  await assert.rejects(escaped('// a comment\u2028code();'), /x\.cjs: cannot write U\+2028/);
  await assert.rejects(escaped('"\u2029"'), /U\+2029/);
});
