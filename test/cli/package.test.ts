/**
 * The package as npm would ship it (`npm pack`, package.json's `files`): unpacked on its own, without the
 * repository around it or its dependencies installed, its `occupy` command runs an estimate on the example
 * map it ships, and its web app is there for `occupy gui`. A file left out of `files`, or a runtime chunk the
 * bundle loads from outside it, fails here rather than after an install.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repositoryRoot } from '../fixtures/fixture-cases.js';

test('the packed package runs the example estimate on its own and carries the web app', { timeout: 120_000 }, () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'occupy-pack-'));
  try {
    // --ignore-scripts: packing must not rebuild dist/ under the other tests (npm pack runs `prepare`).
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: repositoryRoot(), encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const [{ filename, files }] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = new Set(files.map((f) => f.path));
    for (const needed of ['bin/occupy.cjs', 'bin/load-cli.cjs', 'dist/bundle/cli/occupy.cjs', 'dist/bundle/cli/occupy.cjs.cache', 'dist/web/index.html', 'examples/phantom_64.mrc', 'LICENSE', 'THIRD_PARTY_NOTICES.md']) {
      assert.ok(shipped.has(needed), `${needed} is not in the package`);
    }
    assert.ok(![...shipped].some((f) => f.startsWith('test/') || f.startsWith('dist/test/') || f.endsWith('.ts')), 'no tests or sources in the package');

    const untar = spawnSync('tar', ['xzf', path.join(scratch, filename), '-C', scratch], { encoding: 'utf8' });
    assert.equal(untar.status, 0, untar.stderr);
    const unpacked = path.join(scratch, 'package');
    const out = path.join(scratch, 'out');
    const run = spawnSync(
      process.execPath,
      [path.join(unpacked, 'bin', 'occupy.cjs'), '-i', path.join(unpacked, 'examples', 'phantom_64.mrc'), '--occupancy', '-am', '2', '--quiet', '--output-dir', out],
      { cwd: scratch, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.deepEqual(readdirSync(out).sort(), [
      'ampl_2.0_phantom_64.mrc',
      'chimX_phantom_64.cxc',
      'conf_phantom_64.mrc',
      'log_phantom_64.txt',
      'report_phantom_64.json',
      'scale_occ_phantom_64.mrc',
    ]);
    assert.ok(existsSync(path.join(unpacked, 'dist', 'web', 'index.html')));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
