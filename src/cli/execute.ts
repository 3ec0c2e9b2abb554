/**
 * Carries out a run plan: reads every input first (so a bad mask fails before anything is written), runs the
 * job (src/run, the same code the web app runs), then writes each output atomically.
 */
import * as path from 'node:path';
import type { RunPlan } from './plan.js';
import type { Console } from './console.js';
import { InputError } from '../run/errors.js';
import {
  discardPreparedFiles,
  prepareFiles,
  readMapFile,
  readMapFileOrPlanes,
  refuseToOverwriteInputs,
  refuseUnreplaceableTargets,
  writeFilesTogether,
  type FileSource,
  type FileToWrite,
  type PreparedFile,
} from '../io/map-file.js';
import { encodeMrcBody, MRC_HEADER_BYTES, type MapFile } from '../format/mrc-format.js';
import { runJob, type JobInput, type JobResult } from '../run/job.js';
import { frameOf } from '../core/pipeline/any-box.js';
import type { MapReady } from '../core/pipeline/estimate.js';
import { jobOutputs, plannedMapNames, type PlannedMaps } from '../run/outputs.js';
import { jobReport } from '../run/report.js';
import { loadFigureRenderers } from '../run/figures.js';
import { shellQuote } from '../run/command-line.js';
import { reportJson, type MemoryUse } from '../report/run-report.js';
import { svgToPng } from './plots.js';
import { memoryLimit } from '../io/memory-limit.js';
import { checkOutputFolder, isFolder, makeFolder } from '../io/folders.js';
import { startTemporaryJanitor } from '../io/temporaries.js';
import { checkFinite, checkHeader, checkInputMap, checkTargetMask, checkVoxelSize } from '../run/input-checks.js';
import { coarserMaxBoxThatFits, keepsTransformsApart, madeWhenWrittenToFit } from '../run/memory-fit.js';
import { fetchEmdbMap } from './emdb.js';
import { prefaultedInBackground, prefaultedWhileReading, workspaceMappedWhileReading } from './prefault.js';
import { reservableMapArrays } from '../run/memory.js';
import { ALL_MADE_WHOLE } from '../run/made-when-written.js';
import { releaseReservedArrays, reserveZeroedArrays } from '../core/buffers.js';
import { isPlaneSource, type PlaneSource, type Volume } from '../core/volume.js';
import { offerLowpassWorkspace } from '../core/fourier/single/simd-lowpass.js';
import { targetedOccupancyLine } from '../report/log-text.js';
import { DownSamplingReader, downSamplesWhileReading, inputBox, isDownSampledInput, type InputMap } from '../run/down-sampled-input.js';
import { figurePngName } from '../report/output-names.js';

/** Arrays mapped while the input is read (about what the reading leaves the other core time for). */
const PREFAULTED_WHILE_READING = 3;

/** The stages up to the end of the down-sampling (the embedding in a cube comes first, for other boxes). */
const BEFORE_DOWN_SAMPLING_ENDS = new Set(['embedding in a cube', 'down-sampling']);

/** What the CLI knows of its process that changes how a run uses memory (not what it computes). */
export interface ProcessMemory {
  /**
   * Whether typed arrays get transparent huge pages and WebAssembly memories do not (./huge-page-arrays.ts): a
   * map down-sampled as it is read then keeps its x transforms in a typed array
   * (`StreamedResampleOptions.transformsApart`). Asked only for such a map.
   */
  hugePageArrays: () => boolean;
  /** This process was relaunched for huge pages (bin/huge-pages.cjs), as the report says. */
  relaunched: boolean;
}

