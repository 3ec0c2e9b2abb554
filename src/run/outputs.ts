/**
 * Every file a run writes, as names and bytes (METHOD.md §11): maps, log, ChimeraX script(s) and figures.
 * Pure: the CLI writes them to disk atomically, the web app offers them for download, and both get the same
 * bytes. Map bodies are views of the volumes (no copy); the report comes last (see `jobReport`), since it
 * lists the other files.
 */
import type { EncodeOptions, FileWriter, MapGeometry, Triple } from '../format/mrc-format.js';
import { encodeMrcBody, encodeMrcHeaders, geometryForBox, writeMrcAsMade } from '../format/mrc-format.js';
import { isPlaneSource, sameShape, wholeVolume, type PlaneSource, type Volume } from '../core/volume.js';
import { modifiedMapRoles, type ModifiedMapRole } from '../core/pipeline/modify.js';
import type { Estimate } from '../core/pipeline/estimate.js';
import { processingToInputVoxel, toInputBox } from '../core/pipeline/any-box.js';
import { outputNames, type OutputNames } from '../report/output-names.js';
import { logText } from '../report/log-text.js';
import { chimeraxScript, tileCentreAngstrom, type ChimeraxScriptInput } from '../report/chimerax-script.js';
import type { FigureRenderers } from './figures.js';
import type { RunSettings } from './settings.js';
import type { JobResult, ToolMap } from './job.js';
import { inputBox, inputShape } from './down-sampled-input.js';

export interface OutputFile {
  name: string;
  kind: 'map' | 'text' | 'figure';
  /** The file's bytes, in parts (header and body for maps) to be written one after the other. */
  parts: Uint8Array[];
}

/** A map file made as it is written (from a `PlaneSource`: see `JobOptions.madeWhenWritten`). */
export interface MadeWhenWrittenFile {
  name: string;
  kind: 'map';
  writer: FileWriter;
}

export interface OutputContext {
  /**
   * The caller writes files that are made as they are written (`MadeWhenWrittenFile`): maps the job gave as
   * plane sources are written so. Otherwise they are made whole first.
   */
  writers?: boolean;
  /** How the ChimeraX script refers to the input map (relative to where the outputs go). */
  inputPathInScript: string;
  version: string;
  /** The figure code, needed when the settings ask for plots (`loadFigureRenderers()`). */
  figures?: FigureRenderers;
}

/**
 * The maps a run will write and their names, from its settings alone (before it runs): the scale, the
 * confidence, and the modified maps in the order `modifyMaps` makes them (each modification, followed by its
 * factor when factors are saved; or the solvent-excluded copy alone).
 */
export interface PlannedMaps {
  names: OutputNames;
  modified: { role: ModifiedMapRole; name: string }[];
}

export function plannedMapNames(settings: RunSettings, fileName: string): PlannedMaps {
  const names = runOutputNames(settings, fileName);
  const roles = modifiedMapRoles(settings.modification);
  const modified = modifiedMapNames(roles, names, settings.outputs.outputMap);
  return { names, modified: roles.map((role, i) => ({ role, name: modified[i] })) };
}

/** The output names of a run of `settings` on the input `fileName`. */
function runOutputNames(settings: RunSettings, fileName: string): OutputNames {
  const { estimation, modification } = settings;
  return outputNames(fileName, { scaleMode: estimation.scaleMode, naive: estimation.naive, excludeSolvent: modification.excludeSolvent });
}

export function namesFor(job: JobResult<Volume | PlaneSource>): OutputNames {
  return runOutputNames(job.settings, job.input.fileName);
}

