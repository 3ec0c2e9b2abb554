/**
 * `npm run bench`: whole-CLI timings on synthetic maps (deterministic seed, generated into bench/data, not
 * committed). Prints per-stage medians (from each run's report JSON), whole-process wall time and peak resident
 * memory, as a Markdown table for the README.
 *
 *   npm run bench                 128³, 256³, 384³ estimate; 256³ with all three modifications
 *   npm run bench -- --sizes 128,256 --runs 5 --big     (--big adds a 512³ input down-sampled to 256, alone and
 *                                                        with two modifications written at 512³)
 *   npm run bench -- --data-dir /tmp/occupy-bench        (where the phantoms are kept; also OCCUPY_BENCH_DATA)
 *
 * Where NODE_EXTRA_CA_CERTS is set, the smallest map also runs without it, and an empty Node process is timed
 * both ways: Node parses the certificates that variable names at every start, before any of the CLI runs.
 * 256³ also runs with OCCUPY_HUGE_PAGES=off: where fresh memory is slow, the command relaunches large maps
 * with huge pages (bin/huge-pages.cjs; `start-up` then counts from the first process's start).
 *
 * Columns: `CPU` is the process's user + system time (from /usr/bin/time where it exists: on a shared machine
 * the wall time also counts waiting for a core); `start-up` is process start to the CLI's first line of work
 * (Node, module loading, options); the stages follow in the order they run; `writing` ends when the outputs
 * are encoded and the report is built; `exit` is the rest of the wall time (the report's own work, writing the
 * files to disk, process exit).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import * as path from 'node:path';
import { argValue, emptyNodeSeconds, median, phantomFile, root } from './common.js';

const sizes = (argValue('--sizes') ?? '128,256,384').split(',').map(Number);
const runs = Number(argValue('--runs') ?? 3);
const big = process.argv.includes('--big');

interface Sample {
  wall: number;
  /** User + system CPU seconds of the process (from /usr/bin/time; undefined where it is missing). */
  cpu?: number;
  peakMB: number;
  stages: Record<string, number>;
}

/** GNU time, to read each run's CPU time (Node's spawnSync reports none); absent on some systems. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** This process's environment with the huge-page relaunch turned off (bin/huge-pages.cjs), for the 256³ row that shows what it gives. */
const withoutHugePages: NodeJS.ProcessEnv = { ...process.env, OCCUPY_HUGE_PAGES: 'off' };

/** This process's environment without NODE_EXTRA_CA_CERTS (see above), for the second 128³ row. */
const withoutExtraCertificates: NodeJS.ProcessEnv = { ...process.env };
delete withoutExtraCertificates.NODE_EXTRA_CA_CERTS;

/** Median wall seconds of an empty Node process (`node -e 0`) in the environment `env`. */
function emptyNodeMedian(env: NodeJS.ProcessEnv): number {
  return median(Array.from({ length: Math.max(runs, 5) }, () => emptyNodeSeconds(env)));
}