export async function executeRun(plan: RunPlan, out: Console, memory: ProcessMemory = { hugePageArrays: () => false, relaunched: false }): Promise<void> {
  startTemporaryJanitor(); // while the process is small (see io/temporaries.ts)
  const { options } = plan;
  for (const w of plan.warnings) out.warn(w);
  // A folder that can never be made fails now, not after the computation: the output folder, and the one -o
  // names for the modified maps.
  const outputMap = plan.settings.outputs.outputMap;
  await checkOutputFolder(plan.outputDir);
  if (outputMap) await checkOutputFolder(path.dirname(path.resolve(plan.outputDir, outputMap)));
  let inputPath = plan.input;
  if (!inputPath && plan.emdbId) {
    inputPath = await fetchEmdbMap(plan.emdbId, { server: options.emdbServer, directory: process.cwd(), say: (m) => out.info(m) });
  }
  if (!inputPath) throw new InputError('no input map: give -i/--input-map or --emdb.');

  out.stage('reading');
  const fileName = options.inputMap ?? path.basename(inputPath);
  const planned = plannedMapNames(plan.settings, fileName);
  refuseOutputNameClashes(plan, planned);
  // Any box (non-cubic and odd ones run embedded in an even cube: src/core/pipeline/any-box.ts). A box the
  // method cannot use, or a run that would not fit in memory, is refused from the header before reading.
  const masks = [options.solventDef, options.targetMask].filter(Boolean).length;
  try {
    return await readAndRun(plan, out, inputPath, fileName, planned, masks, memory);
  } finally {
    releaseReservedArrays();
    offerLowpassWorkspace(undefined); // when the run did not get as far as taking it
  }
}

