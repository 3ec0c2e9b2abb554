/**
 * Fuzzing the MRC reader: thousands of valid maps mutated and truncated (headers and bodies), from a fixed
 * seed. Every outcome must be either a correct read — checked against an independent decode of the bytes in
 * the byte order and layout the reader reports — or the reader's own MapFormatError with a one-line message
 * naming the file. Never a RangeError, TypeError or any other exception, never a hang, never a huge allocation
 * for a short file. The same bytes are also decoded in random pieces (the streaming path) and, for a share of
 * them, gzip-compressed from disk, with the same outcome.
 *
 * Reproducing a failure: the assertion message carries the case number; `FUZZ_CASE=<n>` runs only that case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { MapFormatError, MrcStreamDecoder, decodeMrc, type MapFile } from '../../src/format/mrc-format.js';
import { readMapFile } from '../../src/io/map-file.js';
import { buildMrc, valuesForMode } from '../format/mrc-builder.js';
import { mulberry32 } from '../../src/synthetic/random.js';

const CASES = Number(process.env.FUZZ_CASES ?? 20000);
const ONLY = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
const FILE = 'fuzz.mrc';

// ---------------------------------------------------------------------------------------------------------
// Independent decoding (the oracle)

/** binary16 → number by assembling the float32 bit pattern (a different route from src/format/float16.ts). */
function halfToNumber(bits: number): number {
  const sign = (bits & 0x8000) << 16;
  let exponent = (bits >> 10) & 0x1f;
  let mantissa = bits & 0x3ff;
  let word: number;
  if (exponent === 31) word = sign | 0x7f800000 | (mantissa << 13);
  else if (exponent === 0 && mantissa === 0) word = sign;
  else {
    if (exponent === 0) {
      exponent = 1;
      while ((mantissa & 0x400) === 0) {
        mantissa <<= 1;
        exponent--;
      }
      mantissa &= 0x3ff;
    }
    word = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  }
  return new Float32Array(new Uint32Array([word >>> 0]).buffer)[0];
}

const BYTES_PER_VOXEL: Record<number, number> = { 0: 1, 1: 2, 2: 4, 6: 2, 12: 2 };

function voxelAt(view: DataView, mode: number, offset: number, le: boolean): number {
  switch (mode) {
    case 0:
      return view.getInt8(offset);
    case 1:
      return view.getInt16(offset, le);
    case 2:
      return view.getFloat32(offset, le);
    case 6:
      return view.getUint16(offset, le);
    case 12:
      return halfToNumber(view.getUint16(offset, le));
    default:
      throw new Error(`oracle: mode ${mode}`);
  }
}

/** A successful read must be what the bytes say in the layout the reader reports. Returns a problem or undefined. */
function checkRead(bytes: Uint8Array, map: MapFile): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = map.littleEndian;
  const word = (n: number) => view.getInt32(4 * (n - 1), le);
  const { nx, ny, nz, data } = map.volume;
  if (word(1) !== nx || word(2) !== ny || word(3) !== nz) return `dims ${nx}x${ny}x${nz} are not the header's`;
  if (word(4) !== map.mode) return `mode ${map.mode} is not the header's ${word(4)}`;
  if (!(map.mode in BYTES_PER_VOXEL)) return `mode ${map.mode} read`;
  if (!(nx >= 1 && ny >= 1 && nz >= 1)) return 'non-positive dimension read';
  if (data.length !== nx * ny * nz) return 'data length';
  const ext = word(24);
  if (ext !== map.extendedHeaderBytes || ext < 0) return `extended header ${map.extendedHeaderBytes} vs ${ext}`;
  const bpv = BYTES_PER_VOXEL[map.mode];
  const start = 1024 + ext;
  if (bytes.length < start + data.length * bpv) return 'read past the end';
  for (let i = 0; i < data.length; i++) {
    const expected = voxelAt(view, map.mode, start + i * bpv, le);
    const got = data[i];
    if (!(Object.is(got, Math.fround(expected)) || (Number.isNaN(got) && Number.isNaN(expected)))) {
      return `voxel ${i}: ${got}, the bytes say ${expected}`;
    }
  }
  if (!map.geometry.axisOrder.every((a) => a === 1 || a === 2 || a === 3)) return 'axis order';
  if (!map.geometry.voxelSize.every((v) => Number.isFinite(v) && v >= 0)) return `voxel size ${map.geometry.voxelSize}`;
  if (!map.geometry.origin.every(Number.isFinite)) return 'origin';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Inputs and mutations

