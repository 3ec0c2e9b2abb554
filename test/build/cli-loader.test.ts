/**
 * How bin/occupy.cjs loads the CLI. It is loaded with a V8 code cache (bin/load-cli.cjs, made by scripts/cli-code-cache.mjs during the
 * build). The cache must be taken for the build it was made from, and give the same outputs as compiling;
 * a cache from another build, a damaged one, one V8 refuses, or none at all must leave the CLI working as
 * before, only compiled. Each case runs in a child process: V8 keeps compiled scripts within a process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot } from '../fixtures/fixture-cases.js';
import { inScratch } from '../scratch.js';

const root = repositoryRoot();
const builtCli = path.join(root, 'dist', 'bundle', 'cli');
const loader = path.join(root, 'bin', 'load-cli.cjs');
const example = path.join(root, 'examples', 'phantom_64.mrc');

/**
 * Loads the bundle `bundleFile` in a fresh Node (with `nodeFlags`) and runs a job with a fixed seed into
 * `out`; returns how the code cache went.
 */
function loadAndRun(bundleFile: string, out: string, nodeFlags: string[] = []): string {
  const script = `
    const { loadCli } = require(${JSON.stringify(loader)});
    const cli = loadCli(process.argv[1]);
    // The chunks require the bundle by its name: they must get this very module, not a second copy.
    if (require(process.argv[1]).main !== cli.main) throw new Error('the bundle was evaluated twice');
    cli.main(process.argv.slice(2)).then((code) => { console.log(cli.codeCache); process.exitCode = code; });`;
  const args = ['-i', example, '--occupancy', '-am', '2', '-at', '2', '--seed', '3', '--plot', '--quiet', '--output-dir', out];
  const r = spawnSync(process.execPath, [...nodeFlags, '-e', script, bundleFile, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

/** Every output file of a run, by name. */
function outputs(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).filter((name) => !name.startsWith('report_')).map((name) => [name, readFileSync(path.join(dir, name))]));
}

/**
 * A scratch folder inside the build (dist/), so that a copy of the CLI there finds the packages it requires
 * (node_modules above it).
 */
function inBuildScratch(body: (dir: string) => void): void {
  inScratch('code-cache-test-', body, path.join(root, 'dist'));
}

/** A copy of the built CLI folder to tamper with; returns its bundle file. */
function copyOfCli(dir: string): string {
  cpSync(builtCli, path.join(dir, 'cli'), { recursive: true });
  return path.join(dir, 'cli', 'occupy.cjs');
}

test('the build\'s code cache is taken, and the outputs are those of the CLI compiled without it', () => {
  inBuildScratch((dir) => {
    assert.equal(loadAndRun(path.join(builtCli, 'occupy.cjs'), path.join(dir, 'cached')), 'used');
    const bundle = copyOfCli(dir);
    rmSync(`${bundle}.cache`);
    assert.equal(loadAndRun(bundle, path.join(dir, 'compiled')), 'none');
    const [cached, compiled] = [outputs(path.join(dir, 'cached')), outputs(path.join(dir, 'compiled'))];
    assert.ok(cached.size >= 6, [...cached.keys()].join(', '));
    assert.deepEqual([...cached.keys()].sort(), [...compiled.keys()].sort());
    for (const [name, bytes] of cached) assert.ok(bytes.equals(compiled.get(name)!), `${name} differs`);
  });
});

test('a cache made for another build of the bundle is not used, and the CLI still runs', () => {
  inBuildScratch((dir) => {
    const bundle = copyOfCli(dir);
    appendFileSync(bundle, '// another build\n');
    assert.equal(loadAndRun(bundle, path.join(dir, 'out')), 'stale');
  });
});

test('a damaged cache is not handed to V8 (which would not notice), and the CLI still runs', () => {
  inBuildScratch((dir) => {
    const bundle = copyOfCli(dir);
    const cache = readFileSync(`${bundle}.cache`);
    const flipped = Buffer.from(cache);
    flipped[Math.floor(cache.length / 2)] ^= 0x10;
    for (const damaged of [flipped, cache.subarray(0, cache.length - 1), cache.subarray(0, 20), Buffer.alloc(0)]) {
      writeFileSync(`${bundle}.cache`, damaged);
      assert.equal(loadAndRun(bundle, path.join(dir, `out-${damaged.length}`)), 'stale', `${damaged.length} bytes`);
    }
  });
});

test('a cache V8 refuses (other flags than it was made with) leaves the CLI compiling as usual', () => {
  inBuildScratch((dir) => {
    assert.equal(loadAndRun(path.join(builtCli, 'occupy.cjs'), path.join(dir, 'out'), ['--max-lazy']), 'rejected');
  });
});

test('the bundle is ASCII only, and the characters written as escapes still print as themselves', () => {
  for (const name of readdirSync(builtCli).filter((n) => n.endsWith('.cjs'))) {
    const bytes = readFileSync(path.join(builtCli, name));
    assert.ok(bytes.every((b) => b < 0x80), `${name} has non-ASCII bytes`);
  }
  const help = spawnSync(process.execPath, [path.join(root, 'bin', 'occupy.cjs'), '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /--resolution <Å>/);
  assert.match(help.stdout, /amplify partial occupancy 3×/);
});

test('a checkout that was never built says so, in one line, instead of failing with a stack trace', () => {
  inScratch('occupy-unbuilt-', (dir) => {
    mkdirSync(path.join(dir, 'bin'));
    for (const name of ['occupy.cjs', 'load-cli.cjs']) cpSync(path.join(root, 'bin', name), path.join(dir, 'bin', name));
    const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'occupy.cjs'), '-i', example], { encoding: 'utf8' });
    assert.equal(r.status, 3);
    assert.equal(r.stderr, `occupy: the CLI is not built (no dist/bundle/cli/occupy.cjs): run \`npm run build\` in ${dir}\n`);
  });
});
