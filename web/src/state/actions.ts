/**
 * What the buttons do: open and close maps, start runs, fetch a run's files. Each action talks to the worker
 * and records the outcome in the store; panels only call these and draw the store.
 */
import { commandLine, shellQuote } from '../../../src/run/command-line.js';
import { jobStageCount } from '../../../src/run/stages.js';
import type { Store } from './store.js';
import { runWaitsFor, type AppState, type SessionEntry } from './app-state.js';
import { runSettingsFor, type RunPurpose } from './form.js';
import { sessionLogText } from './session-log.js';
import { UserError, type OccupyWorker } from '../worker/client.js';
import { KEPT_RUNS, type FileBytes, type MapRole } from '../worker/protocol.js';
import { svgToPng } from '../download/svg-png.js';
import { VERSION } from '../version.js';
import { figurePngName, figureSvgName } from '../../../src/report/output-names.js';

export class Actions {
  constructor(
    private readonly store: Store<AppState>,
    private readonly worker: OccupyWorker,
  ) {}

  async openMap(role: MapRole, file: File): Promise<void> {
    this.store.update((s) => ({ ...s, opening: { ...s.opening, [role]: file.name }, message: undefined }));
    try {
      const map = await this.worker.open(role, file, file.name);
      this.store.update((s) => {
        const next: AppState = { ...s, maps: { ...s.maps, [role]: map }, opening: { ...s.opening, [role]: undefined } };
        // A new input invalidates the previous run's maps (they belong to another map) and the typed overrides.
        if (role === 'input') return { ...next, result: undefined, form: { ...next.form, kernel: {} }, viewer: { ...next.viewer, layer: 'input' } };
        if (role === 'scale' && !s.result) return { ...next, viewer: { ...next.viewer, layer: 'scale' } };
        return next;
      });
    } catch (error) {
      this.store.update((s) => ({ ...s, opening: { ...s.opening, [role]: undefined }, message: { kind: 'error', text: describe(error) } }));
    }
  }

  async closeMap(role: MapRole): Promise<void> {
    await this.worker.close(role);
    this.store.update((s) => ({ ...s, maps: { ...s.maps, [role]: undefined } }));
  }

  /** "Estimate scale" or "Modify map": one numbered run in the session log. */
  async run(purpose: RunPurpose): Promise<void> {
    const state = this.store.get();
    const input = state.maps.input;
    if (!input || runWaitsFor(state) !== undefined) return;
    const run = state.nextRun;
    const { settings, warnings } = runSettingsFor(state.form, purpose);
    const files = { input: input.fileName, solventDefinition: state.maps.solventDefinition?.fileName, targetMask: state.maps.targetMask?.fileName };
    const entry: SessionEntry = {
      run,
      purpose,
      started: new Date().toISOString(),
      status: 'running',
      command: shellQuote(commandLine(settings, files)),
      inputName: input.fileName,
      warnings,
      notes: [],
      filesKept: false,
    };
    const stagesExpected = jobStageCount(input.shape, input.geometry.voxelSize[0], settings, {
      solventDefinition: state.maps.solventDefinition !== undefined,
      targetMask: state.maps.targetMask !== undefined,
    });
    this.store.update((s) => ({
      ...s,
      nextRun: run + 1,
      log: [...s.log, entry],
      message: undefined,
      busy: { run, purpose, stage: 'starting', stagesDone: 0, stagesExpected, startedAt: performance.now() },
    }));
    const updateEntry = (change: Partial<SessionEntry>) => (s: AppState) => ({ ...s, log: s.log.map((e) => (e.run === run ? { ...e, ...change } : e)) });
    try {
      const summary = await this.worker.run(run, settings, VERSION, (stage) =>
        this.store.update((s) => (s.busy ? { ...s, busy: { ...s.busy, stage, stagesDone: s.busy.stagesDone + 1 } } : s)),
      );
      this.store.update((s) => {
        const kept = new Set([run, ...s.log.filter((e) => e.filesKept).map((e) => e.run)].sort((a, b) => b - a).slice(0, KEPT_RUNS));
        const next = updateEntry({
          status: 'done',
          // The worker's line: with the seed the run drew, where it drew one.
          command: summary.command,
          seconds: summary.seconds,
          warnings: [...warnings, ...summary.warnings],
          notes: summary.notes,
          logText: summary.logText,
        })(s);
        // After an estimate, show the scale; after a modification, the first modified map.
        const layer = purpose === 'modify' && summary.modified.length > 0 ? ('modified:0' as const) : ('scale' as const);
        return {
          ...next,
          log: next.log.map((e) => ({ ...e, filesKept: kept.has(e.run) })),
          result: summary,
          busy: undefined,
          viewer: { ...next.viewer, layer },
        };
      });
    } catch (error) {
      this.store.update((s) => ({ ...updateEntry({ status: 'failed', error: describe(error) })(s), busy: undefined, message: { kind: 'error', text: describe(error) } }));
    }
  }

  /**
   * A run's files as the CLI writes them: each SVG figure is followed by its PNG, drawn here (see svg-png.ts).
   * `names` picks some (PNG names are drawn from their SVG); all by default.
   */
  async runFiles(run: number, names?: string[]): Promise<FileBytes[]> {
    const wanted = names?.map(figureSvgName);
    const files = await this.worker.files(run, wanted);
    const out: FileBytes[] = [];
    for (const f of files) {
      if (!names || names.includes(f.name)) out.push(f);
      const png = figurePngName(f.name);
      if (f.kind === 'figure' && (!names || names.includes(png))) {
        out.push({ name: png, kind: 'figure', bytes: await svgToPng(new TextDecoder().decode(f.bytes)) });
      }
    }
    return out;
  }

  /** An opened map as MRC bytes (made in the worker). */
  encodedMap(role: MapRole): Promise<Uint8Array> {
    return this.worker.encode(role);
  }

  /**
   * Empties the log of finished runs; the latest result stays on screen, so its files stay downloadable, and
   * a run still going keeps its entry (it is filled in when the run ends).
   */
  async clearLog(): Promise<void> {
    const current = this.store.get().result?.run;
    const finished = this.store.get().log.filter((e) => e.status !== 'running').map((e) => e.run);
    await this.worker.forget(finished.filter((run) => run !== current));
    this.store.update((s) => ({ ...s, log: s.log.filter((e) => !finished.includes(e.run)) }));
  }

  sessionLogText(): string {
    return sessionLogText(this.store.get().log, VERSION);
  }

  showError(error: unknown): void {
    this.store.update((s) => ({ ...s, message: { kind: 'error', text: describe(error) } }));
  }
}

function describe(error: unknown): string {
  if (error instanceof UserError) return error.message;
  return `internal error: ${error instanceof Error ? error.message : String(error)} (please report it)`;
}