function runOnce(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Sample {
  const out = mkdtempSync(path.join(tmpdir(), 'occupy-bench-'));
  try {
    const cli = [process.execPath, path.join(root, 'bin', 'occupy.cjs'), '-i', file, '--quiet', '--output-dir', out, ...args];
    const cpuFile = path.join(out, 'cpu.txt');
    const [command, ...rest] = TIME ? [TIME, '-f', '%U %S', '-o', cpuFile, ...cli] : cli;
    const t0 = performance.now();
    const r = spawnSync(command, rest, { encoding: 'utf8', env });
    const wall = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`occupy failed: ${r.stderr}`);
    const stem = path.basename(file).replace(/\.mrc$/, '');
    const report = JSON.parse(readFileSync(path.join(out, `report_${stem}.json`), 'utf8'));
    const stages: Record<string, number> = { ...report.performance.stageSeconds };
    const accounted = Object.values(stages).reduce((a, b) => a + b, 0);
    stages.exit = Math.max(0, wall - accounted);
    let cpu: number | undefined;
    if (TIME) {
      const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
      if (Number.isFinite(user) && Number.isFinite(system)) cpu = user + system;
    }
    return { wall, cpu, peakMB: report.performance.peakResidentMB, stages };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function main() {
  const extraCertificates = Boolean(process.env.NODE_EXTRA_CA_CERTS);
  const jobs: { label: string; n: number; args: string[]; env?: NodeJS.ProcessEnv }[] = [];
  for (const n of sizes) {
    jobs.push({ label: `${n}³ --occupancy`, n, args: ['--occupancy'] });
    if (extraCertificates && n === Math.min(...sizes)) {
      jobs.push({ label: `${n}³ --occupancy, NODE_EXTRA_CA_CERTS unset`, n, args: ['--occupancy'], env: withoutExtraCertificates });
    }
  }
  if (sizes.includes(256)) {
    jobs.push({ label: '256³ --occupancy, OCCUPY_HUGE_PAGES=off', n: 256, args: ['--occupancy'], env: withoutHugePages });
    jobs.push({ label: '256³ --occupancy -am 3 -at 3 --sigmoid 3 --pivot 0.3', n: 256, args: ['--occupancy', '-am', '3', '-at', '3', '--sigmoid', '3', '--pivot', '0.3', '--seed', '1'] });
  }
  if (big) {
    jobs.push({ label: '512³ --occupancy (max-box 256)', n: 512, args: ['--occupancy'] });
    // Beyond the targets: modified maps are padded back to the input's box (§10), and written there.
    jobs.push({ label: '512³ --occupancy -am 3 -at 3 (max-box 256)', n: 512, args: ['--occupancy', '-am', '3', '-at', '3', '--seed', '1'] });
  }

  const rows: string[] = [];
  const stageNames = new Set<string>();
  const results: { label: string; samples: Sample[] }[] = [];
  for (const job of jobs) {
    const file = await phantomFile(job.n);
    runOnce(file, job.args, job.env); // warm the file cache
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(runOnce(file, job.args, job.env));
    samples.forEach((s) => Object.keys(s.stages).forEach((k) => stageNames.add(k)));
    results.push({ label: job.label, samples });
    process.stderr.write(`${job.label}: wall ${median(samples.map((s) => s.wall)).toFixed(2)} s\n`);
  }
  const last = ['writing', 'exit'];
  const stages = [...[...stageNames].filter((st) => !last.includes(st)), ...last.filter((st) => stageNames.has(st))];
  rows.push(`| job | wall (s) | CPU (s) | peak RSS (MiB) | ${stages.join(' | ')} |`);
  rows.push(`| --- | --- | --- | --- | ${stages.map(() => '---').join(' | ')} |`);
  for (const { label, samples } of results) {
    // A stage the job does not have (no modification, no down-sampling) is '–', not a time of 0.
    const cells = stages.map((st) => (samples.some((s) => st in s.stages) ? median(samples.map((s) => s.stages[st] ?? 0)).toFixed(2) : '–'));
    const cpuTimes = samples.map((s) => s.cpu).filter((c): c is number => c !== undefined);
    const cpu = cpuTimes.length === samples.length ? median(cpuTimes).toFixed(2) : '–';
    rows.push(`| ${label} | ${median(samples.map((s) => s.wall)).toFixed(2)} | ${cpu} | ${median(samples.map((s) => s.peakMB)).toFixed(0)} | ${cells.join(' | ')} |`);
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const load = loadavg().map((l) => l.toFixed(1)).join(', ');
  console.log(`Medians of ${runs} runs, ${new Date().toISOString().slice(0, 10)}, ${machine}; load average at the end ${load}\n`);
  console.log(rows.join('\n'));
  const seconds = (v: number) => `${v.toFixed(3)} s`;
  let empty = `\nAn empty Node process (\`node -e 0\`), median: ${seconds(emptyNodeMedian(process.env))}`;
  if (extraCertificates) {
    empty += `; ${seconds(emptyNodeMedian(withoutExtraCertificates))} with NODE_EXTRA_CA_CERTS unset (it is set here, to ${process.env.NODE_EXTRA_CA_CERTS})`;
  }
  console.log(empty);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
