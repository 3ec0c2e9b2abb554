/**
 * The published GUI's tools (written by the next run, as the CLI's `--solvent-def-from-scale` and
 * `--subtraction-mask`): a solvent definition from the scale at a threshold, previewed binarised in the
 * viewer while the slider moves, and RELION subtraction masks from the attenuate / sigmoid settings.
 * Also the output switches (figures, ChimeraX script).
 */
import type { Store } from '../state/store.js';
import type { AppState } from '../state/app-state.js';
import { bindCheckbox, bindSliderAndField, unitInterval } from './form-binding.js';
import { byId } from '../dom.js';

export function mountToolsPanel(store: Store<AppState>): void {
  const showSolventDefinition = () => store.update((s) => ({ ...s, viewer: { ...s.viewer, layer: 'solventDefinition' } }));
  bindCheckbox(store, 'tool-soldef-on', (f) => f.solventDefinitionTool.enabled, (f, enabled) => ({
    ...f,
    solventDefinitionTool: { ...f.solventDefinitionTool, enabled },
  }));
  byId('tool-soldef-on').addEventListener('change', (event) => (event.target as HTMLInputElement).checked && showSolventDefinition());
  // Any threshold the CLI takes, between the slider's steps too; setting one switches the tool on.
  bindSliderAndField(store, 'tool-soldef-threshold', (f) => f.solventDefinitionTool.threshold, (f, threshold) => ({ ...f, solventDefinitionTool: { enabled: true, threshold } }), {
    check: unitInterval,
    switchedBy: 'tool-soldef-on',
    changed: showSolventDefinition,
  });
  bindCheckbox(store, 'tool-subtraction', (f) => f.subtractionMasks, (f, subtractionMasks) => ({ ...f, subtractionMasks }));
  bindCheckbox(store, 'out-plot', (f) => f.plot, (f, plot) => ({ ...f, plot }));
  bindCheckbox(store, 'out-chimerax', (f) => f.chimerax, (f, chimerax) => ({ ...f, chimerax }));
}
