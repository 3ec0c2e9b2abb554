import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync, mkdirSync, chmodSync, openSync, ftruncateSync, writeSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkMapFileHeader, discardPreparedFiles, prepareFiles, readMapFile, readMapFileOrPlanes, writeFileAtomic, writeFilesTogether, writeMapFile } from '../../src/io/map-file.js';
import { FileError } from '../../src/io/system-errors.js';
import { MapFormatError, decodeMrc, encodeMrc, type MapGeometry } from '../../src/format/mrc-format.js';
import { createVolume } from '../../src/core/volume.js';
import { buildMrc, valuesForMode } from '../format/mrc-builder.js';
import { mulberry32 } from '../../src/synthetic/random.js';
import { fixturesDir } from '../fixtures/fixture-cases.js';
import { inScratch } from '../scratch.js';
import { unprivileged } from '../unprivileged.js';

const FIXTURES = fixturesDir();

/** The one-line error `promise` rejects with, of class `kind` (what is wrong inside a map, or with a file). */
async function rejectsWith(promise: Promise<unknown>, pattern: RegExp, kind: typeof MapFormatError | typeof FileError): Promise<string> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof kind, `expected a ${kind.name}, got ${String(caught)}`);
  const message = (caught as Error).message;
  assert.ok(!message.includes('\n'), `one line: ${message}`);
  assert.match(message, pattern);
  return message;
}

test('reads the fixtures: modes 2, 1 and 0, their boxes and voxel sizes', async () => {
  const cases = [
    { file: '1tii_occ_64.mrc', mode: 2, n: 64, apix: 1.6 },
    { file: '1tii_occ_64_labels.mrc', mode: 1, n: 64, apix: 1.6 },
    { file: '1tii_occ_64_soldef.mrc', mode: 0, n: 64, apix: 1.6 },
    { file: '1tii_occ_96.mrc', mode: 2, n: 96, apix: 1.1 },
    { file: '1tii_bfac_96_labels.mrc', mode: 1, n: 96, apix: 1.1 },
    { file: '1tii_occ_96_soldef.mrc', mode: 0, n: 96, apix: 1.1 },
  ];
  for (const c of cases) {
    const map = await readMapFile(path.join(FIXTURES, c.file));
    assert.equal(map.mode, c.mode, c.file);
    assert.deepEqual([map.volume.nz, map.volume.ny, map.volume.nx], [c.n, c.n, c.n], c.file);
    assert.deepEqual(map.geometry.voxelSize, [Math.fround(c.apix), Math.fround(c.apix), Math.fround(c.apix)], c.file);
    assert.deepEqual(map.geometry.axisOrder, [1, 2, 3]);
    assert.deepEqual(map.warnings, []);

    // Every value against the raw bytes, read independently.
    const raw = readFileSync(path.join(FIXTURES, c.file));
    const view = new DataView(raw.buffer, raw.byteOffset + 1024);
    const read = [(i: number) => view.getInt8(i), (i: number) => view.getInt16(2 * i, true), (i: number) => view.getFloat32(4 * i, true)][c.mode];
    for (let i = 0; i < map.volume.data.length; i++) {
      if (map.volume.data[i] !== read(i)) assert.fail(`${c.file}: voxel ${i}`);
    }
  }
  // Labels are the chain ids of the truth file (or 0); the solvent definition is 0/1.
  const truth = JSON.parse(readFileSync(path.join(FIXTURES, '1tii_occ_64_truth.json'), 'utf8')) as { labels: Record<string, string> };
  const labelIds = new Set([0, ...Object.keys(truth.labels).map(Number)]);
  const labels = await readMapFile(path.join(FIXTURES, '1tii_occ_64_labels.mrc'));
  assert.ok(labels.volume.data.every((v) => labelIds.has(v)));
  assert.ok(new Set(labels.volume.data).size > 2);
  const soldef = await readMapFile(path.join(FIXTURES, '1tii_occ_64_soldef.mrc'));
  assert.deepEqual([...new Set(soldef.volume.data)].sort(), [0, 1]);
});

