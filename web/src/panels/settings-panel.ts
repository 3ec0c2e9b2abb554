/**
 * Estimation settings (METHOD.md §4–§8): the kernel settings computed from the opened map and editable, with
 * the sample count n_v they imply; scale mode, normalisation, noise-level re-calibration, max box and
 * confidence hedging. Each field shows the value the run will use; a typed value is marked and can be reset.
 */
import type { Store } from '../state/store.js';
import type { AppState } from '../state/app-state.js';
import { invalidFieldsReason, withoutInvalidFields, type FormState, type KernelOverrides } from '../state/form.js';
import { editKernelSetting, kernelDependents, kernelSettingsFor, processingGeometry, type KernelField, type KernelSettingsView } from '../state/kernel-settings.js';
import { evenCubeEdge } from '../../../src/core/box.js';
import { kernelSizeProblem } from '../../../src/core/settings.js';
import { bindCheckbox, bindNumber, bindSelect, evenWhole, oddWhole, openUnitInterval, positive, updateForm, wholeAtLeast, type NumberRule } from './form-binding.js';
import { byId, formatNumber, h, setChildren } from '../dom.js';

/** Odd, and no larger than the opened map's processing box (checked before its footprint is built). */
function kernelSizeRule(size: number, state: AppState): string | undefined {
  const input = state.maps.input;
  const box = input && processingGeometry(evenCubeEdge(input.shape), input.geometry.voxelSize[0], state.form.maxBox).processingBox;
  return oddWhole(size) ?? (box === undefined ? undefined : kernelSizeProblem(size, box));
}

const KERNEL_FIELDS: { field: keyof KernelOverrides; id: string; rule: NumberRule; shown: (v: KernelSettingsView) => number | undefined }[] = [
  { field: 'resolution', id: 'set-resolution', rule: { optional: true, check: positive }, shown: () => undefined },
  { field: 'lowpass', id: 'set-lowpass', rule: { optional: true, check: positive }, shown: (v) => v.settings.lowpass },
  { field: 'kernelSize', id: 'set-kernel-size', rule: { optional: true, check: kernelSizeRule }, shown: (v) => v.settings.kernel.size },
  { field: 'kernelRadius', id: 'set-kernel-radius', rule: { optional: true, check: positive }, shown: (v) => v.settings.kernel.radius },
  { field: 'tau', id: 'set-tau', rule: { optional: true, check: openUnitInterval }, shown: (v) => v.settings.tau },
  { field: 'tileSize', id: 'set-tile-size', rule: { optional: true, check: wholeAtLeast(1) }, shown: (v) => v.settings.tileSize },
];

const MAX_BOX_ID = 'set-max-box';

/**
 * The form after the user set a kernel setting (undefined: back to computed). The settings computed again
 * show their computed values, so text typed in them, valid or not, is gone: their invalid marks go too.
 */
function editKernel(form: FormState, field: KernelField, value: number | undefined): FormState {
  const recomputed = [field, ...kernelDependents(field)].map((f) => (f === 'maxBox' ? MAX_BOX_ID : KERNEL_FIELDS.find((k) => k.field === f)!.id));
  return withoutInvalidFields({ ...form, kernel: editKernelSetting(form.kernel, field, value) }, recomputed);
}

/** The settings the core would derive for the opened input map, or undefined before one is open. */
export function currentKernelView(state: AppState): KernelSettingsView | undefined {
  const input = state.maps.input;
  if (!input) return undefined;
  return kernelSettingsFor(input.shape, input.geometry.voxelSize[0], state.form.maxBox, state.form.kernel);
}

export function mountSettingsPanel(store: Store<AppState>): void {
  for (const { field, id, rule, shown } of KERNEL_FIELDS) {
    bindNumber(
      store,
      id,
      (s) => s.form.kernel[field] ?? (currentKernelView(s) ? shown(currentKernelView(s)!) : undefined),
      (f, value) => editKernel(f, field, value),
      // Computed from the opened map: a new map drops what was typed (the typed overrides go with it).
      { ...rule, context: (s) => s.maps.input },
    );
    const reset = byId(`${id}-reset`);
    reset.addEventListener('click', () => updateForm(store, (f) => editKernel(f, field, undefined)));
  }
  bindNumber(store, MAX_BOX_ID, (s) => s.form.maxBox, (f, value) => editKernel({ ...f, maxBox: value! }, 'maxBox', undefined), { check: evenWhole });
  bindSelect(store, 'set-scale-mode', (f) => f.scaleMode, (f, scaleMode) => ({ ...f, scaleMode }));
  bindCheckbox(store, 'set-naive', (f) => f.naive, (f, naive) => ({ ...f, naive }));
  bindCheckbox(store, 'set-nlrc', (f) => f.nlrc, (f, nlrc) => ({ ...f, nlrc }));
  bindNumber(store, 'set-hedge', (s) => s.form.hedgeConfidence, (f, hedgeConfidence) => ({ ...f, hedgeConfidence }), { optional: true, check: positive });

  // Runs wait while any field (here or in the other panels) holds an invalid value; this says which.
  const invalid = byId('settings-invalid');
  store.subscribe((state) => {
    const reason = invalidFieldsReason(state.form);
    invalid.hidden = !reason;
    invalid.textContent = reason ?? '';
    invalid.dataset.fields = state.form.invalidFields.map((f) => f.id).join(' ');
    const view = currentKernelView(state);
    for (const { field, id } of KERNEL_FIELDS) {
      const typed = state.form.kernel[field] !== undefined;
      byId(id).classList.toggle('typed', typed);
      // Invalid text can be reset too: back to the computed value.
      byId(`${id}-reset`).hidden = !typed && !state.form.invalidFields.some((f) => f.id === id);
    }
    byId('set-sample-count').textContent = view ? String(view.settings.kernel.sampleCount) : '–';
    setChildren(
      byId('settings-derived'),
      view
        ? `processing box ${view.processingBox}³ at ${formatNumber(view.processingVoxelSize)} Å/voxel${view.downscaled ? ' (down-sampled from the input, §2)' : ''}`
        : 'Open a map to see the settings computed from it.',
    );
    setChildren(byId('settings-warnings'), ...(view?.settings.warnings ?? []).map((w) => h('div', { class: 'warning' }, w)));
  });
}
