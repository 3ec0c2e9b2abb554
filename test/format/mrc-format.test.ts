import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MapFormatError,
  MrcStreamDecoder,
  decodeMrc,
  encodeMrc,
  geometryForBox,
  hasVoxelSize,
  isStandardAxisOrder,
  spatialAxisOf,
  spatialCounts,
  storageOf,
  type MapGeometry,
  writeMrcAsMade,
} from '../../src/format/mrc-format.js';
import { createVolume } from '../../src/core/volume.js';
import { buildMrc, bytesPerVoxelOf, valuesForMode } from './mrc-builder.js';
import { mulberry32 } from '../../src/synthetic/random.js';

const MODES = [0, 1, 2, 6, 12];

function sameValues(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) assert.fail(`${what}: value ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

function expectError(bytes: Uint8Array, pattern: RegExp, name = 'map.mrc'): string {
  let caught: unknown;
  try {
    decodeMrc(bytes, name);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof MapFormatError, `expected a MapFormatError, got ${String(caught)}`);
  const message = (caught as Error).message;
  assert.ok(!message.includes('\n'), `one line: ${message}`);
  assert.ok(message.startsWith(`${name}: `), `names the file: ${message}`);
  assert.match(message, pattern);
  return message;
}

test('every mode decodes in both byte orders, in file order (nz = sections, ny = rows, nx = columns)', () => {
  const random = mulberry32(1);
  for (const mode of MODES) {
    for (const littleEndian of [true, false]) {
      const [nx, ny, nz] = [5, 3, 2];
      const values = valuesForMode(mode, nx * ny * nz, random);
      const bytes = buildMrc({ nx, ny, nz, mode, littleEndian, values, labels: ['first label', 'second'] });
      const map = decodeMrc(bytes, 'm.mrc');
      const what = `mode ${mode} ${littleEndian ? 'LE' : 'BE'}`;
      assert.deepEqual([map.volume.nz, map.volume.ny, map.volume.nx], [nz, ny, nx], what);
      sameValues(map.volume.data, values, what);
      assert.equal(map.mode, mode);
      assert.equal(map.littleEndian, littleEndian);
      assert.deepEqual(map.labels, ['first label', 'second']);
      assert.equal(map.extendedHeaderBytes, 0);
      assert.deepEqual(map.warnings, []);
      // A voxel by coordinates: column 4, row 1, section 1.
      assert.ok(Object.is(map.volume.data[(1 * ny + 1) * nx + 4], values[1 * nx * ny + 1 * nx + 4]));
    }
  }
});

test('the extended header is skipped, also at an odd length that leaves the data unaligned', () => {
  const random = mulberry32(2);
  for (const mode of MODES) {
    for (const extLength of [7, 100]) {
      const extendedHeader = new Uint8Array(extLength).fill(0xab);
      const values = valuesForMode(mode, 24, random);
      const bytes = buildMrc({ nx: 4, ny: 3, nz: 2, mode, values, extendedHeader, exttyp: 'CCP4', littleEndian: extLength === 7 });
      const map = decodeMrc(bytes, 'ext.mrc');
      assert.equal(map.extendedHeaderBytes, extLength);
      sameValues(map.volume.data, values, `mode ${mode} ext ${extLength}`);
    }
  }
});

test('the stream decoder gives the same map for any split of the bytes', () => {
  const random = mulberry32(3);
  for (const mode of MODES) {
    const values = valuesForMode(mode, 60, random);
    const bytes = buildMrc({ nx: 5, ny: 4, nz: 3, mode, values, extendedHeader: new Uint8Array(13), littleEndian: mode % 2 === 0 });
    const whole = decodeMrc(bytes, 's.mrc');
    for (const pieceSize of [1, 3, 1023, 1025, 1037, 4096]) {
      const decoder = new MrcStreamDecoder('s.mrc');
      for (let at = 0; at < bytes.length; at += pieceSize) decoder.push(bytes.subarray(at, at + pieceSize));
      const streamed = decoder.finish();
      sameValues(streamed.volume.data, whole.volume.data, `mode ${mode}, pieces of ${pieceSize}`);
    }
  }
});

test('reading a float32 body straight into the map (directTarget) gives the map push() gives, for any split', () => {
  const random = mulberry32(4);
  const values = valuesForMode(2, 60, random);
  for (const extLength of [0, 13]) {
    const bytes = buildMrc({ nx: 5, ny: 4, nz: 3, mode: 2, values, extendedHeader: new Uint8Array(extLength), littleEndian: true, trailing: new Uint8Array(6) });
    const whole = decodeMrc(bytes, 'd.mrc');
    for (const pieceSize of [1, 3, 5, 1023, 4096]) {
      const decoder = new MrcStreamDecoder('d.mrc', { totalBytes: bytes.length });
      let direct = 0;
      for (let at = 0; at < bytes.length; ) {
        const target = decoder.directTarget();
        const n = Math.min(pieceSize, bytes.length - at, target?.length ?? Infinity, decoder.preferredPushBytes() ?? Infinity);
        if (target) {
          target.set(bytes.subarray(at, at + n));
          decoder.pushedDirect(n);
          direct += n;
        } else {
          decoder.push(bytes.subarray(at, at + n));
        }
        at += n;
      }
      const read = decoder.finish();
      assert.ok(direct > 0, `pieces of ${pieceSize}: some bytes went straight into the map`);
      sameValues(read.volume.data, whole.volume.data, `ext ${extLength}, pieces of ${pieceSize}`);
      assert.deepEqual(read.warnings, whole.warnings);
    }
  }
  // Other modes and byte orders are decoded, never read straight in.
  const swapped = new MrcStreamDecoder('b.mrc');
  swapped.push(buildMrc({ nx: 2, ny: 2, nz: 1, mode: 2, values: [1, 2, 3, 4], littleEndian: false }).subarray(0, 1024));
  assert.equal(swapped.directTarget(), undefined);
});

test('geometry: start, origin, axis order and per-axis voxel size (cella / m on spatial axes)', () => {
  // Columns run along z, rows along x, sections along y.
  const [nx, ny, nz] = [4, 6, 8];
  const bytes = buildMrc({
    nx,
    ny,
    nz,
    mode: 2,
    values: new Float32Array(nx * ny * nz),
    axisOrder: [3, 1, 2],
    sampling: [6, 8, 4], // counts along x (rows), y (sections), z (columns)
    cell: [6 * 1.5, 8 * 2, 4 * 2.5],
    start: [-5, 3, 7],
    origin: [10.5, -2, 3.25],
  });
  const { geometry } = decodeMrc(bytes, 'g.mrc');
  assert.deepEqual(geometry, {
    voxelSize: [1.5, 2, 2.5],
    origin: [10.5, -2, 3.25],
    start: [-5, 3, 7],
    axisOrder: [3, 1, 2],
    sampling: [6, 8, 4],
  });
  assert.ok(hasVoxelSize(geometry));
  // The counts along x, y, z are those of rows, sections and columns; the sampling above says the same.
  const { volume } = decodeMrc(bytes, 'g.mrc');
  assert.deepEqual(spatialCounts([volume.nz, volume.ny, volume.nx], geometry.axisOrder), geometry.sampling);
  assert.deepEqual([0, 1, 2].map((a) => spatialAxisOf(geometry.axisOrder, a as 0 | 1 | 2)), ['z', 'x', 'y']);
  assert.equal(isStandardAxisOrder(geometry.axisOrder), false);
  assert.equal(isStandardAxisOrder([1, 2, 3]), true);
  assert.deepEqual(spatialCounts([8, 6, 4], [1, 2, 3]), [4, 6, 8]);
  assert.equal(storageOf(geometry.axisOrder), 'columns along z, rows along x, sections along y');
});

test('voxel size: float32 like mrcfile; sampling 0 falls back to the grid; a zero cell is allowed but flagged', () => {
  const values = new Float32Array(27);
  const reference = decodeMrc(buildMrc({ nx: 3, ny: 3, nz: 3, mode: 2, values, cell: [3.3, 3.3, 3.3] }), 'f.mrc');
  assert.equal(reference.geometry.voxelSize[0], Math.fround(Math.fround(3.3) / 3));

  const noSampling = decodeMrc(buildMrc({ nx: 3, ny: 3, nz: 3, mode: 2, values, cell: [6, 6, 6], sampling: [0, 3, 3] }), 's.mrc');
  assert.deepEqual(noSampling.geometry.voxelSize, [2, 2, 2]);
  assert.equal(noSampling.warnings.length, 1);
  assert.match(noSampling.warnings[0], /sampling mx is 0/);

  const noCell = decodeMrc(buildMrc({ nx: 3, ny: 3, nz: 3, mode: 0, values: new Int8Array(27), cell: [0, 0, 0] }), 'mask.mrc');
  assert.deepEqual(noCell.geometry.voxelSize, [0, 0, 0]);
  assert.equal(hasVoxelSize(noCell.geometry), false);
  assert.match(noCell.warnings.join('\n'), /mask\.mrc: the header gives no voxel size/);
});

test('byte order: zero or odd machine stamps and stamps that contradict the header are worked out', () => {
  const random = mulberry32(4);
  const values = valuesForMode(1, 8, random);
  for (const littleEndian of [true, false]) {
    for (const stamp of [[0, 0, 0, 0], [0x12, 0x34, 0, 0]] as [number, number, number, number][]) {
      const map = decodeMrc(buildMrc({ nx: 2, ny: 2, nz: 2, mode: 1, values, littleEndian, machineStamp: stamp }), 'o.mrc');
      assert.equal(map.littleEndian, littleEndian);
      sameValues(map.volume.data, values, `stamp ${stamp} ${littleEndian}`);
      assert.match(map.warnings[0], /unrecognised machine stamp/);
    }
    const wrong: [number, number, number, number] = littleEndian ? [0x11, 0x11, 0, 0] : [0x44, 0x44, 0, 0];
    const map = decodeMrc(buildMrc({ nx: 2, ny: 2, nz: 2, mode: 1, values, littleEndian, machineStamp: wrong }), 'w.mrc');
    assert.equal(map.littleEndian, littleEndian);
    sameValues(map.volume.data, values, 'contradicting stamp');
    assert.match(map.warnings[0], /machine stamp says/);
  }
  const old = decodeMrc(buildMrc({ nx: 2, ny: 2, nz: 2, mode: 1, values, machineStamp: [0x44, 0x41, 0, 0] }), 'a.mrc');
  assert.deepEqual(old.warnings, []);
});

test("old-style files without 'MAP ' are read only when their size matches the header exactly", () => {
  const values = new Float32Array(8).map((_, i) => i);
  const exact = decodeMrc(buildMrc({ nx: 2, ny: 2, nz: 2, mode: 2, values, mapStamp: '\0\0\0\0' }), 'old.map');
  sameValues(exact.volume.data, values, 'old-style');
  assert.match(exact.warnings.join('\n'), /no 'MAP ' identifier/);

  expectError(
    buildMrc({ nx: 2, ny: 2, nz: 2, mode: 2, values, mapStamp: 'XYZ ', trailing: new Uint8Array(4) }),
    /no 'MAP ' identifier and the file is 1060 bytes, not the 1056 its header describes/,
  );
  const garbage = new Uint8Array(2048).map((_, i) => (i * 37 + 11) & 0xff);
  expectError(garbage, /not an MRC\/CCP4 map \(no 'MAP ' identifier/);
});

test('bytes after the data are ignored with a warning', () => {
  const values = new Float32Array(8).fill(2);
  const map = decodeMrc(buildMrc({ nx: 2, ny: 2, nz: 2, mode: 2, values, trailing: new Uint8Array(10) }), 't.mrc');
  sameValues(map.volume.data, values, 'trailing');
  assert.deepEqual(map.warnings, ['t.mrc: 10 bytes after the map data were ignored']);
});

test('errors: empty, too short, truncated body or extended header', () => {
  expectError(new Uint8Array(0), /^map\.mrc: file is empty$/);
  expectError(new Uint8Array(500), /file is 500 bytes, shorter than the 1024-byte MRC header; it is not a map or it is truncated$/);

  const full = buildMrc({ nx: 64, ny: 64, nz: 64, mode: 2, values: new Float32Array(64 ** 3) });
  assert.equal(
    expectError(full.subarray(0, 1000), /./, '1tii.mrc'),
    '1tii.mrc: file is 1000 bytes, shorter than the 1024-byte MRC header; it is not a map or it is truncated',
  );
  assert.equal(
    expectError(full.subarray(0, 2000), /./, '1tii.mrc'),
    '1tii.mrc: file is 2000 bytes but its header describes 64x64x64 float32 voxels (1049600 bytes); the file is truncated',
  );
  expectError(full.subarray(0, full.length - 1), /file is 1049599 bytes but .* the file is truncated$/);

  const withExtended = buildMrc({ nx: 2, ny: 2, nz: 2, mode: 6, values: new Uint16Array(8), extendedHeader: new Uint8Array(4000) });
  expectError(
    withExtended.subarray(0, 3000),
    /file is 3000 bytes but its header describes 2x2x2 uint16 voxels \(5040 bytes, including a 4000-byte extended header\); the file is truncated$/,
  );

  // The stream decoder says the same when it only learns the length at the end.
  const decoder = new MrcStreamDecoder('z.mrc.gz', { compressed: true });
  decoder.push(full.subarray(0, 5000));
  assert.throws(() => decoder.finish(), (e: Error) => e instanceof MapFormatError && /decompressed file is 5000 bytes but/.test(e.message));
});

function withWord(bytes: Uint8Array, word: number, value: number, kind: 'int' | 'float' = 'int'): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (kind === 'int') view.setInt32(4 * (word - 1), value, true);
  else view.setFloat32(4 * (word - 1), value, true);
  return copy;
}

test('errors: modes, dimensions, sizes, axis order, cell, extended header length', () => {
  const base = buildMrc({ nx: 4, ny: 4, nz: 4, mode: 2, values: new Float32Array(64) });
  expectError(withWord(base, 4, 5), /unknown data mode 5; the file is damaged or not a map \(readable modes are 0 \(8-bit integer\), 1 \(16-bit integer\), 2 \(32-bit float\), 6 \(16-bit unsigned integer\), 12 \(16-bit float\)\)$/);
  expectError(withWord(base, 4, 4), /data mode 4 \(complex 32-bit floats, i\.e\. a Fourier transform\) cannot be read/);
  expectError(withWord(base, 2, 0), /map size of 4x0x4 voxels; every dimension must be at least 1/);
  expectError(withWord(base, 3, -4), /map size of 4x4x-4 voxels/);
  const huge = withWord(withWord(withWord(base, 1, 5000), 2, 5000), 3, 5000);
  assert.equal(
    expectError(huge, /./),
    'map.mrc: the header describes 5000x5000x5000 voxels, which would need 466 GiB of memory as float32; at most 4294967296 voxels (16.0 GiB) can be loaded, so crop or bin the map first, or the header is damaged',
  );
  assert.throws(() => decodeMrc(base, 'small.mrc', { maxVoxels: 63 }), /at most 63 voxels/);
  expectError(withWord(base, 24, -8), /extended header size \(nsymbt\) is negative \(-8\)/);
  expectError(withWord(base, 24, 2 ** 30), /the file is truncated$/);
  expectError(withWord(base, 18, 1), /axis order \(mapc, mapr, maps\) = \(1, 1, 3\) is not an arrangement of 1, 2, 3/);
  expectError(withWord(base, 12, -3, 'float'), /the cell size along y is -3 Å; the header is damaged/);
  expectError(withWord(base, 13, NaN, 'float'), /the cell size along z is NaN Å/);

  const unsetAxes = decodeMrc(withWord(withWord(withWord(base, 17, 0), 18, 0), 19, 0), 'a.mrc');
  assert.deepEqual(unsetAxes.geometry.axisOrder, [1, 2, 3]);
  assert.match(unsetAxes.warnings[0], /axis order .* is not set/);
});

test('errors: compressed, text and other non-map files are named for what they are', () => {
  const gzip = new Uint8Array(2000);
  gzip.set([0x1f, 0x8b, 0x08, 0x00]);
  expectError(gzip, /file is gzip-compressed; decompress it first/);
  const bzip = new Uint8Array(2000);
  bzip.set([0x42, 0x5a, 0x68, 0x39]);
  expectError(bzip, /file is bzip2-compressed/);
  const pdb = new TextEncoder().encode('HEADER    TOXIN                                   05-MAR-97   1TII\n'.repeat(40));
  expectError(pdb, /file is text \(an atomic model or a script\?\), not an MRC\/CCP4 map$/);
});

// ---- encoding -------------------------------------------------------------------------------------------

/** Header fields read back with a plain DataView, independently of the decoder. */
function readBack(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const i = (word: number) => view.getInt32(4 * (word - 1), true);
  const f = (word: number) => view.getFloat32(4 * (word - 1), true);
  const text = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  return {
    n: [i(1), i(2), i(3)],
    mode: i(4),
    start: [i(5), i(6), i(7)],
    sampling: [i(8), i(9), i(10)],
    cell: [f(11), f(12), f(13)],
    angles: [f(14), f(15), f(16)],
    axes: [i(17), i(18), i(19)],
    dmin: f(20),
    dmax: f(21),
    dmean: f(22),
    ispg: i(23),
    nsymbt: i(24),
    exttyp: [...bytes.subarray(104, 108)],
    nversion: i(28),
    origin: [f(50), f(51), f(52)],
    map: text(208, 212),
    machst: [...bytes.subarray(212, 216)],
    rms: f(55),
    nlabl: i(56),
    labels: Array.from({ length: 10 }, (_, k) => text(224 + 80 * k, 304 + 80 * k)),
  };
}

test('encodeMrc writes an MRC2014 float32 little-endian header with correct statistics', () => {
  const random = mulberry32(5);
  const [nz, ny, nx] = [2, 3, 5];
  const data = new Float32Array(nz * ny * nx).map(() => Math.fround(random() * 10 - 3));
  const geometry: MapGeometry = { voxelSize: [1.25, 0.5, 2], origin: [1, 2, 3], start: [-2, 0, 7], axisOrder: [2, 3, 1], sampling: [0, 0, 0] };
  const bytes = encodeMrc(createVolume(nz, ny, nx, data), geometry, { labels: ['Created using occupy', 'ünïcode'] });
  const h = readBack(bytes);
  assert.equal(bytes.length, 1024 + 4 * data.length);
  assert.deepEqual(h.n, [5, 3, 2]);
  assert.equal(h.mode, 2);
  assert.deepEqual(h.start, [-2, 0, 7]);
  // Columns (5) run along y, rows (3) along z, sections (2) along x.
  assert.deepEqual(h.sampling, [2, 5, 3]);
  assert.deepEqual(h.cell, [2 * 1.25, 5 * 0.5, 3 * 2]);
  assert.deepEqual(h.angles, [90, 90, 90]);
  assert.deepEqual(h.axes, [2, 3, 1]);
  assert.equal(h.ispg, 1);
  assert.equal(h.nsymbt, 0);
  assert.deepEqual(h.exttyp, [0, 0, 0, 0]);
  assert.equal(h.nversion, 20140);
  assert.deepEqual(h.origin, [1, 2, 3]);
  assert.equal(h.map, 'MAP ');
  assert.deepEqual(h.machst, [0x44, 0x44, 0, 0]);
  assert.equal(h.nlabl, 2);
  assert.equal(h.labels[0], 'Created using occupy'.padEnd(80));
  assert.equal(h.labels[1], '?n?code'.padEnd(80));
  assert.equal(h.labels[2], '\0'.repeat(80));

  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  const mean = sum / data.length;
  const rms = Math.sqrt(data.reduce((s, v) => s + (v - mean) ** 2, 0) / data.length);
  assert.equal(h.dmin, min);
  assert.equal(h.dmax, max);
  assert.equal(h.dmean, Math.fround(mean));
  assert.equal(h.rms, Math.fround(rms));
  const body = new DataView(bytes.buffer, 1024);
  for (let k = 0; k < data.length; k++) assert.equal(body.getFloat32(4 * k, true), data[k]);

  const back = decodeMrc(bytes, 'out.mrc');
  sameValues(back.volume.data, data, 'round trip');
  assert.deepEqual(back.geometry, {
    voxelSize: [1.25, 0.5, 2],
    origin: [1, 2, 3],
    start: [-2, 0, 7],
    axisOrder: [2, 3, 1],
    sampling: [2, 5, 3],
  });
  assert.deepEqual(back.warnings, []);
});

test('encodeMrc marks statistics undetermined when values are not finite, and refuses bad geometry', () => {
  const data = new Float32Array([1, NaN, 3, 4, 5, 6, 7, 8]);
  const h = readBack(encodeMrc(createVolume(2, 2, 2, data), { voxelSize: [1, 1, 1], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [2, 2, 2] }));
  assert.ok(h.dmax < h.dmin && h.dmean < h.dmin && h.rms < 0);
  const volume = createVolume(2, 2, 2);
  const good: MapGeometry = { voxelSize: [1, 1, 1], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [2, 2, 2] };
  assert.throws(() => encodeMrc(volume, { ...good, axisOrder: [1, 1, 3] }), RangeError);
  assert.throws(() => encodeMrc(volume, { ...good, start: [0.5, 0, 0] }), RangeError);
  assert.throws(() => encodeMrc(volume, { ...good, voxelSize: [NaN, 1, 1] }), RangeError);
  assert.throws(() => encodeMrc(volume, good, { labels: Array(11).fill('x') }), RangeError);
});

test('encodeMrc header extremes: a zero extreme keeps the sign of the first zero, as a first-wins scan', () => {
  const geometry: MapGeometry = { voxelSize: [1, 1, 1], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [2, 2, 2] };
  const signOf = (bytes: Uint8Array, word: number) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(4 * (word - 1), true) >>> 31;
  for (const values of [
    [1, 2, -0, 0, 5, 6, 7, 8],
    [1, 2, 0, -0, 5, 6, 7, 8],
    [-1, -2, -0, 0, -5, -6, -7, -8],
    [-1, -2, 0, -0, -5, -6, -7, -8],
  ]) {
    const bytes = encodeMrc(createVolume(2, 2, 2, new Float32Array(values)), geometry);
    // The reference: the first-wins scan.
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    assert.equal(signOf(bytes, 20), Object.is(min, -0) || min < 0 ? 1 : 0, `dmin of ${values}`);
    assert.equal(signOf(bytes, 21), Object.is(max, -0) || max < 0 ? 1 : 0, `dmax of ${values}`);
  }
});

// ---- geometry at another box size -----------------------------------------------------------------------

test('geometryForBox scales voxel size by n_in / n_out and start by n_out / n_in (ties to even), per axis', () => {
  const input: MapGeometry = { voxelSize: [1.1, 1.1, 1.1], origin: [5, 6, 7], start: [-33, 10, 0], axisOrder: [1, 2, 3], sampling: [96, 96, 96] };
  const out = geometryForBox(input, [96, 96, 96], [64, 64, 64]);
  assert.deepEqual(out.voxelSize, [1.1 * 1.5, 1.1 * 1.5, 1.1 * 1.5]);
  // -33 * 64/96 = -22 exactly; 10 * 64/96 = 6.67 -> 7.
  assert.deepEqual(out.start, [-22, 7, 0]);
  assert.deepEqual(out.origin, [5, 6, 7]);
  assert.deepEqual(out.axisOrder, [1, 2, 3]);
  assert.deepEqual(out.sampling, [64, 64, 64]);
  assert.deepEqual(input.start, [-33, 10, 0], 'input untouched');

  // Ties (x.5) go to the even neighbour, as Python's round() in the reference.
  const ties = geometryForBox({ ...input, start: [1, 3, -3] }, [4, 4, 4], [2, 2, 2]);
  assert.deepEqual(ties.start, [0, 2, -2]);
  assert.ok(!Object.is(geometryForBox({ ...input, start: [-1, 0, 0] }, [4, 4, 4], [1, 1, 1]).start[0], -0));
});

test('geometryForBox follows the axis order: each file axis scales the spatial axis it maps to', () => {
  // Columns along z (4 -> 4), rows along x (6 -> 3), sections along y (8 -> 2).
  const input: MapGeometry = { voxelSize: [1, 2, 3], origin: [0, 0, 0], start: [8, 6, 8], axisOrder: [3, 1, 2], sampling: [6, 8, 4] };
  const out = geometryForBox(input, [8, 6, 4], [2, 3, 4]);
  assert.deepEqual(out.voxelSize, [1 * 2, 2 * 4, 3 * 1]);
  assert.deepEqual(out.start, [8, 3, 2]);
  assert.deepEqual(out.sampling, [3, 2, 4]);
  // The physical extent of every file axis is unchanged, so the output overlays the input.
  const extent = (g: MapGeometry, box: number[]) => [0, 1, 2].map((f) => g.voxelSize[g.axisOrder[f] - 1] * box[2 - f]);
  assert.deepEqual(extent(out, [2, 3, 4]), extent(input, [8, 6, 4]));
});

test("the test builder's file sizes agree with the decoder for every mode", () => {
  // Guards the builder itself against drift from the decoder's idea of mode sizes.
  for (const mode of MODES) {
    const bytes = buildMrc({ nx: 3, ny: 1, nz: 1, mode, values: [0, 0, 0] });
    assert.equal(bytes.length, 1024 + 3 * bytesPerVoxelOf(mode));
    assert.doesNotThrow(() => decodeMrc(bytes, 'b.mrc'));
  }
});

test('mode 0 bytes are read as signed; an IMOD stamp whose flags say unsigned is warned about, not followed', () => {
  const values = new Float32Array([-128, -1, 0, 1, 127, 5, -5, 100]);
  const withFlags = (stamp: number, flags: number) => {
    const bytes = buildMrc({ nx: 2, ny: 2, nz: 2, mode: 0, values });
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setInt32(152, stamp, true); // word 39: imodStamp
    view.setInt32(156, flags, true); // word 40: imodFlags, bit 0 = signed bytes
    return decodeMrc(bytes, 'bytes.mrc');
  };
  const unsignedByImod = withFlags(1146047817, 0);
  assert.deepEqual([...unsignedByImod.volume.data], [...values]);
  assert.equal(unsignedByImod.warnings.length, 1);
  assert.match(unsignedByImod.warnings[0], /^bytes\.mrc: the header's IMOD flags say its bytes are unsigned \(0 to 255\); read as signed/);
  for (const [stamp, flags] of [[1146047817, 1], [0, 0], [0, 1]]) {
    const map = withFlags(stamp, flags);
    assert.deepEqual([...map.volume.data], [...values]);
    assert.deepEqual(map.warnings, [], `stamp ${stamp}, flags ${flags}`);
  }
});

/** A plane source over `volume`'s values that counts the planes it is asked for. */
function countingSource(volume: { nz: number; ny: number; nx: number; data: Float32Array }) {
  const source = {
    nz: volume.nz,
    ny: volume.ny,
    nx: volume.nx,
    planesMade: 0,
    fillPlanes(first: number, into: Float32Array) {
      const plane = volume.ny * volume.nx;
      into.set(volume.data.subarray(first * plane, first * plane + into.length));
      source.planesMade += into.length / plane;
    },
  };
  return source;
}

/** Runs `writeMrcAsMade` into memory, the writes finishing in a shuffled order; gives the file's bytes. */
async function writtenAsMade(volume: ReturnType<typeof createVolume>, geometry: MapGeometry, options: { labels?: string[] }, pieceBytes: number) {
  const bytes = new Uint8Array(1024 + 4 * volume.data.length).fill(0xee);
  let delay = 0;
  const source = countingSource(volume);
  await writeMrcAsMade(
    source,
    geometry,
    options,
    async (part, position) => {
      const copy = part.slice(); // as a write takes the bytes when it runs
      await new Promise((resolve) => setTimeout(resolve, (delay = (delay + 3) % 5)));
      bytes.set(copy, position);
    },
    pieceBytes,
  );
  return { bytes, planesMade: source.planesMade };
}

test('writeMrcAsMade writes the bytes of encodeMrc a piece at a time, header last; the planes made twice (two passes)', async () => {
  const random = mulberry32(9);
  const geometry: MapGeometry = { voxelSize: [1.25, 0.5, 2], origin: [1, 2, 3], start: [-2, 0, 7], axisOrder: [2, 3, 1], sampling: [0, 0, 0] };
  for (const [nz, ny, nx] of [[7, 3, 5], [1, 4, 4], [12, 1, 3]] as const) {
    const volume = createVolume(nz, ny, nx, new Float32Array(nz * ny * nx).map(() => Math.fround((random() - 0.3) * 10 ** Math.floor(random() * 8 - 4))));
    const want = encodeMrc(volume, geometry, { labels: ['a label'] });
    // Pieces of one plane, of two (the last one shorter), of the whole map.
    for (const pieceBytes of [1, 4 * ny * nx * 2, 1e9]) {
      const { bytes, planesMade } = await writtenAsMade(volume, geometry, { labels: ['a label'] }, pieceBytes);
      assert.deepEqual(bytes, want, `${nz}x${ny}x${nx} in pieces of ${pieceBytes} bytes`);
      assert.equal(planesMade, 2 * nz);
    }
  }
  // Values that leave the statistics undetermined: one pass only, and the header says so as encodeMrc's does.
  const withNaN = createVolume(2, 2, 2, new Float32Array([1, NaN, 3, 4, 5, 6, 7, 8]));
  const plain: MapGeometry = { voxelSize: [1, 1, 1], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [2, 2, 2] };
  const { bytes, planesMade } = await writtenAsMade(withNaN, plain, {}, 16);
  assert.deepEqual(bytes, encodeMrc(withNaN, plain));
  assert.equal(planesMade, 2);
  await assert.rejects(writeMrcAsMade(countingSource(withNaN), { ...plain, axisOrder: [1, 1, 3] }, {}, async () => {}), RangeError);
});

test('writeMrcAsMade: a failed write fails it, after the writes under way have ended, and nothing more is written', async () => {
  const volume = createVolume(6, 2, 2, Float32Array.from({ length: 24 }, (_, i) => i));
  const plain: MapGeometry = { voxelSize: [1, 1, 1], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [2, 2, 6] };
  const positions: number[] = [];
  let underWay = 0;
  let endedAfterFailure = false;
  const failure = writeMrcAsMade(
    countingSource(volume),
    plain,
    {},
    async (_, position) => {
      positions.push(position);
      underWay++;
      await new Promise((resolve) => setTimeout(resolve, position === 1024 ? 1 : 5));
      underWay--;
      if (position === 1024) throw new Error('disk full');
    },
    16,
  );
  await assert.rejects(
    failure.then(undefined, (error) => {
      endedAfterFailure = underWay === 0;
      throw error;
    }),
    /disk full/,
  );
  assert.ok(endedAfterFailure, 'no write is under way when it fails');
  assert.deepEqual(positions, [1024, 1040], 'the pieces after the failed one are not written, nor the header');
});

test('writeMrcAsMade: a write that fails while the other piece is awaited fails it too, without an unhandled rejection', async () => {
  const volume = createVolume(6, 2, 2, Float32Array.from({ length: 24 }, (_, i) => i));
  const plain: MapGeometry = { voxelSize: [1, 1, 1], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [2, 2, 6] };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    // The first piece's write is slow and succeeds; the second's fails at once, while the first is awaited.
    const failure = writeMrcAsMade(
      countingSource(volume),
      plain,
      {},
      async (_, position) => {
        if (position === 1024) await new Promise((resolve) => setTimeout(resolve, 20));
        else throw new Error('disk full');
      },
      16,
    );
    await assert.rejects(failure, /disk full/);
    await new Promise((resolve) => setTimeout(resolve, 10)); // unhandled rejections are reported after a turn
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
