/**
 * METHOD.md §3: Fourier low-pass to a resolution and Fourier resampling (crop or zero-pad) of a cubic,
 * even-edged map, reproducing the reference's index ranges exactly.
 *
 * Both copy the block F[n/2-k : n/2+k, n/2-k : n/2+k, 0 : k+1] of the fftshifted rfftn spectrum with
 * k = min(ks, n/2), so along the first two axes the frequencies -k .. k-1 are kept (+k is not: the block is
 * one-sided), and along the last axis 0 .. k. Consequences worth knowing:
 * - crop to m (k = m/2 < n/2): the kept -m/2 planes and the x bin m/2 land on the Nyquist planes of the
 *   m grid; numpy irfftn takes the real part of the x Nyquist bin, as here;
 * - pad to m (k = n/2): the input's own Nyquist planes (-n/2 on z and y, n/2 on x) become ordinary,
 *   unpaired frequencies of the larger grid;
 * - low-pass: the one-sided block also cuts the sphere, so the -k planes survive where +k does not.
 * Everything is computed in float64 (the reference uses float32), and rounded to float32 once at the end.
 */
import { blockSize, forwardCentredBlock, inverseCentredBlock } from './centred-block.js';
import { cubeEdge, type Volume } from '../volume.js';

/**
 * Number of kept shells for a low-pass of an n-voxel edge with voxel size `voxelSize` to `resolution` Å:
 * floor(n * voxelSize / resolution), evaluated in float32 arithmetic like the reference (its voxel size and
 * low-pass are float32 scalars, and NumPy >= 2 keeps float32 when multiplying by the Python int n).
 * This matters only when n * voxelSize / resolution is an integer in exact arithmetic: 64 * 0.5 / 6.4
 * gives 5 in float32 but 4 in float64 (which NumPy 1.x would have used).
 */
export function keptShells(n: number, voxelSize: number, resolution: number): number {
  if (!(voxelSize > 0) || !(resolution > 0)) {
    throw new RangeError(`voxel size and resolution must be positive, got ${voxelSize} and ${resolution}`);
  }
  const f = Math.fround;
  return Math.floor(f(f(n * f(voxelSize)) / f(resolution)));
}

/**
 * Low-pass of a cubic even map to `resolution` Å (METHOD.md §3, spherical window).
 *
 * With ks = keptShells(n, voxelSize, resolution) and k = min(ks, n/2), keeps block frequency
 * (fz, fy, fx), fz, fy in [-k, k-1], fx in [0, k], when
 *   (fz + 0.5)^2 + (fy + 0.5)^2 + (fx - 0.5)^2 <= (k + 1)^2
 * (the reference's boolean sphere of radius k+1 centred at (n-1)/2, of which the last n/2+1 planes are
 * used, hence the half-voxel offsets), and returns the inverse transform at the same size.
 * The radius uses k, not ks: the reference clips ks to n/2 before building the sphere, which only matters
 * for resolutions finer than 2 voxels. ks = 0 keeps nothing and gives an all-zero map, as in the reference.
 */
export function lowpassToResolution(v: Volume, voxelSize: number, resolution: number): Volume {
  const n = evenCubeEdge(v);
  const ks = keptShells(n, voxelSize, resolution);
  const block = forwardCentredBlock(v, Math.min(ks, n / 2));
  applySphericalWindow(block.re, block.im, block.k);
  return inverseCentredBlock(block, n);
}

/**
 * Fourier crop (m < n) or zero-pad (m > n) of a cubic even map to an even edge m (METHOD.md §3, square
 * window): the centred block of half-width min(m/2, n/2) placed at the centre of the m-grid spectrum,
 * inverse transformed, and multiplied by (m/n)^3 so that values (not sums) are preserved.
 * The new voxel size is voxelSize * n / m.
 */
export function resampleCube(v: Volume, m: number): Volume {
  const n = evenCubeEdge(v);
  if (!Number.isInteger(m) || m < 2 || m % 2 !== 0) throw new RangeError(`resampled edge must be even, got ${m}`);
  const block = forwardCentredBlock(v, Math.min(m / 2, n / 2));
  return inverseCentredBlock(block, m, (m / n) ** 3);
}

/** Zeroes the block elements outside the reference's sphere of radius k + 1 (see lowpassToResolution). */
function applySphericalWindow(re: Float64Array, im: Float64Array, k: number): void {
  const width = k + 1;
  const edge = 2 * k;
  if (re.length !== blockSize(k)) throw new RangeError('block arrays do not match the half-width');
  // Doubled coordinates keep the test in exact integers: (2fz+1)^2 + (2fy+1)^2 + (2fx-1)^2 <= 4(k+1)^2.
  // (The reference compares float32 square roots; its sums lie 1/4 or more from (k+1)^2, far beyond
  // float32 rounding for any box below ~2900 voxels, so the two tests agree.)
  const limit = 4 * (k + 1) * (k + 1);
  for (let a = 0; a < edge; a++) {
    const dz = 2 * (a - k) + 1;
    for (let b = 0; b < edge; b++) {
      const dy = 2 * (b - k) + 1;
      const row = (a * edge + b) * width;
      for (let l = 0; l < width; l++) {
        const dx = 2 * l - 1;
        if (dz * dz + dy * dy + dx * dx > limit) {
          re[row + l] = 0;
          im[row + l] = 0;
        }
      }
    }
  }
}

function evenCubeEdge(v: Volume): number {
  const n = cubeEdge(v);
  if (n % 2 !== 0) throw new RangeError(`Fourier low-pass and resampling need an even box, got ${n}`);
  return n;
}
