/**
 * Test-only MRC file builder, written from the MRC2014 word table independently of src/io's encoder, so decode
 * tests do not just read back what our own encoder wrote.
 */
import { numberToFloat16Bits } from '../../src/format/float16.js';

export interface BuildOptions {
  nx: number;
  ny: number;
  nz: number;
  mode: number;
  littleEndian?: boolean;
  /** Values in file order; written in `mode` (must be representable). */
  values: ArrayLike<number>;
  start?: [number, number, number];
  sampling?: [number, number, number];
  cell?: [number, number, number];
  /** Default 90, 90, 90. */
  cellAngles?: [number, number, number];
  axisOrder?: [number, number, number];
  origin?: [number, number, number];
  extendedHeader?: Uint8Array;
  exttyp?: string;
  /** Bytes 212–215; default follows littleEndian. */
  machineStamp?: [number, number, number, number];
  /** Default 'MAP '. */
  mapStamp?: string;
  labels?: string[];
  trailing?: Uint8Array;
}

const WORD = (n: number) => 4 * (n - 1);

export function bytesPerVoxelOf(mode: number): number {
  return ({ 0: 1, 1: 2, 2: 4, 6: 2, 12: 2 } as Record<number, number>)[mode];
}

export function buildMrc(o: BuildOptions): Uint8Array {
  const le = o.littleEndian ?? true;
  const ext = o.extendedHeader ?? new Uint8Array(0);
  const bpv = bytesPerVoxelOf(o.mode) ?? 4;
  const count = o.nx * o.ny * o.nz;
  const trailing = o.trailing ?? new Uint8Array(0);
  const bytes = new Uint8Array(1024 + ext.length + count * bpv + trailing.length);
  const view = new DataView(bytes.buffer);
  const i32 = (word: number, v: number) => view.setInt32(WORD(word), v, le);
  const f32 = (word: number, v: number) => view.setFloat32(WORD(word), v, le);
  i32(1, o.nx);
  i32(2, o.ny);
  i32(3, o.nz);
  i32(4, o.mode);
  const start = o.start ?? [0, 0, 0];
  start.forEach((v, i) => i32(5 + i, v));
  const sampling = o.sampling ?? [o.nx, o.ny, o.nz];
  sampling.forEach((v, i) => i32(8 + i, v));
  const cell = o.cell ?? [o.nx, o.ny, o.nz];
  cell.forEach((v, i) => f32(11 + i, v));
  (o.cellAngles ?? [90, 90, 90]).forEach((v, i) => f32(14 + i, v));
  (o.axisOrder ?? [1, 2, 3]).forEach((v, i) => i32(17 + i, v));
  i32(23, 1);
  i32(24, ext.length);
  const exttyp = o.exttyp ?? '';
  for (let i = 0; i < exttyp.length; i++) bytes[104 + i] = exttyp.charCodeAt(i);
  i32(28, 20140);
  (o.origin ?? [0, 0, 0]).forEach((v, i) => f32(50 + i, v));
  const stamp = o.mapStamp ?? 'MAP ';
  for (let i = 0; i < stamp.length; i++) bytes[208 + i] = stamp.charCodeAt(i);
  bytes.set(o.machineStamp ?? (le ? [0x44, 0x44, 0, 0] : [0x11, 0x11, 0, 0]), 212);
  const labels = o.labels ?? [];
  i32(56, labels.length);
  labels.forEach((l, i) => {
    for (let c = 0; c < 80; c++) bytes[224 + 80 * i + c] = c < l.length ? l.charCodeAt(c) : 0x20;
  });
  bytes.set(ext, 1024);
  const body = 1024 + ext.length;
  for (let i = 0; i < count; i++) {
    const v = o.values[i];
    const at = body + bpv * i;
    switch (o.mode) {
      case 0:
        view.setInt8(at, v);
        break;
      case 1:
        view.setInt16(at, v, le);
        break;
      case 2:
        view.setFloat32(at, v, le);
        break;
      case 6:
        view.setUint16(at, v, le);
        break;
      case 12:
        view.setUint16(at, numberToFloat16Bits(v), le);
        break;
      default:
        throw new Error(`builder: mode ${o.mode}`);
    }
  }
  bytes.set(trailing, body + count * bpv);
  return bytes;
}

/** Values exactly representable in `mode`, covering its extremes. */
export function valuesForMode(mode: number, count: number, random: () => number): number[] {
  const values: number[] = [];
  const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const extremes: Record<number, number[]> = {
    0: [-128, 127, 0, -1],
    1: [-32768, 32767, 0, -1],
    2: [Math.fround(3.4e38), Math.fround(-1e-40), 0, Math.fround(1.1)],
    6: [0, 65535, 1, 32768],
    12: [65504, -65504, 2 ** -24, -0.5],
  };
  for (let i = 0; i < count; i++) {
    if (i < 4) {
      values.push(extremes[mode][i]);
      continue;
    }
    switch (mode) {
      case 0:
        values.push(pick(-128, 127));
        break;
      case 1:
        values.push(pick(-32768, 32767));
        break;
      case 2:
        values.push(Math.fround((random() - 0.5) * 1000));
        break;
      case 6:
        values.push(pick(0, 65535));
        break;
      case 12:
        // k / 64 for |k| < 2048 is exact in float16 (11-bit significand).
        values.push(pick(-2047, 2047) / 64);
        break;
    }
  }
  return values;
}
