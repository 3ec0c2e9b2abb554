import { lcg } from '../../random.js';

/**
 * Direct O(n^2) / O(N^2) discrete Fourier transforms by definition, the independent references for the
 * Fourier tests. Angles are reduced modulo n in integer arithmetic before scaling, so these are accurate
 * to a few ulps per term.
 */

/** X[k] = sum_t x[t] exp(sign * 2 pi i t k / n), unnormalised. */
export function directDft(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  sign: -1 | 1 = -1,
): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const angle = (sign * 2 * Math.PI * ((t * k) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      sr += re[t] * c - im[t] * s;
      si += re[t] * s + im[t] * c;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return { re: outRe, im: outIm };
}

/**
 * Full (not half) forward DFT of a real nz x ny x nx array by the triple sum, index (kz*ny + ky)*nx + kx.
 */
export function directDft3(
  data: ArrayLike<number>,
  nz: number,
  ny: number,
  nx: number,
): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(nz * ny * nx);
  const im = new Float64Array(nz * ny * nx);
  for (let kz = 0; kz < nz; kz++)
    for (let ky = 0; ky < ny; ky++)
      for (let kx = 0; kx < nx; kx++) {
        let sr = 0;
        let si = 0;
        for (let z = 0; z < nz; z++)
          for (let y = 0; y < ny; y++)
            for (let x = 0; x < nx; x++) {
              const phase = ((kz * z) % nz) / nz + ((ky * y) % ny) / ny + ((kx * x) % nx) / nx;
              const v = data[(z * ny + y) * nx + x];
              sr += v * Math.cos(-2 * Math.PI * phase);
              si += v * Math.sin(-2 * Math.PI * phase);
            }
        re[(kz * ny + ky) * nx + kx] = sr;
        im[(kz * ny + ky) * nx + kx] = si;
      }
  return { re, im };
}

/** Deterministic pseudo-random values in [-0.5, 0.5), in double precision. */
export function seededValues(count: number, seed: number): Float64Array {
  const next = lcg(seed);
  return Float64Array.from({ length: count }, () => next() - 0.5);
}

/** max |a - b| / max |b| over complex arrays. */
export function relativeError(
  aRe: ArrayLike<number>,
  aIm: ArrayLike<number>,
  bRe: ArrayLike<number>,
  bIm: ArrayLike<number>,
): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < bRe.length; i++) {
    worst = Math.max(worst, Math.hypot(aRe[i] - bRe[i], aIm[i] - bIm[i]));
    scale = Math.max(scale, Math.hypot(bRe[i], bIm[i]));
  }
  return worst / (scale || 1);
}