test('reads plain files in pieces of any size, the same as decoding them whole', async () => {
  await inScratch('occupy-io-', async (dir) => {
    const random = mulberry32(11);
    for (const mode of [0, 1, 2, 6, 12]) {
      const bytes = buildMrc({
        nx: 7,
        ny: 5,
        nz: 3,
        mode,
        littleEndian: mode !== 2,
        values: valuesForMode(mode, 105, random),
        extendedHeader: new Uint8Array(9),
      });
      const file = path.join(dir, `m${mode}.mrc`);
      writeFileSync(file, bytes);
      const whole = decodeMrc(bytes, file);
      for (const chunkBytes of [7, 1000, 1 << 20]) {
        const map = await readMapFile(file, { chunkBytes });
        assert.deepEqual(map, whole, `mode ${mode}, pieces of ${chunkBytes}`);
      }
    }
  });
});

test('a map streamed to a sink (readMapFileOrPlanes): the same planes, in order, and the same description', async () => {
  await inScratch('occupy-io-', async (dir) => {
    const random = mulberry32(17);
    const [nx, ny, nz] = [7, 5, 6];
    // Every mode, both byte orders of float32 (read straight into the pieces, or decoded), an extended header,
    // trailing bytes (the same warning).
    for (const [mode, littleEndian] of [[0, true], [1, false], [2, true], [2, false], [6, true], [12, false]] as const) {
      const bytes = buildMrc({ nx, ny, nz, mode, littleEndian, values: valuesForMode(mode, nx * ny * nz, random), extendedHeader: new Uint8Array(9), trailing: new Uint8Array(2) });
      const file = path.join(dir, `s${mode}${littleEndian}.mrc`);
      writeFileSync(file, bytes);
      const whole = decodeMrc(bytes, file);
      // Pieces of one plane, of two (the last one short: 6 = 2 + 2 + 2, and 4 + 2), and the default.
      for (const chunkBytes of [1, 4 * nx * ny * 2, 4 * nx * ny * 4, undefined]) {
        const got = new Float32Array(nx * ny * nz);
        const firsts: number[] = [];
        const map = await readMapFileOrPlanes(file, {
          chunkBytes,
          planesTo: (header) => {
            assert.deepEqual([header.nx, header.ny, header.nz], [nx, ny, nz]);
            return (first, values) => {
              firsts.push(first);
              got.set(values, first * nx * ny);
            };
          },
        });
        const what = `mode ${mode}${littleEndian ? '' : ' big-endian'}, pieces of ${chunkBytes} bytes`;
        assert.ok(!('volume' in map), what);
        const { volume, ...description } = whole;
        assert.deepEqual(map, { ...description, shape: [nz, ny, nx] }, what);
        assert.deepEqual(firsts, [...firsts].sort((a, b) => a - b), `${what}: in order`);
        assert.deepEqual(got, volume.data, what);
      }
    }
  });
});

test('a streamed read: a sink declined, a gzipped file and a truncated one are read or refused as readMapFile does', async () => {
  await inScratch('occupy-io-', async (dir) => {
    const values = valuesForMode(2, 4 * 4 * 4, mulberry32(19));
    const bytes = buildMrc({ nx: 4, ny: 4, nz: 4, mode: 2, littleEndian: true, values });
    const file = path.join(dir, 'plain.mrc');
    writeFileSync(file, bytes);
    const sink = () => assert.fail('no plane may reach the sink');
    assert.deepEqual(await readMapFileOrPlanes(file, { planesTo: () => undefined }), decodeMrc(bytes, file));
    const gz = path.join(dir, 'packed.mrc.gz');
    writeFileSync(gz, gzipSync(bytes));
    let asked = false;
    const told: boolean[] = [];
    const onHeader = (_: unknown, { canStream }: { canStream: boolean }) => void told.push(canStream);
    assert.deepEqual(await readMapFileOrPlanes(gz, { onHeader, planesTo: () => ((asked = true), sink) }), decodeMrc(bytes, gz));
    assert.equal(asked, false, 'a gzipped file is not streamed (its length is not known)');
    await readMapFileOrPlanes(file, { onHeader, planesTo: () => undefined });
    await readMapFile(file, { onHeader });
    assert.deepEqual(told, [false, true, false], 'onHeader is told whether a sink will be asked for');
    const cut = bytes.subarray(0, bytes.length - 10);
    writeFileSync(file, cut);
    await assert.rejects(readMapFileOrPlanes(file, { planesTo: () => sink }), (e: Error) => e instanceof MapFormatError && /truncated|ends|short/i.test(e.message));
    // A sink that throws stops the read with its error.
    writeFileSync(file, bytes);
    await assert.rejects(readMapFileOrPlanes(file, { chunkBytes: 1, planesTo: () => (first) => { if (first === 2) throw new RangeError('stop'); } }), /stop/);
  });
});

