/**
 * A small SVG line chart: the one figure shape OccuPy draws (curves over a shared x axis, optional log y
 * axis, vertical marker lines, a legend on the right). Scales, ticks and paths come from d3; this module only
 * lays them out. Pure string output, so the CLI (via resvg for PNG) and the browser render the same figure.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';

export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color: string;
  /** SVG dash pattern, e.g. '4 3'. */
  dash?: string;
  width?: number;
  /** Leave out of the legend (e.g. faint context curves). */
  hideInLegend?: boolean;
}

export interface Marker {
  label: string;
  x: number;
  color: string;
  dash?: string;
}

export interface LineChart {
  title?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  markers?: Marker[];
  /** Logarithmic y axis; values <= `min` are drawn at `min`. */
  logY?: { min: number };
  yDomain?: [number, number];
  xDomain?: [number, number];
  width?: number;
  height?: number;
}

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 960;
  const height = chart.height ?? 300;
  const legendWidth = 220;
  const margin = { top: chart.title ? 30 : 14, right: legendWidth + 16, bottom: 46, left: 64 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;

  const xDomain = chart.xDomain ?? extent(chart.series.map((s) => s.x), chart.markers?.map((m) => m.x));
  const x = scaleLinear().domain(xDomain).range([0, plotW]);
  const yValues = extent(chart.series.map((s) => s.y));
  const floor = chart.logY?.min;
  const y =
    floor !== undefined
      ? scaleLog().domain(chart.yDomain ?? [floor, Math.max(yValues[1], floor * 10)]).range([plotH, 0]).clamp(true)
      : scaleLinear().domain(chart.yDomain ?? yValues).range([plotH, 0]).nice();

  const path = line<[number, number]>()
    .x((d) => x(d[0]))
    .y((d) => y(floor !== undefined ? Math.max(d[1], floor) : d[1]))
    .defined((d) => Number.isFinite(d[0]) && Number.isFinite(d[1]));

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  );
  if (chart.title) parts.push(`<text x="${margin.left + plotW / 2}" y="18" text-anchor="middle" font-size="14">${escapeXml(chart.title)}</text>`);
  parts.push(`<g transform="translate(${margin.left},${margin.top})">`);

  // Axes and grid.
  parts.push(`<rect width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`);
  for (const t of x.ticks(8)) {
    const px = fmt(x(t));
    parts.push(`<line x1="${px}" x2="${px}" y1="${plotH}" y2="${plotH + 5}" stroke="#444"/>`);
    parts.push(`<text x="${px}" y="${plotH + 18}" text-anchor="middle">${x.tickFormat(8)(t)}</text>`);
  }
  const yTicks = floor !== undefined ? decades(y.domain() as [number, number]) : (y.ticks(6) as number[]);
  for (const t of yTicks) {
    const py = fmt(y(t));
    parts.push(`<line x1="-5" x2="0" y1="${py}" y2="${py}" stroke="#444"/>`);
    parts.push(`<line x1="0" x2="${plotW}" y1="${py}" y2="${py}" stroke="#eee"/>`);
    const label = floor !== undefined ? `1e${Math.round(Math.log10(t))}` : (y.tickFormat(6) as (v: number) => string)(t);
    parts.push(`<text x="-8" y="${py}" dy="0.32em" text-anchor="end">${label}</text>`);
  }
  parts.push(`<text x="${plotW / 2}" y="${plotH + 38}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  parts.push(`<text transform="translate(-48,${plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`);

  // Curves, clipped to the plot area.
  parts.push(`<clipPath id="plot-area"><rect width="${plotW}" height="${plotH}"/></clipPath><g clip-path="url(#plot-area)">`);
  for (const m of chart.markers ?? []) {
    const px = fmt(x(m.x));
    parts.push(`<line x1="${px}" x2="${px}" y1="0" y2="${plotH}" stroke="${m.color}"${m.dash ? ` stroke-dasharray="${m.dash}"` : ''}/>`);
  }
  for (const s of chart.series) {
    const points: [number, number][] = Array.from({ length: Math.min(s.x.length, s.y.length) }, (_, i) => [s.x[i], s.y[i]]);
    parts.push(
      `<path d="${path(points) ?? ''}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 1.5}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
    );
  }
  parts.push('</g>');

  // Legend.
  const entries = [
    ...chart.series.filter((s) => !s.hideInLegend).map((s) => ({ label: s.label, color: s.color, dash: s.dash })),
    ...(chart.markers ?? []),
  ];
  entries.forEach((e, i) => {
    const ly = 8 + i * 18;
    const lx = plotW + 16;
    parts.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${e.color}" stroke-width="2"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`);
    parts.push(`<text x="${lx + 30}" y="${ly}" dy="0.32em">${escapeXml(e.label)}</text>`);
  });
  parts.push('</g></svg>');
  return parts.join('\n');
}

function extent(arrays: ArrayLike<number>[], extra: number[] = []): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  for (const v of extra) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo < hi)) return [Number.isFinite(lo) ? lo - 1 : 0, Number.isFinite(hi) ? hi + 1 : 1];
  return [lo, hi];
}

function decades([lo, hi]: [number, number]): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

function fmt(v: number): string {
  return v.toFixed(2);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
