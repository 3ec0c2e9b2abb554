/**
 * Synthetic cryo-EM-like maps with a known answer, for the example map, benchmarks and tests on boxes the
 * fixtures do not have. Like the fixtures: pseudo-atoms (Gaussian blobs) grouped in domains of known occupancy,
 * white noise added, the whole map low-passed so the solvent noise is band-limited like a reconstruction.
 */
import { createVolume, type Volume } from '../core/volume.js';
import { lowpassToResolution } from '../core/fourier/lowpass.js';
import { mulberry32, normalFrom } from './random.js';

export interface PhantomDomain {
  /** Centre as a fraction of the box (0..1 per axis, z y x). */
  centre: [number, number, number];
  /** Radius of the blob cloud as a fraction of the box edge. */
  radius: number;
  occupancy: number;
}

export interface PhantomSpec {
  box: [number, number, number];
  voxelSize: number;
  resolution: number;
  /** Pseudo-atoms per cubic voxel inside each domain's ball, so all domains have the same density. */
  atomDensity: number;
  domains: PhantomDomain[];
  /** White-noise standard deviation relative to a full-occupancy atom peak. */
  noise: number;
  seed: number;
}

export interface Phantom {
  volume: Volume;
  /** Domain index + 1 of the voxels nearest each domain's atoms (0 elsewhere). */
  labels: Uint8Array;
  spec: PhantomSpec;
}

export const DEFAULT_DOMAINS: PhantomDomain[] = [
  { centre: [0.5, 0.42, 0.42], radius: 0.16, occupancy: 1.0 },
  { centre: [0.5, 0.6, 0.62], radius: 0.12, occupancy: 1.0 },
  { centre: [0.36, 0.62, 0.38], radius: 0.1, occupancy: 0.6 },
  { centre: [0.66, 0.36, 0.62], radius: 0.09, occupancy: 0.3 },
];

export function phantomSpec(box: number | [number, number, number], overrides: Partial<PhantomSpec> = {}): PhantomSpec {
  const b: [number, number, number] = typeof box === 'number' ? [box, box, box] : box;
  return {
    box: b,
    voxelSize: 1.2,
    resolution: 4.5,
    atomDensity: 0.05,
    domains: DEFAULT_DOMAINS,
    noise: 0.6,
    seed: 1,
    ...overrides,
  };
}

export function makePhantom(spec: PhantomSpec): Phantom {
  const [nz, ny, nx] = spec.box;
  const uniform = mulberry32(spec.seed);
  const normal = normalFrom(uniform);
  const volume = createVolume(nz, ny, nx);
  const labels = new Uint8Array(nz * ny * nx);
  const data = volume.data;
  const edge = Math.min(nz, ny, nx);
  // Atom blob: sigma of ~1.6 Å, drawn within 3 sigma.
  const sigma = 1.6 / spec.voxelSize;
  const reach = Math.ceil(3 * sigma);
  spec.domains.forEach((domain, d) => {
    const atoms = Math.round(spec.atomDensity * (4 / 3) * Math.PI * (domain.radius * edge) ** 3);
    for (let a = 0; a < atoms; a++) {
      // Uniform in a ball: rejection sampling.
      let p: number[];
      do p = [uniform() * 2 - 1, uniform() * 2 - 1, uniform() * 2 - 1];
      while (p[0] ** 2 + p[1] ** 2 + p[2] ** 2 > 1);
      const c = [nz, ny, nx].map((n, k) => domain.centre[k] * n + p[k] * domain.radius * edge);
      const [cz, cy, cx] = c;
      for (let z = Math.max(0, Math.floor(cz - reach)); z <= Math.min(nz - 1, Math.ceil(cz + reach)); z++) {
        for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(ny - 1, Math.ceil(cy + reach)); y++) {
          for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(nx - 1, Math.ceil(cx + reach)); x++) {
            const r2 = (z - cz) ** 2 + (y - cy) ** 2 + (x - cx) ** 2;
            const i = (z * ny + y) * nx + x;
            data[i] += domain.occupancy * Math.exp(-r2 / (2 * sigma * sigma));
            if (r2 < sigma * sigma) labels[i] = d + 1;
          }
        }
      }
    }
  });
  for (let i = 0; i < data.length; i++) data[i] += spec.noise * normal();
  const filtered = nz === ny && ny === nx && nx % 2 === 0 ? lowpassToResolution(volume, spec.voxelSize, spec.resolution) : volume;
  return { volume: filtered, labels, spec };
}
