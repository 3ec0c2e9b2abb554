#!/usr/bin/env node
// Entry point of the `occupy` command: the compiled CLI (built by `npm run build`, which `npm ci` runs).
import { main } from '../dist/src/cli/run.js';

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