test('a float32 file read straight into the map (the default): extended header, trailing bytes, a truncated body', async () => {
  await inScratch('occupy-io-', async (dir) => {
    const values = valuesForMode(2, 7 * 5 * 3, mulberry32(13));
    for (const extendedHeader of [new Uint8Array(0), new Uint8Array(9)]) {
      const bytes = buildMrc({ nx: 7, ny: 5, nz: 3, mode: 2, littleEndian: true, values, extendedHeader, trailing: new Uint8Array(3) });
      const file = path.join(dir, `direct${extendedHeader.length}.mrc`);
      writeFileSync(file, bytes);
      assert.deepEqual(await readMapFile(file), decodeMrc(bytes, file));
      // Cut inside a voxel: refused as truncated, as decoding the bytes whole is.
      const cut = bytes.subarray(0, bytes.length - 3 - 4 * 10 - 2);
      writeFileSync(file, cut);
      await assert.rejects(readMapFile(file), (e: Error) => e.message === (() => { try { decodeMrc(cut, file); } catch (d) { return (d as Error).message; } return ''; })());
    }
  });
});

test('recognises gzip by its magic bytes, whatever the name; damaged and truncated gzip are named', async () => {
  await inScratch('occupy-io-', async (dir) => {
    const values = valuesForMode(12, 4 * 4 * 4, mulberry32(12));
    const bytes = buildMrc({ nx: 4, ny: 4, nz: 4, mode: 12, littleEndian: false, values, origin: [1, 2, 3] });
    const zipped = gzipSync(bytes);
    for (const name of ['z.mrc.gz', 'plain-name.mrc']) {
      writeFileSync(path.join(dir, name), zipped);
      const map = await readMapFile(path.join(dir, name));
      assert.deepEqual(map, decodeMrc(bytes, path.join(dir, name)));
    }

    const damaged = Buffer.from(zipped);
    for (let i = 20; i < damaged.length - 8; i += 3) damaged[i] ^= 0x5a;
    writeFileSync(path.join(dir, 'damaged.mrc.gz'), damaged);
    await rejectsWith(readMapFile(path.join(dir, 'damaged.mrc.gz')), /damaged\.mrc\.gz: the gzip compression is damaged \(.*\); fetch or copy the file again$/, MapFormatError);

    writeFileSync(path.join(dir, 'cut.mrc.gz'), zipped.subarray(0, zipped.length >> 1));
    await rejectsWith(readMapFile(path.join(dir, 'cut.mrc.gz')), /cut\.mrc\.gz: the gzip-compressed file ends too early/, MapFormatError);

    // A complete gzip stream around an incomplete map.
    writeFileSync(path.join(dir, 'short.mrc.gz'), gzipSync(bytes.subarray(0, 1100)));
    await rejectsWith(
      readMapFile(path.join(dir, 'short.mrc.gz')),
      /short\.mrc\.gz: decompressed file is 1100 bytes but its header describes 4x4x4 float16 voxels \(1152 bytes\); the file is truncated$/,
      MapFormatError,
    );
  });
});

