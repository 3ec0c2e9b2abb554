/**
 * The built bundles carry the licences of the packages bundled into them (scripts/bundled-licences.mjs):
 * the CLI bundle has commander and d3 (the figures) in it (and the bundler's runtime helpers, Rolldown's), the web app Mol*, fflate
 * and d3. Each entry must hold the package's own licence text, not only its name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot } from '../fixtures/fixture-cases.js';

const dist = path.join(repositoryRoot(), 'dist');

function listed(file: string): Map<string, string> {
  const text = readFileSync(path.join(dist, file), 'utf8');
  const entries = new Map<string, string>();
  for (const block of text.split(/\n-{80}\n/)) {
    const m = /^(?:[^\n]*\n\n={80}\n\n)?(\S+) \S+ \([^)]*\)\n\n([\s\S]*)$/.exec(block.trim());
    if (m) entries.set(m[1], m[2]);
  }
  return entries;
}

function licenceOf(name: string): string {
  return readFileSync(path.join(repositoryRoot(), 'node_modules', name, 'LICENSE'), 'utf8').trim();
}

test('the CLI bundle lists commander, d3 and the bundler\'s helpers with their licence texts, and nothing it does not hold', () => {
  const entries = listed('bundle/cli/THIRD_PARTY_LICENSES.txt');
  const d3 = ['d3-array', 'd3-color', 'd3-format', 'd3-interpolate', 'd3-path', 'd3-scale', 'd3-shape'];
  assert.deepEqual([...entries.keys()], ['commander', ...d3, 'rolldown']);
  for (const name of ['commander', ...d3]) assert.equal(entries.get(name)?.trim(), licenceOf(name), name);
  assert.ok((entries.get('rolldown') ?? '').includes('MIT'), 'rolldown: no licence text');
});

test('the web app lists the packages bundled into it, each with its licence text', () => {
  const entries = listed('web/THIRD_PARTY_LICENSES.txt');
  for (const name of ['molstar', 'fflate', 'd3-scale', 'd3-shape']) {
    assert.ok(entries.has(name), `${name} missing from ${[...entries.keys()].join(', ')}`);
    assert.equal(entries.get(name)?.trim(), licenceOf(name), name);
  }
  for (const [name, text] of entries) assert.ok(text.length > 100, `${name}: no licence text`);
});
