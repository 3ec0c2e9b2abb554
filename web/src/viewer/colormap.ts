/** Value → colour for the slice viewer: the OccuPy palette for scales, grey ramps for density. */
import { OCCUPY_PALETTE } from '../../../src/report/palette.js';

export type Rgb = [number, number, number];

export interface ColourMapping {
  kind: 'palette' | 'grey';
  /** Values at or below `low` take the first colour, at or above `high` the last. */
  low: number;
  high: number;
}

const PALETTE_RGB: Rgb[] = OCCUPY_PALETTE.map(hexToRgb);

export function hexToRgb(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * The palette at t in [0, 1], linear between its nine evenly spaced stops — as ChimeraX's `palette` with
 * `range low,high` colours the surface in the CLI's script.
 */
export function paletteColour(t: number): Rgb {
  const last = PALETTE_RGB.length - 1;
  const x = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * last;
  const i = Math.min(last - 1, Math.floor(x));
  const f = x - i;
  const a = PALETTE_RGB[i];
  const b = PALETTE_RGB[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

export function colourOf(value: number, mapping: ColourMapping): Rgb {
  const span = mapping.high - mapping.low;
  const t = span > 0 ? (value - mapping.low) / span : 0.5;
  if (mapping.kind === 'palette') return paletteColour(t);
  const g = Math.round(Math.min(1, Math.max(0, t)) * 255);
  return [g, g, g];
}

/** Pixels of a slice, one per voxel (the canvas is scaled up by CSS, without smoothing). */
export function sliceImage(values: Float32Array, width: number, height: number, mapping: ColourMapping): ImageData {
  const image = new ImageData(width, height);
  const pixels = image.data;
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = colourOf(values[i], mapping);
    pixels[4 * i] = r;
    pixels[4 * i + 1] = g;
    pixels[4 * i + 2] = b;
    pixels[4 * i + 3] = 255;
  }
  return image;
}

/** A CSS gradient of the palette, for colour keys. */
export function paletteGradient(direction = 'to right'): string {
  return `linear-gradient(${direction}, ${OCCUPY_PALETTE.join(', ')})`;
}