async function readAndRun(
  plan: RunPlan,
  out: Console,
  inputPath: string,
  fileName: string,
  planned: PlannedMaps,
  masks: number,
  memory: ProcessMemory,
): Promise<void> {
  const { options, settings } = plan;
  const { names } = planned; // the names the job's outputs get (namesFor(job), known before it runs)
  // What reading and checking the inputs found odd but usable: printed now, and kept for the report.
  const inputWarnings: string[] = [];
  const warn = (w: string) => {
    inputWarnings.push(w);
    out.warn(w);
  };
  let whileReading: Promise<Float32Array[]> | undefined;
  let workspaceWhileReading: Promise<WebAssembly.Memory | undefined> | undefined;
  let laterMaps: number[] = [];
  // The maps the job makes as they are written (never held), decided from the header, and the rest of how the
  // run uses memory, for the report.
  let made = ALL_MADE_WHOLE;
  let memoryUse: MemoryUse | undefined;
  // A large map is down-sampled as it is read, never held, where the run allows (run/down-sampled-input.ts).
  let downSampling: DownSamplingReader | undefined;
  const read = await readMapFileOrPlanes(inputPath, {
    onHeader: (header, { canStream }) => {
      const replaceNonFinite = Boolean(options.replaceNonFinite);
      const streamed = canStream && downSamplesWhileReading(header, settings, { masks, replaceNonFinite });
      const shape: [number, number, number] = [header.nz, header.ny, header.nx];
      const limit = memoryLimit();
      const run = { shape, settings, masks, limit };
      const fitted = madeWhenWrittenToFit(run, { downSampledWhileReading: streamed }, plan.writeAsMadeFrom);
      made = fitted.made;
      if (fitted.toFit) out.info(`${fileName}: its large outputs are made as they are written, never held whole, so that the run fits in memory.`);
      const reading = { downSampledWhileReading: streamed, made };
      const hugePageArrays = streamed && memory.hugePageArrays();
      const transformsApart = keepsTransformsApart(run, reading, hugePageArrays);
      const targetMask = Boolean(options.targetMask);
      const coarserMaxBox = () =>
        coarserMaxBoxThatFits(run, (coarser) => canStream && downSamplesWhileReading(header, coarser, { masks, replaceNonFinite }), targetMask, plan.writeAsMadeFrom);
      checkHeader(fileName, header, settings, masks, limit, { ...reading, transformsApart, targetMask }, coarserMaxBox).forEach(warn);
      memoryUse = { relaunchedWithHugePages: memory.relaunched, transformsApart, madeAsWritten: { ...made }, madeAsWrittenToFit: fitted.toFit };
      // The maps the run will make, their memory mapped on other threads (src/cli/prefault.ts): the first
      // few while this one reads, the rest by a helper thread as the run goes on (the later ones by another,
      // below).
      const { estimating, later, workspaceBytes } = reservableMapArrays(shape, header.voxelSize[0], settings, streamed, made);
      // Down-sampled as it is read, the main thread works while reading, and mapping arrays on libuv's threads
      // then slowed it (512³: 2.14 → 1.98 s without, 7 interleaved runs each): the helper maps them all.
      const ahead = streamed ? 0 : PREFAULTED_WHILE_READING;
      whileReading = prefaultedWhileReading(estimating.slice(0, ahead));
      workspaceWhileReading = workspaceMappedWhileReading(workspaceBytes);
      reserveZeroedArrays(prefaultedInBackground(estimating.slice(ahead)));
      laterMaps = later;
      if (streamed) {
        const reader = new DownSamplingReader(header, settings.estimation.maxBox, { transformsApart });
        const apart = reader.transformsApart
          ? '; its x transforms are kept in an array of their own, which gets huge pages'
          : hugePageArrays
            ? '; its x transforms stay in the working memory: kept apart, they would take the run past the memory limit or the memory free now'
            : '';
        out.verbose(`${fileName}: down-sampled to ${settings.estimation.maxBox} voxels as it is read (the map itself is not kept${apart})`);
        downSampling = reader;
      }
    },
    planesTo: () => downSampling?.sink,
  });
  // A map without a voxel size is refused before the reader's warnings are printed: one of them says the same.
  checkVoxelSize(read.geometry, fileName);
  read.warnings.forEach(warn); // they may explain a refusal below
  // Ready, these are handed out before the helper's (reserveZeroedArrays).
  if (whileReading) {
    reserveZeroedArrays(await whileReading);
    // Not held from here: the run keeps what it takes only as long as it needs it (the cube another box is
    // embedded in is dropped after its down-sampling).
    whileReading = undefined;
  }
  const estimating = `Estimating local scale of ${fileName}...`;
  let map: InputMap;
  if ('volume' in read) {
    checkInputMap(read, fileName, options.replaceNonFinite).forEach(warn);
    map = read;
    if (workspaceWhileReading) offerLowpassWorkspace(await workspaceWhileReading);
  } else {
    // A map read without being kept went to the down-sampling (the only sink planesTo gives): its checks, then
    // the down-sampling's last stages, the first of the estimate.
    const reader = downSampling;
    if (!reader) throw new Error('a map was read without being kept, but not down-sampled');
    reader.check(read, fileName).forEach(warn);
    out.info(estimating);
    out.stage('down-sampling');
    map = reader.finish(read);
    // The job's Fourier steps go on in the down-sampling's working memory.
    offerLowpassWorkspace(reader.memory);
  }
  const input: JobInput = {
    map,
    fileName,
    solventDefinition: options.solventDef ? await readMask(options.solventDef, warn) : undefined,
    targetMask: options.targetMask ? await readMask(options.targetMask, warn, true) : undefined,
  };

  if (!isDownSampledInput(map)) out.info(estimating);
  const destination = (file: string) => path.resolve(plan.outputDir, file);
  const ahead = await writingAhead(plan, map, planned, destination, made.padded);
  let handedOver = false;
  let job: JobResult<Volume | PlaneSource>;
  let files: NamedFile[];
  try {
    try {
      job = runJob(
        input,
        settings,
        (stage) => {
          // Mapped only once the down-sampling is done: mapping a GB or so while it runs slowed it from ~0.8 to
          // ~1.7 s at 512³ (both cores faulting pages in at once).
          if (laterMaps.length > 0 && !BEFORE_DOWN_SAMPLING_ENDS.has(stage)) {
            reserveZeroedArrays(prefaultedInBackground(laterMaps));
            laterMaps = [];
          }
          out.stage(stage);
        },
        { ready: ahead.ready, madeWhenWritten: made },
      );
    } finally {
      releaseReservedArrays(); // what the run did not take (the helper thread skips those it has not begun)
    }
    for (const w of job.warnings) out.warn(w);
    const target = job.estimate.target;
    if (target) out.info(targetedOccupancyLine(target));

    out.stage('writing');
    if (isPlaneSource(job.box.scale)) out.verbose('scale and confidence are interpolated to the input box as they are written (never held whole)');
    const relativeInput = path.relative(plan.outputDir, inputPath) || path.basename(inputPath);
    const inputPathInScript = options.inputMap && !options.keepOutputPath && !options.outputDir ? options.inputMap : relativeInput;
    const figures = settings.outputs.plot ? await loadFigureRenderers() : undefined;
    files = [];
    for (const file of jobOutputs(job, { inputPathInScript, version: plan.version, figures, writers: true })) {
      files.push(file);
      if (file.kind === 'figure' && 'parts' in file) {
        files.push({ name: figurePngName(file.name), parts: [await svgToPng(new TextDecoder().decode(file.parts[0]))] });
      }
    }
    if (settings.outputs.report) {
      const outputs = [...files.map((f) => f.name), names.report];
      const finished = job;
      // Made once the other files are written: its times and peak memory count the maps made as they are
      // written, and the writing.
      const last = () => {
        const report = jobReport(finished, {
          version: plan.version,
          command: shellQuote(['occupy', ...process.argv.slice(2)]),
          outputs,
          warnings: [...plan.warnings, ...inputWarnings],
          stageSeconds: out.timings(),
          peakResidentMB: process.resourceUsage().maxRSS / 1024,
          memory: memoryUse,
        });
        return [new TextEncoder().encode(reportJson(report))];
      };
      files.push({ name: names.report, last });
    }
    const inputFiles = [inputPath, options.solventDef, options.targetMask].filter((f): f is string => Boolean(f)).map((f) => path.resolve(f));
    const targets = files.map((f) => destination(f.name));
    // The modified maps' paths follow -o when it is given, and --output-dir does not move them.
    const namedByO = new Set(settings.outputs.outputMap ? planned.modified.filter((m) => m.role.role !== 'factor').map((m) => destination(m.name)) : []);
    await refuseToOverwriteInputs(targets, inputFiles, (output) => (namedByO.has(output) ? 'give -o another name' : 'choose another output name or --output-dir'));
    await refuseUnreplaceableTargets(targets); // before any folder is made for them
    // The output folder and any -o names (the log is always in the output folder).
    for (const folder of new Set(files.map((f) => path.dirname(destination(f.name))))) await makeFolder(folder);
    // All or nothing: every output is complete on disk before any replaces an earlier run's file.
    handedOver = true;
    await writeFilesTogether(
      files.map(({ name, ...source }): FileToWrite => ({ ...source, path: destination(name) })),
      ahead.prepared,
    );
  } finally {
    if (!handedOver) await discardPreparedFiles(ahead.prepared);
  }
  out.done();
  await sayDone(plan, out, names.chimerax, files.map((f) => f.name));
}

