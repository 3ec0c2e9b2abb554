#!/usr/bin/env node
'use strict';
// Entry point of the `occupy` command: the compiled CLI bundled into one file (built by `npm run build`, which
// `npm ci` runs; scripts/cli.vite.config.mjs), loaded with its code cache (./load-cli.cjs). CommonJS, because
// an ES module entry costs Node ~10 ms more to start.
const { loadCli } = require('./load-cli.cjs');
const { relaunchWithHugePagesOr, watchFirstProcess } = require('./huge-pages.cjs');

// A closed pipe (`occupy … | head`) must not crash the run: the outputs are files, so finish quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

function internalError(error) {
  process.stderr.write(`occupy: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 3;
}

/** The CLI, or undefined after saying why it could not be loaded. */
function loadOrReport() {
  try {
    return loadCli();
  } catch (error) {
    if (error?.code === 'OCCUPY_NOT_BUILT') {
      // A checkout without `npm run build` (`npm ci` runs it).
      const root = require('node:path').resolve(__dirname, '..');
      process.stderr.write(`occupy: ${error.message}: run \`npm run build\` in ${root}\n`);
    } else {
      // A damaged or half-built install, not a user's mistake: where it failed is what helps.
      const where = error instanceof Error ? error.stack : String(error);
      process.stderr.write(`occupy: internal error: the CLI could not be loaded (rebuild it with \`npm run build\`, or reinstall):\n${where}\n`);
    }
    process.exitCode = 3;
    return undefined;
  }
}

const args = process.argv.slice(2);
watchFirstProcess();
// A large map, on a host where fresh memory is slow, runs in a child with huge pages (./huge-pages.cjs).
relaunchWithHugePagesOr(
  () => {
    loadOrReport()?.main(args).then((code) => {
      process.exitCode = code;
    }, internalError);
  },
  __filename,
  args,
);
