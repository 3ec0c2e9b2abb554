/**
 * OccuPy in the browser: wires the store, the worker and the panels. Everything runs on this machine; the
 * map never leaves it.
 */
import './styles.css';
import { Store } from './state/store.js';
import { initialState } from './state/app-state.js';
import { Actions } from './state/actions.js';
import { OccupyWorker } from './worker/client.js';
import { mountFilesPanel } from './panels/files-panel.js';
import { mountSettingsPanel } from './panels/settings-panel.js';
import { mountModifyPanel } from './panels/modify-panel.js';
import { mountToolsPanel } from './panels/tools-panel.js';
import { mountRunPanel } from './panels/run-panel.js';
import { mountResultsPanel } from './panels/results-panel.js';
import { mountLogPanel } from './panels/log-panel.js';
import { mountSliceViewer } from './viewer/slice-viewer.js';
import { mountSurfacePanel } from './panels/surface-panel.js';
import { byId } from './dom.js';
import { VERSION } from './version.js';

const store = new Store(initialState());
const worker = new OccupyWorker();
const actions = new Actions(store, worker);

// The core's parallel steps use the cores the browser offers (at most 8), or `?threads=N` of them.
const requestedThreads = Number(new URLSearchParams(location.search).get('threads'));
void worker.configure(requestedThreads >= 1 ? requestedThreads : Math.min(8, navigator.hardwareConcurrency || 1)).then((threads) => {
  document.body.dataset.threads = String(threads);
});

byId('version').textContent = VERSION;
mountFilesPanel(store, actions);
mountRunPanel(store, actions);
mountSettingsPanel(store);
mountModifyPanel(store);
mountToolsPanel(store);
mountSliceViewer(store);
mountResultsPanel(store, actions);
mountLogPanel(store, actions);

// Slices and 3D share one area; the 3D view (and Mol*) loads when its tab is first opened.
const slicesTab = byId<HTMLButtonElement>('view-slices');
const surfaceTab = byId<HTMLButtonElement>('view-3d');
const surface = mountSurfacePanel(store, actions, () => !byId('surface-panel').hidden);
const showView = (which: 'slices' | '3d') => {
  byId('slice-panel').hidden = which !== 'slices';
  byId('surface-panel').hidden = which !== '3d';
  slicesTab.classList.toggle('active', which === 'slices');
  surfaceTab.classList.toggle('active', which === '3d');
  slicesTab.setAttribute('aria-pressed', String(which === 'slices'));
  surfaceTab.setAttribute('aria-pressed', String(which === '3d'));
  if (which === '3d') surface.refresh();
};
slicesTab.addEventListener('click', () => showView('slices'));
surfaceTab.addEventListener('click', () => showView('3d'));
showView('slices');

document.body.dataset.ready = 'true';
