/**
 * The modification figure (`modification_<name>`): output scale against input scale for each requested
 * modification, over a faint family of powers for context — as the published program's
 * `gamma_modification` / `sigmoid_modification` figures. A curve above the diagonal amplifies, below it
 * attenuates.
 */
import type { ModificationRequest } from '../../core/pipeline/modify.js';
import { sigmoidCurve } from '../../core/modify/index.js';
import { lineChartSvg, type Series } from './line-chart.js';

const POINTS = 200;
const CONTEXT_POWERS = [2, 4, 8];
const COLOURS = { amplify: '#1f77b4', attenuate: '#d62728', sigmoid: '#2ca02c' } as const;

/** `x_out` for `x_in` in [0, 1]: amplify `x^(1/g)`, attenuate `x^g`, sigmoid the tabulated curve. */
export function modificationCurve(m: ModificationRequest, points = POINTS): { x: Float64Array; y: Float64Array } {
  const x = Float64Array.from({ length: points }, (_, i) => i / (points - 1));
  if (m.kind === 'sigmoid') return { x, y: Float64Array.from(sigmoidCurve(m.power, m.pivot, points)) };
  const exponent = m.kind === 'amplify' ? 1 / m.power : m.power;
  return { x, y: x.map((v) => v ** exponent) };
}

export function modificationCurvesSvg(modifications: readonly ModificationRequest[], options: { title?: string } = {}): string {
  const diagonal = modificationCurve({ kind: 'amplify', power: 1 });
  const series: Series[] = [{ label: 'unmodified', ...diagonal, color: '#888888', dash: '4 3' }];
  for (const m of modifications) {
    for (const power of CONTEXT_POWERS) {
      if (power === m.power) continue;
      series.push({ label: `${m.kind} ${power}`, ...modificationCurve({ ...m, power }), color: COLOURS[m.kind] + '44', width: 1, hideInLegend: true });
    }
  }
  for (const m of modifications) {
    const label = m.kind === 'sigmoid' ? `sigmoid ${m.power}, pivot ${m.pivot}` : `${m.kind} ${m.power}`;
    series.push({ label, ...modificationCurve(m), color: COLOURS[m.kind], width: 2.5 });
  }
  series.push({ label: `powers ${CONTEXT_POWERS.join(', ')} (faint)`, x: [], y: [], color: '#bbbbbb', width: 1 });
  return lineChartSvg({
    title: options.title,
    xLabel: 'input scale',
    yLabel: 'output scale',
    series,
    xDomain: [0, 1],
    yDomain: [0, 1],
    width: 640,
    height: 420,
  });
}
