/**
 * "Estimate scale" and "Modify map", with the progress of the running job (its stage, a bar and the time so
 * far). The job runs in the worker, so the page stays usable; the buttons wait until it is done.
 */
import type { Store } from '../state/store.js';
import { runWaitsFor, type AppState } from '../state/app-state.js';
import type { Actions } from '../state/actions.js';
import { enabledModifications } from '../state/form.js';
import { byId, setChildren, h } from '../dom.js';

export function mountRunPanel(store: Store<AppState>, actions: Actions): void {
  const estimate = byId<HTMLButtonElement>('run-estimate');
  const modify = byId<HTMLButtonElement>('run-modify');
  const progress = byId<HTMLProgressElement>('run-progress');
  const status = byId('run-status');
  const message = byId('message');
  estimate.addEventListener('click', () => void actions.run('estimate'));
  modify.addEventListener('click', () => void actions.run('modify'));

  let ticking: number | undefined;
  store.subscribe((state) => {
    const waits = runWaitsFor(state);
    const anything = enabledModifications(state.form).length > 0 || state.form.excludeSolvent;
    estimate.disabled = waits !== undefined;
    modify.disabled = waits !== undefined || !anything;
    const waiting = waits ?? '';
    estimate.title = waiting;
    modify.title = waiting || (anything ? '' : 'Switch on a modification (power above 1), or exclude solvent, first.');
    const busy = state.busy;
    progress.hidden = !busy;
    document.body.classList.toggle('busy', Boolean(busy));
    if (busy) {
      progress.max = busy.stagesExpected;
      progress.value = Math.min(busy.stagesDone, busy.stagesExpected);
      const elapsed = () => ((performance.now() - busy.startedAt) / 1000).toFixed(1);
      status.textContent = `Run ${busy.run}: ${busy.stage}… ${elapsed()} s`;
      // The elapsed time keeps moving between stage reports: proof the page is not frozen.
      window.clearInterval(ticking);
      ticking = window.setInterval(() => (status.textContent = `Run ${busy.run}: ${busy.stage}… ${elapsed()} s`), 100);
    } else {
      window.clearInterval(ticking);
      const last = state.log[state.log.length - 1];
      status.textContent = last?.status === 'done' ? `Run ${last.run} done in ${last.seconds?.toFixed(2)} s.` : '';
      status.dataset.lastRun = last ? String(last.run) : '';
      status.dataset.lastStatus = last?.status ?? '';
    }
    setChildren(message, state.message ? h('div', { class: state.message.kind, role: 'alert' }, state.message.text) : null);
  });
}
