/**
 * Makes the CLI bundle's code cache (dist/bundle/cli/occupy.cjs.cache; bin/load-cli.cjs says what it is):
 * runs a job that goes through the common path (estimate, the three modifications, writing) on the example
 * map, into a scratch folder, then saves the bytecode of what it compiled. Runs as part of `npm run build`,
 * with the Node that will run the CLI (V8 takes a cache only from its own version).
 *
 * The job runs in a child Node without `NODE_OPTIONS` and without flags: V8 takes a cache only under the flags
 * it was made with, and a plain `occupy` has none (a build under, say, `NODE_OPTIONS=--max-old-space-size=…`,
 * common on CI machines, would otherwise ship a cache that every ordinary run refuses).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

async function makeCache() {
  const { loadCli } = createRequire(import.meta.url)('../bin/load-cli.cjs');
  const out = mkdtempSync(path.join(tmpdir(), 'occupy-code-cache-'));
  try {
    const cli = loadCli();
    const example = path.join(root, 'examples', 'phantom_64.mrc');
    const code = await cli.main(['-i', example, '--occupancy', '-am', '2', '-at', '2', '--sigmoid', '2', '--pivot', '0.3', '--quiet', '--output-dir', out]);
    if (code !== 0) throw new Error(`the job for the code cache exited with ${code}`);
    cli.saveCodeCache();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--in-plain-node') {
  await makeCache();
} else {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--in-plain-node'], { env, stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`making the CLI's code cache failed (${child.status ?? child.signal})`);
}
