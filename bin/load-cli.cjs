'use strict';
/**
 * Loads the bundled CLI (dist/bundle/cli/occupy.cjs) with V8's code cache for it, `occupy.cjs.cache` beside
 * it, which scripts/cli-code-cache.mjs makes after each build by running a job and saving the bytecode of every
 * function that job compiled. With it, a run skips parsing and compiling most of the CLI: 30-60 ms of the ~0.3 s
 * a 128³ map takes. Node 20 offers a code cache only for scripts compiled through `vm` (not for ES modules),
 * hence a CommonJS bundle compiled here, by hand.
 *
 * V8 takes a cache only from the same V8 version and flags (`cachedDataRejected` otherwise: the CLI then
 * compiles as usual), but it checks neither the payload's integrity nor that the cache was made from this very
 * source (only its length). The cache file therefore ends with a digest of the compiled source (the bundle in
 * its wrapper) and the payload together: a cache from another build or another wrapper, or a damaged one, is
 * not handed to V8 at all.
 *
 * Cache file: V8's payload, then the 8-byte digest (`digestOf`).
 */
const { readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const DIGEST_BYTES = 8;

// The wrapper Node puts around every CommonJS module, opened on the bundle's first line so that its line
// numbers stay right.
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n})';

/**
 * The digest: a 64-bit multiply-rotate hash of the bytes, read as little-endian 64-bit words (the last ones
 * padded with zeros) dealt round-robin to four lanes, each `h = rotl((h ^ word) * M, 29)` from its own seed;
 * then the lanes and the byte length are folded into one (`x = (x * M) ^ lane`, `x = (x ^ length) * M`,
 * `x ^ (x >>> 32)`). test/build/cli-loader.test.ts checks it against a BigInt implementation. Each step is
 * invertible in the word or lane it takes, so any one changed word changes the digest; it guards against
 * damage and mix-ups, not against an adversary (who could as well edit the bundle). A SHA-1 from node:crypto
 * cost ~7 ms of every run (mostly loading the module tree), a JavaScript loop over the ~1 MB runs cold (~6 ms);
 * this WebAssembly function, four lanes so that fewer loop turns run in the engine's first, unoptimised code,
 * takes ~1 ms. Its bytes are written out here by hand: the project's assembler (src/core/wasm) is inside the
 * bundle this digest checks.
 *
 * digest(end, length): hashes the bytes [32, end) of its memory (`end` a multiple of 32) and `length`, and
 * stores the digest at 0.
 */
const MULTIPLIER = [0x95, 0xf8, 0xa9, 0xfa, 0x97, 0xb7, 0xde, 0x9b, 0x9e, 0x7f]; // 0x9e3779b97f4a7c15 as an i64.const immediate (signed LEB128)
const LANE_SEEDS = [1, 2, 3, 4]; // small seeds: a one-byte immediate each
const DIGEST_START = 32;

function digestModuleBytes() {
  // Locals: 0 end, 1 length (i32 parameters), 2 p (i32), 3..6 the lanes (i64), 7 x (i64).
  const [END, LENGTH, P, X] = [0, 1, 2, 7];
  const lane = (i) => 3 + i;
  const body = [0x02, 0x01, 0x7f, 0x05, 0x7e]; // one i32 local, five i64 locals
  body.push(0x41, DIGEST_START, 0x21, P); // p = 32
  LANE_SEEDS.forEach((seed, i) => body.push(0x42, seed, 0x21, lane(i)));
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop
  body.push(0x20, P, 0x20, END, 0x4f, 0x0d, 0x01); // if (p >= end) break
  for (let i = 0; i < 4; i++) {
    // lane = rotl((lane ^ i64.load(p + 8i)) * M, 29)
    body.push(0x20, lane(i), 0x20, P, 0x29, 0x03, 8 * i, 0x85, 0x42, ...MULTIPLIER, 0x7e, 0x42, 29, 0x89, 0x21, lane(i));
  }
  body.push(0x20, P, 0x41, 32, 0x6a, 0x21, P, 0x0c, 0x00); // p += 32; continue
  body.push(0x0b, 0x0b); // end loop, end block
  body.push(0x20, lane(0), 0x21, X);
  for (let i = 1; i < 4; i++) body.push(0x20, X, 0x42, ...MULTIPLIER, 0x7e, 0x20, lane(i), 0x85, 0x21, X); // x = x * M ^ lane
  body.push(0x20, X, 0x20, LENGTH, 0xad, 0x85, 0x42, ...MULTIPLIER, 0x7e, 0x21, X); // x = (x ^ length) * M
  body.push(0x41, 0x00, 0x20, X, 0x20, X, 0x42, 32, 0x88, 0x85, 0x37, 0x03, 0x00); // i64.store(0, x ^ (x >>> 32))
  body.push(0x0b);
  const section = (id, content) => [id, ...leb(content.length), ...content];
  const name = (text) => [text.length, ...Buffer.from(text)];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00]), // type: (i32, i32) -> ()
    ...section(3, [0x01, 0x00]), // one function of that type
    ...section(5, [0x01, 0x00, 0x01]), // one memory, at least one page
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('digest'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb(body.length), ...body]),
  ]);
}