test('file-system problems are one clear line', async () => {
  await inScratch('occupy-io-', async (dir) => {
    await rejectsWith(readMapFile(path.join(dir, 'absent.mrc')), /absent\.mrc: no such file$/, FileError);
    await rejectsWith(readMapFile(dir), /: is a directory, not a map file$/, FileError);
    writeFileSync(path.join(dir, 'empty.mrc'), '');
    await rejectsWith(readMapFile(path.join(dir, 'empty.mrc')), /empty\.mrc: file is empty$/, MapFormatError);
    const full = buildMrc({ nx: 64, ny: 64, nz: 64, mode: 2, values: new Float32Array(64 ** 3) });
    writeFileSync(path.join(dir, '1tii.mrc'), full.subarray(0, 2000));
    assert.equal(
      await rejectsWith(readMapFile(path.join(dir, '1tii.mrc')), /./, MapFormatError),
      `${path.join(dir, '1tii.mrc')}: file is 2000 bytes but its header describes 64x64x64 float32 voxels (1049600 bytes); the file is truncated`,
    );
  });
});

test('an unreadable map is one clear line too (read by a user whom permissions apply to)', async (t) => {
  // Root reads any file: there the reader runs in a child process as `nobody` (test/unprivileged.ts).
  const reader = fileURLToPath(new URL('../../src/io/map-file.js', import.meta.url));
  const user = unprivileged([reader]);
  if ('reason' in user) {
    t.skip(user.reason);
    return;
  }
  await inScratch('occupy-io-', async (dir) => {
    user.own(dir);
    const locked = path.join(dir, 'locked.mrc');
    writeFileSync(locked, buildMrc({ nx: 8, ny: 8, nz: 8, mode: 2, values: new Float32Array(512) }));
    chmodSync(locked, 0o000);
    const script = `import(${JSON.stringify(pathToFileURL(reader).href)}).then((m) => m.readMapFile(${JSON.stringify(locked)})).then(() => console.log('read'), (e) => console.log(e.message));`;
    const [program, ...args] = user.command([process.execPath, '-e', script]);
    const r = spawnSync(program, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `${locked}: permission denied; the file cannot be read`);
  });
});

test('writeFileAtomic replaces the file whole and leaves no temporary file, also when it fails', async () => {
  await inScratch('occupy-io-', async (dir) => {
    const target = path.join(dir, 'out.txt');
    await writeFileAtomic(target, new TextEncoder().encode('first'));
    await writeFileAtomic(target, [new TextEncoder().encode('second '), new TextEncoder().encode('version')]);
    assert.equal(readFileSync(target, 'utf8'), 'second version');
    assert.deepEqual(readdirSync(dir), ['out.txt']);

    // A failure in the middle of writing keeps the old content and removes the temporary.
    const notBytes = { length: 3 } as unknown as Uint8Array;
    await assert.rejects(writeFileAtomic(target, [new TextEncoder().encode('partial'), notBytes]));
    assert.equal(readFileSync(target, 'utf8'), 'second version');
    assert.deepEqual(readdirSync(dir), ['out.txt']);

    // A failing rename (the target is a directory) removes the temporary too.
    mkdirSync(path.join(dir, 'taken'));
    await rejectsWith(writeFileAtomic(path.join(dir, 'taken'), new Uint8Array(10)), /taken: is a directory, not a map file$/, FileError);
    assert.deepEqual(readdirSync(dir).sort(), ['out.txt', 'taken']);

    await rejectsWith(
      writeFileAtomic(path.join(dir, 'missing', 'x.mrc'), new Uint8Array(1)),
      /x\.mrc: cannot write, the directory .*missing does not exist$/,
      FileError,
    );
  });
});

