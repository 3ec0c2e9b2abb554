/**
 * `npm run bench:start-up -- [--size 128] [--runs 3] [--repeat 5]`: where a small map's whole-process time
 * goes, for the README's account of the 128³ target. In one process it measures Node's own start (process
 * start to this script's first line), loading the bundled CLI, and the CLI's `main` run several times on the
 * same phantom (each into a fresh folder): the first run pays every one-time cost (compiling the WebAssembly
 * kernels, JavaScript warming up in the optimising compiler, the first garbage collections), the later ones
 * show the work alone. Also times an empty `node -e 0` for comparison. Prints medians over `--repeat`
 * processes. The phantom is the one `npm run bench` makes (bench/data, or --data-dir / OCCUPY_BENCH_DATA),
 * made here if missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, emptyNodeSeconds, median, phantomFile, root } from './common.js';

interface LoadedCli {
  main: (argv: string[]) => Promise<number>;
  codeCache: string;
}

/** The child: one process, timings in milliseconds as JSON on stdout. */
async function child(map: string, runs: number): Promise<void> {
  const nodeStart = performance.now();
  // As bin/occupy.cjs loads it, with its code cache.
  const { loadCli } = createRequire(import.meta.url)(path.join(root, 'bin', 'load-cli.cjs')) as { loadCli: () => LoadedCli };
  const { main, codeCache } = loadCli();
  const loaded = performance.now();
  const runTimes: number[] = [];
  for (let r = 0; r < runs; r++) {
    const out = mkdtempSync(path.join(tmpdir(), 'occupy-start-up-'));
    const t = performance.now();
    const code = await main(['-i', map, '--occupancy', '--quiet', '--output-dir', out]);
    runTimes.push(performance.now() - t);
    rmSync(out, { recursive: true, force: true });
    if (code !== 0) throw new Error(`occupy exited with ${code}`);
  }
  process.stdout.write(JSON.stringify({ nodeStart, load: loaded - nodeStart, codeCache, runTimes }));
}

async function parent(): Promise<void> {
  const size = Number(argValue('--size') ?? 128);
  const runs = Number(argValue('--runs') ?? 3);
  const repeat = Number(argValue('--repeat') ?? 5);
  const map = await phantomFile(size);

  const empty: number[] = [];
  const samples: { nodeStart: number; load: number; codeCache: string; runTimes: number[] }[] = [];
  for (let i = 0; i < repeat; i++) {
    empty.push(1000 * emptyNodeSeconds());
    const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', map, String(runs)], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
    samples.push(JSON.parse(result.stdout));
  }
  const ms = (v: number) => `${(v / 1000).toFixed(3)} s`;
  console.log(`${size}³ --occupancy, medians of ${repeat} processes, ${runs} runs each`);
  console.log(`  empty \`node -e 0\` (whole process)  ${ms(median(empty))}`);
  console.log(`  Node's start (to the first line)    ${ms(median(samples.map((s) => s.nodeStart)))}`);
  const caches = [...new Set(samples.map((s) => s.codeCache))].join(', ');
  console.log(`  loading the bundled CLI             ${ms(median(samples.map((s) => s.load)))} (code cache: ${caches})`);
  for (let r = 0; r < runs; r++) console.log(`  run ${r + 1} (main, in the same process)  ${ms(median(samples.map((s) => s.runTimes[r])))}`);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], Number(process.argv[4]));
} else {
  await parent();
}
