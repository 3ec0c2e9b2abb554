/**
 * Every kind of broken input through the real command (`node bin/occupy.cjs` in a scratch folder): one line
 * `occupy: <file>: <problem>` on stderr, exit status 1, no stack trace (also with --verbose), and the folder
 * exactly as it was — no output, no temporary file, inputs untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildMrc } from '../format/mrc-builder.js';
import { unprivileged } from '../unprivileged.js';
import { inScratch as inScratchFolder } from '../scratch.js';
import { fixturesDir, repositoryRoot } from '../fixtures/fixture-cases.js';
import { occupyBin, runInRemovedFolder } from './harness.js';
import { defaultSettings } from '../../src/run/settings.js';
import { memoryPlanFor, peakMemoryBytes } from '../../src/run/memory.js';
import { madeWhenWritten, type MadeWhenWritten } from '../../src/run/made-when-written.js';
import { writeSyntheticMap } from '../io/large-map.js';

const BIN = occupyBin();

/** The unprivileged user of the permission tests, found once; it must read the CLI (bin/ and the bundle it loads). */
let user: ReturnType<typeof unprivileged> | undefined;
const occupyUser = () =>
  (user ??= unprivileged([BIN, path.join(repositoryRoot(), 'bin', 'load-cli.cjs'), path.join(repositoryRoot(), 'dist', 'bundle', 'cli', 'occupy.cjs')]));
const FIXTURE = path.join(fixturesDir(), '1tii_occ_64.mrc');

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function occupy(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Outcome {
  const childEnv = { ...process.env, ...env };
  if (!('OCCUPY_MEMORY_LIMIT' in env)) delete childEnv.OCCUPY_MEMORY_LIMIT;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every entry of the folder (hidden ones too) with its size, modification time and content hash. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const info = lstatSync(file); // a symbolic link as itself (it may point nowhere)
    const hash = info.isFile() ? createHash('sha256').update(readFileSync(file)).digest('hex') : info.isSymbolicLink() ? `link to ${readlinkSync(file)}` : 'dir';
    entries[name] = `${info.size} ${info.mtimeMs} ${hash}`;
  }
  return entries;
}

const inScratch = <T>(body: (dir: string) => T): T => inScratchFolder('occupy-bad-', body);

/** A small but valid map (noise plus a blob) of the given box, as MRC bytes. */
function smallMap(nx: number, ny: number, nz: number, overrides: Partial<Parameters<typeof buildMrc>[0]> = {}, scale = 1): Uint8Array {
  const values = new Float32Array(nx * ny * nz);
  let s = 7;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        s = (s * 1103515245 + 12345) >>> 0;
        const r2 = (x - nx / 2) ** 2 + (y - ny / 2) ** 2 + (z - nz / 2) ** 2;
        values[i] = Math.fround(scale * (Math.exp(-r2 / 20) + 0.05 * (s / 2 ** 32 - 0.5)));
      }
    }
  }
  return buildMrc({ nx, ny, nz, mode: 2, values, cell: [nx, ny, nz], ...overrides });
}

/**
 * Runs occupy on the folder's files and checks the refusal: exit 1, one line naming `file` and matching
 * `problem`, no stack trace, nothing in the folder changed. Returns the line and what the run printed.
 */
function refuses(
  setup: (dir: string) => void,
  args: string[],
  file: string,
  problem: RegExp,
  env: NodeJS.ProcessEnv = {},
): { line: string; stdout: string; stderr: string } {
  return inScratch((dir) => {
    setup(dir);
    const before = snapshot(dir);
    const r = occupy(dir, args, env);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('warning:'));
    assert.equal(r.status, 1, `exit status 1 (stderr: ${r.stderr})`);
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    const line = lines[0];
    assert.ok(line.startsWith('occupy: '), line);
    assert.ok(line.includes(file), `names the file ${file}: ${line}`);
    assert.match(line, problem);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.deepEqual(snapshot(dir), before, 'the folder is unchanged');
    return { line, stdout: r.stdout, stderr: r.stderr };
  });
}

const write = (name: string, bytes: Uint8Array | string) => (dir: string) => writeFileSync(path.join(dir, name), bytes);

// ---------------------------------------------------------------------------------------------------------

test('a file shorter than its header says', () => {
  const full = smallMap(24, 24, 24);
  refuses(write('short.mrc', full.subarray(0, full.length - 100)), ['-i', 'short.mrc'], 'short.mrc', /file is 56220 bytes but its header describes 24x24x24 float32 voxels \(56320 bytes\); the file is truncated$/);
  refuses(write('header.mrc', full.subarray(0, 700)), ['-i', 'header.mrc'], 'header.mrc', /700 bytes, shorter than the 1024-byte MRC header/);
  refuses(write('empty.mrc', new Uint8Array(0)), ['-i', 'empty.mrc'], 'empty.mrc', /file is empty$/);
});