/** The maps of a run, named, in the order they are written and listed in the ChimeraX script. */
export function jobOutputs(job: JobResult<Volume | PlaneSource>, context: OutputContext & { writers: true }): (OutputFile | MadeWhenWrittenFile)[];
export function jobOutputs(job: JobResult<Volume | PlaneSource>, context: OutputContext & { writers?: false }): OutputFile[];
export function jobOutputs(job: JobResult<Volume | PlaneSource>, context: OutputContext): (OutputFile | MadeWhenWrittenFile)[] {
  const { estimate, settings } = job;
  const names = namesFor(job);
  const files: (OutputFile | MadeWhenWrittenFile)[] = [];
  const mode = estimate.request.scaleMode;
  const label = (what: string) => `${what} (occupy ${context.version})`;
  // Map headers are encoded together at the end (their statistics in one pass over all maps).
  const maps: MapToEncode[] = [];
  // Modified maps made as they are written share the job's working memory (`resampledPlanesSimd` in
  // core/fourier/single/simd-lowpass.ts): written one after another, each makes its state there once.
  let modifiedWritten: Promise<unknown> = Promise.resolve();
  const oneAfterAnother =
    (writer: FileWriter): FileWriter =>
    (write) => {
      const written = modifiedWritten.then(() => writer(write));
      modifiedWritten = written.catch(() => undefined);
      return written;
    };
  const mapFile = (name: string, map: Volume | PlaneSource, label: string, sharesMemory = false): OutputFile | MadeWhenWrittenFile => {
    const options = { labels: [label] };
    if (isPlaneSource(map) && context.writers) {
      const writer: FileWriter = (write) => writeMrcAsMade(map, geometryFor(job, map), options, write);
      return { name, kind: 'map', writer: sharesMemory ? oneAfterAnother(writer) : writer };
    }
    const volume = wholeVolume(map);
    const file: OutputFile = { name, kind: 'map', parts: [new Uint8Array(0), encodeMrcBody(volume)] };
    maps.push({ file, volume, geometry: geometryFor(job, volume), options });
    return file;
  };

  // Scale and confidence at the processing size for an even cube, else at the input's box (any-box.ts).
  files.push(mapFile(names.scale, job.box.scale, label(`occupy scale: ${mode}`)));
  files.push(mapFile(names.confidence, job.box.confidence, label('occupy solvent confidence')));
  const atOutputBox = (volume: Volume) => toInputBox(estimate, job.box.frame, volume, 'density');
  const modifiedNames = modifiedMapNames(job.modification.maps, names, settings.outputs.outputMap);
  job.modification.maps.forEach((m, i) => files.push(mapFile(modifiedNames[i], m.volume, label(describeModified(m)), true)));
  for (const tool of job.tools) files.push(mapFile(toolMapName(tool, names), tool.volume, label(describeTool(tool))));
  if (settings.outputs.saveAllMaps) {
    if (estimate.lowpassed !== estimate.processing) files.push(mapFile(names.lowpassed, atOutputBox(estimate.lowpassed), label('low-passed input')));
    if (estimate.downscaled) files.push(mapFile(names.downscaled, atOutputBox(estimate.processing), label('down-sampled input')));
  }

  const scriptInput = chimeraxInput(job, names, modifiedNames.filter((_, i) => job.modification.maps[i].role !== 'factor'), context);
  if (settings.outputs.chimerax) files.push(textFile(names.chimerax, chimeraxScript(scriptInput)));
  if (settings.outputs.chimeraxSilent) {
    const stem = names.chimeraxSilent.replace(/\.cxc$/, '');
    files.push(textFile(names.chimeraxSilent, chimeraxScript({ ...scriptInput, silent: true, viewStem: stem })));
  }
  files.push(textFile(names.log, jobLog(job)));
  encodeMrcHeaders(maps).forEach((header, i) => (maps[i].file.parts[0] = header));
  if (settings.outputs.plot) {
    const figures = context.figures;
    if (!figures) throw new Error('plots were asked for but no figure renderers were passed to jobOutputs');
    files.push(textFile(`${names.solventPlot}.svg`, figures.solventModelSvg(estimate, { title: `Solvent model of ${job.input.fileName}` }), 'figure'));
    if (settings.modification.modifications.length > 0) {
      const svg = figures.modificationCurvesSvg(settings.modification.modifications, { title: 'Modification by local scale' });
      files.push(textFile(`${names.modificationPlot}.svg`, svg, 'figure'));
    }
  }
  return files;
}

/** Output geometry: the input's for maps at its box, else scaled so the map overlays the input (§11). */
export function geometryFor(job: JobResult<Volume | PlaneSource>, volume: Pick<Volume, 'nz' | 'ny' | 'nx'>): MapGeometry {
  const input = job.input.map;
  const box = inputBox(input);
  if (sameShape(volume, box)) return input.geometry;
  return geometryForBox(input.geometry, inputShape(input), [volume.nz, volume.ny, volume.nx]);
}

interface MapToEncode {
  file: OutputFile;
  volume: Volume;
  geometry: MapGeometry;
  options: EncodeOptions;
}

function textFile(name: string, text: string, kind: 'text' | 'figure' = 'text'): OutputFile {
  return { name, kind, parts: [new TextEncoder().encode(text)] };
}

/**
 * File names of the modified maps. With `-o path/name.mrc` a single modified map takes that name; with
 * several, the stem of `-o` replaces the input's stem in each default name, in the folder of `-o` (e.g.
 * `-o out.mrc` gives `ampl_2.0_out.mrc` and `attn_3.0_out.mrc`), so they cannot overwrite each other.
 * Names are relative to the output folder ('/'-separated).
 */
export function modifiedMapNames(maps: readonly ModifiedMapRole[], names: OutputNames, outputMap?: string): string[] {
  const defaults = maps.map((m) => defaultModifiedName(m, names));
  if (!outputMap) return defaults;
  const results = maps.filter((m) => m.role !== 'factor');
  if (results.length === 1) return maps.map((m, i) => (m.role === 'factor' ? defaults[i] : outputMap));
  const slash = Math.max(outputMap.lastIndexOf('/'), outputMap.lastIndexOf('\\'));
  const folder = outputMap.slice(0, slash + 1);
  const stem = outputMap.slice(slash + 1).replace(/\.(mrc|map|ccp4)$/i, '');
  return maps.map((m, i) => (m.role === 'factor' ? defaults[i] : folder + defaults[i].replace(`${names.stem}.mrc`, `${stem}.mrc`)));
}

