/**
 * What the benches share (bench.ts, start-up.ts): their options, the synthetic phantoms they run on, medians,
 * and the time of an empty Node process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The value after `name` on the command line. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The repository (the benches run from dist/bench). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the phantoms are kept: --data-dir, OCCUPY_BENCH_DATA, or bench/data. */
export const dataDir = path.resolve(argValue('--data-dir') ?? process.env.OCCUPY_BENCH_DATA ?? path.join(root, 'bench', 'data'));

/**
 * The phantom of edge `n` (deterministic seed), generated into the data folder the first time. The generator
 * and the writer are loaded only then: start-up.ts measures module loading in processes that import this file.
 */
export async function phantomFile(n: number): Promise<string> {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, `phantom_${n}.mrc`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file}…\n`);
    const [{ makePhantom, phantomSpec }, { writeMapFile }] = await Promise.all([import('../src/synthetic/phantom.js'), import('../src/io/map-file.js')]);
    const p = makePhantom(phantomSpec(n, { voxelSize: 1.1, seed: 7 }));
    await writeMapFile(file, p.volume, {
      voxelSize: [1.1, 1.1, 1.1],
      origin: [0, 0, 0],
      start: [0, 0, 0],
      axisOrder: [1, 2, 3],
      sampling: [n, n, n],
    });
  }
  return file;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall seconds of one empty Node process (`node -e 0`): Node's own start and exit, no project code. */
export function emptyNodeSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0'], { env });
  return (performance.now() - t0) / 1000;
}
