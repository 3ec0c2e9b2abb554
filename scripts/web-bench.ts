/**
 * `npm run bench:web`: how long the web app takes to estimate a 256³ map in headless Chromium, and whether
 * the page stays responsive meanwhile. Prints, per run: the job time the worker measured (runJob and the
 * output files, as the session log shows it), the wall time from the click to the result on screen, and the
 * longest the page's main thread went without running a timer. Timings are printed, not asserted.
 *
 *   npm run bench:web                      256³ phantom, 3 runs, scale mode auto (resolution)
 *   npm run bench:web -- --runs 5 --occupancy --size 128 --threads 1
 *   node dist/scripts/web-bench.js …        (after a build)
 */
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { cpus } from 'node:os';
import { makePhantom, phantomSpec } from '../src/synthetic/phantom.js';
import { writeMapFile } from '../src/io/map-file.js';
import { openApp, repoRoot, waitForRun } from '../test/web/browser.js';
import { argValue } from '../bench/common.js';

const size = Number(argValue('--size') ?? 256);
const runs = Number(argValue('--runs') ?? 3);
const occupancy = process.argv.includes('--occupancy');
const threads = argValue('--threads');

/** The benchmark's phantom (bench/data, not committed; the CLI benchmark uses the same file). */
async function phantomFile(n: number): Promise<string> {
  const dir = path.join(repoRoot, 'bench', 'data');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `phantom_${n}.mrc`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file}…\n`);
    const p = makePhantom(phantomSpec(n, { voxelSize: 1.1, seed: 7 }));
    await writeMapFile(file, p.volume, { voxelSize: [1.1, 1.1, 1.1], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [n, n, n] });
  }
  return file;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const file = await phantomFile(size);
  const app = await openApp({ query: threads ? `?threads=${threads}` : '' });
  const { page } = app;
  try {
    let t = performance.now();
    await page.setInputFiles('#open-input', file);
    await page.waitForSelector('#info-input [data-fact="box"]');
    console.log(`opened ${path.basename(file)} in ${((performance.now() - t) / 1000).toFixed(2)} s`);
    if (occupancy) await page.selectOption('#set-scale-mode', 'occ');

    const rows: { job: number; wall: number; gap: number }[] = [];
    for (let run = 1; run <= runs; run++) {
      t = performance.now();
      const [gap] = await Promise.all([longestMainThreadGap(page, run), page.click('#run-estimate')]);
      const status = await waitForRun(page, run, 600_000);
      const wall = (performance.now() - t) / 1000;
      if (status !== 'done') throw new Error(`run ${run} ${status}: ${await page.textContent('#message')}`);
      const header = (await page.textContent(`.log-entry[data-run="${run}"] header`)) ?? '';
      const job = Number(/done in ([\d.]+) s/.exec(header)?.[1]);
      rows.push({ job, wall, gap });
      const stages = /\((.*)\)/.exec((await page.textContent('#result-facts dd:last-of-type')) ?? '')?.[1] ?? '';
      console.log(`run ${run}: job ${job.toFixed(2)} s in the worker (${stages}), ${wall.toFixed(2)} s click to result, longest main-thread pause ${gap.toFixed(0)} ms`);
    }
    const command = await page.textContent(`.log-entry[data-run="1"] .command`);
    const used = await page.evaluate(() => document.body.dataset.threads);
    console.log(
      `\n${size}³ (${command}), ${used} thread(s) for the parallel steps; ` +
        `fastest run: job ${Math.min(...rows.map((r) => r.job)).toFixed(2)} s; median of ${runs}: job ${median(rows.map((r) => r.job)).toFixed(2)} s, ` +
        `click to result ${median(rows.map((r) => r.wall)).toFixed(2)} s, longest pause ${median(rows.map((r) => r.gap)).toFixed(0)} ms ` +
        `(${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Chromium headless)`,
    );
    if (app.errors.length) console.log(`page errors: ${app.errors.join('; ')}`);
  } finally {
    await app.close();
  }
}

/** Longest gap between 5 ms timers on the page's main thread, from now until run `run` has finished. */
function longestMainThreadGap(page: import('playwright-core').Page, run: number): Promise<number> {
  return page.evaluate(async (run) => {
    let last = performance.now();
    let longest = 0;
    const running = () => {
      const entry = document.querySelector(`.log-entry[data-run="${run}"]`);
      return !entry || entry.getAttribute('data-status') === 'running';
    };
    const start = last;
    while (running() && performance.now() - start < 600_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }
    return longest;
  }, run);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
