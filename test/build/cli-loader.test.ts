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
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { repositoryRoot } from '../fixtures/fixture-cases.js';
import { inScratch } from '../scratch.js';
import { occupyBin } from '../cli/harness.js';
import { mulberry32 } from '../../src/synthetic/random.js';

const root = repositoryRoot();
const builtCli = path.join(root, 'dist', 'bundle', 'cli');
const loader = path.join(root, 'bin', 'load-cli.cjs');
const example = path.join(root, 'examples', 'phantom_64.mrc');

/** This environment without `NODE_OPTIONS`: V8 flags in it would make V8 refuse the build's cache. */
function plainEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/** A job with a fixed seed, figures and modifications (so that the chunks are loaded too), into `out`. */
const fullJob = (out: string) => ['-i', example, '--occupancy', '-am', '2', '-at', '2', '--seed', '3', '--plot', '--quiet', '--output-dir', out];

/**
 * Loads the bundle `bundleFile` in a fresh Node (with `nodeFlags`, through the loader `loaderFile`) and runs
 * the CLI with `args` (a full job into `out` unless given); returns how the code cache went.
 */
function loadAndRun(bundleFile: string, out: string, nodeFlags: string[] = [], loaderFile = loader, args = fullJob(out)): string {
  const script = `
    const { loadCli } = require(${JSON.stringify(loaderFile)});
    const cli = loadCli(process.argv[1]);
    // The chunks require the bundle by its name: they must get this very module, not a second copy.
    if (require(process.argv[1]).main !== cli.main) throw new Error('the bundle was evaluated twice');
    cli.main(process.argv.slice(2)).then((code) => { console.log(cli.codeCache); process.exitCode = code; });`;
  const r = spawnSync(process.execPath, [...nodeFlags, '-e', script, bundleFile, ...args], { encoding: 'utf8', env: plainEnvironment() });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').at(-1)!; // after what the CLI printed
}

