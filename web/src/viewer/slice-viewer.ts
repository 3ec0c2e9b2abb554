/**
 * The slice viewer: tabs for the maps (input, scale, confidence, solvent definition, preview, modified maps),
 * an x / y / z axis choice and a slice slider. One canvas pixel per voxel, scaled up by CSS without smoothing,
 * so what is drawn is the data. The canvas carries the displayed slice's statistics as data attributes
 * (`data-mean` …): the page shows them, and the end-to-end tests compare them with the CLI's maps.
 */
import type { Store } from '../state/store.js';
import type { AppState, LayerId, SliceAxis } from '../state/app-state.js';
import { byId, formatNumber, h, setChildren } from '../dom.js';
import { isLayer, layers, type Layer } from './layers.js';
import { colourOf, paletteGradient, sliceImage, type ColourMapping } from './colormap.js';
import { planeAt, planeCount, positionOf, sliceStatistics, type Slice } from './slices.js';
import { saveBlob } from '../download/save.js';
import { mapStem } from '../../../src/report/output-names.js';
import { spatialAxisOf, type AxisName, type Triple } from '../../../src/format/mrc-format.js';

const AXES: SliceAxis[] = ['x', 'y', 'z'];

/**
 * The spatial axis a viewer axis (the file's: x = columns, y = rows, z = sections; slices.ts) runs along, for
 * labels: the same letter but for maps stored in another axis order, which ChimeraX shows turned accordingly.
 */
function spatialName(axis: SliceAxis, axisOrder: Triple | undefined): AxisName {
  return axisOrder ? spatialAxisOf(axisOrder, AXES.indexOf(axis) as 0 | 1 | 2) : axis;
}
/** Saved PNGs are scaled up (nearest neighbour) to at least this many pixels across. */
const PNG_MIN_WIDTH = 512;

export function mountSliceViewer(store: Store<AppState>): void {
  const tabs = byId('layer-tabs');
  const slider = byId<HTMLInputElement>('slice-slider');
  const sliceLabel = byId('slice-label');
  const canvas = byId<HTMLCanvasElement>('slice-canvas');
  const caption = byId('slice-caption');
  const readout = byId('slice-readout');
  const key = byId('slice-key');
  const missing = byId('slice-missing');
  let shown: { layer: Layer; slice: Slice } | undefined;

  for (const axis of AXES) {
    byId<HTMLInputElement>(`axis-${axis}`).addEventListener('change', () => {
      store.update((s) => ({ ...s, viewer: { ...s.viewer, axis } }));
    });
  }
  slider.addEventListener('input', () => {
    const layer = shown?.layer;
    if (!layer) return;
    const axis = store.get().viewer.axis;
    const position = positionOf(layer.shape, axis, Number(slider.value));
    store.update((s) => ({ ...s, viewer: { ...s.viewer, position } }));
  });
  canvas.addEventListener('mousemove', (event) => {
    if (!shown) return;
    const rect = canvas.getBoundingClientRect();
    const u = Math.floor(((event.clientX - rect.left) / rect.width) * shown.slice.width);
    const v = Math.floor(((event.clientY - rect.top) / rect.height) * shown.slice.height);
    const value = shown.slice.values[v * shown.slice.width + u];
    readout.textContent = value === undefined ? '' : `value at (${u}, ${v}): ${formatNumber(value, 5)}`;
  });
  canvas.addEventListener('mouseleave', () => (readout.textContent = ''));
  byId('save-slice-png').addEventListener('click', () => {
    if (!shown) return;
    const { viewer, maps } = store.get();
    const input = maps.input?.fileName ?? 'map';
    const axis = spatialName(viewer.axis, maps.input?.geometry.axisOrder);
    // The preview's caption says which modification it shows; the figure must too.
    const layer = shown.layer.id === 'preview' ? `${shown.layer.title} (${shown.layer.caption})` : shown.layer.title;
    const title = `${input} · ${layer} · ${axis} = ${shown.slice.index}`;
    const name = `${mapStem(input)}_${shown.layer.id.replace(':', '-')}_${axis}${shown.slice.index}.png`;
    void saveSlicePng(canvas, shown.layer.mapping, title, name);
  });

  store.subscribe((state) => {
    const all = layers(state);
    const current = all.find((l) => l.id === state.viewer.layer) ?? all[0];
    setChildren(
      tabs,
      ...all.map((l) =>
        h(
          'button',
          { type: 'button', class: `tab${l.id === current.id ? ' active' : ''}${isLayer(l) ? '' : ' missing'}`, 'data-layer': l.id, title: isLayer(l) ? l.caption : l.reason, 'aria-pressed': l.id === current.id },
          l.title,
        ),
      ),
    );
    for (const button of tabs.querySelectorAll<HTMLButtonElement>('button')) {
      button.addEventListener('click', () => store.update((s) => ({ ...s, viewer: { ...s.viewer, layer: button.dataset.layer as LayerId } })));
    }
    const axisOrder = state.maps.input?.geometry.axisOrder;
    for (const axis of AXES) {
      byId<HTMLInputElement>(`axis-${axis}`).checked = axis === state.viewer.axis;
      byId(`axis-${axis}-name`).textContent = spatialName(axis, axisOrder);
    }

    byId<HTMLButtonElement>('save-slice-png').disabled = !isLayer(current);
    if (!isLayer(current)) {
      shown = undefined;
      missing.textContent = current.reason;
      missing.hidden = false;
      canvas.hidden = true;
      slider.disabled = true;
      setChildren(caption);
      setChildren(key);
      byId('slice-stats').textContent = ''; // nothing drawn, nothing to measure
      canvas.removeAttribute('data-mean');
      canvas.dataset.layer = current.id;
      return;
    }
    missing.hidden = true;
    canvas.hidden = false;
    slider.disabled = false;
    const { axis, position } = state.viewer;
    const count = planeCount(current.shape, axis);
    const index = planeAt(current.shape, axis, position);
    slider.max = String(count - 1);
    slider.value = String(index);
    sliceLabel.textContent = `${spatialName(axis, axisOrder)} = ${index} of ${count}`;
    const slice = current.slice(axis, position);
    draw(canvas, current, slice);
    shown = { layer: current, slice };
    setChildren(caption, current.caption);
    setChildren(
      key,
      current.mapping.kind === 'palette'
        ? h('div', { class: 'colour-key' }, h('span', {}, formatNumber(current.mapping.low)), h('span', { class: 'bar', style: `background: ${paletteGradient()}` }), h('span', {}, formatNumber(current.mapping.high)))
        : null,
    );
  });
}