test('writeMapFile writes what encodeMrc encodes, and reads back with its geometry', async () => {
  await inScratch('occupy-io-', async (dir) => {
    const random = mulberry32(13);
    const volume = createVolume(3, 4, 5, new Float32Array(60).map(() => Math.fround(random() - 0.5)));
    const geometry: MapGeometry = { voxelSize: [1.1, 1.1, 1.1], origin: [-3, 0, 12.5], start: [4, -2, 0], axisOrder: [1, 3, 2], sampling: [5, 3, 4] };
    const file = path.join(dir, 'scale_res_x.mrc');
    await writeMapFile(file, volume, geometry, { labels: ['occupy test'] });
    assert.deepEqual(new Uint8Array(readFileSync(file)), encodeMrc(volume, geometry, { labels: ['occupy test'] }));
    const back = await readMapFile(file);
    assert.deepEqual(back.volume, volume);
    assert.deepEqual(back.geometry.start, geometry.start);
    assert.deepEqual(back.geometry.origin, geometry.origin);
    assert.deepEqual(back.geometry.axisOrder, geometry.axisOrder);
    assert.deepEqual(back.geometry.voxelSize, geometry.voxelSize.map(Math.fround));
    assert.deepEqual(back.labels, ['occupy test']);
    assert.deepEqual(readdirSync(dir), ['scale_res_x.mrc']);
  });
});

test('files over 2 GiB are read in pieces (set OCCUPY_LARGE_TESTS=1; needs ~2.2 GB of memory)', async (t) => {
  if (!process.env.OCCUPY_LARGE_TESTS) {
    t.skip('large-file test skipped: set OCCUPY_LARGE_TESTS=1 to run it');
    return;
  }
  await inScratch('occupy-io-', async (dir) => {
    const file = path.join(dir, 'big.mrc');
    const [nx, ny, nz] = [1024, 1024, 520]; // 2.03 GiB of float32
    const header = buildMrc({ nx: 1, ny: 1, nz: 1, mode: 2, values: [0] }).slice(0, 1024);
    const view = new DataView(header.buffer);
    view.setInt32(0, nx, true);
    view.setInt32(4, ny, true);
    view.setInt32(8, nz, true);
    const fd = openSync(file, 'w');
    writeSync(fd, header);
    const lastVoxel = new Uint8Array(new Float32Array([42.5]).buffer);
    const size = 1024 + 4 * nx * ny * nz;
    ftruncateSync(fd, size); // sparse: reads as zeros
    writeSync(fd, lastVoxel, 0, 4, size - 4);
    closeSync(fd);
    const map = await readMapFile(file);
    assert.equal(map.volume.data.length, nx * ny * nz);
    assert.equal(map.volume.data[map.volume.data.length - 1], 42.5);
    assert.equal(map.volume.data[123456789], 0);
  });
});

test('checkMapFileHeader accepts a complete map from its header alone and refuses a truncated one', async () => {
  await inScratch('occupy-header-', async (dir) => {
    const volume = createVolume(4, 5, 6, Float32Array.from({ length: 120 }, (_, i) => i));
    const geometry: MapGeometry = { voxelSize: [1, 1, 1], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [6, 5, 4] };
    const bytes = encodeMrc(volume, geometry);
    writeFileSync(path.join(dir, 'whole.mrc'), bytes);
    writeFileSync(path.join(dir, 'cut.mrc'), bytes.subarray(0, bytes.length - 4));
    const header = await checkMapFileHeader(path.join(dir, 'whole.mrc'));
    assert.deepEqual([header.nx, header.ny, header.nz, header.mode], [6, 5, 4, 2]);
    await assert.rejects(checkMapFileHeader(path.join(dir, 'cut.mrc')), (e: Error) => {
      assert.ok(e instanceof MapFormatError);
      // Exact byte counts: a size in KiB or MiB can round a few missing bytes away.
      assert.equal(e.message, `${path.join(dir, 'cut.mrc')}: file is 1500 bytes but its header describes 6x5x4 float32 voxels (1504 bytes); the file is truncated`);
      return true;
    });
  });
});

test('writeFilesTogether: when one file cannot be staged, none is put in place and no temporary is left', async () => {
  await inScratch('occupy-together-', async (dir) => {
    writeFileSync(path.join(dir, 'a.txt'), 'old a');
    const files = [
      { path: path.join(dir, 'a.txt'), parts: [new TextEncoder().encode('new a')] },
      { path: path.join(dir, 'missing-folder', 'b.txt'), parts: [new TextEncoder().encode('new b')] },
    ];
    await assert.rejects(writeFilesTogether(files));
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'old a');
    assert.deepEqual(readdirSync(dir), ['a.txt']);
    await writeFilesTogether([files[0]]);
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'new a');
  });
});

