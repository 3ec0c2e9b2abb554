/** Checks on input values that the format layer cannot make. */
import type { Volume } from '../core/volume.js';
import { UserError } from './errors.js';

/** Refuses NaN or infinite values, saying how many and where the first is (x, y, z in file order). */
export function checkFinite(volume: Volume, name: string): void {
  const { data, ny, nx } = volume;
  let count = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count === 0) return;
  const x = first % nx;
  const y = Math.floor(first / nx) % ny;
  const z = Math.floor(first / (nx * ny));
  throw new UserError(
    `${name}: ${count} voxel${count > 1 ? 's are' : ' is'} NaN or infinite (first at column ${x}, row ${y}, section ${z}); fix the map or use --replace-non-finite.`,
  );
}