/** Unsigned LEB128 (sizes). */
function leb(value) {
  const out = [];
  do {
    out.push((value & 0x7f) | (value > 0x7f ? 0x80 : 0));
    value >>>= 7;
  } while (value);
  return out;
}

/**
 * The digest of the source V8 compiles (the bundle in its wrapper) and of a cache payload for it; null where
 * WebAssembly is missing (`node --jitless`, under which V8 refuses the cache anyway).
 */
function digestOf(bundle, payload) {
  if (typeof WebAssembly !== 'object') return null;
  const parts = [Buffer.from(WRAPPER_START), bundle, Buffer.from(WRAPPER_END), payload];
  const length = parts.reduce((n, part) => n + part.length, 0);
  const end = DIGEST_START + Math.ceil(length / 32) * 32;
  const { memory, digest } = new WebAssembly.Instance(new WebAssembly.Module(digestModuleBytes())).exports;
  memory.grow(Math.ceil(end / 65536) - 1);
  const bytes = new Uint8Array(memory.buffer);
  let at = DIGEST_START;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  digest(end, length);
  return Buffer.from(bytes.subarray(0, DIGEST_BYTES));
}

/**
 * The payload of `cacheFile` if it was made from exactly `bundle`; 'none' without a file, 'stale' if not,
 * 'unchecked' where it cannot be checked (no WebAssembly).
 */
function payloadFor(bundle, cacheFile) {
  let cache;
  try {
    cache = readFileSync(cacheFile);
  } catch {
    return 'none';
  }
  if (cache.length <= DIGEST_BYTES) return 'stale';
  const payload = cache.subarray(0, cache.length - DIGEST_BYTES);
  const digest = digestOf(bundle, payload);
  if (!digest) return 'unchecked';
  return digest.equals(cache.subarray(cache.length - DIGEST_BYTES)) ? payload : 'stale';
}

/** The build's bundle; without one (`npm run build` not run), an error whose code is 'OCCUPY_NOT_BUILT'. */
function builtBundle() {
  try {
    return require.resolve('../dist/bundle/cli/occupy.cjs');
  } catch (error) {
    if (error?.code !== 'MODULE_NOT_FOUND') throw error;
    throw Object.assign(new Error('the CLI is not built (no dist/bundle/cli/occupy.cjs)'), { code: 'OCCUPY_NOT_BUILT' });
  }
}

/**
 * Compiles and runs the bundle (`bundleFile`: the build's by default) as the CommonJS module it is. Returns its
 * `main`, how the code cache went (`codeCache`: 'used'; 'rejected' by V8; 'stale', made for another source or
 * damaged; 'unchecked', without WebAssembly to check it; 'none') and `saveCodeCache()`, which writes the cache
 * of what has been compiled so far.
 */
function loadCli(bundleFile = builtBundle()) {
  const cacheFile = `${bundleFile}.cache`;
  const bundle = readFileSync(bundleFile);
  const found = payloadFor(bundle, cacheFile);
  const cachedData = typeof found === 'string' ? undefined : found;
  const source = WRAPPER_START + bundle.toString('utf8') + WRAPPER_END;
  const script = new vm.Script(source, { filename: bundleFile, cachedData });
  const codeCache = cachedData ? (script.cachedDataRejected ? 'rejected' : 'used') : found;

  // Registered as Node's own module for the file, so that the chunks' require('./occupy.cjs') finds this one.
  const module = new Module(bundleFile, null);
  module.filename = bundleFile;
  require.cache[bundleFile] = module;
  try {
    script.runInThisContext()(module.exports, Module.createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile));
  } catch (error) {
    delete require.cache[bundleFile];
    throw error;
  }
  module.loaded = true;

  function saveCodeCache() {
    const payload = script.createCachedData();
    const digest = digestOf(bundle, payload);
    if (!digest) throw new Error('a code cache needs WebAssembly for its digest');
    const partial = `${cacheFile}.${process.pid}.partial`;
    try {
      writeFileSync(partial, Buffer.concat([payload, digest]));
      renameSync(partial, cacheFile);
    } finally {
      rmSync(partial, { force: true });
    }
  }

  return { main: module.exports.main, codeCache, saveCodeCache };
}

module.exports = { loadCli, digestOf };