type Outcome = { ok: true; map: MapFile } | { ok: false; message: string };

function attempt(read: () => MapFile): Outcome {
  try {
    return { ok: true, map: read() };
  } catch (error) {
    if (!(error instanceof MapFormatError)) throw error; // the failure the fuzz test is looking for
    return { ok: false, message: error.message };
  }
}

function baseFile(random: () => number): Uint8Array {
  const modes = [0, 1, 2, 6, 12];
  const mode = modes[Math.floor(random() * modes.length)];
  const nx = 1 + Math.floor(random() * 7);
  const ny = 1 + Math.floor(random() * 6);
  const nz = 1 + Math.floor(random() * 5);
  const littleEndian = random() < 0.7;
  const ext = random() < 0.25 ? new Uint8Array(Math.floor(random() * 200)).map(() => Math.floor(random() * 256)) : undefined;
  const oldStyle = random() < 0.1;
  const axisOrders: [number, number, number][] = [[1, 2, 3], [3, 2, 1], [2, 3, 1]];
  return buildMrc({
    nx,
    ny,
    nz,
    mode,
    littleEndian,
    values: valuesForMode(mode, nx * ny * nz, random),
    extendedHeader: ext,
    axisOrder: axisOrders[Math.floor(random() * axisOrders.length)],
    origin: [random() * 100 - 50, 0, 3.5],
    start: [Math.floor(random() * 20) - 10, 0, 4],
    cell: [nx * 1.5, ny * 1.5, nz * 1.5],
    labels: random() < 0.5 ? ['fuzz base'] : [],
    mapStamp: oldStyle ? '\0\0\0\0' : 'MAP ',
    machineStamp: oldStyle ? [0, 0, 0, 0] : undefined,
  });
}

const INTERESTING_INTS = [0, 1, -1, 2, 3, 4, 6, 7, 12, 101, 255, 1024, 65535, 2 ** 24, 2 ** 24 + 1, 2 ** 31 - 1, -(2 ** 31), 1 << 16, 100000];
const INTERESTING_FLOAT_BITS = [0x7fc00000, 0x7f800000, 0xff800000, 0x80000000, 0x3f800000, 0xbf800000, 0x00000001, 0x7f7fffff];
/** Header words that matter most: dims, mode, start, sampling, cell, angles, axis order, nsymbt, origin, nlabl. */
const KEY_WORDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 23, 24, 28, 50, 51, 52, 56];