test('writeFilesTogether: a file that writes itself (a writer), with files in parts; a failing writer leaves every target as it was', async () => {
  await inScratch('occupy-writer-', async (dir) => {
    const enc = (t: string) => new TextEncoder().encode(t);
    writeFileSync(path.join(dir, 'a.txt'), 'old a');
    writeFileSync(path.join(dir, 'w.txt'), 'old w');
    // Positions out of order, two writes at once, the start last (as a map's header).
    const writer = async (write: (bytes: Uint8Array, position: number) => Promise<void>) => {
      await Promise.all([write(enc('-middle-'), 5), write(enc('end'), 13)]);
      await write(enc('start'), 0);
    };
    const failing = async (write: (bytes: Uint8Array, position: number) => Promise<void>) => {
      await write(enc('half'), 0);
      throw new Error('the map could not be made');
    };
    await assert.rejects(
      writeFilesTogether([
        { path: path.join(dir, 'a.txt'), parts: [enc('new a')] },
        { path: path.join(dir, 'w.txt'), writer: failing },
      ]),
      /the map could not be made/,
    );
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'old a');
    assert.equal(readFileSync(path.join(dir, 'w.txt'), 'utf8'), 'old w');
    assert.deepEqual(readdirSync(dir).sort(), ['a.txt', 'w.txt'], 'no temporary left');
    // A prepared file is not used for a writer, and leaves nothing behind.
    const [prepared] = await prepareFiles([path.join(dir, 'w.txt')]);
    await writeFilesTogether(
      [
        { path: path.join(dir, 'a.txt'), parts: [enc('new '), enc('a')] },
        { path: path.join(dir, 'w.txt'), writer },
      ],
      [prepared],
    );
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'new a');
    assert.equal(readFileSync(path.join(dir, 'w.txt'), 'utf8'), 'start-middle-end');
    assert.deepEqual(readdirSync(dir).sort(), ['a.txt', 'w.txt']);
  });
});

test('writeFilesTogether: a file made last is made after every other file is written, and not at all when one fails', async () => {
  await inScratch('occupy-last-', async (dir) => {
    const enc = (t: string) => new TextEncoder().encode(t);
    writeFileSync(path.join(dir, 'report.txt'), 'old report');
    const events: string[] = [];
    const slowWriter = async (write: (bytes: Uint8Array, position: number) => Promise<void>) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await write(enc('map'), 0);
      events.push('map written');
    };
    const report = () => {
      events.push('report made');
      return [enc(`made after: ${events.join(', ')}`)];
    };
    // The report first in the list: still made last.
    await writeFilesTogether([
      { path: path.join(dir, 'report.txt'), last: report },
      { path: path.join(dir, 'map.mrc'), writer: slowWriter },
      { path: path.join(dir, 'log.txt'), parts: [enc('log')] },
    ]);
    assert.equal(readFileSync(path.join(dir, 'report.txt'), 'utf8'), 'made after: map written, report made');
    assert.equal(readFileSync(path.join(dir, 'map.mrc'), 'utf8'), 'map');
    events.length = 0;
    const failing = async () => {
      throw new Error('the map could not be made');
    };
    await assert.rejects(
      writeFilesTogether([
        { path: path.join(dir, 'report.txt'), last: report },
        { path: path.join(dir, 'map.mrc'), writer: failing },
      ]),
      /the map could not be made/,
    );
    assert.deepEqual(events, [], 'the report is not made when another file failed');
    const throwing = () => {
      throw new Error('no report');
    };
    await assert.rejects(writeFilesTogether([{ path: path.join(dir, 'report.txt'), last: throwing }, { path: path.join(dir, 'log.txt'), parts: [enc('new log')] }]), /no report/);
    assert.equal(readFileSync(path.join(dir, 'report.txt'), 'utf8'), 'made after: map written, report made');
    assert.equal(readFileSync(path.join(dir, 'log.txt'), 'utf8'), 'log', 'nothing put in place when the last file fails');
    assert.deepEqual(readdirSync(dir).sort(), ['log.txt', 'map.mrc', 'report.txt'], 'no temporary left');
  });
});

