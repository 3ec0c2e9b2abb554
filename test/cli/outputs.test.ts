/**
 * What the CLI writes, beyond the fixture agreement: figures, -o naming, ChimeraX variants and launching,
 * the report, flags that turn outputs off, and output geometry for a map with an unusual header.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { outputsIn, runOccupy, scratchFolder } from './harness.js';
import { readMapFile } from '../../src/io/map-file.js';
import { encodeMrc } from '../../src/format/mrc-format.js';
import { gzipSync } from 'node:zlib';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('--plot writes the solvent-model and modification figures as SVG and PNG', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const r = runOccupy(['-i', '1tii_occ_64.mrc', '-am', '2', '--sigmoid', '3', '--pivot', '0.4', '--plot', '--seed', '1'], dir);
    assert.equal(r.status, 0, r.stderr);
    for (const stem of ['solModel_1tii_occ_64', 'modification_1tii_occ_64']) {
      const png = readFileSync(path.join(dir, `${stem}.png`));
      assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE, `${stem}.png is a PNG`);
      assert.ok(png.length > 10_000, `${stem}.png has content (${png.length} bytes)`);
      const svg = readFileSync(path.join(dir, `${stem}.svg`), 'utf8');
      assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    const solvent = readFileSync(path.join(dir, 'solModel_1tii_occ_64.svg'), 'utf8');
    for (const label of ['solvent model (fit)', 'confidence', 'content at 1% of solvent', 'solvent edge']) assert.ok(solvent.includes(label), label);
    const curves = readFileSync(path.join(dir, 'modification_1tii_occ_64.svg'), 'utf8');
    for (const label of ['amplify 2', 'sigmoid 3, pivot 0.4']) assert.ok(curves.includes(label), label);
  } finally {
    cleanup();
  }
});

test('-o names the one modified map; with several, its stem replaces the input stem', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    let r = runOccupy(['-i', '1tii_occ_64.mrc', '-am', '2', '-o', 'boosted.mrc'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(path.join(dir, 'boosted.mrc')));
    assert.ok(!existsSync(path.join(dir, 'ampl_2.0_1tii_occ_64.mrc')));
    assert.match(readFileSync(path.join(dir, 'chimX_1tii_occ_64.cxc'), 'utf8'), /open "boosted.mrc"/);

    r = runOccupy(['-i', '1tii_occ_64.mrc', '-am', '2', '-at', '3', '--exclude-solvent', '-o', 'edited.mrc'], dir);
    assert.equal(r.status, 0, r.stderr);
    for (const f of ['ampl_2.0_solExcl_edited.mrc', 'attn_3.0_solExcl_edited.mrc']) assert.ok(existsSync(path.join(dir, f)), f);
  } finally {
    cleanup();
  }
});

test('--no-chimerax and --no-report write neither; --chimerax-silent writes the view-saving variant', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    let r = runOccupy(['-i', '1tii_occ_64.mrc', '--no-chimerax', '--no-report'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(outputsIn(dir), ['conf_1tii_occ_64.mrc', 'log_1tii_occ_64.txt', 'scale_res_1tii_occ_64.mrc']);
    assert.doesNotMatch(r.stdout, /chimerax/i);

    r = runOccupy(['-i', '1tii_occ_64.mrc', '--chimerax', '--chimerax-silent'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(path.join(dir, 'chimX_1tii_occ_64.cxc')), '--chimerax (the default, spelled out)');
    const silent = readFileSync(path.join(dir, 'chimX_1tii_occ_64_silent.cxc'), 'utf8');
    assert.equal((silent.match(/^save chimX_1tii_occ_64_silent_rot\d\.png/gm) ?? []).length, 4);
    assert.match(silent, /\nexit\n$/);
  } finally {
    cleanup();
  }
});

test('--show-chimerax starts chimerax on the script when it is on the PATH, and says so clearly when not', async () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const bin = path.join(dir, 'fakebin');
    mkdirSync(bin);
    const env = { ...process.env, PATH: `${bin}:/usr/bin:/bin` };
    let r = runOccupy(['-i', '1tii_occ_64.mrc', '--show-chimerax'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ChimeraX was not found on the PATH.*\nchimerax chimX_1tii_occ_64.cxc/);

    const marker = path.join(dir, 'chimerax-was-started');
    writeFileSync(path.join(bin, 'chimerax'), `#!/bin/sh\necho "$@" > "${marker}"\n`);
    chmodSync(path.join(bin, 'chimerax'), 0o755);
    r = runOccupy(['-i', '1tii_occ_64.mrc', '--show-chimerax'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Opening chimX_1tii_occ_64.cxc in ChimeraX/);
    for (let i = 0; i < 50 && !existsSync(marker); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(readFileSync(marker, 'utf8').trim(), 'chimX_1tii_occ_64.cxc');
  } finally {
    cleanup();
  }
});

test('the report lists settings, figures, outputs and the seed drawn for synthetic solvent', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const r = runOccupy(['-i', '1tii_occ_64.mrc', '-at', '2'], dir);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'report_1tii_occ_64.json'), 'utf8'));
    assert.equal(report.schema, 'occupy-report/1');
    assert.equal(report.settings.scaleMode, 'occ', 'modifying implies occupancy mode (METHOD.md §5)');
    for (const key of ['lowpass', 'kernelSize', 'kernelRadius', 'sampleCount', 'tau', 'tileSize', 'processingBox', 'processingVoxelSize']) {
      assert.equal(typeof report.settings[key], 'number', key);
    }
    assert.ok(Number.isInteger(report.settings.seed), 'a fresh seed is reported so the run can be repeated');
    for (const key of ['fullScale', 'variabilityLimit', 'confidenceLimit']) assert.equal(typeof report.figures[key], 'number', key);
    assert.deepEqual(Object.keys(report.figures.solventFit), ['c', 'mu', 'sigma']);
    assert.equal(report.figures.maxTileCentre.length, 3);
    assert.deepEqual(
      report.outputs,
      ['scale_occ_1tii_occ_64.mrc', 'conf_1tii_occ_64.mrc', 'attn_2.0_1tii_occ_64.mrc', 'chimX_1tii_occ_64.cxc', 'log_1tii_occ_64.txt', 'report_1tii_occ_64.json'],
    );

    // Repeating the run with the reported seed reproduces the attenuated map exactly.
    const first = readFileSync(path.join(dir, 'attn_2.0_1tii_occ_64.mrc'));
    const again = runOccupy(['-i', '1tii_occ_64.mrc', '-at', '2', '--seed', String(report.settings.seed)], dir);
    assert.equal(again.status, 0, again.stderr);
    assert.ok(first.equals(readFileSync(path.join(dir, 'attn_2.0_1tii_occ_64.mrc'))));
  } finally {
    cleanup();
  }
});

test('outputs overlay an input with origin, start indices and axis order set; modified maps keep its box', async () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const source = await readMapFile(path.join(dir, '1tii_occ_64.mrc'));
    const geometry = { ...source.geometry, origin: [12.5, -3, 40] as [number, number, number], start: [-32, -30, 2] as [number, number, number], axisOrder: [2, 3, 1] as [number, number, number] };
    writeFileSync(path.join(dir, 'odd_header.mrc'), encodeMrc(source.volume, geometry));
    const r = runOccupy(['-i', 'odd_header.mrc', '-am', '2', '--max-box', '48', '--solvent-def-from-scale', '0.4'], dir);
    assert.equal(r.status, 0, r.stderr);

    for (const name of ['ampl_2.0_odd_header.mrc', 'solDef_0.40_odd_header.mrc']) {
      const out = await readMapFile(path.join(dir, name));
      assert.deepEqual([out.volume.nz, out.volume.ny, out.volume.nx], [64, 64, 64], name);
      assert.deepEqual(out.geometry.origin, geometry.origin, name);
      assert.deepEqual(out.geometry.start, geometry.start, name);
      assert.deepEqual(out.geometry.axisOrder, geometry.axisOrder, name);
      out.geometry.voxelSize.forEach((v, i) => assert.ok(Math.abs(v - geometry.voxelSize[i]) < 1e-6, `${name} voxel size`));
    }
    const scale = await readMapFile(path.join(dir, 'scale_occ_odd_header.mrc'));
    assert.deepEqual([scale.volume.nz, scale.volume.ny, scale.volume.nx], [48, 48, 48]);
    assert.deepEqual(scale.geometry.origin, geometry.origin);
    assert.deepEqual(scale.geometry.axisOrder, geometry.axisOrder);
    // Same field of view: 48 voxels of 64/48 the input's size; start indices scaled by 48/64.
    scale.geometry.voxelSize.forEach((v, i) => assert.ok(Math.abs(v - (geometry.voxelSize[i] * 64) / 48) < 1e-5));
    assert.deepEqual(scale.geometry.start, [-24, -22, 2]);
  } finally {
    cleanup();
  }
});

test('-o may name another folder, absolute or relative; the folder is made and the script opens the map there', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const elsewhere = path.join(dir, 'elsewhere', 'boosted.mrc');
    let r = runOccupy(['-i', '1tii_occ_64.mrc', '-am', '2', '-o', elsewhere], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(elsewhere));
    assert.match(readFileSync(path.join(dir, 'chimX_1tii_occ_64.cxc'), 'utf8'), /open "elsewhere\/boosted.mrc"/);
    r = runOccupy(['-i', '1tii_occ_64.mrc', '-am', '2', '-at', '2', '-o', 'nested/deeper/x.mrc'], dir);
    assert.equal(r.status, 0, r.stderr);
    for (const f of ['nested/deeper/ampl_2.0_x.mrc', 'nested/deeper/attn_2.0_x.mrc']) assert.ok(existsSync(path.join(dir, f)), f);
  } finally {
    cleanup();
  }
});

test('a run that fails while writing leaves every earlier output as it was, and no temporary behind', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    let r = runOccupy(['-i', '1tii_occ_64.mrc', '--occupancy', '-am', '2'], dir);
    assert.equal(r.status, 0, r.stderr);
    const before = new Map(outputsIn(dir).map((f) => [f, readFileSync(path.join(dir, f))]));
    // A 240-character -o name is valid, but its temporary's name (longer still) is not: staging fails after
    // the scale and confidence maps of this different run were already staged.
    r = runOccupy(['-i', '1tii_occ_64.mrc', '--occupancy', '--kernel-size', '7', '-am', '2', '-o', `${'x'.repeat(236)}.mrc`], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^occupy: .*x{20,}\.mrc/);
    assert.deepEqual(outputsIn(dir), [...before.keys()], 'no new file, no temporary');
    for (const [f, bytes] of before) assert.ok(readFileSync(path.join(dir, f)).equals(bytes), `${f} unchanged`);
  } finally {
    cleanup();
  }
});

test('maps written while the run goes on (output folder present) equal those written at the end (folder made by the run)', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    for (const extra of [
      () => ['-am', '2', '-at', '3', '--sigmoid', '3', '--pivot', '0.3'],
      () => ['-at', '2', '--save-all-maps', '--nlrc'],
      (d: string) => ['-am', '2', '-at', '2', '-o', `${d}/renamed.mrc`],
      () => ['--exclude-solvent'],
    ]) {
      const args = (d: string) => ['-i', '1tii_occ_64.mrc', '--seed', '4', '--no-report', ...extra(d), '--output-dir', d];
      mkdirSync(path.join(dir, 'present'));
      const a = runOccupy(args('present'), dir);
      assert.equal(a.status, 0, a.stderr);
      const b = runOccupy(args('made'), dir);
      assert.equal(b.status, 0, b.stderr);
      const list = (d: string) => readdirSync(path.join(dir, d), { recursive: true }).map(String).filter((f) => f.endsWith('.mrc')).sort();
      assert.deepEqual(list('present'), list('made'));
      assert.ok(list('made').length >= 3, list('made').join(', '));
      for (const f of list('made')) assert.deepEqual(readFileSync(path.join(dir, 'present', f)), readFileSync(path.join(dir, 'made', f)), `${extra('d').join(' ')}: ${f}`);
      assert.deepEqual(readdirSync(path.join(dir, 'present'), { recursive: true }).map(String).filter((f) => f.includes('.tmp')), [], 'no temporary left');
      rmSync(path.join(dir, 'present'), { recursive: true });
      rmSync(path.join(dir, 'made'), { recursive: true });
    }
  } finally {
    cleanup();
  }
});

test('a map down-sampled as it is read, its large maps made as they are written, gives the files it gives read whole and made whole (the same map gzipped)', async () => {
  const { dir, cleanup } = scratchFolder();
  try {
    // The same name in two folders: the plain file is streamed, the gzipped one (recognised by its bytes) is not.
    // The fixture, then a non-cubic crop of it (its cube's planes made as they come).
    const fixture = await readMapFile(path.join(dir, '1tii_occ_64.mrc'));
    const { nz, ny, nx, data } = fixture.volume;
    const crop = new Float32Array(60 * 51 * 63);
    for (let z = 0; z < 60; z++) for (let y = 0; y < 51; y++) crop.set(data.subarray(((z + 2) * ny + y + 5) * nx, ((z + 2) * ny + y + 5) * nx + 63), (z * 51 + y) * 63);
    // And the fixture with voxels that are not cubic (a warning, in the report too).
    const stretched = encodeMrc(fixture.volume, { ...fixture.geometry, voxelSize: [1.1, 1.1, 1.21] });
    const maps = [readFileSync(path.join(dir, '1tii_occ_64.mrc')), encodeMrc({ nz: 60, ny: 51, nx: 63, data: crop }, fixture.geometry), stretched];
    assert.ok(nz === 64 && nx === 64);
    const runs = [
      ['--max-box', '48'],
      ['--max-box', '40', '--occupancy', '--save-all-maps', '--plot'],
      ['--max-box', '48', '--S0', '--nlrc'],
      // Modified maps need only the input's value range: streamed too, but not with --hist-match.
      ['--max-box', '48', '-am', '2', '-at', '3', '--seed', '4'],
      ['--max-box', '40', '--exclude-solvent', '--save-all-maps'],
      ['--max-box', '48', '-at', '2', '--hist-match', '--seed', '5'],
    ];
    const cases = [...runs.map((r) => [maps[0], r] as const), ...[0, 1, 3].map((i) => [maps[1], runs[i]] as const), [maps[2], runs[0]] as const];
    for (const [bytes, extra] of cases) {
      const streams = !extra.includes('--hist-match');
      for (const [folder, content] of [['plain', bytes], ['packed', gzipSync(bytes)]] as const) {
        mkdirSync(path.join(dir, folder), { recursive: true });
        writeFileSync(path.join(dir, folder, 'map.mrc'), content);
      }
      const files = (folder: string) => {
        // The plain map's large maps are made as they are written (every map: threshold 0), the gzipped one's whole.
        const env = folder === 'plain' ? { ...process.env, OCCUPY_WRITE_AS_MADE_FROM: '0' } : process.env;
        const r = runOccupy(['-i', 'map.mrc', '--verbose', ...extra, '--output-dir', 'out'], path.join(dir, folder), env);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(/down-sampled to \d+ voxels as it is read/.test(r.stdout), streams && folder === 'plain', `${folder} ${extra.join(' ')}: streamed or not, as said`);
        // The crop, another box down-sampled: its scale and confidence made as they are written.
        assert.equal(/interpolated to the input box as they are written/.test(r.stdout), folder === 'plain' && bytes === maps[1], `${folder} ${extra.join(' ')}: made as written, as said`);
        const out = path.join(dir, folder, 'out');
        const names = readdirSync(out).sort();
        const report = JSON.parse(readFileSync(path.join(out, 'report_map.json'), 'utf8'));
        delete report.performance;
        return { names, report, contents: names.filter((f) => !f.endsWith('.json')).map((f) => readFileSync(path.join(out, f))) };
      };
      const [plain, packed] = [files('plain'), files('packed')];
      assert.deepEqual(plain.names, packed.names, extra.join(' '));
      assert.ok(plain.names.includes('scale_res_map.mrc') || plain.names.includes('scale_occ_map.mrc') || plain.names.includes('scale_naive_res_map.mrc'), plain.names.join(', '));
      assert.deepEqual(plain.contents, packed.contents, `${extra.join(' ')}: every file byte for byte`);
      assert.deepEqual(plain.report, packed.report, `${extra.join(' ')}: the report`);
      if (bytes === stretched) assert.match(plain.report.warnings.join('\n'), /not cubic/);
      for (const folder of ['plain', 'packed']) rmSync(path.join(dir, folder, 'out'), { recursive: true });
    }
  } finally {
    cleanup();
  }
});

test('the report is made after every other output is written, so that its times count the writing', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    // A slow disk for the log alone: its flush takes 0.6 s (a preload wraps the file handles the CLI opens).
    const preload = path.join(dir, 'slow-log.mjs');
    writeFileSync(
      preload,
      `import fs from 'node:fs';
      import { syncBuiltinESMExports } from 'node:module';
      const open = fs.promises.open;
      fs.promises.open = async function (file, ...rest) {
        const handle = await open.call(this, file, ...rest);
        if (String(file).includes('log_1tii_occ_64.txt')) {
          const sync = handle.sync;
          handle.sync = async function () { await new Promise((resolve) => setTimeout(resolve, 600)); return sync.call(this); };
        }
        return handle;
      };
      syncBuiltinESMExports();`,
    );
    const env = { ...process.env, NODE_OPTIONS: `--import ${pathToFileURL(preload).href}` };
    const r = runOccupy(['-i', '1tii_occ_64.mrc', '-am', '2', '--output-dir', 'out'], dir, env);
    assert.equal(r.status, 0, r.stderr);
    const modified = (name: string) => statSync(path.join(dir, 'out', name), { bigint: true }).mtimeNs;
    const others = readdirSync(path.join(dir, 'out')).filter((name) => name !== 'report_1tii_occ_64.json');
    assert.equal(others.length, 5, others.join(', '));
    for (const name of others) assert.ok(modified('report_1tii_occ_64.json') >= modified(name), name);
    const report = JSON.parse(readFileSync(path.join(dir, 'out', 'report_1tii_occ_64.json'), 'utf8'));
    assert.ok(report.performance.stageSeconds.writing >= 0.6, `writing: ${report.performance.stageSeconds.writing} s`);
  } finally {
    cleanup();
  }
});

test('the ChimeraX command it suggests can be pasted into a shell: a path with spaces is quoted', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const r = runOccupy(['-i', '1tii_occ_64.mrc', '--output-dir', "my results/it's here"], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes(`\nchimerax 'my results/it'\\''s here/chimX_1tii_occ_64.cxc'\n`), r.stdout);
    // A folder outside the working directory is given by its full path, not as a climb out of it (../..).
    const inside = path.join(dir, 'work');
    mkdirSync(inside);
    const outside = path.join(dir, 'elsewhere');
    const o = runOccupy(['-i', path.join(dir, '1tii_occ_64.mrc'), '--output-dir', outside], inside);
    assert.equal(o.status, 0, o.stderr);
    assert.ok(o.stdout.includes(`\nchimerax ${path.join(outside, 'chimX_1tii_occ_64.cxc')}\n`), o.stdout);
  } finally {
    cleanup();
  }
});