function draw(canvas: HTMLCanvasElement, layer: Layer, slice: Slice): void {
  canvas.width = slice.width;
  canvas.height = slice.height;
  canvas.getContext('2d')!.putImageData(sliceImage(slice.values, slice.width, slice.height, layer.mapping), 0, 0);
  const stats = sliceStatistics(slice.values);
  Object.assign(canvas.dataset, {
    layer: layer.id,
    index: String(slice.index),
    width: String(slice.width),
    height: String(slice.height),
    mean: String(stats.mean),
    min: String(stats.min),
    max: String(stats.max),
  });
  byId('slice-stats').textContent = `slice min ${formatNumber(stats.min)}, mean ${formatNumber(stats.mean)}, max ${formatNumber(stats.max)}`;
}

/**
 * The slice as a PNG a figure can use: scaled up (nearest neighbour) to at least PNG_MIN_WIDTH, under a title
 * line (map, layer, slice) and above a colour key with the values at its ends.
 */
async function saveSlicePng(canvas: HTMLCanvasElement, mapping: ColourMapping, title: string, name: string): Promise<void> {
  const factor = Math.max(1, Math.ceil(PNG_MIN_WIDTH / canvas.width));
  const [width, height] = [canvas.width * factor, canvas.height * factor];
  const [top, bottom, margin] = [28, 44, 12];
  const out = document.createElement('canvas');
  out.width = width;
  out.height = top + height + bottom;
  const context = out.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, out.width, out.height);
  context.fillStyle = '#000000';
  context.font = '14px sans-serif';
  context.textBaseline = 'middle';
  context.fillText(title, margin, top / 2, width - 2 * margin);
  context.imageSmoothingEnabled = false;
  context.drawImage(canvas, 0, top, width, height);
  // The key: the colours from `low` to `high`, as the slice was drawn.
  const [barX, barY, barWidth, barHeight] = [margin + 70, top + height + 10, width - 2 * (margin + 70), 14];
  for (let x = 0; x < barWidth; x++) {
    const [r, g, b] = colourOf(mapping.low + ((mapping.high - mapping.low) * x) / Math.max(1, barWidth - 1), mapping);
    context.fillStyle = `rgb(${r}, ${g}, ${b})`;
    context.fillRect(barX + x, barY, 1, barHeight);
  }
  context.fillStyle = '#000000';
  context.textAlign = 'right';
  context.fillText(formatNumber(mapping.low, 4), barX - 6, barY + barHeight / 2);
  context.textAlign = 'left';
  context.fillText(formatNumber(mapping.high, 4), barX + barWidth + 6, barY + barHeight / 2);
  const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/png'));
  if (blob) saveBlob(blob, name);
}
