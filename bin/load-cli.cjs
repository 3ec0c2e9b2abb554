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
 * source (only its length). The cache file therefore ends with a SHA-1 digest of the compiled source (the
 * bundle in its wrapper) and the payload together: a cache from another build or another wrapper, or a damaged
 * one, is not handed to V8 at all.
 *
 * Cache file: V8's payload, then the 20-byte digest.
 */
const { readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const DIGEST_BYTES = 20;

// The wrapper Node puts around every CommonJS module, opened on the bundle's first line so that its line
// numbers stay right.
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n})';

/** The digest of the source V8 compiles (the bundle in its wrapper) and of a cache payload for it. */
function digestOf(bundle, payload) {
  return createHash('sha1').update(WRAPPER_START).update(bundle).update(WRAPPER_END).update(payload).digest();
}

/** The payload of `cacheFile` if it was made from exactly `bundle`; 'none' without a file, 'stale' if not. */
function payloadFor(bundle, cacheFile) {
  let cache;
  try {
    cache = readFileSync(cacheFile);
  } catch {
    return 'none';
  }
  if (cache.length <= DIGEST_BYTES) return 'stale';
  const payload = cache.subarray(0, cache.length - DIGEST_BYTES);
  return digestOf(bundle, payload).equals(cache.subarray(cache.length - DIGEST_BYTES)) ? payload : 'stale';
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
 * damaged; 'none') and `saveCodeCache()`, which writes the cache of what has been compiled so far.
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
    const partial = `${cacheFile}.${process.pid}.partial`;
    try {
      writeFileSync(partial, Buffer.concat([payload, digestOf(bundle, payload)]));
      renameSync(partial, cacheFile);
    } finally {
      rmSync(partial, { force: true });
    }
  }

  return { main: module.exports.main, codeCache, saveCodeCache };
}

module.exports = { loadCli };
