/**
 * What the user has set in the page, and how it becomes the `RunSettings` the CLI would build from the
 * equivalent flags. Settings left empty are not sent (the core derives them, as the CLI does when a flag is
 * absent), so the session log's command line names only what the user changed.
 */
import type { ScaleMode } from '../../../src/core/pipeline/estimate.js';
import { drawsSyntheticSolvent, type ModificationKind, type ModificationRequest } from '../../../src/core/pipeline/modify.js';
import { defaultSettings, resolveScaleMode, type RunSettings } from '../../../src/run/settings.js';

/** The kernel settings of METHOD.md §4 the user may override; undefined = computed from the map. */
export interface KernelOverrides {
  resolution?: number;
  lowpass?: number;
  kernelSize?: number;
  kernelRadius?: number;
  tau?: number;
  tileSize?: number;
}

export interface ModificationControl {
  enabled: boolean;
  power: number;
  /** Sigmoid only. */
  pivot?: number;
}

/** A field showing text that is not a valid value for it (kernel size 6, low-pass −5, …). */
export interface InvalidField {
  /** The control's element id. */
  id: string;
  /** The control's label, for the notice that names it. */
  label: string;
  /** What is wrong, in words ("must be an odd whole number"). */
  problem: string;
}

export interface FormState {
  /**
   * Fields whose text is not a valid value. The state keeps their last valid (or computed) value, which is
   * not what the field shows, so no run may start while any is listed: it would silently use another value.
   */
  invalidFields: readonly InvalidField[];
  kernel: KernelOverrides;
  /** 'auto': relative resolution, or occupancy when modifying (§5), as the CLI with neither flag. */
  scaleMode: 'auto' | ScaleMode;
  naive: boolean;
  nlrc: boolean;
  hedgeConfidence?: number;
  maxBox: number;

  modifications: Record<ModificationKind, ModificationControl>;
  /** The modification the live preview and the plot highlight. */
  previewKind: ModificationKind;
  scaleLimit: number;
  /** Solvent suppression by the confidence (§9); off = `--omit-confidence`. */
  useConfidence: boolean;
  excludeSolvent: boolean;
  lowpassOutput?: number;
  histogramMatch: boolean;
  /** Seed of the synthetic solvent; empty = a fresh one each run (reported in the log). */
  seed?: number;

  solventDefinitionTool: { enabled: boolean; threshold: number };
  subtractionMasks: boolean;

  plot: boolean;
  chimerax: boolean;
  minVisScale: number;
}

export const MODIFICATION_KINDS: readonly ModificationKind[] = ['amplify', 'attenuate', 'sigmoid'];

export function defaultForm(): FormState {
  const d = defaultSettings();
  return {
    invalidFields: [],
    kernel: {},
    scaleMode: 'auto',
    naive: d.estimation.naive,
    nlrc: d.estimation.nlrc,
    maxBox: d.estimation.maxBox,
    modifications: {
      amplify: { enabled: false, power: 2 },
      attenuate: { enabled: false, power: 2 },
      sigmoid: { enabled: false, power: 2, pivot: 0.5 },
    },
    previewKind: 'amplify',
    scaleLimit: d.modification.scaleLimit,
    useConfidence: !d.modification.omitConfidence,
    excludeSolvent: d.modification.excludeSolvent,
    histogramMatch: d.modification.histogramMatch,
    solventDefinitionTool: { enabled: false, threshold: 0.5 },
    subtractionMasks: d.tools.subtractionMasks,
    // Figures are part of what the page shows, so runs write them (the CLI's --plot).
    plot: true,
    chimerax: d.outputs.chimerax,
    minVisScale: d.outputs.minVisScale,
  };
}

/** The form with `field` listed as invalid (replacing an earlier entry for the same control). */
export function withInvalidField(form: FormState, field: InvalidField): FormState {
  return { ...form, invalidFields: [...form.invalidFields.filter((f) => f.id !== field.id), field] };
}

/** The form with the controls `ids` no longer listed as invalid (the same object when none was). */
export function withoutInvalidFields(form: FormState, ids: readonly string[]): FormState {
  const kept = form.invalidFields.filter((f) => !ids.includes(f.id));
  return kept.length === form.invalidFields.length ? form : { ...form, invalidFields: kept };
}

/** Why no run may start while fields are invalid, naming them; undefined when all are valid. */
export function invalidFieldsReason(form: FormState): string | undefined {
  if (form.invalidFields.length === 0) return undefined;
  return `Fix the highlighted settings first: ${form.invalidFields.map((f) => `${f.label}: ${f.problem}`).join('; ')}.`;
}

export function modificationRequest(kind: ModificationKind, control: ModificationControl): ModificationRequest {
  return kind === 'sigmoid' ? { kind, power: control.power, pivot: control.pivot ?? 0.5 } : { kind, power: control.power };
}

/** The modifications that are switched on and change something (a power of 1 is the identity, as on the CLI). */
export function enabledModifications(form: FormState): ModificationRequest[] {
  return MODIFICATION_KINDS.filter((k) => form.modifications[k].enabled && form.modifications[k].power > 1).map((k) =>
    modificationRequest(k, form.modifications[k]),
  );
}

export type RunPurpose = 'estimate' | 'modify';

/**
 * The scale mode a run with these modifications uses ("auto" as `occupy` resolves it: occupancy when modifying),
 * and the warning the CLI would print about it, if any.
 */
export function scaleModeOfRun(form: FormState, modifications: readonly ModificationRequest[]): ReturnType<typeof resolveScaleMode> {
  return resolveScaleMode(form.scaleMode === 'auto' ? undefined : form.scaleMode, modifications);
}

/**
 * The settings of an "Estimate scale" run (no modification) or a "Modify map" run (the enabled
 * modifications), with the warning the CLI would print about the scale mode, if any.
 */
export function runSettingsFor(form: FormState, purpose: RunPurpose): { settings: RunSettings; warnings: string[] } {
  const d = defaultSettings();
  const modifications = purpose === 'modify' ? enabledModifications(form) : [];
  const { scaleMode, warning } = scaleModeOfRun(form, modifications);
  const settings: RunSettings = {
    estimation: {
      scaleMode,
      naive: form.naive,
      nlrc: form.nlrc,
      hedgeConfidence: form.hedgeConfidence,
      maxBox: form.maxBox,
      ...definedOnly(form.kernel),
    },
    // An estimate makes no modified map: the modification settings stay at their defaults (so its command
    // line carries none), but for the scale limit, which the log reports.
    modification:
      purpose === 'modify'
        ? {
            modifications,
            excludeSolvent: form.excludeSolvent,
            omitConfidence: !form.useConfidence,
            scaleLimit: form.scaleLimit,
            lowpassOutput: form.lowpassOutput,
            histogramMatch: form.histogramMatch,
            // As on the command line: a seed only where synthetic solvent is drawn.
            seed: drawsSyntheticSolvent({ modifications, excludeSolvent: form.excludeSolvent }) ? form.seed : undefined,
            saveFactors: false,
          }
        : { ...d.modification, scaleLimit: form.scaleLimit },
    tools: {
      solventDefinitionThreshold: form.solventDefinitionTool.enabled ? form.solventDefinitionTool.threshold : undefined,
      // Subtraction masks are made from attenuate / sigmoid settings, so only a Modify run can make them.
      subtractionMasks: form.subtractionMasks && modifications.some((m) => m.kind !== 'amplify'),
    },
    outputs: { ...d.outputs, plot: form.plot, chimerax: form.chimerax, minVisScale: form.minVisScale },
  };
  return { settings, warnings: warning ? [warning] : [] };
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
