/**
 * The slice viewer's tabs: for each, where its slices come from and how they are coloured. Stored maps (input,
 * scale, confidence, modified maps) are cut directly; the solvent-definition tool and the modification
 * preview are computed per slice from the maps they derive from, so they follow their sliders live.
 */
import { solventDefinitionFromScale } from '../../../src/core/modify/index.js';
import type { AppState, LayerId, SliceAxis } from '../state/app-state.js';
import { enabledModifications, modificationRequest, scaleModeOfRun } from '../state/form.js';
import type { ColourMapping } from './colormap.js';
import { extractSlice, planeAt, type Slice, type SliceSource } from './slices.js';
import { previewSlice } from './modification-preview.js';
import { fixedLikePython } from '../../../src/report/python-format.js';

export interface Layer {
  id: LayerId;
  title: string;
  mapping: ColourMapping;
  /** Box of the maps the slices come from (file order). */
  shape: readonly [number, number, number];
  slice(axis: SliceAxis, position: number): Slice;
  /** Shown under the slice: where the layer comes from. */
  caption: string;
}

/** Why a tab has nothing to show yet. */
export interface MissingLayer {
  id: LayerId;
  title: string;
  reason: string;
}

function stored(id: LayerId, title: string, source: SliceSource, mapping: ColourMapping, caption: string): Layer {
  return { id, title, mapping, shape: source.shape, caption, slice: (axis, position) => extractSlice(source, axis, planeAt(source.shape, axis, position)) };
}

/** The scale the preview and tools use: the latest run's, else a scale map the user opened. */
function currentScale(state: AppState): { source: SliceSource; caption: string } | undefined {
  if (state.result) return { source: state.result.scale, caption: `run ${state.result.run}` };
  const opened = state.maps.scale;
  if (opened) return { source: { data: opened.data, shape: opened.shape }, caption: opened.fileName };
  return undefined;
}

export function layers(state: AppState): (Layer | MissingLayer)[] {
  const input = state.maps.input;
  const out: (Layer | MissingLayer)[] = [];
  if (!input) return [{ id: 'input', title: 'Input', reason: 'Open a map to begin.' }];
  const densityRange: ColourMapping = { kind: 'grey', low: input.valueRange[0], high: input.valueRange[1] };
  out.push(stored('input', 'Input', { data: input.data, shape: input.shape }, densityRange, input.fileName));

  const scale = currentScale(state);
  out.push(
    scale
      ? stored('scale', 'Scale', scale.source, { kind: 'palette', low: 0, high: 1 }, `local scale, ${scale.caption}`)
      : { id: 'scale', title: 'Scale', reason: 'Estimate the scale (or open a scale map) to see it.' },
  );

  const result = state.result;
  out.push(
    result
      ? stored('confidence', 'Confidence', result.confidence, { kind: 'grey', low: 0, high: 1 }, `solvent confidence, run ${result.run}`)
      : { id: 'confidence', title: 'Confidence', reason: 'Estimate the scale to see the solvent confidence.' },
  );

  out.push(solventDefinitionLayer(state, scale?.source));
  out.push(previewLayer(state, scale?.source, densityRange));

  result?.modified.forEach((m, i) => {
    out.push(stored(`modified:${i}`, `Modified: ${m.label}`, m, densityRange, `${m.fileName}, run ${result.run}`));
  });
  return out;
}

function solventDefinitionLayer(state: AppState, scale: SliceSource | undefined): Layer | MissingLayer {
  const tool = state.form.solventDefinitionTool;
  const mapping: ColourMapping = { kind: 'grey', low: 0, high: 1 };
  if (tool.enabled && scale) {
    return {
      id: 'solventDefinition',
      title: 'Solvent definition',
      mapping,
      shape: scale.shape,
      caption: `scale > ${fixedLikePython(tool.threshold, 2)} (the tool's binarised preview; white = content)`,
      slice(axis, position) {
        const s = extractSlice(scale, axis, planeAt(scale.shape, axis, position));
        return { ...s, values: solventDefinitionFromScale(s.values, tool.threshold) };
      },
    };
  }
  const opened = state.maps.solventDefinition;
  if (opened) return stored('solventDefinition', 'Solvent definition', { data: opened.data, shape: opened.shape }, mapping, opened.fileName);
  return {
    id: 'solventDefinition',
    title: 'Solvent definition',
    reason: 'Open a solvent definition, or switch on the tool "solvent definition from scale" (needs a scale).',
  };
}

function previewLayer(state: AppState, scale: SliceSource | undefined, densityRange: ColourMapping): Layer | MissingLayer {
  const input = state.maps.input!;
  const kind = state.form.previewKind;
  const title = 'Preview';
  if (!scale) return { id: 'preview', title, reason: 'Estimate the scale first: the preview modifies the map by it.' };
  const result = state.result;
  // The modification acts on the processing map: the down-sampled input when the scale is at its box.
  const map: SliceSource = result?.processing ?? input;
  if (map.shape.join() !== scale.shape.join()) {
    return { id: 'preview', title, reason: 'The opened scale map does not have the input map\'s box; estimate the scale to preview.' };
  }
  const confidence = result && state.form.useConfidence ? { data: result.confidence.data, shape: map.shape } : undefined;
  const control = state.form.modifications[kind];
  const modification = modificationRequest(kind, control);
  const label = kind === 'sigmoid' ? `sigmoid ${control.power}, pivot ${control.pivot}` : `${kind} ${control.power}`;
  return {
    id: 'preview',
    title,
    mapping: densityRange,
    shape: map.shape,
    caption:
      `preview of ${label} by the ${result ? (result.scaleMode === 'occ' ? 'occupancy' : 'resolution') + ' scale of run ' + result.run : 'opened scale'}` +
      (result ? '' : ', without confidence') +
      modifyScaleNote(state, result?.scaleMode),
    slice(axis, position) {
      const index = planeAt(map.shape, axis, position);
      const x = extractSlice(map, axis, index);
      const values = previewSlice(
        {
          map: x.values,
          scale: extractSlice(scale, axis, index).values,
          confidence: confidence ? extractSlice(confidence, axis, index).values : null,
          valueRange: input.valueRange,
          solvent: result ? { mu: result.figures.solventMean, sigma: result.figures.solventSigma } : undefined,
        },
        { modification, scaleLimit: state.form.scaleLimit, excludeSolvent: state.form.excludeSolvent, seed: state.form.seed ?? 1 },
      );
      return { ...x, values };
    },
  };
}

export function isLayer(layer: Layer | MissingLayer): layer is Layer {
  return 'slice' in layer;
}

/**
 * Where "Modify map" would estimate another scale than the one previewed (in "auto" mode a modification runs
 * on the occupancy scale, as `occupy` does): said, since its result then differs from the preview.
 */
function modifyScaleNote(state: AppState, previewed: 'res' | 'occ' | undefined): string {
  const modifications = enabledModifications(state.form);
  if (!previewed || modifications.length === 0) return '';
  const { scaleMode } = scaleModeOfRun(state.form, modifications);
  if (scaleMode === previewed) return '';
  const name = scaleMode === 'occ' ? 'occupancy' : 'resolution';
  return `. Modify map will use the ${name} scale, so its map differs from this preview: set the scale mode to ${name} and estimate again to preview it exactly`;
}
