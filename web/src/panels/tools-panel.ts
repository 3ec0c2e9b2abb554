/**
 * The published GUI's tools (written by the next run, as the CLI's `--solvent-def-from-scale` and
 * `--subtraction-mask`): a solvent definition from the scale at a threshold, previewed binarised in the
 * viewer while the slider moves, and RELION subtraction masks from the attenuate / sigmoid settings.
 * Also the output switches (figures, ChimeraX script).
 */
import type { Store } from '../state/store.js';
import type { AppState } from '../state/app-state.js';
import { bindCheckbox, bindNumber, bindSlider, unitInterval, updateForm } from './form-binding.js';
import { withoutInvalidFields } from '../state/form.js';
import { byId } from './dom.js';

export function mountToolsPanel(store: Store<AppState>): void {
  const showSolventDefinition = () => store.update((s) => ({ ...s, viewer: { ...s.viewer, layer: 'solventDefinition' } }));
  bindCheckbox(store, 'tool-soldef-on', (f) => f.solventDefinitionTool.enabled, (f, enabled) => ({
    ...f,
    solventDefinitionTool: { ...f.solventDefinitionTool, enabled },
  }));
  byId('tool-soldef-on').addEventListener('change', (event) => (event.target as HTMLInputElement).checked && showSolventDefinition());
  bindSlider(store, 'tool-soldef-threshold', (f) => f.solventDefinitionTool.threshold, (f, threshold) => ({
    ...f,
    solventDefinitionTool: { enabled: true, threshold },
  }));
  byId('tool-soldef-threshold').addEventListener('input', showSolventDefinition);
  // Any threshold the CLI takes, between the slider's steps too; like the slider, setting one switches it on.
  const field = 'tool-soldef-threshold-value';
  bindNumber(store, field, (s) => s.form.solventDefinitionTool.threshold, (f, threshold) => ({ ...f, solventDefinitionTool: { enabled: true, threshold: threshold! } }), {
    check: unitInterval,
  });
  byId(field).addEventListener('change', showSolventDefinition);
  byId('tool-soldef-threshold').addEventListener('input', () => updateForm(store, (f) => withoutInvalidFields(f, [field])));
  const toggle = byId<HTMLInputElement>('tool-soldef-on');
  toggle.addEventListener('change', () => !toggle.checked && updateForm(store, (f) => withoutInvalidFields(f, [field])));
  bindCheckbox(store, 'tool-subtraction', (f) => f.subtractionMasks, (f, subtractionMasks) => ({ ...f, subtractionMasks }));
  bindCheckbox(store, 'out-plot', (f) => f.plot, (f, plot) => ({ ...f, plot }));
  bindCheckbox(store, 'out-chimerax', (f) => f.chimerax, (f, chimerax) => ({ ...f, chimerax }));
}
