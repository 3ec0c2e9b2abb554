/**
 * Carries out a run plan: reads every input first (so a bad mask fails before anything is written), runs the
 * core, then writes each output atomically.
 */
import * as path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { RunPlan } from './plan.js';
import type { Console } from './console.js';
import { UserError } from './errors.js';
import { readMapFile, writeFileAtomic, writeMapFile } from '../io/map-file.js';
import { geometryForBox, type MapFile } from '../io/mrc-format.js';
import { estimate, type Estimate } from '../core/pipeline/estimate.js';
import { valueRange, type Volume } from '../core/volume.js';
import { outputNames, mapStem } from '../report/output-names.js';
import { logText } from '../report/log-text.js';
import { chimeraxScript, tileCentreAngstrom } from '../report/chimerax-script.js';
import { reportJson, type RunReport } from '../report/run-report.js';
import { modifyMaps, type ModifiedMap } from '../core/pipeline/modify.js';
import type { OutputNames } from '../report/output-names.js';
import { writePlots } from './plots.js';
import { checkFinite } from './input-checks.js';

export async function executeRun(plan: RunPlan, out: Console): Promise<void> {
  const { options } = plan;
  for (const w of plan.warnings) out.warn(w);
  const inputPath = plan.input;
  if (!inputPath) throw new UserError('no input map: give -i/--input-map or --emdb.');

  out.stage('reading');
  const input = await readMapFile(inputPath);
  const inputName = options.inputMap ?? path.basename(inputPath);
  const box = [input.volume.nz, input.volume.ny, input.volume.nx] as [number, number, number];
  if (!(box[0] === box[1] && box[1] === box[2])) {
    throw new UserError(`${inputName}: the map is ${box[2]}x${box[1]}x${box[0]} voxels; only cubic maps are supported so far.`);
  }
  if (box[0] % 2 !== 0) throw new UserError(`${inputName}: the map box (${box[0]}) is odd; only even boxes are supported so far.`);
  checkFinite(input.volume, inputName);
  const solventDefinition = options.solventDef ? await readMask(options.solventDef, input, '--solvent-def') : undefined;
  const targetMask = options.targetMask ? await readMask(options.targetMask, input, '--target-mask') : undefined;

  out.info(`Estimating local scale of ${inputName}...`);
  const voxelSize = Math.fround(input.geometry.voxelSize[0]);
  const result = estimate(
    input.volume,
    voxelSize,
    {
      scaleMode: plan.scaleMode,
      naive: options.S0,
      nlrc: options.nlrc,
      hedgeConfidence: options.hedgeConfidence,
      maxBox: options.maxBox,
      lowpass: options.lowpass,
      resolution: options.resolution,
      kernelSize: options.kernelSize,
      kernelRadius: options.kernelRadius,
      tau: options.tau,
      tileSize: options.tileSize,
      solventDefinition: solventDefinition?.volume,
      targetMask: targetMask?.volume,
    },
    (stage) => out.stage(stage),
  );
  for (const w of result.warnings) out.warn(w);
  if (result.target) {
    const t = result.target;
    out.info(
      `Targeted occupancy estimated to ${t.occupancy.toFixed(3)} using tau=${t.tau.toFixed(5)} from n_spec=${t.voxelCount} pixels in the target mask`,
    );
  }

  const modification = modifyMaps(
    result,
    input.volume,
    {
      modifications: plan.modifications,
      excludeSolvent: plan.excludeSolvent,
      omitConfidence: options.omitConfidence,
      scaleLimit: options.scaleLimit,
      lowpassOutput: options.lowpassOutput,
      histogramMatch: options.histMatch,
      seed: options.seed,
      saveFactors: options.saveAllMaps,
    },
    (stage) => out.stage(stage),
  );

  out.stage('writing');
  await mkdir(plan.outputDir, { recursive: true });
  const names = outputNames(inputPath, { scaleMode: plan.scaleMode, naive: options.S0, excludeSolvent: plan.excludeSolvent });
  const written: string[] = [];
  const target = (file: string) => path.join(plan.outputDir, file);
  const processingBox = [result.processing.nz, result.processing.ny, result.processing.nx] as [number, number, number];
  const processingGeometry = geometryForBox(input.geometry, box, processingBox);
  const writeMap = async (file: string, volume: Volume) => {
    const geometry = volume.nx === box[2] ? input.geometry : geometryForBox(input.geometry, box, [volume.nz, volume.ny, volume.nx]);
    await writeMapFile(target(file), volume, geometry);
    written.push(file);
  };
  const writeText = async (file: string, text: string) => {
    await writeFileAtomic(target(file), new TextEncoder().encode(text));
    written.push(file);
  };

  await writeMap(names.scale, result.scale);
  await writeMap(names.confidence, result.confidence.confidence);
  for (const m of modification.maps) await writeMap(modifiedMapName(m, names), m.volume);
  if (options.saveAllMaps) {
    if (result.lowpassed !== result.processing) await writeMap(names.lowpassed, result.lowpassed);
    if (result.downscaled) await writeMap(names.downscaled, result.processing);
  }
  void processingGeometry;

  const factor = processingBox[0] / box[0];
  const tiles =
    result.fullScale.maxTile && result.fullScale.minTile && result.fullScale.grid
      ? {
          max: tileCentreAngstrom(result.fullScale.maxTile.centre, input.geometry.axisOrder, input.geometry.start, voxelSize, factor),
          min: tileCentreAngstrom(result.fullScale.minTile.centre, input.geometry.axisOrder, input.geometry.start, voxelSize, factor),
          radius: (voxelSize * (result.fullScale.grid.size / 2)) / factor,
        }
      : undefined;
  const modifiedFiles = modification.maps.filter((m) => m.role !== 'factor').map((m) => modifiedMapName(m, names));
  const mapLevel = (result.fullScale.value + result.solvent.solventEdge) / 2;
  const relativeInput = path.relative(plan.outputDir, inputPath) || path.basename(inputPath);
  const warning = result.confidence.modelIsBad
    ? `Solvent model fit is likely bad. ${options.plot ? 'Check the output solModel*.png' : 'Run with --plot and check solModel*.png'}`
    : undefined;
  const scriptInput = {
    inputMap: options.inputMap && !options.keepOutputPath && !options.outputDir ? options.inputMap : relativeInput,
    scaleMap: names.scale,
    modifiedMaps: modifiedFiles,
    mapLevel,
    scaleLevel: result.variabilityLimit,
    minVisScale: options.minVisScale,
    tiles,
    warning,
  };
  if (options.chimerax || options.showChimerax) await writeText(names.chimerax, chimeraxScript(scriptInput));
  if (options.chimeraxSilent) {
    await writeText(names.chimeraxSilent, chimeraxScript({ ...scriptInput, silent: true, viewStem: `chimX_${mapStem(inputPath)}_silent` }));
  }

  await writeText(
    names.log,
    logText({
      inputName,
      inputVoxelSize: voxelSize,
      inputShape: box,
      processingShape: processingBox,
      processingVoxelSize: result.downscaled ? result.processingVoxelSize : undefined,
      boxRadius: Math.floor(processingBox[0] / 2),
      kernelSize: result.settings.kernel.size,
      kernelRadius: result.settings.kernel.radius,
      sampleCount: result.settings.kernel.sampleCount,
      tau: result.settings.tau,
      recommendedTau: result.settings.tauGiven ? result.settings.recommendedTau : undefined,
      lowpass: result.settings.lowpass,
      scaleMode: plan.scaleMode,
      scaleLimit: options.scaleLimit,
      lowpassOutput: plan.modifications.length > 0 || plan.excludeSolvent ? options.lowpassOutput : undefined,
      contentAt1pct: result.solvent.contentAt1pct,
      solventEdge: result.solvent.solventEdge,
      solventPeak: result.solvent.fit.mu,
      fullScale: result.fullScale.value,
      variabilityLimit: result.variabilityLimit,
      confidenceLimit: result.confidenceLimit,
    }),
  );

  if (options.plot) {
    out.stage('plotting');
    for (const file of await writePlots(result, plan.modifications, names, inputName, (f, bytes) => writeFileAtomic(target(f), bytes))) {
      written.push(file);
    }
  }

  if (options.report) {
    const report = buildReport(result, plan, input, inputName, tiles, written, out.timings());
    await writeText(names.report, reportJson(report));
  }
  out.done();

  if (plan.modifications.length > 0) out.info('Done estimating local scale and modifying input by local scale.');
  else {
    out.info('Done estimating local scale');
    out.info('You *could* also modify according to estimated occupancy by using either amplify, attenuate, and/or sigmoid');
  }
  if (!plan.excludeSolvent) out.info('You *could* also exclude solvent');
  if (options.chimerax || options.showChimerax) {
    const script = path.relative(process.cwd(), target(names.chimerax)) || names.chimerax;
    if (options.showChimerax) {
      const { openInChimerax } = await import('./chimerax-launch.js');
      out.info(openInChimerax(script));
    } else {
      out.info(`\nYou should run chimeraX to visualize the output, using this command:\nchimerax ${script}\n`);
    }
  }
  out.verbose(`Wrote ${written.length} files to ${plan.outputDir}: ${written.join(', ')}`);
}

