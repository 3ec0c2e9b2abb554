/**
 * `report_<name>.json`: every setting used and every figure detected, so pipelines need not parse the log.
 * Plain data in, plain JSON out; versioned by `schema` so consumers can check what they read.
 */
export interface RunReport {
  schema: 'occupy-report/1';
  tool: { name: 'occupy'; version: string };
  command: string;
  input: { file: string; box: [number, number, number]; voxelSize: number; valueRange: [number, number] };
  settings: {
    scaleMode: 'res' | 'occ';
    lowpass: number;
    kernelSize: number;
    kernelRadius: number;
    sampleCount: number;
    tau: number;
    recommendedTau: number;
    tileSize: number;
    naiveNormalisation: boolean;
    noiseLevelRecalibration: boolean;
    hedgeConfidence: number | null;
    maxBox: number;
    processingBox: number;
    processingVoxelSize: number;
    scaleLimit: number;
    modifications: { kind: string; power: number; pivot?: number }[];
    excludeSolvent: boolean;
    seed: number | null;
  };
  figures: {
    fullScale: number;
    solventFit: { c: number; mu: number; sigma: number };
    solventLimits: {
      low: number;
      midLow: number;
      contentAt1pct: number;
      solventEdge: number;
      indices: { low: number; midLow: number; midHigh: number; high: number };
    };
    variabilityLimit: number;
    confidenceLimit: number;
    solventModelIsBad: boolean;
    maxTileCentre: [number, number, number] | null;
    minTileCentre: [number, number, number] | null;
    tileRadius: number | null;
    targetOccupancy?: { occupancy: number; tau: number; voxelCount: number };
  };
  outputs: string[];
  warnings: string[];
  /**
   * Where the time went (seconds per stage, up to writing the report), peak resident memory (MiB; null where it
   * cannot be measured: a browser gives no process memory) and, from the CLI, how it used memory.
   */
  performance: { stageSeconds: Record<string, number>; peakResidentMB: number | null; memory?: MemoryUse };
}

/** How the CLI used memory: the same outputs either way, only their memory and speed differ. */
export interface MemoryUse {
  /** The CLI ran in a child process started for transparent huge pages (bin/huge-pages.cjs). */
  relaunchedWithHugePages: boolean;
  /** The input was down-sampled as it was read, its x transforms kept in an array apart (in huge pages). */
  transformsApart: boolean;
  /** Maps made as they were written, never held whole: scale and confidence interpolated to the input's box, modified maps padded back to it. */
  madeAsWritten: { interpolated: boolean; padded: boolean };
  /** Made so because the run would not have fitted its memory limit (or the memory free) otherwise. */
  madeAsWrittenToFit: boolean;
}

export function reportJson(report: RunReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
