/**
 * The session log: every run numbered, with the equivalent `occupy` command line (to repeat it on a cluster),
 * its warnings and log; it can be read here, cleared, and downloaded as a text file. Runs whose files the
 * worker still holds can be downloaded again as a zip.
 */
import type { Store } from '../state/store.js';
import type { AppState, SessionEntry } from '../state/app-state.js';
import type { Actions } from '../state/actions.js';
import { byId, h, setChildren } from '../dom.js';
import { saveText } from '../download/save.js';
import { saveRunZip } from '../download/zip.js';

export function mountLogPanel(store: Store<AppState>, actions: Actions): void {
  const list = byId('log-entries');
  byId('log-download').addEventListener('click', () => saveText(actions.sessionLogText(), 'occupy_session_log.txt'));
  byId('log-clear').addEventListener('click', () => void actions.clearLog());

  store.subscribe((state, previous) => {
    if (previous && state.log === previous.log) return;
    byId<HTMLButtonElement>('log-download').disabled = state.log.length === 0;
    byId<HTMLButtonElement>('log-clear').disabled = state.log.length === 0 || Boolean(state.busy);
    if (state.log.length === 0) {
      setChildren(list, h('p', { class: 'muted' }, 'No runs yet. Each run is listed here with its command line.'));
      return;
    }
    setChildren(list, ...[...state.log].reverse().map((e) => entryView(e, actions)));
  });
}

function entryView(e: SessionEntry, actions: Actions): HTMLElement {
  const what = e.purpose === 'modify' ? 'Modify map' : 'Estimate scale';
  const outcome = e.status === 'done' ? `done in ${e.seconds?.toFixed(2)} s` : e.status === 'failed' ? 'failed' : 'running…';
  const zip = h('button', { type: 'button', class: 'link' }, 'files (.zip)');
  zip.addEventListener('click', async () => {
    try {
      await saveRunZip(await actions.runFiles(e.run), e.run, e.inputName);
    } catch (error) {
      actions.showError(error);
    }
  });
  return h(
    'article',
    { class: `log-entry ${e.status}`, 'data-run': e.run, 'data-status': e.status },
    h(
      'header',
      {},
      h('strong', {}, `Run ${e.run}`),
      ` · ${what} · ${outcome} `,
      e.status !== 'done' ? null : e.filesKept ? zip : h('span', { class: 'muted', title: 'The files of the three latest runs are kept (they can be large); its command line makes them again.' }, 'files no longer kept'),
    ),
    h('code', { class: 'command' }, e.command),
    ...e.warnings.map((w) => h('div', { class: 'warning' }, w)),
    ...e.notes.map((n) => h('div', { class: 'note' }, n)),
    e.error ? h('div', { class: 'error' }, e.error) : null,
    e.logText ? h('details', {}, h('summary', {}, 'log'), h('pre', {}, e.logText)) : null,
  );
}
