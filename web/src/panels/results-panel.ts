/**
 * The latest run's results: the figures the log reports, the solvent-model plot (histogram, fitted Gaussian,
 * confidence curve, log scale), and every output file the CLI would write, to download singly or as a zip.
 */
import type { Store } from '../state/store.js';
import type { AppState } from '../state/app-state.js';
import type { Actions } from '../state/actions.js';
import type { RunSummary } from '../worker/protocol.js';
import { byId, formatNumber, h, setChildren } from '../dom.js';
import { formatBytes } from '../../../src/format/mrc-format.js';
import { saveBytes } from '../download/save.js';
import { saveRunZip } from '../download/zip.js';
import { figurePngName } from '../../../src/report/output-names.js';

export function mountResultsPanel(store: Store<AppState>, actions: Actions): void {
  const figures = byId('result-figures');
  const plot = byId('solvent-plot');
  const downloads = byId('downloads');
  let shownRun: number | undefined;

  store.subscribe((state) => {
    const result = state.result;
    if (result?.run === shownRun) return;
    shownRun = result?.run;
    if (!result) {
      setChildren(figures, h('p', { class: 'muted' }, 'Estimate the scale to see the solvent model and the results.'));
      setChildren(plot);
      setChildren(downloads);
      return;
    }
    setChildren(figures, ...figureList(result));
    plot.innerHTML = result.solventModelSvg;
    setChildren(downloads, ...downloadList(result, actions, state.maps.input?.fileName ?? 'map'));
  });
}

function figureList(r: RunSummary): Node[] {
  const f = r.figures;
  const u = r.used;
  const rows: [string, string][] = [
    ['scale mode', r.scaleMode === 'occ' ? 'occupancy (from the low-passed map)' : 'relative resolution'],
    ['full scale (s_max)', formatNumber(f.fullScale, 5)],
    ['variability limit', formatNumber(f.variabilityLimit, 4)],
    ['confidence limit', formatNumber(f.confidenceLimit, 4)],
    ['solvent model', `mean ${formatNumber(f.solventMean, 4)}, sd ${formatNumber(Math.abs(f.solventSigma), 4)}`],
    ['solvent edge', formatNumber(f.solventEdge, 4)],
    [
      'kernel',
      `low-pass ${formatNumber(u.lowpass)} Å, size ${u.kernelSize}, radius ${formatNumber(u.kernelRadius)}, n_v ${u.sampleCount}, tau ${formatNumber(u.tau, 5)}, tile ${u.tileSize}`,
    ],
    ['processing', `${u.processingBox}³ at ${formatNumber(u.processingVoxelSize)} Å/voxel`],
    ['time', `${r.seconds.toFixed(2)} s (${Object.entries(r.stageSeconds).map(([stage, s]) => `${stage} ${s.toFixed(2)}`).join(', ')})`],
  ];
  return [
    h('h3', {}, `Run ${r.run}`),
    h('dl', { class: 'facts', id: 'result-facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    ...r.notes.map((n) => h('p', { class: 'note' }, n)),
    ...r.warnings.map((w) => h('div', { class: 'warning' }, w)),
  ];
}

function downloadList(r: RunSummary, actions: Actions, inputName: string): Node[] {
  // The CLI writes a PNG beside each SVG figure; offered here the same way (drawn by the browser).
  const names = r.files.flatMap((f) => (f.kind === 'figure' ? [f, { name: figurePngName(f.name), kind: f.kind, bytes: NaN }] : [f]));
  const all = h('button', { type: 'button', class: 'primary', id: 'download-zip' }, `Download all (${names.length} files, .zip)`);
  all.addEventListener('click', () =>
    guarded(
      all,
      actions,
      async () => saveRunZip(await actions.runFiles(r.run), r.run, inputName),
      `Making the zip of ${names.length} files…`,
    ),
  );
  const list = h(
    'ul',
    { class: 'file-list' },
    ...names.map((f) => {
      const button = h('button', { type: 'button', class: 'link', 'data-file': f.name }, f.name);
      button.addEventListener('click', () =>
        guarded(button, actions, async () => {
          const [file] = await actions.runFiles(r.run, [f.name]);
          saveBytes(file.bytes, file.name);
        }),
      );
      return h('li', {}, button, h('span', { class: 'muted' }, Number.isNaN(f.bytes) ? ' (PNG of the figure)' : ` ${formatBytes(f.bytes)}`));
    }),
  );
  return [all, list];
}

/** Runs a download; the button is disabled and, with `busyLabel`, says what is going on until it is done. */
async function guarded(button: HTMLButtonElement, actions: Actions, work: () => Promise<void>, busyLabel?: string): Promise<void> {
  const label = button.textContent;
  button.disabled = true;
  if (busyLabel) button.textContent = busyLabel;
  try {
    await work();
  } catch (error) {
    actions.showError(error);
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}
