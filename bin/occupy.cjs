#!/usr/bin/env node
'use strict';
// Entry point of the `occupy` command: the compiled CLI bundled into one file (built by `npm run build`, which
// `npm ci` runs; scripts/cli.vite.config.mjs), loaded with its code cache (./load-cli.cjs). CommonJS, because
// an ES module entry costs Node ~10 ms more to start.
const { loadCli } = require('./load-cli.cjs');

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

try {
  loadCli()
    .main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    }, internalError);
} catch (error) {
  internalError(error);
}