function defaultModifiedName(m: ModifiedMapRole, names: OutputNames): string {
  switch (m.role) {
    case 'modified':
      return names.modified(m.modification.kind, m.modification.power, m.modification.pivot);
    case 'factor':
      return names.modificationFactor(m.modification.kind);
    case 'solvent-excluded':
      return names.solventExcluded;
  }
}

function toolMapName(tool: ToolMap, names: OutputNames): string {
  if (tool.tool === 'solvent-definition') return names.solventDefinition(tool.threshold);
  return names.subtractionMask(tool.modification.kind, tool.modification.power, tool.modification.pivot);
}

function describeModified(m: ModifiedMapRole): string {
  if (m.role === 'solvent-excluded') return 'solvent excluded';
  const what = `${m.modification.kind} ${m.modification.power}${m.modification.pivot !== undefined ? ` pivot ${m.modification.pivot}` : ''}`;
  return m.role === 'factor' ? `modification factor, ${what}` : what;
}

function describeTool(tool: ToolMap): string {
  return tool.tool === 'solvent-definition'
    ? `solvent definition, scale > ${tool.threshold}`
    : `subtraction mask, ${tool.modification.kind} ${tool.modification.power}`;
}

/**
 * The input map's surface level the ChimeraX script sets and the web app's 3D view starts at: halfway between
 * the solvent's edge and the full scale, where the molecule shows and the solvent does not.
 */
export function mapSurfaceLevel(estimate: Estimate): number {
  return (estimate.fullScale.value + estimate.solvent.solventEdge) / 2;
}

function chimeraxInput(job: JobResult<Volume | PlaneSource>, names: OutputNames, modifiedFiles: string[], context: OutputContext): ChimeraxScriptInput {
  const { estimate, settings } = job;
  return {
    inputMap: context.inputPathInScript,
    scaleMap: names.scale,
    modifiedMaps: modifiedFiles,
    mapLevel: mapSurfaceLevel(estimate),
    scaleLevel: estimate.variabilityLimit,
    minVisScale: settings.outputs.minVisScale,
    tiles: tileSpheres(job),
    warning: estimate.confidence.modelIsBad
      ? `Solvent model fit is likely bad. ${settings.outputs.plot ? 'Check the output solModel*.png' : 'Run with --plot and check solModel*.png'}`
      : undefined,
  };
}

/** The max and min full-scale tiles as spheres in Å in the input's frame (absent with --S0). */
export function tileSpheres(job: JobResult<Volume | PlaneSource>): ChimeraxScriptInput['tiles'] {
  const { fullScale, inputVoxelSize, processing, inputBox } = job.estimate;
  if (!fullScale.maxTile || !fullScale.minTile || !fullScale.grid) return undefined;
  const geometry = job.input.map.geometry;
  const factor = processing.nx / inputBox;
  // A non-cubic or odd map ran in a cube: tile centres move by the input's offset in it.
  const centre = (c: readonly number[]) =>
    job.box.frame.identity
      ? tileCentreAngstrom(c, geometry, inputVoxelSize, factor)
      : tileCentreAngstrom(processingToInputVoxel(job.box, c), geometry, inputVoxelSize, 1);
  return {
    max: centre(fullScale.maxTile.centre),
    min: centre(fullScale.minTile.centre),
    radius: (inputVoxelSize * (fullScale.grid.size / 2)) / factor,
  };
}

export function jobLog(job: JobResult<Volume | PlaneSource>): string {
  const { estimate, settings } = job;
  const processingBox: Triple = [estimate.processing.nz, estimate.processing.ny, estimate.processing.nx];
  const modifying = settings.modification.modifications.length > 0 || settings.modification.excludeSolvent;
  return logText({
    inputName: job.input.fileName,
    inputVoxelSize: estimate.inputVoxelSize,
    inputShape: inputShape(job.input.map),
    processingShape: processingBox,
    processingVoxelSize: estimate.downscaled ? estimate.processingVoxelSize : undefined,
    boxRadius: Math.floor(processingBox[0] / 2),
    kernelSize: estimate.settings.kernel.size,
    kernelRadius: estimate.settings.kernel.radius,
    sampleCount: estimate.settings.kernel.sampleCount,
    tau: estimate.settings.tau,
    recommendedTau: estimate.settings.tauGiven ? estimate.settings.recommendedTau : undefined,
    lowpass: estimate.settings.lowpass,
    scaleMode: estimate.request.scaleMode,
    scaleLimit: settings.modification.scaleLimit,
    lowpassOutput: modifying ? settings.modification.lowpassOutput : undefined,
    contentAt1pct: estimate.solvent.contentAt1pct,
    solventEdge: estimate.solvent.solventEdge,
    solventPeak: estimate.solvent.fit.mu,
    fullScale: estimate.fullScale.value,
    variabilityLimit: estimate.variabilityLimit,
    confidenceLimit: estimate.confidenceLimit,
  });
}