test('writeFilesTogether: two files under one name, or a folder in the way, are refused before any is put in place', async () => {
  await inScratch('occupy-together-', async (dir) => {
    const enc = (t: string) => new TextEncoder().encode(t);
    writeFileSync(path.join(dir, 'a.txt'), 'old a');
    mkdirSync(path.join(dir, 'c.txt'));
    const [prepared] = await prepareFiles([path.join(dir, 'b.txt')]);
    await assert.rejects(
      writeFilesTogether(
        [
          { path: path.join(dir, 'a.txt'), parts: [enc('new a')] },
          { path: path.join(dir, 'b.txt'), parts: [enc('b')] },
          { path: path.join(dir, 'a.txt'), parts: [enc('another a')] },
        ],
        [prepared],
      ),
      (error: Error) => error instanceof FileError && error.message === `${path.join(dir, 'a.txt')}: two outputs of this run would have this name (check -o); nothing was written`,
    );
    await assert.rejects(
      writeFilesTogether([
        { path: path.join(dir, 'a.txt'), parts: [enc('new a')] },
        { path: path.join(dir, 'c.txt'), parts: [enc('c')] },
      ]),
      (error: Error) => error instanceof FileError && /c\.txt: a folder of this name is in the way of the output; nothing was written$/.test(error.message),
    );
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'old a');
    assert.deepEqual(readdirSync(dir).sort(), ['a.txt', 'c.txt'], 'no temporary left, the prepared one included');
  });
});

test('prepared files: parts written ahead are kept when they are the final parts, else rewritten; discarded ones leave nothing', async () => {
  await inScratch('occupy-ahead-', async (dir) => {
    const enc = (t: string) => new TextEncoder().encode(t);
    const header = enc('HEAD');
    const body = enc('the body, written ahead');
    const other = enc('another body');
    writeFileSync(path.join(dir, 'b.txt'), 'old b');
    const [a, b, c] = await prepareFiles(['a.txt', 'b.txt', 'c.txt'].map((n) => path.join(dir, n)));
    a.writeAhead(body, header.length); // the body after a header not yet known
    b.writeAhead(other, header.length); // not what b will hold: b is written afresh
    assert.equal(readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'old b', 'nothing in place before writeFilesTogether');
    await writeFilesTogether(
      [
        { path: path.join(dir, 'a.txt'), parts: [header, new Uint8Array(body.buffer, body.byteOffset, body.length)] },
        { path: path.join(dir, 'b.txt'), parts: [header, body.slice()] },
      ],
      [a, b, c],
    );
    assert.equal(readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'HEADthe body, written ahead');
    assert.equal(readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'HEADthe body, written ahead');
    assert.deepEqual(readdirSync(dir).sort(), ['a.txt', 'b.txt'], 'c (not written) and every temporary removed');

    const [d] = await prepareFiles([path.join(dir, 'd.txt')]);
    d.writeAhead(body, 0);
    await discardPreparedFiles([d]);
    assert.deepEqual(readdirSync(dir).sort(), ['a.txt', 'b.txt']);
  });
});

test('a float32 body of more than 32 MiB is read in pieces at once, the same as decoding the file whole', async () => {
  await inScratch('occupy-pieces-', async (dir) => {
    const [nx, ny, nz] = [256, 256, 130]; // 34 MB of voxels: two pieces
    const values = new Float32Array(nx * ny * nz);
    for (let i = 0; i < values.length; i++) values[i] = (i % 1009) - 0.5 * (i % 7);
    const bytes = buildMrc({ nx, ny, nz, mode: 2, littleEndian: true, values, extendedHeader: new Uint8Array(12) });
    const file = path.join(dir, 'big.mrc');
    writeFileSync(file, bytes);
    const map = await readMapFile(file);
    assert.deepEqual(map.volume.data, values);
    assert.deepEqual({ ...map, volume: undefined }, { ...decodeMrc(bytes, file), volume: undefined });
  });
});
