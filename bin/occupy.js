#!/usr/bin/env node
// Entry point of the `occupy` command: the compiled CLI bundled into one module (built by `npm run build`, which
// `npm ci` runs; scripts/cli.vite.config.mjs).
import { main } from '../dist/bundle/cli/occupy.js';

// A closed pipe (`occupy … | head`) must not crash the run: the outputs are files, so finish quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`occupy: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  },
);
