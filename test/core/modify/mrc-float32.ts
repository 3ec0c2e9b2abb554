/**
 * Test helper: the voxel values of a little-endian mode-2 (float32) MRC file, enough for the fixture maps
 * (the project's MRC reader lives in src/io and is tested there).
 */
import { readFileSync } from 'node:fs';

export function readFloat32Mrc(file: string): { data: Float32Array; n: [number, number, number] } {
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nx = view.getInt32(0, true);
  const ny = view.getInt32(4, true);
  const nz = view.getInt32(8, true);
  const mode = view.getInt32(12, true);
  const extended = view.getInt32(92, true);
  if (mode !== 2 || view.getUint8(212) !== 0x44) throw new Error(`${file}: expected little-endian mode 2`);
  const offset = 1024 + extended;
  const count = nx * ny * nz;
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + 4 * i, true);
  return { data, n: [nz, ny, nx] };
}
