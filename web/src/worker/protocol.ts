/**
 * Messages between the page and the worker that holds the maps and runs jobs. The worker owns the opened maps
 * and the results of recent runs; the page gets copies of what it draws and asks for file bytes when the user
 * downloads them, so large maps cross the thread boundary only when needed.
 */
import type { MapGeometry, Triple } from '../../../src/format/mrc-format.js';
import type { RunSettings } from '../../../src/run/settings.js';
import type { ModificationRequest } from '../../../src/core/pipeline/modify.js';

/** Runs whose files the worker keeps for download, the latest; older ones are dropped so memory stays bounded. */
export const KEPT_RUNS = 3;

/** The maps a user can open: the input, and the optional scale map, solvent definition and target mask. */
export type MapRole = 'input' | 'scale' | 'solventDefinition' | 'targetMask';

export interface OpenedMap {
  role: MapRole;
  fileName: string;
  /** File order: [sections, rows, columns]. */
  shape: Triple;
  geometry: MapGeometry;
  valueRange: [number, number];
  /** A copy of the values, for the slice viewer. */
  data: Float32Array;
  warnings: string[];
}

export interface DisplayedMap {
  /** The file the map is downloaded as. */
  fileName: string;
  /** What it is, in words (e.g. "amplify 2"). */
  label: string;
  modification?: ModificationRequest;
  /** File order: [sections, rows, columns]. */
  shape: Triple;
  data: Float32Array;
}

/** What the page shows of a finished run. */
export interface RunSummary {
  run: number;
  seconds: number;
  stageSeconds: Record<string, number>;
  command: string;
  warnings: string[];
  scaleMode: 'res' | 'occ';
  /** Messages a run prints besides warnings (targeted occupancy). */
  notes: string[];
  used: {
    lowpass: number;
    kernelSize: number;
    kernelRadius: number;
    sampleCount: number;
    tau: number;
    tileSize: number;
    processingBox: number;
    processingVoxelSize: number;
  };
  figures: {
    fullScale: number;
    variabilityLimit: number;
    confidenceLimit: number;
    solventEdge: number;
    contentAt1pct: number;
    solventMean: number;
    solventSigma: number;
    solventModelIsBad: boolean;
    /** The ChimeraX script's contour level for the input: (s_max + solvent edge) / 2. */
    surfaceLevel: number;
  };
  /** As written: at the input's box, or at the processing box when §2 down-sampled an even cube. */
  scale: DisplayedMap;
  confidence: DisplayedMap;
  /** The down-sampled input, when the scale is at the processing box (the map modifications act on). */
  processing?: DisplayedMap;
  modified: DisplayedMap[];
  solventModelSvg: string;
  logText: string;
  files: { name: string; kind: 'map' | 'text' | 'figure'; bytes: number }[];
}

export interface FileBytes {
  name: string;
  kind: 'map' | 'text' | 'figure';
  bytes: Uint8Array;
}

export type WorkerRequest =
  /** Threads for the core's parallel steps (the first request; 1 = none beside the job worker). */
  | { id: number; type: 'configure'; threads: number }
  | { id: number; type: 'open'; role: MapRole; file: Blob; fileName: string }
  | { id: number; type: 'close'; role: MapRole }
  | { id: number; type: 'run'; run: number; settings: RunSettings; version: string }
  | { id: number; type: 'files'; run: number; names?: string[] }
  /** An opened map as float32 MRC bytes (for the 3D view; encoded here, off the page's thread). */
  | { id: number; type: 'encode'; role: MapRole }
  | { id: number; type: 'forget'; runs: number[] };

export type WorkerReply =
  | { id: number; type: 'configured'; threads: number }
  | { id: number; type: 'progress'; stage: string }
  | { id: number; type: 'opened'; map: OpenedMap }
  | { id: number; type: 'closed' }
  | { id: number; type: 'ran'; summary: RunSummary }
  | { id: number; type: 'files'; files: FileBytes[] }
  | { id: number; type: 'encoded'; bytes: Uint8Array }
  | { id: number; type: 'forgotten' }
  | { id: number; type: 'error'; message: string; userError: boolean };
