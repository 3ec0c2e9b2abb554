/**
 * The 3D tab's controls around the Mol* view (../viewer/surface.ts): which map is shown (the input or a modified
 * map), the contour level (the CLI's ChimeraX level by default), the lowest scale of the colour range (the
 * ChimeraX script's min_vis_scale, shared with it), a colour key and "Save PNG".
 *
 * Mol* and its scene are loaded when the tab is first opened, and the scene is rebuilt when the input or
 * the run changes while the tab is open. The panel's `data-state` (empty / loading / ready / error) says
 * where it is, for the user and for tests.
 */
import type { Store } from '../state/store.js';
import type { AppState } from '../state/app-state.js';
import type { Actions } from '../state/actions.js';
import type { OpenedMap } from '../worker/protocol.js';
import { byId, formatNumber, h, setChildren } from '../dom.js';
import { updateForm } from './form-binding.js';
import { paletteGradient } from '../viewer/colormap.js';
import { saveBlob } from '../download/save.js';
import type { SurfaceMap, SurfaceScene, SurfaceView } from '../viewer/surface.js';

/** What a scene was built from; a scene is rebuilt when any of these objects is replaced. */
interface SceneSource {
  input: OpenedMap;
  result: AppState['result'];
  scale: AppState['maps']['scale'];
}

