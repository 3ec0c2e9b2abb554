/**
 * Regenerates examples/phantom_64.mrc, the map `npm start` runs on: a 64³ synthetic phantom (src/synthetic)
 * with four domains of occupancy 1.0, 1.0, 0.6 and 0.3, band-limited noise, 1.2 Å voxels, origin 0.
 *
 *   npm run build && node dist/scripts/make-example.js
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePhantom, phantomSpec } from '../src/synthetic/phantom.js';
import { encodeMrc } from '../src/format/mrc-format.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const n = 64;
const spec = phantomSpec(n, { seed: 2023 });
const { volume } = makePhantom(spec);
const bytes = encodeMrc(
  volume,
  { voxelSize: [spec.voxelSize, spec.voxelSize, spec.voxelSize], origin: [0, 0, 0], start: [0, 0, 0], axisOrder: [1, 2, 3], sampling: [n, n, n] },
  { labels: ['occupy example: synthetic phantom, domain occupancies 1.0 1.0 0.6 0.3'] },
);
mkdirSync(path.join(root, 'examples'), { recursive: true });
// Uncompressed: noise does not compress (gzip saves 3 %), and ChimeraX opens a plain .mrc for sure.
const file = path.join(root, 'examples', 'phantom_64.mrc');
writeFileSync(file, bytes);
console.log(`wrote ${file}`);
