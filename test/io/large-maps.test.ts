/**
 * Very large maps through the real command (opt-in: OCCUPY_LARGE_TESTS=1; about 1.5 minutes on the project's
 * 2-core machine, 6.5 GB of disk in the temporary folder and up to 5 GB of memory):
 * - a 768³ float32 map (1.8 GB) runs with the default --max-box within 5 GB of memory;
 * - a 1024³ map (4 GiB, past what one fs.readFile returns) is read in pieces and runs, and is refused up front,
 *   saying how much memory it would need, when less memory is allowed.
 * Both are only estimated, so both are down-sampled as they are read (src/run/down-sampled-input.ts); reading a
 * map of more than 2 GiB whole is tested in map-file.test.ts.
 * Peak memory is the child's own maxRSS, which it writes into its JSON report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeSyntheticMap } from './large-map.js';
import { occupyBin } from '../cli/harness.js';

const BIN = occupyBin();
const enabled = Boolean(process.env.OCCUPY_LARGE_TESTS);
const skipReason = 'large-map test skipped: set OCCUPY_LARGE_TESTS=1 to run it';

function occupy(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const childEnv = { ...process.env, ...env };
  if (!('OCCUPY_MEMORY_LIMIT' in env)) delete childEnv.OCCUPY_MEMORY_LIMIT;
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv, encoding: 'utf8' });
  return { ...r, seconds: (performance.now() - started) / 1000 };
}

function peakResidentBytes(dir: string, stem: string): number {
  const report = JSON.parse(readFileSync(path.join(dir, `report_${stem}.json`), 'utf8')) as { performance: { peakResidentMB: number } };
  return report.performance.peakResidentMB * 2 ** 20;
}

test('a 768^3 map (1.8 GB of float32) runs with the default --max-box within 5 GB of memory', { skip: enabled ? false : skipReason, timeout: 20 * 60_000 }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'occupy-large-'));
  try {
    await writeSyntheticMap(path.join(dir, 'big768.mrc'), [768, 768, 768], 1.0);
    assert.equal(statSync(path.join(dir, 'big768.mrc')).size, 1024 + 4 * 768 ** 3);
    const r = occupy(dir, ['-i', 'big768.mrc', '--quiet']);
    assert.equal(r.status, 0, r.stderr);
    const peak = peakResidentBytes(dir, 'big768');
    t.diagnostic(`768^3 default run: ${r.seconds.toFixed(0)} s, peak resident ${(peak / 2 ** 30).toFixed(2)} GiB`);
    assert.ok(peak < 5e9, `peak resident memory ${(peak / 1e9).toFixed(2)} GB`);
    // Scale and confidence at the processing size (256), as for every cubic map above --max-box.
    assert.equal(statSync(path.join(dir, 'scale_res_big768.mrc')).size, 1024 + 4 * 256 ** 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a 1024^3 map (4 GiB file) is read in pieces and runs, or is refused up front saying what it needs', { skip: enabled ? false : skipReason, timeout: 30 * 60_000 }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'occupy-large-'));
  try {
    await writeSyntheticMap(path.join(dir, 'big1024.mrc'), [1024, 1024, 1024], 1.0);
    assert.ok(statSync(path.join(dir, 'big1024.mrc')).size > 2 ** 32, 'past what one fs.readFile returns (2 GiB)');

    // Only estimated, it is down-sampled as it is read (never held): about 1.8 GiB, which 1 GiB refuses.
    const refused = occupy(dir, ['-i', 'big1024.mrc'], { OCCUPY_MEMORY_LIMIT: '1G' });
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /^occupy: big1024\.mrc: the map is 1024x1024x1024 voxels \(4\.0 GiB as float32\); this run would need about \d+\.\d GiB of memory, more than the 1\.0 GiB of OCCUPY_MEMORY_LIMIT/);
    assert.ok(refused.seconds < 10, `refused up front, before reading 4 GiB (${refused.seconds.toFixed(1)} s)`);
    assert.deepEqual(readdirSync(dir), ['big1024.mrc']);

    const r = occupy(dir, ['-i', 'big1024.mrc', '--quiet']);
    assert.equal(r.status, 0, r.stderr);
    const peak = peakResidentBytes(dir, 'big1024');
    t.diagnostic(`1024^3 default run: ${r.seconds.toFixed(0)} s, peak resident ${(peak / 2 ** 30).toFixed(2)} GiB`);
    assert.equal(statSync(path.join(dir, 'scale_res_big1024.mrc')).size, 1024 + 4 * 256 ** 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
