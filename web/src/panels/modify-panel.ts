/**
 * Modification settings (METHOD.md §9–§10): amplify, attenuate and sigmoid, each switched on with its power
 * (and the sigmoid's pivot); the modification-curve plot and the viewer's preview follow the sliders as they
 * move. Solvent suppression, scale limit, output low-pass, histogram matching and the synthetic-solvent seed.
 */
import type { ModificationKind } from '../../../src/core/pipeline/modify.js';
import { modificationCurvesSvg } from '../../../src/report/plots/modification-curves.js';
import type { Store } from '../state/store.js';
import type { AppState } from '../state/app-state.js';
import { enabledModifications, MODIFICATION_KINDS, modificationRequest, type FormState } from '../state/form.js';
import { atLeastOne, bindCheckbox, bindNumber, bindSliderAndField, pivotRange, positive, unitInterval, wholeAtLeast } from './form-binding.js';
import { byId } from '../dom.js';

export function mountModifyPanel(store: Store<AppState>): void {
  const showPreview = (kind: ModificationKind) =>
    store.update((s) => ({ ...s, form: { ...s.form, previewKind: kind }, viewer: { ...s.viewer, layer: 'preview' } }));
  const setControl = (f: FormState, kind: ModificationKind, change: Partial<FormState['modifications'][ModificationKind]>): FormState => ({
    ...f,
    previewKind: kind,
    modifications: { ...f.modifications, [kind]: { ...f.modifications[kind], ...change } },
  });

  for (const kind of MODIFICATION_KINDS) {
    bindCheckbox(store, `mod-${kind}-on`, (f) => f.modifications[kind].enabled, (f, enabled) => setControl(f, kind, { enabled }));
    byId(`mod-${kind}-on`).addEventListener('change', () => showPreview(kind));
    // The CLI takes any power from 1 up; the slider's 1–10 is where it is usually set.
    bindSliderAndField(store, `mod-${kind}-power`, (f) => f.modifications[kind].power, (f, power) => setControl(f, kind, { power }), {
      check: atLeastOne,
      switchedBy: `mod-${kind}-on`,
      changed: () => showPreview(kind),
    });
    const radio = byId<HTMLInputElement>(`preview-${kind}`);
    radio.addEventListener('change', () => radio.checked && showPreview(kind));
  }
  // Any pivot the CLI takes, between the slider's steps too.
  bindSliderAndField(store, 'mod-sigmoid-pivot', (f) => f.modifications.sigmoid.pivot ?? 0.5, (f, pivot) => setControl(f, 'sigmoid', { pivot }), {
    check: pivotRange,
    switchedBy: 'mod-sigmoid-on',
    changed: () => showPreview('sigmoid'),
  });

  bindNumber(store, 'mod-scale-limit', (s) => s.form.scaleLimit, (f, scaleLimit) => ({ ...f, scaleLimit: scaleLimit! }), { check: unitInterval });
  bindCheckbox(store, 'mod-use-confidence', (f) => f.useConfidence, (f, useConfidence) => ({ ...f, useConfidence }));
  bindCheckbox(store, 'mod-exclude-solvent', (f) => f.excludeSolvent, (f, excludeSolvent) => ({ ...f, excludeSolvent }));
  bindNumber(store, 'mod-lowpass-output', (s) => s.form.lowpassOutput, (f, lowpassOutput) => ({ ...f, lowpassOutput }), { optional: true, check: positive });
  bindCheckbox(store, 'mod-hist-match', (f) => f.histogramMatch, (f, histogramMatch) => ({ ...f, histogramMatch }));
  bindNumber(store, 'mod-seed', (s) => s.form.seed, (f, seed) => ({ ...f, seed }), {
    optional: true,
    check: (v) => wholeAtLeast(0)(v) ?? (v < 2 ** 32 ? undefined : 'must be below 2^32'),
  });

  const plot = byId('modification-plot');
  let drawn = '';
  store.subscribe((state) => {
    for (const kind of MODIFICATION_KINDS) byId<HTMLInputElement>(`preview-${kind}`).checked = state.form.previewKind === kind;
    // The plot shows what Modify will make, and the previewed curve even while it is still switched off.
    const shown = enabledModifications(state.form);
    const previewed = modificationRequest(state.form.previewKind, state.form.modifications[state.form.previewKind]);
    if (!shown.some((m) => m.kind === previewed.kind)) shown.push(previewed);
    const svg = modificationCurvesSvg(shown, { title: 'Modification by local scale' });
    if (svg !== drawn) {
      plot.innerHTML = svg;
      drawn = svg;
    }
    const nothing = shown.length === 0 || enabledModifications(state.form).length === 0;
    byId('modify-hint').hidden = !nothing || state.form.excludeSolvent;
  });
}