/**
 * What the published program says when it is done (its suggestions kept word for word), then how to see the
 * result in ChimeraX, or ChimeraX started on it (`--show-chimerax`).
 */
async function sayDone(plan: RunPlan, out: Console, chimeraxScript: string, written: string[]): Promise<void> {
  const { settings, options } = plan;
  const modifying = settings.modification.modifications.length > 0;
  if (modifying) out.info('Done estimating local scale and modifying input by local scale.');
  else {
    out.info('Done estimating local scale');
    out.info('You *could* also modify according to estimated occupancy by using either amplify, attenuate, and/or sigmoid');
  }
  if (!settings.modification.excludeSolvent) out.info('You *could* also exclude solvent');
  if (settings.outputs.chimerax) {
    // From the working directory, unless that climbs out of it (`../../tmp/…`): then the full path reads better.
    const absolute = path.resolve(plan.outputDir, chimeraxScript);
    const relative = path.relative(process.cwd(), absolute) || chimeraxScript;
    const script = relative.startsWith(`..${path.sep}`) ? absolute : relative;
    if (options.showChimerax) {
      const { openInChimerax } = await import('./chimerax-launch.js');
      out.info(openInChimerax(script));
    } else {
      out.info(`\nYou should run chimeraX to visualize the output, using this command:\n${shellQuote(['chimerax', script])}\n`);
    }
  }
  out.verbose(`Wrote ${written.length} files to ${plan.outputDir}: ${written.join(', ')}`);
}