function mutate(original: Uint8Array, random: () => number): { bytes: Uint8Array; what: string } {
  let bytes = Uint8Array.from(original);
  const view = () => new DataView(bytes.buffer);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const steps: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let s = 0; s < count; s++) {
    const kind = Math.floor(random() * 9);
    const le = random() < 0.5;
    switch (kind) {
      case 0: {
        // random header bytes
        const n = 1 + Math.floor(random() * 8);
        for (let i = 0; i < n; i++) bytes[Math.floor(random() * Math.min(1024, bytes.length))] = Math.floor(random() * 256);
        steps.push(`${n} header bytes`);
        break;
      }
      case 1: {
        const w = pick(KEY_WORDS);
        const v = pick(INTERESTING_INTS);
        if (4 * w <= bytes.length) view().setInt32(4 * (w - 1), v, le);
        steps.push(`word ${w} = ${v}`);
        break;
      }
      case 2: {
        const w = pick([11, 12, 13, 14, 15, 16, 20, 21, 22, 50, 51, 52, 55]);
        const bits = pick(INTERESTING_FLOAT_BITS);
        if (4 * w <= bytes.length) view().setUint32(4 * (w - 1), bits, le);
        steps.push(`float word ${w} = 0x${bits.toString(16)}`);
        break;
      }
      case 3: {
        const stamps = ['MAP ', 'MAP\0', 'PAM ', '\0\0\0\0', 'map '];
        const stamp = pick(stamps);
        const machine = pick([[0x44, 0x44, 0, 0], [0x44, 0x41, 0, 0], [0x11, 0x11, 0, 0], [0, 0, 0, 0], [0x17, 0x17, 0, 0]]);
        if (bytes.length >= 216) {
          for (let i = 0; i < 4; i++) bytes[208 + i] = stamp.charCodeAt(i);
          bytes.set(machine, 212);
        }
        steps.push(`stamps '${stamp}' ${machine}`);
        break;
      }
      case 4: {
        const at = Math.floor(random() * (bytes.length + 1));
        bytes = bytes.slice(0, at);
        steps.push(`truncated to ${at}`);
        break;
      }
      case 5: {
        const extra = new Uint8Array(1 + Math.floor(random() * 64)).map(() => Math.floor(random() * 256));
        const grown = new Uint8Array(bytes.length + extra.length);
        grown.set(bytes);
        grown.set(extra, bytes.length);
        bytes = grown;
        steps.push(`${extra.length} bytes appended`);
        break;
      }
      case 6: {
        // body bytes
        const n = 1 + Math.floor(random() * 16);
        for (let i = 0; i < n && bytes.length > 1024; i++) bytes[1024 + Math.floor(random() * (bytes.length - 1024))] = Math.floor(random() * 256);
        steps.push(`${n} body bytes`);
        break;
      }
      case 7: {
        // nsymbt against the real length: just over, just under, far over
        const real = bytes.length - 1024;
        const v = pick([real, real + 1, real - 1, real * 4, 1 << 30]);
        if (bytes.length >= 96) view().setInt32(92, v, le);
        steps.push(`nsymbt = ${v}`);
        break;
      }
      default: {
        // whole-word swaps: a header in the other byte order, partly
        const w = pick(KEY_WORDS);
        if (4 * w <= bytes.length) bytes.subarray(4 * (w - 1), 4 * w).reverse();
        steps.push(`word ${w} byte-swapped`);
      }
    }
  }
  return { bytes, what: steps.join(', ') };
}

/** The bytes decoded in random pieces by the streaming decoder (as a plain file of known length is read). */
function decodeInPieces(bytes: Uint8Array, random: () => number): MapFile {
  const decoder = new MrcStreamDecoder(FILE, { totalBytes: bytes.length });
  for (let offset = 0; offset < bytes.length; ) {
    const size = 1 + Math.floor(random() * (random() < 0.5 ? 7 : 600));
    decoder.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return decoder.finish();
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.ok !== b.ok) return false;
  if (!a.ok || !b.ok) return true;
  const x = a.map.volume.data;
  const y = b.map.volume.data;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!(Object.is(x[i], y[i]) || (Number.isNaN(x[i]) && Number.isNaN(y[i])))) return false;
  return a.map.littleEndian === b.map.littleEndian && a.map.mode === b.map.mode;
}

// ---------------------------------------------------------------------------------------------------------

