/** The command line itself: help, version, and bad values refused in one line with nothing written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { outputsIn, runOccupy, scratchFolder } from './harness.js';

test('--help lists the common options in OccuPy spelling; --help-all adds the advanced ones', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const help = runOccupy(['--help'], dir);
    assert.equal(help.status, 0);
    for (const flag of ['-i, --input-map', '-am, --amplify', '-at, --attenuate', '-lp, --lowpass', '--occupancy', '--sigmoid', '--plot']) {
      assert.ok(help.stdout.includes(flag), flag);
    }
    assert.ok(!help.stdout.includes('--kernel-radius'), 'advanced options are left to --help-all');
    assert.match(help.stdout, /^ {2}occupy gui +the same in the browser/m, 'the web app is named among the examples');
    const all = runOccupy(['--help-all'], dir);
    assert.equal(all.status, 0);
    for (const flag of ['--kernel-radius', '--tile-size', '--max-box', '--S0', '--hedge-confidence', '--emdb-server']) assert.ok(all.stdout.includes(flag), flag);
    const version = runOccupy(['--version'], dir);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
  } finally {
    cleanup();
  }
});

test('bad values get one clear line, a non-zero exit and no output', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const cases: [string[], RegExp][] = [
      [['-i', '1tii_occ_64.mrc', '-t', '2'], /--tau must be above 0 and below 1, got 2/],
      [['-i', '1tii_occ_64.mrc', '-t', '1'], /--tau must be above 0 and below 1, got 1/],
      [['-i', '1tii_occ_64.mrc', '--max-box', '63'], /--max-box must be an even whole number/],
      [['-i', 'missing.mrc'], /missing\.mrc/],
      [['-i', '1tii_occ_64.mrc', '--sigmoid', '3'], /--sigmoid needs --pivot/],
      [['-i', '1tii_occ_64.mrc', '--pivot', '1.5', '--sigmoid', '2'], /--pivot must be between 0.01 and 0.99/],
      [['-i', '1tii_occ_64.mrc', '--kernel-size', '4'], /--kernel-size must be an odd whole number/],
      [['-i', '1tii_occ_64.mrc', '--kernel-size', '999'], /^occupy: \S*1tii_occ_64\.mrc: --kernel-size 999 does not fit the 64-voxel box estimation runs at \(it allows at most 64\)\.$/m],
      [['-i', '1tii_occ_96.mrc', '--max-box', '64', '--kernel-size', '65'], /1tii_occ_96\.mrc: --kernel-size 65 does not fit the 64-voxel box estimation runs at \(it allows at most 64\)\.$/m],
      [['-i', '1tii_occ_64.mrc', '-am', 'lots'], /^occupy: -am\/--amplify must be a number, got 'lots'\.$/m],
      [['-i', '1tii_occ_64.mrc', '-lp', '-5'], /^occupy: -lp\/--lowpass must be positive, got -5\.$/m],
      [['-i', '1tii_occ_64.mrc', '--occupancy', '--raw-scale'], /--raw-scale contradicts --occupancy/],
      [['-i', '1tii_occ_64.mrc', '--subtraction-mask', '-am', '2'], /--subtraction-mask needs an attenuation/],
      [['-i', '1tii_occ_64.mrc', '--seed', '-1'], /--seed must be a whole number from 0 to 4294967295/],
      [['-i', '1tii_occ_64.mrc', '--target-mask', '1tii_occ_96_targetH.mrc'], /the --target-mask mask is 96x96x96 voxels but the input map is 64x64x64/],
      [['-i', '1tii_occ_64.mrc', '--no-such-flag'], /unknown option '--no-such-flag'/],
      // Numbers as the published program reads them (Python's float), not JavaScript's hexadecimal and the like.
      [['-i', '1tii_occ_64.mrc', '-am', '0x10'], /--amplify must be a number, got '0x10'/],
      // A value forgotten: the next option is not taken for it.
      [['-i', '--occupancy', '1tii_occ_64.mrc'], /^occupy: -i needs a value, but the next argument is the option '--occupancy'\.$/m],
      [['-i', '1tii_occ_64.mrc', '-am', '--plot'], /--amplify needs a value, but the next argument is the option '--plot'/],
      [['-i', '1tii_occ_64.mrc', '--output-dir', '--quiet'], /--output-dir needs a value, but the next argument is the option '--quiet'/],
      [['-i', ''], /-i needs a value, got an empty one/],
      [['-i'], /^occupy: -i needs a value\.$/m],
      [['--emdb', '--occupancy'], /^occupy: --emdb needs a value, but the next argument is the option '--occupancy'\.$/m],
      [['-i', '1tii_occ_64.mrc', 'second.mrc'], /^occupy: one map per run: unexpected argument 'second\.mrc' \(see occupy --help\)$/m],
      // A map without -i, or any other stray argument.
      [['1tii_occ_64.mrc'], /^occupy: give the map with -i: occupy -i 1tii_occ_64\.mrc \(see occupy --help\)$/m],
      [['-i', '1tii_occ_64.mrc', 'extra'], /^occupy: unexpected argument 'extra' \(every input is given with an option/m],
    ];
    for (const [args, message] of cases) {
      const r = runOccupy(args, dir);
      assert.notEqual(r.status, 0, `${args.join(' ')} should fail`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line, got ${r.stderr}`);
      assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
      assert.deepEqual(outputsIn(dir), [], `${args.join(' ')} wrote nothing`);
    }
  } finally {
    cleanup();
  }
});

test('-r alone sets the low-pass (the published program crashes here: METHOD.md §4 Defect)', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const r = runOccupy(['-i', '1tii_occ_64.mrc', '-r', '9', '--no-chimerax'], dir);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'report_1tii_occ_64.json'), 'utf8'));
    assert.equal(report.settings.lowpass, 9);
    // The stages timed for the bench, in the order they ran (issue 4 names the max filter and tiles apart).
    assert.deepEqual(Object.keys(report.performance.stageSeconds), ['start-up', 'reading', 'preparing', 'low-pass', 'solvent model', 'confidence', 'full scale', 'max filter', 'writing']);
    // No power flag given: nothing said about a power of 1 (see the next test).
    assert.doesNotMatch(r.stderr, /power of 1/);
  } finally {
    cleanup();
  }
});


test('a power of 1 is "off", as in the published program, and says so instead of silently writing nothing', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const r = runOccupy(['-i', '1tii_occ_64.mrc', '-am', '1', '-at', '1', '--sigmoid', '1', '--pivot', '0.3', '--no-chimerax', '--no-report'], dir);
    assert.equal(r.status, 0, r.stderr);
    for (const line of [
      'warning: -am/--amplify 1 leaves the map as it is (a power of 1 is off); no amplified map is written.',
      'warning: -at/--attenuate 1 leaves the map as it is (a power of 1 is off); no attenuated map is written.',
      'warning: --sigmoid 1 leaves the map as it is (a power of 1 is off); no sigmoid-modified map is written.',
    ]) {
      assert.ok(r.stderr.split('\n').includes(line), `${line}\nin\n${r.stderr}`);
    }
    assert.doesNotMatch(r.stderr, /--pivot is only used with --sigmoid/);
    assert.deepEqual(outputsIn(dir), ['conf_1tii_occ_64.mrc', 'log_1tii_occ_64.txt', 'scale_res_1tii_occ_64.mrc']);
  } finally {
    cleanup();
  }
});

test('a mask made at another voxel size is used (the boxes match) with a warning; one at the same size without', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const mask = Buffer.from(readFileSync(path.join(dir, '1tii_occ_64_soldef.mrc')));
    for (const offset of [40, 44, 48]) mask.writeFloatLE(2 * mask.readFloatLE(offset), offset); // cell: twice the voxel size
    writeFileSync(path.join(dir, 'other-size.mrc'), mask);
    const warned = runOccupy(['-i', '1tii_occ_64.mrc', '--solvent-def', 'other-size.mrc', '--no-chimerax'], dir);
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stderr, /^warning: other-size\.mrc: its voxel size \(3\.2, 3\.2, 3\.2 Å\) is not the map's \(1\.6, 1\.6, 1\.6 Å\); it is used voxel for voxel/m);
    const quiet = runOccupy(['-i', '1tii_occ_64.mrc', '--solvent-def', 'other-size.mrc', '--no-chimerax', '--quiet'], dir);
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.equal(quiet.stderr, '', '--quiet: the warning too is left out');
    const same = runOccupy(['-i', '1tii_occ_64.mrc', '--solvent-def', '1tii_occ_64_soldef.mrc', '--no-chimerax'], dir);
    assert.equal(same.status, 0, same.stderr);
    assert.doesNotMatch(same.stderr, /voxel size/);
  } finally {
    cleanup();
  }
});

test('a mask stored in another axis order is used as stored (the stored boxes match), with a warning', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const mask = Buffer.from(readFileSync(path.join(dir, '1tii_occ_64_soldef.mrc')));
    [2, 1, 3].forEach((axis, k) => mask.writeInt32LE(axis, 64 + 4 * k)); // words 17–19: mapc, mapr, maps
    writeFileSync(path.join(dir, 'turned.mrc'), mask);
    const r = runOccupy(['-i', '1tii_occ_64.mrc', '--solvent-def', 'turned.mrc', '--no-chimerax'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /^warning: turned\.mrc: it is stored with columns along y, rows along x, sections along z \(axis order 2, 1, 3\), the map with columns along x, rows along y, sections along z \(axis order 1, 2, 3\); it is used voxel for voxel as stored/m,
    );
    assert.match(readFileSync(path.join(dir, 'report_1tii_occ_64.json'), 'utf8'), /turned\.mrc: it is stored with columns along y/, 'the report keeps the warning');
  } finally {
    cleanup();
  }
});

test('a --solvent-def that is all one side once binarised is said to tell nothing, and changes nothing', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const mask = Buffer.from(readFileSync(path.join(dir, '1tii_occ_64_soldef.mrc')));
    const body = 1024 + mask.readInt32LE(92); // after the header and any extended header
    const args = (...more: string[]) => ['-i', '1tii_occ_64.mrc', '--occupancy', '--no-chimerax', '--no-report', ...more];
    let r = runOccupy(args('--output-dir', 'without'), dir);
    assert.equal(r.status, 0, r.stderr);
    const without = readFileSync(path.join(dir, 'without', 'conf_1tii_occ_64.mrc'));
    for (const [name, fill] of [['none.mrc', 0], ['all.mrc', 1]] as const) {
      writeFileSync(path.join(dir, name), Buffer.concat([mask.subarray(0, body), Buffer.alloc(mask.length - body, fill)]));
      r = runOccupy(args('--solvent-def', name, '--output-dir', `with-${name}`), dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /^warning: --solvent-def: every voxel of the central sphere is on one side of 0\.9 in the mask, so it tells solvent from nothing/m);
      assert.ok(readFileSync(path.join(dir, `with-${name}`, 'conf_1tii_occ_64.mrc')).equals(without), `${name}: the confidence as without the mask`);
    }
  } finally {
    cleanup();
  }
});