test('a missing or wrong MAP stamp where the format needs it', () => {
  // Without 'MAP ' only an exact-length old-style file is accepted; this one has extra bytes.
  const extra = smallMap(24, 24, 24, { mapStamp: '\0\0\0\0', trailing: new Uint8Array(16) });
  refuses(write('old.mrc', extra), ['-i', 'old.mrc'], 'old.mrc', /no 'MAP ' identifier and the file is 56336 bytes, not the 56320 its header describes/);
  // A wrong stamp and a header that makes no sense in either byte order.
  const garbage = new Uint8Array(4096).map((_, i) => (i * 151 + 7) % 256);
  garbage.set([0x41, 0x42, 0x43, 0x44], 208);
  refuses(write('garbage.map', garbage), ['-i', 'garbage.map'], 'garbage.map', /not an MRC\/CCP4 map \(no 'MAP ' identifier at byte 208/);
  refuses(write('model.pdb', 'HEADER    TOXIN\nATOM      1  N   MET A   1      11.104  13.207   2.100  1.00 20.00           N\n'.repeat(20)), ['-i', 'model.pdb'], 'model.pdb', /file is text \(an atomic model or a script\?\), not an MRC\/CCP4 map$/);
});

test('an unknown or unreadable data mode', () => {
  const unknown = smallMap(24, 24, 24);
  new DataView(unknown.buffer).setInt32(12, 7, true);
  refuses(write('mode7.mrc', unknown), ['-i', 'mode7.mrc'], 'mode7.mrc', /unknown data mode 7; the file is damaged or not a map \(readable modes are 0 \(8-bit integer\), 1 \(16-bit integer\), 2 \(32-bit float\), 6 \(16-bit unsigned integer\), 12 \(16-bit float\)\)$/);
  const complex = smallMap(24, 24, 24);
  new DataView(complex.buffer).setInt32(12, 4, true);
  refuses(write('fft.mrc', complex), ['-i', 'fft.mrc'], 'fft.mrc', /data mode 4 \(complex 32-bit floats, i\.e\. a Fourier transform\) cannot be read/);
});

test('zero or negative dimensions', () => {
  for (const [nx, ny, nz] of [[0, 24, 24], [24, -3, 24], [24, 24, 0]]) {
    const bytes = smallMap(24, 24, 24);
    const view = new DataView(bytes.buffer);
    view.setInt32(0, nx, true);
    view.setInt32(4, ny, true);
    view.setInt32(8, nz, true);
    refuses(write('dims.mrc', bytes), ['-i', 'dims.mrc'], 'dims.mrc', new RegExp(`map size of ${nx}x${ny}x${nz} voxels; every dimension must be at least 1, so the header is damaged$`));
  }
});

test('an absurd size: refused from the header, saying how much memory it would need', () => {
  // 4096^3 voxels: past what one Float32Array can hold, whatever the machine.
  const huge = smallMap(24, 24, 24);
  const view = new DataView(huge.buffer);
  for (const offset of [0, 4, 8]) view.setInt32(offset, 4096, true);
  refuses(write('huge.mrc', huge), ['-i', 'huge.mrc'], 'huge.mrc', /describes 4096x4096x4096 voxels, which would need 256 GiB of memory as float32; at most 4294967296 voxels \(16\.0 GiB\) can be loaded/);
  // A real map, more than the memory allowed: refused before it is read, with the estimate.
  const { line } = refuses((dir) => copyFileSync(FIXTURE, path.join(dir, 'map.mrc')), ['-i', 'map.mrc', '-am', '2'], 'map.mrc', /the map is 64x64x64 voxels \(1 MiB as float32\); this run would need about \d+ MiB of memory, more than the 64 MiB of OCCUPY_MEMORY_LIMIT; bin or crop the map first/, { OCCUPY_MEMORY_LIMIT: '64M' });
  assert.match(line, /about 1[0-9]{2} MiB/, 'about 100-200 MiB for a 64^3 map');
  // A map under a MiB is sized in KiB, not rounded up to a MiB.
  refuses(write('small.mrc', smallMap(32, 32, 32)), ['-i', 'small.mrc'], 'small.mrc', /the map is 32x32x32 voxels \(128 KiB as float32\)/, { OCCUPY_MEMORY_LIMIT: '1M' });
  // A limit that is not a size is refused, not ignored.
  for (const setting of ['abc', '0', '-5G', '0.5']) {
    refuses(write('map.mrc', smallMap(24, 24, 24)), ['-i', 'map.mrc'], 'OCCUPY_MEMORY_LIMIT', new RegExp(`^occupy: OCCUPY_MEMORY_LIMIT=${setting} is not a memory size above zero`), { OCCUPY_MEMORY_LIMIT: setting });
  }
  // Without a run to limit, `occupy` alone still shows its help.
  inScratch((dir) => {
    const r = occupy(dir, [], { OCCUPY_MEMORY_LIMIT: 'abc' });
    assert.equal(r.status, 2);
    assert.match(r.stdout, /^Usage: occupy -i <map\.mrc> \[options\]/);
  });
});

test('NaN and infinite values: how many and where; --replace-non-finite uses the solvent mean instead', () => {
  const bytes = smallMap(24, 24, 24);
  const view = new DataView(bytes.buffer, 1024);
  const at = (x: number, y: number, z: number) => 4 * ((z * 24 + y) * 24 + x);
  view.setFloat32(at(5, 6, 7), NaN, true);
  view.setFloat32(at(9, 6, 8), Infinity, true);
  view.setFloat32(at(3, 10, 8), -Infinity, true);
  refuses(write('nan.mrc', bytes), ['-i', 'nan.mrc'], 'nan.mrc', /nan\.mrc: 3 of 13824 voxels are NaN or infinite \(first at column 5, row 6, section 7; all within columns 3-9, rows 6-10, sections 7-8, counted from 0\); fix the map or give --replace-non-finite to replace them with the solvent mean\.$/);

  inScratch((dir) => {
    writeFileSync(path.join(dir, 'nan.mrc'), bytes);
    const r = occupy(dir, ['-i', 'nan.mrc', '--replace-non-finite']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: nan\.mrc: 3 of 13824 voxels are NaN or infinite .*; replaced with the solvent mean -?\d\.\d+(e-?\d+)? \(the mean of the finite voxels outside the ellipsoid inscribed in the box\)\./);
    assert.ok(readdirSync(dir).includes('scale_res_nan.mrc'));
    assert.deepEqual(new Uint8Array(readFileSync(path.join(dir, 'nan.mrc'))), bytes, 'the input file is not modified');
  });
  const allNaN = buildMrc({ nx: 24, ny: 24, nz: 24, mode: 2, values: new Float32Array(24 ** 3).fill(NaN) });
  refuses(write('allnan.mrc', allNaN), ['-i', 'allnan.mrc', '--replace-non-finite'], 'allnan.mrc', /every voxel is NaN or infinite; there is nothing to replace them with\.$/);
});

test('a map of constant value', () => {
  refuses(write('flat.mrc', buildMrc({ nx: 24, ny: 24, nz: 24, mode: 2, values: new Float32Array(24 ** 3).fill(1.5) })), ['-i', 'flat.mrc'], 'flat.mrc', /every voxel has the value 1\.5; a map of constant value has no density to estimate a scale from\.$/);
  refuses(write('zeros.mrc', buildMrc({ nx: 30, ny: 20, nz: 24, mode: 1, values: new Int16Array(30 * 20 * 24) })), ['-i', 'zeros.mrc'], 'zeros.mrc', /every voxel has the value 0;/);
});

test('values beyond what single precision carries through the method: all subnormal, or sums that overflow', () => {
  refuses(write('faint.mrc', smallMap(24, 24, 24, {}, 1e-39)), ['-i', 'faint.mrc'], 'faint.mrc', /every value is below 1\.2e-38 in magnitude \(the largest is [\d.]+e-40\), too small for single precision; scale the map up/);
  refuses(write('bright.mrc', smallMap(24, 24, 24, {}, 1e36)), ['-i', 'bright.mrc'], 'bright.mrc', /values reach [\d.]+e\+35 in magnitude, too large for single-precision Fourier transforms of 13824 voxels \(their sums would overflow\); scale the map down/);
  // Another box is embedded in an even cube (here 40³), whose voxels its Fourier sums run over.
  refuses(write('slab.mrc', smallMap(16, 20, 40, {}, 5e33)), ['-i', 'slab.mrc'], 'slab.mrc', /values reach [\d.]+e\+33 in magnitude, too large for single-precision Fourier transforms of 64000 voxels/);
  // Far from either limit the same map runs and gives the same scale (powers of two scale every step exactly).
  inScratch((dir) => {
    const scales = [2 ** -60, 1, 2 ** 60].map((factor, k) => {
      writeFileSync(path.join(dir, `m${k}.mrc`), smallMap(24, 24, 24, {}, factor));
      const r = occupy(dir, ['-i', `m${k}.mrc`, '--no-chimerax', '--no-report', '--quiet']);
      assert.equal(r.status, 0, r.stderr);
      return readFileSync(path.join(dir, `scale_res_m${k}.mrc`)).subarray(1024);
    });
    assert.ok(scales[0].equals(scales[1]) && scales[2].equals(scales[1]), 'the same scale map');
  });
});

test('masks whose box differs from the map, and unusable masks', () => {
  const setup = (dir: string) => {
    copyFileSync(FIXTURE, path.join(dir, 'map.mrc'));
    writeFileSync(path.join(dir, 'mask.mrc'), smallMap(64, 64, 60));
    writeFileSync(path.join(dir, 'empty.mrc'), buildMrc({ nx: 64, ny: 64, nz: 64, mode: 0, values: new Int8Array(64 ** 3) }));
    const nan = new Float32Array(64 ** 3);
    nan[100] = NaN;
    writeFileSync(path.join(dir, 'nanmask.mrc'), buildMrc({ nx: 64, ny: 64, nz: 64, mode: 2, values: nan }));
  };
  const mismatch = /the (--solvent-def|--target-mask) mask is 64x64x60 voxels but the input map is 64x64x64; they must have the same box\.$/;
  refuses(setup, ['-i', 'map.mrc', '--solvent-def', 'mask.mrc'], 'mask.mrc', mismatch);
  refuses(setup, ['-i', 'map.mrc', '--target-mask', 'mask.mrc'], 'mask.mrc', mismatch);
  refuses(setup, ['-i', 'map.mrc', '--target-mask', 'empty.mrc'], 'empty.mrc', /the --target-mask has no voxel above 0\.5, so it selects nothing/);
  refuses(setup, ['-i', 'map.mrc', '--solvent-def', 'nanmask.mrc'], 'nanmask.mrc', /1 of 262144 voxels is NaN or infinite \(at column 36, row 1, section 0, counted from 0\); a mask must be finite everywhere\.$/);
});

test('a corrupt or truncated gzip stream', () => {
  const gz = gzipSync(readFileSync(FIXTURE));
  const damaged = Uint8Array.from(gz);
  for (let i = 2000; i < 2100; i++) damaged[i] ^= 0x5a;
  refuses(write('map.mrc.gz', damaged), ['-i', 'map.mrc.gz'], 'map.mrc.gz', /the gzip compression is damaged \(.*\); fetch or copy the file again$/);
  refuses(write('cut.mrc.gz', gz.subarray(0, gz.length >> 1)), ['-i', 'cut.mrc.gz'], 'cut.mrc.gz', /the gzip-compressed file ends too early \(truncated download or copy\?\)$/);
  // Whole gzip stream, but what it holds is truncated.
  const half = gzipSync(readFileSync(FIXTURE).subarray(0, 500000));
  refuses(write('half.mrc.gz', half), ['-i', 'half.mrc.gz'], 'half.mrc.gz', /decompressed file is 500000 bytes but its header describes 64x64x64 float32 voxels \(1049600 bytes\); the file is truncated$/);
  // Named .gz but not gzip-compressed: read as a plain map, and a refusal says the name is misleading.
  refuses(write('text.mrc.gz', 'hello, not a map'), ['-i', 'text.mrc.gz'], 'text.mrc.gz', /shorter than the 1024-byte MRC header; it is not a map or it is truncated \(the file is named \.gz but is not gzip-compressed\)$/);
  refuses(write('cut.map.GZ', readFileSync(FIXTURE).subarray(0, 500000)), ['-i', 'cut.map.GZ'], 'cut.map.GZ', /the file is truncated \(the file is named \.gz but is not gzip-compressed\)$/);
});

test('gzip-compressed maps get the same refusals as plain ones (header, size, memory)', () => {
  const unknown = smallMap(24, 24, 24);
  new DataView(unknown.buffer).setInt32(12, 7, true);
  refuses(write('mode7.mrc.gz', gzipSync(unknown)), ['-i', 'mode7.mrc.gz'], 'mode7.mrc.gz', /unknown data mode 7; the file is damaged or not a map/);
  const huge = smallMap(24, 24, 24);
  for (const offset of [0, 4, 8]) new DataView(huge.buffer).setInt32(offset, 4096, true);
  refuses(write('huge.mrc.gz', gzipSync(huge)), ['-i', 'huge.mrc.gz'], 'huge.mrc.gz', /describes 4096x4096x4096 voxels, which would need 256 GiB of memory as float32/);
  refuses(
    write('map.mrc.gz', gzipSync(readFileSync(FIXTURE))),
    ['-i', 'map.mrc.gz'],
    'map.mrc.gz',
    /the map is 64x64x64 voxels \(1 MiB as float32\); this run would need about \d+ MiB of memory, more than the 32 MiB of OCCUPY_MEMORY_LIMIT/,
    { OCCUPY_MEMORY_LIMIT: '32MiB' },
  );
});

test('no voxel size, a 2D image, a box too small for the method', () => {
  const noCell = refuses(write('nocell.mrc', smallMap(24, 24, 24, { cell: [0, 0, 0] })), ['-i', 'nocell.mrc'], 'nocell.mrc', /the header gives no voxel size \(0, 0, 0 Å along x, y, z, from the cell dimensions\)/);
  assert.equal(noCell.stderr, `${noCell.line}\n`, 'the refusal alone, not after a warning saying the same');
  refuses(write('image.mrc', smallMap(40, 40, 1)), ['-i', 'image.mrc'], 'image.mrc', /the map is 40x40x1 voxels, a single section thick: a 2D image, not a 3D map\.$/);
  refuses(write('tiny.mrc', smallMap(12, 10, 11)), ['-i', 'tiny.mrc'], 'tiny.mrc', /the map is 12x10x11 voxels; that is too small for the full-scale tiles \(tile edge = 12\/20 = 0 voxels\); give --tile-size 1 \(or --S0\)/);
});

test('not a file, no file', () => {
  refuses(() => undefined, ['-i', 'absent.mrc'], 'absent.mrc', /absent\.mrc: no such file$/);
  refuses((dir) => writeFileSync(path.join(dir, 'x'), ''), ['-i', '.'], 'occupy-bad-', /is a directory, not a map file$/);
});

test('a pipe instead of a file', (t) => {
  if (process.platform === 'win32') {
    t.skip('/dev/stdin is POSIX');
    return;
  }
  // A shell pipe (Node's own stdio pipes are sockets, which /dev/stdin cannot open).
  inScratch((dir) => {
    copyFileSync(FIXTURE, path.join(dir, 'map.mrc'));
    const before = snapshot(dir);
    const r = spawnSync('/bin/sh', ['-c', `cat map.mrc | "${process.execPath}" "${BIN}" -i /dev/stdin`], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, 'occupy: /dev/stdin: is a pipe, not a file; save the map to a file and give that (a gzipped file need not be unzipped)\n');
    assert.deepEqual(snapshot(dir), before, 'the folder is unchanged');
  });
  // A named pipe nothing writes to: refused at once (opening it would wait for a writer for ever).
  const fifo = (dir: string) => {
    const made = spawnSync('mkfifo', [path.join(dir, 'pipe.mrc')]);
    assert.equal(made.status, 0, 'mkfifo');
  };
  refuses(fifo, ['-i', 'pipe.mrc'], 'pipe.mrc', /pipe\.mrc: is a pipe, not a file; save the map to a file and give that/);
});

test('symbolic links that lead round in a loop', () => {
  const loop = (dir: string) => {
    symlinkSync('b.mrc', path.join(dir, 'a.mrc'));
    symlinkSync('a.mrc', path.join(dir, 'b.mrc'));
  };
  refuses(loop, ['-i', 'a.mrc'], 'a.mrc', /a\.mrc: its symbolic links lead round in a loop; point them at the map file$/);
});

test('no permission to read', (t) => {
  const user = occupyUser();
  if ('reason' in user) {
    t.skip(user.reason);
    return;
  }
  inScratch((dir) => {
    user.own(dir);
    writeFileSync(path.join(dir, 'locked.mrc'), smallMap(24, 24, 24), { mode: 0 });
    const before = snapshot(dir);
    const [program, ...args] = user.command([process.execPath, BIN, '-i', 'locked.mrc']);
    const r = spawnSync(program, args, { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^occupy: \S*locked\.mrc: permission denied; the file cannot be read\n$/);
    assert.deepEqual(snapshot(dir), before, 'the folder is unchanged');
  });
});

test('an output that would replace an input is refused before anything is written', () => {
  const setup = (dir: string) => copyFileSync(FIXTURE, path.join(dir, 'map.mrc'));
  // -o's path is from the working directory: the way out is another -o, not --output-dir.
  refuses(setup, ['-i', 'map.mrc', '-am', '2', '-o', 'map.mrc'], 'map.mrc', /this output would replace the input .*map\.mrc; nothing was written \(give -o another name\)$/);
  refuses(setup, ['-i', 'map.mrc', '-am', '2', '-o', 'map.mrc', '--output-dir', 'out'], 'map.mrc', /nothing was written \(give -o another name\)$/);
  // With several modifications, -o's stem names each of them.
  refuses(
    (dir) => {
      setup(dir);
      copyFileSync(FIXTURE, path.join(dir, 'ampl_2.0_x.mrc'));
    },
    ['-i', 'ampl_2.0_x.mrc', '-am', '2', '-at', '2', '-o', 'x.mrc'],
    'ampl_2.0_x.mrc',
    /nothing was written \(give -o another name\)$/,
  );
  // A mask named like an output of the run (an earlier run's confidence map used as solvent definition).
  refuses(
    (dir) => {
      setup(dir);
      copyFileSync(path.join(fixturesDir(), '1tii_occ_64_soldef.mrc'), path.join(dir, 'conf_map.mrc'));
    },
    ['-i', 'map.mrc', '--solvent-def', 'conf_map.mrc'],
    'conf_map.mrc',
    /this output would replace the input .*conf_map\.mrc; nothing was written \(choose another output name or --output-dir\)$/,
  );
});

test('an output folder that cannot be made is refused, before the work when the path runs through a file', () => {
  const notes = write('notes.txt', 'not a folder');
  const setup = (dir: string) => {
    notes(dir);
    copyFileSync(FIXTURE, path.join(dir, 'map.mrc'));
  };
  const { stdout } = refuses(setup, ['-i', 'map.mrc', '--output-dir', 'notes.txt/out'], 'notes.txt/out', /cannot be used as the output folder, .*notes\.txt is not a folder$/);
  assert.doesNotMatch(stdout, /Estimating/, 'refused before the estimate starts');
  refuses(setup, ['-i', 'map.mrc', '-am', '2', '-o', 'notes.txt/amplified.mrc'], 'notes.txt', /cannot be used as the output folder, .*notes\.txt is not a folder$/);
});

test('a symbolic link to a missing folder as output folder is refused before the work', () => {
  const setup = (dir: string) => {
    copyFileSync(FIXTURE, path.join(dir, 'map.mrc'));
    symlinkSync(path.join(dir, 'gone', 'away'), path.join(dir, 'dangling'));
  };
  refuses(setup, ['-i', 'map.mrc', '--output-dir', 'dangling'], 'dangling', /cannot be used as the output folder, .*dangling is a symbolic link to a folder that does not exist$/);
});

test('a writable output folder in a folder one cannot write in is fine (only the folders written in are checked)', (t) => {
  const user = occupyUser();
  if ('reason' in user) {
    t.skip(user.reason);
    return;
  }
  inScratch((dir) => { // the unprivileged user may enter it but not write in it
    chmodSync(dir, 0o755);
    const home = path.join(dir, 'home');
    mkdirSync(home);
    user.own(home);
    copyFileSync(FIXTURE, path.join(home, 'map.mrc'));
    const [program, ...args] = user.command([process.execPath, BIN, '-i', 'map.mrc', '--quiet', '--no-chimerax', '--no-report']);
    const r = spawnSync(program, args, { cwd: home, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(home).sort(), ['conf_map.mrc', 'log_map.txt', 'map.mrc', 'scale_res_map.mrc']);
  });
});

test('a folder the system will not make (ENOENT under /proc) is one line, not a hang', (t) => {
  if (process.platform !== 'linux') {
    t.skip('/proc is Linux');
    return;
  }
  // Node 20's recursive mkdir loops for ever on this answer; src/io/folders.ts makes one level at a time.
  inScratch((dir) => {
    copyFileSync(FIXTURE, path.join(dir, 'map.mrc'));
    const before = snapshot(dir);
    const r = spawnSync(process.execPath, [BIN, '-i', 'map.mrc', '--quiet', '--output-dir', '/proc/occupy-test/out'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.signal, null, 'finished without being killed');
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr.trim(), 'occupy: /proc/occupy-test/out: cannot make this folder in /proc (ENOENT)');
    assert.deepEqual(snapshot(dir), before, 'the folder is unchanged');
  });
});

test('a low-pass coarser than the whole map keeps nothing of it: refused, as is a voxel size far too small for the box', () => {
  const setup = (dir: string) => copyFileSync(FIXTURE, path.join(dir, 'map.mrc'));
  const across = /is coarser than the whole map \(the 64-voxel processing box at 1\.600 Å\/voxel is 102\.4 Å across\), so nothing of it would be left/;
  refuses(setup, ['-i', 'map.mrc', '-lp', '500'], 'map.mrc', new RegExp(`the low-pass to 500\\.0 Å ${across.source}`));
  refuses(setup, ['-i', 'map.mrc', '-r', '500'], 'map.mrc', new RegExp(`the low-pass to 500\\.0 Å ${across.source}`));
  refuses(setup, ['-i', 'map.mrc', '-am', '2', '--lowpass-output', '500'], '--lowpass-output 500', /coarser than the whole map .* so the modified maps would be empty/);
  // A 24³ map whose header says 0.1 Å voxels: the default low-pass (8 Å) is wider than its 2.4 Å.
  refuses(write('tiny.mrc', smallMap(24, 24, 24, { cell: [2.4, 2.4, 2.4] })), ['-i', 'tiny.mrc'], 'tiny.mrc', /the low-pass to 8\.000 Å is coarser than the whole map \(the 24-voxel processing box at 0\.1000 Å\/voxel is 2\.400 Å across\).*check the voxel size in the header/);
});

test('outputs that cannot all be put in place are refused before any is: two under one name, a folder in the way', () => {
  const setup = (dir: string) => copyFileSync(FIXTURE, path.join(dir, 'map.mrc'));
  refuses(setup, ['-i', 'map.mrc', '-am', '2', '-o', 'scale_occ_map.mrc'], 'scale_occ_map.mrc', /^occupy: -o scale_occ_map\.mrc: the modified map would have the scale map's name \(scale_occ_map\.mrc\); choose another name\.$/);
  refuses(setup, ['-i', 'map.mrc', '-am', '2', '--save-all-maps', '-o', 'modification_amplify_map.mrc'], 'modification_amplify_map.mrc', /the modified map would have the modification factor's name/);
  refuses(
    (dir) => {
      setup(dir);
      mkdirSync(path.join(dir, 'report_map.json'));
    },
    ['-i', 'map.mrc', '-am', '2'],
    'report_map.json',
    /a folder of this name is in the way of the output; nothing was written$/,
  );
  // Nor is an output folder that does not exist yet made for it.
  refuses(
    (dir) => {
      setup(dir);
      mkdirSync(path.join(dir, 'amplified.mrc'));
    },
    ['-i', 'map.mrc', '-am', '2', '-o', 'amplified.mrc', '--output-dir', 'new-folder'],
    'amplified.mrc',
    /a folder of this name is in the way of the output; nothing was written$/,
  );
});

test('a refusal is the same one line with --verbose (stack traces are for internal errors only)', () => {
  inScratch((dir) => {
    writeFileSync(path.join(dir, 'flat.mrc'), buildMrc({ nx: 24, ny: 24, nz: 24, mode: 2, values: new Float32Array(24 ** 3) }));
    const quiet = occupy(dir, ['-i', 'flat.mrc']);
    const verbose = occupy(dir, ['-i', 'flat.mrc', '--verbose']);
    assert.equal(quiet.status, 1);
    assert.equal(verbose.status, 1);
    assert.match(quiet.stderr, /^occupy: flat\.mrc: .+\n$/);
    // --verbose adds its stage timings, and nothing to the refusal.
    assert.deepEqual(verbose.stderr.split('\n').filter((l) => !/^\s+[\w -]+: [\d.]+ s$/.test(l)), quiet.stderr.split('\n'));
    assert.deepEqual(readdirSync(dir), ['flat.mrc']);
  });
});

test('the same builder\'s map without the flaw runs (the refusals above are the flaw\'s, not the builder\'s)', () => {
  inScratch((dir) => {
    writeFileSync(path.join(dir, 'ok.mrc'), smallMap(30, 20, 24));
    const r = occupy(dir, ['-i', 'ok.mrc', '--no-chimerax', '--no-report']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['conf_ok.mrc', 'log_ok.txt', 'ok.mrc', 'scale_res_ok.mrc']);
  });
});

test('tolerated oddities of the input and masks are warned about on stderr and listed in the report', () => {
  inScratch((dir) => {
    const map = smallMap(24, 24, 24, { cellAngles: [90, 90, 120], trailing: new Uint8Array(100) });
    writeFileSync(path.join(dir, 'odd.mrc'), map);
    const inside = Float32Array.from({ length: 24 ** 3 }, (_, i) => {
      const [x, y, z] = [i % 24, Math.floor(i / 24) % 24, Math.floor(i / 576)];
      return (x - 12) ** 2 + (y - 12) ** 2 + (z - 12) ** 2 < 64 ? 1 : 0;
    });
    const mask = buildMrc({ nx: 24, ny: 24, nz: 24, mode: 2, values: inside, mapStamp: '\0\0\0\0' });
    writeFileSync(path.join(dir, 'mask.mrc'), mask);
    const r = occupy(dir, ['-i', 'odd.mrc', '--solvent-def', 'mask.mrc', '--no-chimerax']);
    assert.equal(r.status, 0, r.stderr);
    // Each warning, as the report lists it; on stderr it is a line of its own after "warning: ".
    const expected = [
      /\S*odd\.mrc: cell angles are 90, 90, 120°, not 90°; the map is treated as if its voxels were rectangular$/,
      /\S*odd\.mrc: 100 bytes after the map data were ignored$/,
      /\S*mask\.mrc: no 'MAP ' identifier \(an old-style CCP4\/MRC file\); read it as MRC2014$/,
    ];
    for (const text of expected) assert.match(r.stderr, new RegExp(`^warning: ${text.source}`, 'm'));
    const report = JSON.parse(readFileSync(path.join(dir, 'report_odd.json'), 'utf8')) as { warnings: string[] };
    for (const text of expected) {
      const whole = new RegExp(`^${text.source}`);
      assert.ok(report.warnings.some((w) => whole.test(w)), `report lists ${whole}: ${JSON.stringify(report.warnings)}`);
    }
  });
});

test('non-cubic voxels are warned about, with the header values as the file holds them', () => {
  inScratch((dir) => {
    writeFileSync(path.join(dir, 'aniso.mrc'), smallMap(24, 24, 24, { cell: [26.4, 24, 24] }));
    const r = occupy(dir, ['-i', 'aniso.mrc', '--no-chimerax', '--no-report']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^warning: \S*aniso\.mrc: the voxels are not cubic \(1\.1, 1, 1 Å along x, y, z\); estimation uses 1\.1 Å for every axis\.$/m);
  });
});

test('a working directory removed while in use: one line saying so, exit 1, nothing written', (t) => {
  if (process.platform === 'win32') {
    t.skip('a directory in use cannot be removed');
    return;
  }
  inScratch((dir) => {
    const gone = path.join(dir, 'gone');
    const out = path.join(dir, 'out');
    for (const args of [['-i', FIXTURE, '--output-dir', out], ['--emdb', '1234', '--output-dir', out], ['-i', FIXTURE, '--output-dir', out, '--verbose']]) {
      const r = runInRemovedFolder(gone, [process.execPath, BIN, ...args]);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr, 'occupy: the working directory no longer exists (it was removed while in use): change to an existing folder and run again.\n');
      assert.deepEqual(readdirSync(dir), [], args.join(' '));
    }
  });
});

test('OCCUPY_WRITE_AS_MADE_FROM that is not a number of voxels is said and taken as unset; the run goes on', () =>
  inScratch((dir) => {
    for (const setting of ['abc', '-1', '2.5', '0x10', '1e3', 'Infinity']) {
      const r = occupy(dir, ['-i', FIXTURE, '--output-dir', path.join(dir, setting)], { OCCUPY_WRITE_AS_MADE_FROM: setting });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`^warning: OCCUPY_WRITE_AS_MADE_FROM is "${setting.replace('.', '\\.')}" \\(it takes a number of voxels, 0 for every map\\): taken as unset\\.$`, 'm'));
    }
    const set = occupy(dir, ['-i', FIXTURE, '--output-dir', path.join(dir, 'zero')], { OCCUPY_WRITE_AS_MADE_FROM: '0' });
    assert.equal(set.status, 0, set.stderr);
    assert.doesNotMatch(set.stderr, /OCCUPY_WRITE_AS_MADE_FROM/);
  }));

test('a run refused for memory names a coarser --max-box that fits: it runs under the same limit, the next round one up does not', async () =>
  inScratch(async (dir) => {
    await writeSyntheticMap(path.join(dir, 'map.mrc'), [256, 256, 256], 1.5);
    const limit = { OCCUPY_MEMORY_LIMIT: '250M', OCCUPY_HUGE_PAGES: 'off' };
    const refused = occupy(dir, ['-i', 'map.mrc', '--output-dir', 'refused'], limit);
    assert.equal(refused.status, 1, refused.stderr);
    const offered = /of OCCUPY_MEMORY_LIMIT; --max-box (\d+) would fit \(the estimate then runs on a coarser box\), or bin or crop the map first/.exec(refused.stderr);
    assert.ok(offered, refused.stderr);
    const maxBox = Number(offered[1]);
    assert.ok(maxBox < 256 && maxBox % 32 === 0, String(maxBox));
    const fits = occupy(dir, ['-i', 'map.mrc', '--max-box', String(maxBox), '--output-dir', 'fits', '--quiet'], limit);
    assert.equal(fits.status, 0, fits.stderr);
    assert.ok(readdirSync(path.join(dir, 'fits')).includes('scale_res_map.mrc'));
    const larger = occupy(dir, ['-i', 'map.mrc', '--max-box', String(maxBox + 32), '--output-dir', 'larger'], limit);
    assert.equal(larger.status, 1, larger.stderr);
    assert.match(larger.stderr, new RegExp(`--max-box ${maxBox} would fit`));
    // With OCCUPY_WRITE_AS_MADE_FROM set, the box offered is planned with it: it runs so too.
    const keptWhole = { ...limit, OCCUPY_WRITE_AS_MADE_FROM: '1000000000' };
    const amplified = occupy(dir, ['-i', 'map.mrc', '-am', '2', '--output-dir', 'amplified'], keptWhole);
    const offeredWhole = /--max-box (\d+) would fit/.exec(amplified.stderr);
    assert.ok(amplified.status === 1 && offeredWhole, amplified.stderr);
    const runs = occupy(dir, ['-i', 'map.mrc', '-am', '2', '--max-box', offeredWhole[1], '--output-dir', 'amplified', '--quiet'], keptWhole);
    assert.equal(runs.status, 0, runs.stderr);
  }));

test('a run that fits its memory limit only with its large outputs made as they are written is made so, saying so, with the same bytes', async () =>
  inScratch(async (dir) => {
    // 256³ down-sampled to 64 as it is read, its amplified map padded back to 256³ (smaller maps need more made as
    // written): its two plans, as the CLI makes them.
    await writeSyntheticMap(path.join(dir, 'map.mrc'), [256, 256, 256], 1.5);
    const args = ['-i', 'map.mrc', '--max-box', '64', '-am', '2'];
    const settings = defaultSettings();
    settings.estimation.maxBox = 64;
    settings.modification.modifications = [{ kind: 'amplify', power: 2 }];
    const shape: [number, number, number] = [256, 256, 256];
    const need = (made: MadeWhenWritten) => peakMemoryBytes(memoryPlanFor(shape, settings, 0, { downSampledWhileReading: true, made }));
    const [whole, asWritten] = [need(madeWhenWritten(shape, settings)), need(madeWhenWritten(shape, settings, 0))];
    assert.ok(asWritten < whole, `${asWritten} < ${whole}`);
    const between = { OCCUPY_MEMORY_LIMIT: String(Math.floor((whole + asWritten) / 2)), OCCUPY_HUGE_PAGES: 'off' };
    const said = /its large outputs are made as they are written, never held whole, so that the run fits in memory\./;
    const limited = occupy(dir, [...args, '--output-dir', 'limited'], between);
    assert.equal(limited.status, 0, limited.stderr);
    assert.match(limited.stdout, said);
    const plain = occupy(dir, [...args, '--output-dir', 'plain'], { OCCUPY_HUGE_PAGES: 'off' });
    assert.equal(plain.status, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, said);
    const maps = readdirSync(path.join(dir, 'plain')).filter((name) => name.endsWith('.mrc'));
    assert.ok(maps.some((name) => name.startsWith('ampl_')), maps.join(' '));
    // The report says how each run used memory.
    const memoryUse = (folder: string) => JSON.parse(readFileSync(path.join(dir, folder, 'report_map.json'), 'utf8')).performance.memory;
    const use = (padded: boolean, madeAsWrittenToFit: boolean) => ({ relaunchedWithHugePages: false, transformsApart: false, madeAsWritten: { interpolated: false, padded }, madeAsWrittenToFit });
    assert.deepEqual(memoryUse('limited'), use(true, true));
    assert.deepEqual(memoryUse('plain'), use(false, false));
    for (const name of maps) assert.ok(readFileSync(path.join(dir, 'plain', name)).equals(readFileSync(path.join(dir, 'limited', name))), name);
    // Quiet, it is not said; below the smaller plan, the run is refused saying that one's need.
    assert.equal(occupy(dir, [...args, '--quiet', '--output-dir', 'quiet'], between).stdout, '');
    const refused = occupy(dir, [...args, '--output-dir', 'refused'], { ...between, OCCUPY_MEMORY_LIMIT: String(asWritten - 1) });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, new RegExp(`this run would need about ${Math.ceil(asWritten / 2 ** 20)} MiB of memory`));
    assert.doesNotMatch(refused.stdout, said);
  }));