test(`fuzz: ${CASES} mutated and truncated maps decode correctly or fail with the reader's own one-line error`, (t) => {
  const tally = { read: 0, refused: 0, reasons: new Map<string, number>() };
  for (let n = 0; n < CASES; n++) {
    const caseRandom = mulberry32(1000003 * n + 17);
    const base = baseFile(caseRandom);
    const { bytes, what } = n % 10 === 0 ? { bytes: base, what: 'unmutated' } : mutate(base, caseRandom);
    if (ONLY !== undefined && n !== ONLY) continue;
    const label = `case ${n} (${what})`;
    let whole: Outcome;
    let pieces: Outcome;
    try {
      whole = attempt(() => decodeMrc(bytes, FILE));
      pieces = attempt(() => decodeInPieces(bytes, caseRandom));
    } catch (error) {
      assert.fail(`${label}: ${(error as Error).name}: ${(error as Error).message}`);
    }
    if (whole.ok) {
      const problem = checkRead(bytes, whole.map);
      assert.equal(problem, undefined, `${label}: wrong read: ${problem}`);
      tally.read++;
    } else {
      assert.ok(whole.message.startsWith(`${FILE}: `), `${label}: the message names the file: ${whole.message}`);
      assert.ok(!whole.message.includes('\n'), `${label}: one line`);
      assert.ok(!/undefined|NaN undefined|\[object/.test(whole.message), `${label}: ${whole.message}`);
      tally.refused++;
      const reason = whole.message.slice(FILE.length + 2).replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, '#').slice(0, 60);
      tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
    }
    assert.ok(sameOutcome(whole, pieces), `${label}: decoding in pieces gives another outcome`);
  }
  if (ONLY === undefined) {
    // The mutations reach both outcomes and many distinct refusals (so the fuzzing is not trivially one-sided).
    assert.ok(tally.read > CASES * 0.15, `reads: ${tally.read}`);
    assert.ok(tally.refused > CASES * 0.3, `refusals: ${tally.refused}`);
    assert.ok(tally.reasons.size >= 12, `distinct refusals: ${[...tally.reasons.keys()].join(' | ')}`);
    t.diagnostic(`${tally.read} read correctly, ${tally.refused} refused with ${tally.reasons.size} distinct messages`);
  }
});

test('fuzz: gzip-compressed mutated maps and damaged gzip streams, read from disk, give the same outcomes', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'occupy-fuzz-'));
  try {
    const count = Math.max(50, Math.floor(CASES / 40));
    let damagedRefused = 0;
    for (let n = 0; n < count; n++) {
      const caseRandom = mulberry32(7919 * n + 3);
      const { bytes, what } = mutate(baseFile(caseRandom), caseRandom);
      const label = `gzip case ${n} (${what})`;
      const file = path.join(dir, `m${n}.mrc.gz`);
      const plain = attempt(() => decodeMrc(bytes, file, { maxVoxels: 2 ** 20 }));
      writeFileSync(file, gzipSync(bytes));
      let fromDisk: Outcome;
      try {
        fromDisk = await readMapFile(file, { maxVoxels: 2 ** 20 }).then(
          (map): Outcome => ({ ok: true, map }),
          (error: unknown): Outcome => {
            if (!(error instanceof MapFormatError)) throw error;
            return { ok: false, message: error.message };
          },
        );
      } catch (error) {
        assert.fail(`${label}: ${(error as Error).name}: ${(error as Error).message}`);
      }
      assert.ok(sameOutcome(plain, fromDisk), `${label}: gzip gives another outcome (${plain.ok ? 'read' : plain.message} / ${fromDisk.ok ? 'read' : fromDisk.message})`);
      if (!fromDisk.ok) assert.ok(fromDisk.message.startsWith(`${file}: `) && !fromDisk.message.includes('\n'), fromDisk.message);

      // The compressed stream itself damaged: a correct read (the damage missed what gzip checks) or a refusal.
      const gz = gzipSync(buildMrc({ nx: 6, ny: 5, nz: 4, mode: 2, values: valuesForMode(2, 120, caseRandom) }));
      const damaged = Uint8Array.from(gz);
      const cut = caseRandom() < 0.3;
      if (cut) writeFileSync(file, damaged.subarray(0, Math.floor(caseRandom() * damaged.length)));
      else {
        for (let i = 0; i < 1 + Math.floor(caseRandom() * 4); i++) damaged[Math.floor(caseRandom() * damaged.length)] ^= 1 + Math.floor(caseRandom() * 255);
        writeFileSync(file, damaged);
      }
      try {
        const map = await readMapFile(file);
        assert.equal(map.volume.data.length, 120, `${label}: damaged stream read as something else`);
      } catch (error) {
        assert.ok(error instanceof MapFormatError, `${label}: damaged gzip: ${(error as Error).name}: ${(error as Error).message}`);
        assert.ok((error as Error).message.startsWith(`${file}: `) && !(error as Error).message.includes('\n'));
        damagedRefused++;
      }
    }
    assert.ok(damagedRefused > count / 2, `damaged streams refused: ${damagedRefused} of ${count}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
