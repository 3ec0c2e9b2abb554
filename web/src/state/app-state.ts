/** Everything the page shows, in one object (see store.ts). */
import type { MapRole, OpenedMap, RunSummary } from '../worker/protocol.js';
import { defaultForm, invalidFieldsReason, type FormState, type RunPurpose } from './form.js';
import { masksBlockingRuns } from './map-fit.js';

/** One numbered run of the session log. */
export interface SessionEntry {
  run: number;
  purpose: RunPurpose;
  /** ISO time the run started. */
  started: string;
  status: 'running' | 'done' | 'failed';
  /** The equivalent `occupy` command line. */
  command: string;
  /** The input map's file name (names the run's zip). */
  inputName: string;
  seconds?: number;
  warnings: string[];
  notes: string[];
  logText?: string;
  error?: string;
  /** Whether the worker still holds this run's files for download. */
  filesKept: boolean;
}

export type SliceAxis = 'x' | 'y' | 'z';

/** What the slice viewer can show; `modified:<i>` is the i-th modified map of the latest run. */
export type LayerId = 'input' | 'scale' | 'confidence' | 'solventDefinition' | 'preview' | `modified:${number}`;

export interface ViewerState {
  layer: LayerId;
  axis: SliceAxis;
  /** Slice position as a fraction of the box (0…1), so maps of different boxes show the same place. */
  position: number;
}

export interface BusyState {
  run: number;
  purpose: RunPurpose;
  stage: string;
  stagesDone: number;
  stagesExpected: number;
  startedAt: number;
}

export interface AppState {
  maps: Partial<Record<MapRole, OpenedMap>>;
  opening: Partial<Record<MapRole, string>>;
  form: FormState;
  /** The latest successful run. */
  result?: RunSummary;
  busy?: BusyState;
  log: SessionEntry[];
  nextRun: number;
  message?: { kind: 'error' | 'info'; text: string };
  viewer: ViewerState;
}

export function initialState(): AppState {
  return {
    maps: {},
    opening: {},
    form: defaultForm(),
    log: [],
    nextRun: 1,
    viewer: { layer: 'input', axis: 'z', position: 0.5 },
  };
}

/**
 * What a run waits for, if anything: undefined when it can start; otherwise what to tell the user (a map
 * being read: the run, and its logged command line, would take the old one; a setting showing a value the run
 * would not use; no map yet; a mask of another box, which the run would refuse), or '' while a run goes on.
 */
export function runWaitsFor(state: AppState): string | undefined {
  const reading = Object.values(state.opening).find(Boolean);
  if (reading) return `Reading ${reading}…`;
  const invalid = invalidFieldsReason(state.form);
  if (invalid) return invalid;
  if (!state.maps.input) return 'Open a map first.';
  const masks = masksBlockingRuns(state);
  if (masks) return masks;
  return state.busy ? '' : undefined;
}