/** The size of the cache a fresh Node saves for `bundleFile` right after loading it, before any run. */
function cacheBytesBeforeAnyRun(bundleFile: string): number {
  const script = `
    const { loadCli } = require(${JSON.stringify(loader)});
    loadCli(process.argv[1]).saveCodeCache();`;
  const r = spawnSync(process.execPath, ['-e', script, bundleFile], { encoding: 'utf8', env: plainEnvironment() });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(`${bundleFile}.cache`).length;
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

/** A copy of bin/ in `dir` (`dir/bin`, with no build beside it); returns the command's file. */
function copyOfBin(dir: string): string {
  mkdirSync(path.join(dir, 'bin'));
  cpSync(path.join(root, 'bin'), path.join(dir, 'bin'), { recursive: true });
  return path.join(dir, 'bin', 'occupy.cjs');
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

/** The cache's digest as bin/load-cli.cjs describes it, in BigInt arithmetic (64-bit words, four lanes). */
function referenceDigest(bytes: Buffer): Buffer {
  const mask = (1n << 64n) - 1n;
  const M = 0x9e3779b97f4a7c15n;
  const rotl29 = (v: bigint) => ((v << 29n) | (v >> 35n)) & mask;
  const padded = Buffer.alloc(Math.ceil(bytes.length / 32) * 32);
  bytes.copy(padded);
  const lanes = [1n, 2n, 3n, 4n];
  for (let at = 0; at < padded.length; at += 8) {
    const lane = (at / 8) % 4;
    lanes[lane] = rotl29(((lanes[lane] ^ padded.readBigUInt64LE(at)) * M) & mask);
  }
  let x = lanes[0];
  for (const lane of lanes.slice(1)) x = ((x * M) & mask) ^ lane;
  x = ((x ^ BigInt(bytes.length)) * M) & mask;
  const digest = Buffer.alloc(8);
  digest.writeBigUInt64LE(x ^ (x >> 32n));
  return digest;
}

test('the cache digest is the hash the loader describes, of the wrapped bundle and the payload', () => {
  const { digestOf } = createRequire(import.meta.url)(loader) as { digestOf: (bundle: Buffer, payload: Buffer) => Buffer };
  const wrapped = (bundle: Buffer, payload: Buffer) =>
    Buffer.concat([Buffer.from('(function (exports, require, module, __filename, __dirname) { '), bundle, Buffer.from('\n})'), payload]);
  const random = mulberry32(7);
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  // Every length of the last words, and the real files.
  for (let n = 0; n < 70; n++) {
    const [bundle, payload] = [randomBytes(n), randomBytes((5 * n) % 41)];
    assert.ok(digestOf(bundle, payload).equals(referenceDigest(wrapped(bundle, payload))), `${n} bytes`);
  }
  const bundle = readFileSync(path.join(builtCli, 'occupy.cjs'));
  const cache = readFileSync(path.join(builtCli, 'occupy.cjs.cache'));
  const payload = cache.subarray(0, cache.length - 8);
  const digest = digestOf(bundle, payload);
  assert.ok(digest.equals(referenceDigest(wrapped(bundle, payload))));
  assert.ok(digest.equals(cache.subarray(cache.length - 8)), 'the build wrote this digest');
  // One byte changed anywhere, or one more zero byte (the padding's value), changes it.
  for (const at of [0, 1, 7, 8, 31, 32, payload.length - 1]) {
    const changed = Buffer.from(payload);
    changed[at] ^= 0x01;
    assert.ok(!digestOf(bundle, changed).equals(digest), `byte ${at}`);
  }
  assert.ok(!digestOf(bundle, Buffer.concat([payload, Buffer.alloc(1)])).equals(digest), 'a zero byte more');
});

test('a damaged cache is not handed to V8 (which would not notice), and the CLI still runs', () => {
  inBuildScratch((dir) => {
    const bundle = copyOfCli(dir);
    const cache = readFileSync(`${bundle}.cache`);
    const flipped = Buffer.from(cache);
    flipped[Math.floor(cache.length / 2)] ^= 0x10;
    // A full job once; the other cases are refused before V8 sees them, as this one is, and only answer --version.
    [flipped, cache.subarray(0, cache.length - 1), cache.subarray(0, 20), Buffer.alloc(0)].forEach((damaged, i) => {
      writeFileSync(`${bundle}.cache`, damaged);
      const out = path.join(dir, `out-${damaged.length}`);
      assert.equal(loadAndRun(bundle, out, [], loader, i === 0 ? fullJob(out) : ['--version']), 'stale', `${damaged.length} bytes`);
    });
  });
});

test('the build\'s cache holds what a job compiles, not only what loading the bundle does', () => {
  inBuildScratch((dir) => {
    const bundle = copyOfCli(dir);
    rmSync(`${bundle}.cache`);
    const shipped = readFileSync(path.join(builtCli, 'occupy.cjs.cache')).length;
    const loadedOnly = cacheBytesBeforeAnyRun(bundle);
    // ~500 KB against ~110 KB: the run's lazily compiled functions are most of it.
    assert.ok(shipped > 2.5 * loadedOnly, `the shipped cache has ${shipped} bytes, one made after loading alone ${loadedOnly}`);
  });
});

test('a cache made for the same bundle in another wrapper (an edited loader) is not used', () => {
  inBuildScratch((dir) => {
    // The same length (all V8 compares): __filename and __dirname swapped.
    const edited = readFileSync(loader, 'utf8').replace('__filename, __dirname) { ', '__dirname, __filename) { ');
    assert.notEqual(edited, readFileSync(loader, 'utf8'));
    const editedLoader = path.join(dir, 'load-cli.cjs');
    writeFileSync(editedLoader, edited);
    assert.equal(loadAndRun(path.join(builtCli, 'occupy.cjs'), path.join(dir, 'out'), [], editedLoader), 'stale');
  });
});

test('a bundle that fails to load is reported with where it failed, as an internal error', () => {
  inScratch('occupy-broken-', (dir) => {
    const bin = copyOfBin(dir);
    const bundle = path.join(dir, 'dist', 'bundle', 'cli', 'occupy.cjs');
    mkdirSync(path.dirname(bundle), { recursive: true });
    for (const [source, message] of [
      ['exports.main = 1;\nthrow new Error("boom at the top");\n', /Error: boom at the top\n\s+at .*occupy\.cjs:2:/],
      ['exports.main = function (\n', /occupy\.cjs:\d+[\s\S]*SyntaxError/],
    ] as const) {
      writeFileSync(bundle, source);
      const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
      assert.equal(r.status, 3, r.stderr);
      assert.match(r.stderr, /^occupy: internal error: the CLI could not be loaded \(rebuild it with `npm run build`, or reinstall\):\n/);
      assert.match(r.stderr, message);
    }
  });
});

test('a cache V8 refuses (other flags than it was made with) leaves the CLI compiling as usual', () => {
  inBuildScratch((dir) => {
    assert.equal(loadAndRun(path.join(builtCli, 'occupy.cjs'), path.join(dir, 'out'), ['--max-lazy']), 'rejected');
  });
});

test('without WebAssembly (node --jitless) the cache cannot be checked, is not used, and the CLI still runs', () => {
  inBuildScratch((dir) => {
    assert.equal(loadAndRun(path.join(builtCli, 'occupy.cjs'), path.join(dir, 'out'), ['--jitless'], loader, ['--version']), 'unchecked');
  });
});

test('the bundle is ASCII only, and the characters written as escapes still print as themselves', () => {
  for (const name of readdirSync(builtCli).filter((n) => n.endsWith('.cjs'))) {
    const bytes = readFileSync(path.join(builtCli, name));
    assert.ok(bytes.every((b) => b < 0x80), `${name} has non-ASCII bytes`);
  }
  const help = spawnSync(process.execPath, [occupyBin(), '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /--resolution <Å>/);
  assert.match(help.stdout, /amplify partial occupancy 3×/);
});

test('a checkout that was never built says so, in one line, instead of failing with a stack trace', () => {
  inScratch('occupy-unbuilt-', (dir) => {
    const bin = copyOfBin(dir);
    const r = spawnSync(process.execPath, [bin, '-i', example], { encoding: 'utf8' });
    assert.equal(r.status, 3);
    assert.equal(r.stderr, `occupy: the CLI is not built (no dist/bundle/cli/occupy.cjs): run \`npm run build\` in ${dir}\n`);
  });
});