export function mountSurfacePanel(store: Store<AppState>, actions: Actions, isVisible: () => boolean): { refresh: () => void } {
  const panel = byId('surface-panel');
  const container = byId<HTMLDivElement>('surface-canvas');
  const status = byId('surface-status');
  const mapChoice = byId<HTMLSelectElement>('surface-map');
  const level = byId<HTMLInputElement>('surface-level');
  const levelValue = byId('surface-level-value');
  const minScale = byId<HTMLInputElement>('surface-min-scale');
  const minScaleValue = byId('surface-min-scale-value');
  const key = byId('surface-key');
  let view: SurfaceView | undefined;
  let builtFor: SceneSource | undefined;
  let building = false;

  const setState = (state: 'empty' | 'loading' | 'ready' | 'error', text: string) => {
    // What Mol* holds for each surface (level, colour range, parameter version, hidden), for tests: set
    // before the state turns 'ready', so a test that waits for 'ready' reads the finished update.
    if (state === 'ready' && view) panel.dataset.surfaces = JSON.stringify(view.drawn());
    else delete panel.dataset.surfaces;
    panel.dataset.state = state;
    status.textContent = text;
  };

  level.addEventListener('input', () => (levelValue.textContent = formatNumber(Number(level.value), 4)));
  // Changes made while the surface is being recomputed are gathered and applied after, so the view always
  // ends up matching the controls. Only the shown surface is recomputed; another map's surface is brought up
  // to date when it is chosen (SurfaceView keeps track of which are stale).
  let pending: { map?: number; level?: number; minScale?: number } | undefined;
  const apply = async (changes: { map?: number; level?: number; minScale?: number }) => {
    pending = { ...pending, ...changes };
    if (!view || panel.dataset.state !== 'ready') return;
    while (pending) {
      const next = pending;
      pending = undefined;
      setState('loading', 'Updating the surface…');
      try {
        await view.update(next);
      } catch (error) {
        setState('error', `The 3D view failed: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    }
    setState('ready', status.dataset.readyText ?? '');
  };
  level.addEventListener('change', () => void apply({ level: Number(level.value) }));
  minScale.addEventListener('input', () => updateForm(store, (f) => ({ ...f, minVisScale: Number(minScale.value) })));
  minScale.addEventListener('change', () => void apply({ minScale: Number(minScale.value) }));
  mapChoice.addEventListener('change', () => void apply({ map: Number(mapChoice.value) }));
  byId('save-surface-png').addEventListener('click', async () => {
    if (!view) return;
    try {
      saveBlob(await view.png(), `occupy_3d_${mapChoice.selectedOptions[0]?.textContent?.replace(/[^\w.-]+/g, '_') ?? 'view'}.png`);
    } catch (error) {
      actions.showError(error);
    }
  });

  const refresh = async () => {
    const state = store.get();
    const input = state.maps.input;
    if (!isVisible() || building) return;
    if (!input) {
      setState('empty', 'Open a map to see its surface.');
      return;
    }
    const source: SceneSource = { input, result: state.result, scale: state.maps.scale };
    if (builtFor && builtFor.input === source.input && builtFor.result === source.result && builtFor.scale === source.scale) return;
    building = true;
    setState('loading', 'Building the surface…');
    try {
      if (!view) {
        const { SurfaceView } = await import('../viewer/surface.js');
        view = await SurfaceView.create(container);
      }
      const scene = await sceneFor(state, input, actions);
      configureControls(scene, input);
      await view.show(scene);
      pending = undefined;
      builtFor = source;
      status.dataset.readyText = scene.scale ? 'Surface coloured by the local scale.' : 'Surface of the input (estimate the scale to colour it).';
      setState('ready', status.dataset.readyText);
    } catch (error) {
      setState('error', `The 3D view failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      building = false;
    }
    // The state may have moved on while building (a run finished): catch up.
    if (store.get() !== state) void refresh();
  };

  const configureControls = (scene: SurfaceScene, input: OpenedMap) => {
    setChildren(mapChoice, ...scene.maps.map((m, i) => h('option', { value: i }, m.label)));
    mapChoice.disabled = scene.maps.length < 2;
    const [lo, hi] = input.valueRange;
    level.min = String(lo);
    level.max = String(hi);
    level.step = String((hi - lo) / 1000);
    level.value = String(scene.level);
    levelValue.textContent = formatNumber(scene.level, 4);
  };

  store.subscribe((state, previous) => {
    const min = state.form.minVisScale;
    if (document.activeElement !== minScale) minScale.value = String(min);
    minScaleValue.textContent = formatNumber(min, 2);
    setChildren(
      key,
      h('span', {}, formatNumber(min, 2)),
      h('span', { class: 'bar', style: `background: ${paletteGradient()}` }),
      h('span', {}, '1.0'),
      h('span', { class: 'muted' }, ' local scale'),
    );
    if (!previous || state.maps.input !== previous.maps.input || state.result !== previous.result || state.maps.scale !== previous.maps.scale) void refresh();
  });
  return { refresh: () => void refresh() };
}

async function sceneFor(state: AppState, input: OpenedMap, actions: Actions): Promise<SurfaceScene> {
  const inputMap: SurfaceMap = { label: `input: ${input.fileName}`, bytes: await actions.encodedMap('input') };
  const result = state.result;
  if (result) {
    const names = [result.scale.fileName, ...result.modified.map((m) => m.fileName)];
    const files = new Map((await actions.runFiles(result.run, names)).map((f) => [f.name, f.bytes]));
    return {
      maps: [inputMap, ...result.modified.map((m) => ({ label: `${m.label}: ${m.fileName}`, bytes: files.get(m.fileName)! }))],
      scale: { label: result.scale.fileName, bytes: files.get(result.scale.fileName)! },
      level: result.figures.surfaceLevel,
      minScale: state.form.minVisScale,
    };
  }
  const scale = state.maps.scale;
  return {
    maps: [inputMap],
    scale: scale ? { label: scale.fileName, bytes: await actions.encodedMap('scale') } : undefined,
    level: defaultLevel(input.data),
    minScale: state.form.minVisScale,
  };
}

/** Before a run gives the ChimeraX level: mean + 3 standard deviations, above the solvent noise. */
function defaultLevel(data: Float32Array): number {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < data.length; i++) {
    sum += data[i];
    squares += data[i] * data[i];
  }
  const mean = sum / data.length;
  return mean + 3 * Math.sqrt(Math.max(0, squares / data.length - mean * mean));
}
