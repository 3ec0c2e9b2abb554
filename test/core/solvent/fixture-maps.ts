/**
 * Test helper: voxel values and voxel size of the fixture MRC maps (modes 0, 1, 2, 6; either byte order),
 * enough for the solvent tests (the project's reader lives in src/io and is tested there).
 */
import { readFileSync } from 'node:fs';

export interface FixtureMap {
  data: Float32Array;
  nz: number;
  ny: number;
  nx: number;
  voxelSize: number;
}

export function readFixtureMap(file: string): FixtureMap {
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = view.getUint8(212) !== 0x11;
  const int = (o: number) => view.getInt32(o, little);
  const [nx, ny, nz, mode] = [int(0), int(4), int(8), int(12)];
  const mx = int(28);
  const cellX = view.getFloat32(40, little);
  const offset = 1024 + int(92);
  const count = nx * ny * nz;
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (mode === 0) data[i] = view.getInt8(offset + i);
    else if (mode === 1) data[i] = view.getInt16(offset + 2 * i, little);
    else if (mode === 2) data[i] = view.getFloat32(offset + 4 * i, little);
    else if (mode === 6) data[i] = view.getUint16(offset + 2 * i, little);
    else throw new Error(`${file}: mode ${mode} not handled by this test helper`);
  }
  return { data, nz, ny, nx, voxelSize: cellX / mx };
}
