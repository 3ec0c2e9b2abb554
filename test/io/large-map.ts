/**
 * Test helper: writes a large synthetic float32 MRC map plane by plane (memory: one plane), so the large-map
 * tests and measurements need no multi-GB fixture. Content: Gaussian blobs of different heights (a "molecule"
 * with partial occupancy) on white noise — enough structure for a solvent model and a scale.
 */
import { open } from 'node:fs/promises';
import { encodeMrcHeader } from '../../src/format/mrc-format.js';
import { createVolume } from '../../src/core/volume.js';

export async function writeSyntheticMap(file: string, shape: [number, number, number], voxelSize = 1, seed = 1): Promise<void> {
  const [nz, ny, nx] = shape;
  // Header from the encoder (its statistics are for a one-voxel stand-in; nothing reads them).
  const header = encodeMrcHeader(createVolume(1, 1, 1), {
    voxelSize: [voxelSize, voxelSize, voxelSize],
    origin: [0, 0, 0],
    start: [0, 0, 0],
    axisOrder: [1, 2, 3],
    sampling: [nx, ny, nz],
  });
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  [nx, ny, nz].forEach((n, i) => {
    view.setInt32(4 * i, n, true); // nx, ny, nz
    view.setInt32(28 + 4 * i, n, true); // mx, my, mz
    view.setFloat32(40 + 4 * i, n * voxelSize, true); // cell
  });

  let state = seed >>> 0 || 1;
  const uniform = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  // Blobs: centres within the middle half of the box, radius ~ 1/12 of the smallest edge, heights 1 … 0.3.
  const edge = Math.min(nz, ny, nx);
  const blobs = Array.from({ length: 8 }, (_, b) => {
    const c = [nz, ny, nx].map((n) => n * (0.3 + 0.4 * uniform()));
    const sigma = edge / 12;
    const profile = (n: number, centre: number) => Float32Array.from({ length: n }, (_, i) => Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma)));
    return { height: b < 4 ? 1 : 0.3 + 0.1 * (b - 4), z: profile(nz, c[0]), y: profile(ny, c[1]), x: profile(nx, c[2]) };
  });
  const handle = await open(file, 'w');
  try {
    await handle.write(header);
    const plane = new Float32Array(ny * nx);
    const bytes = new Uint8Array(plane.buffer);
    for (let z = 0; z < nz; z++) {
      for (let i = 0; i < plane.length; i++) plane[i] = 0.05 * (uniform() + uniform() + uniform() - 1.5);
      for (const blob of blobs) {
        const hz = blob.height * blob.z[z];
        if (hz < 1e-4) continue;
        for (let y = 0; y < ny; y++) {
          const hy = hz * blob.y[y];
          if (hy < 1e-4) continue;
          const row = y * nx;
          for (let x = 0; x < nx; x++) plane[row + x] += hy * blob.x[x];
        }
      }
      await handle.write(bytes);
    }
  } finally {
    await handle.close();
  }
}