async function readMask(file: string, input: MapFile, flag: string): Promise<MapFile> {
  const mask = await readMapFile(path.resolve(file));
  const a = input.volume;
  const b = mask.volume;
  if (a.nz !== b.nz || a.ny !== b.ny || a.nx !== b.nx) {
    throw new UserError(
      `${file}: the ${flag} mask is ${b.nx}x${b.ny}x${b.nz} voxels but the input map is ${a.nx}x${a.ny}x${a.nz}; they must have the same box.`,
    );
  }
  checkFinite(mask.volume, file);
  return mask;
}

function buildReport(
  result: Estimate,
  plan: RunPlan,
  input: MapFile,
  inputName: string,
  tiles: { max: [number, number, number]; min: [number, number, number]; radius: number } | undefined,
  written: string[],
  stageSeconds: Record<string, number>,
): RunReport {
  const { solvent, settings } = result;
  const edges = solvent.regionHistogram.edges;
  return {
    schema: 'occupy-report/1',
    tool: { name: 'occupy', version: plan.version },
    command: ['occupy', ...process.argv.slice(2)].join(' '),
    input: {
      file: inputName,
      box: [input.volume.nx, input.volume.ny, input.volume.nz],
      voxelSize: result.inputVoxelSize,
      valueRange: valueRange(input.volume.data),
    },
    settings: {
      scaleMode: plan.scaleMode,
      lowpass: settings.lowpass,
      kernelSize: settings.kernel.size,
      kernelRadius: settings.kernel.radius,
      sampleCount: settings.kernel.sampleCount,
      tau: settings.tau,
      recommendedTau: settings.recommendedTau,
      tileSize: settings.tileSize,
      naiveNormalisation: plan.options.S0,
      noiseLevelRecalibration: plan.options.nlrc,
      hedgeConfidence: plan.options.hedgeConfidence ?? null,
      maxBox: plan.options.maxBox,
      processingBox: result.processing.nx,
      processingVoxelSize: result.processingVoxelSize,
      scaleLimit: plan.options.scaleLimit,
      modifications: plan.modifications,
      excludeSolvent: plan.excludeSolvent,
      seed: plan.options.seed ?? null,
    },
    figures: {
      fullScale: result.fullScale.value,
      solventFit: { ...solvent.fit },
      solventLimits: {
        low: edges[solvent.limits.low],
        midLow: edges[solvent.limits.midlow],
        contentAt1pct: solvent.contentAt1pct,
        solventEdge: solvent.solventEdge,
        indices: { low: solvent.limits.low, midLow: solvent.limits.midlow, midHigh: solvent.limits.midhigh, high: solvent.limits.high },
      },
      variabilityLimit: result.variabilityLimit,
      confidenceLimit: result.confidenceLimit,
      solventModelIsBad: result.confidence.modelIsBad,
      maxTileCentre: tiles?.max ?? null,
      minTileCentre: tiles?.min ?? null,
      tileRadius: tiles?.radius ?? null,
      ...(result.target
        ? { targetOccupancy: { occupancy: result.target.occupancy, tau: result.target.tau, voxelCount: result.target.voxelCount } }
        : {}),
    },
    outputs: [...written],
    warnings: [...plan.warnings, ...result.warnings],
    performance: { stageSeconds, peakResidentMB: process.resourceUsage().maxRSS / 1024 },
  };
}

function modifiedMapName(m: ModifiedMap, names: OutputNames): string {
  switch (m.role) {
    case 'modified':
      return names.modified(m.modification.kind, m.modification.power, m.modification.pivot);
    case 'factor':
      return names.modificationFactor(m.modification.kind);
    case 'solvent-excluded':
      return names.solventExcluded;
  }
}