/** A file the run writes: its name (in the output folder) and what it holds. */
type NamedFile = FileSource & { name: string };

/**
 * For an even cube, whose scale, confidence and modified maps are written as the run makes them: their
 * temporaries, made now (when their folders exist; otherwise everything is written at the end), and the
 * `ready` hook that starts writing each map's voxels as soon as it is final, on a thread of libuv's pool,
 * while the run goes on (the header, which needs the map's statistics, follows with the other files). The
 * modified maps' names are those `modifyMaps` will give (one per modification, in its order, each followed by
 * its factor when factors are saved, or the solvent-excluded map alone); a temporary whose map turns out
 * otherwise is not used (writeFilesTogether checks every part written ahead).
 */
async function writingAhead(
  plan: RunPlan,
  map: InputMap,
  { names, modified }: PlannedMaps,
  destination: (file: string) => string,
  modifiedMadeWhenWritten: boolean,
): Promise<{ prepared: PreparedFile[]; ready?: MapReady }> {
  if (!frameOf(inputBox(map)).identity || !(await isFolder(plan.outputDir))) return { prepared: [] };
  const targets = new Map<string, string>([
    ['scale', destination(names.scale)],
    ['confidence', destination(names.confidence)],
  ]);
  // Modified maps padded back and made as they are written are written at the end, by their writers.
  if (!modifiedMadeWhenWritten) {
    modified.forEach((m, i) => {
      if (m.role.role !== 'factor') targets.set(`modified ${i}`, destination(m.name));
    });
  }
  const paths = [...targets.values()];
  if (!(await Promise.all(paths.map((p) => isFolder(path.dirname(p))))).every(Boolean)) return { prepared: [] };
  const prepared = await prepareFiles(paths);
  const ready: MapReady = (kind, map, index) => {
    const target = targets.get(kind === 'modified' ? `modified ${index}` : kind);
    prepared.find((p) => p.target === target)?.writeAhead(encodeMrcBody(map), MRC_HEADER_BYTES);
  };
  return { prepared, ready };
}

/**
 * `-o` naming a modified map like another output of the run (`-o scale_occ_map.mrc`): refused before the
 * work, saying which (writeFilesTogether would refuse it at the end too).
 */
function refuseOutputNameClashes(plan: RunPlan, { names, modified }: PlannedMaps): void {
  if (!plan.options.outputMap) return;
  const others: [string, string][] = [
    [names.scale, 'scale map'],
    [names.confidence, 'confidence map'],
    [names.log, 'log'],
    [names.report, 'report'],
    [names.chimerax, 'ChimeraX script'],
    ...modified.filter((m) => m.role.role === 'factor').map((m): [string, string] => [m.name, 'modification factor']),
  ];
  const where = (name: string) => path.resolve(plan.outputDir, name);
  for (const m of modified.filter((m) => m.role.role !== 'factor')) {
    const clash = others.find(([name]) => where(name) === where(m.name));
    if (clash) {
      throw new InputError(`-o ${plan.options.outputMap}: the modified map would have the ${clash[1]}'s name (${clash[0]}); choose another name.`);
    }
  }
}

async function readMask(file: string, warn: (w: string) => void, target = false): Promise<{ map: MapFile; fileName: string }> {
  const map = await readMapFile(path.resolve(file));
  map.warnings.forEach(warn);
  checkFinite(map.volume, file, '; a mask must be finite everywhere');
  if (target) checkTargetMask(map.volume, file);
  return { map, fileName: file };
}
