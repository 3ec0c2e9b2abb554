/**
 * The maps panel: open the input map, and optionally a scale map, a solvent definition and a target mask, by
 * file picker or drag-and-drop (.mrc, .map, .ccp4, gzipped too). Shows each map's box, voxel size and
 * value range. A file dropped anywhere else on the page opens as the input map.
 */
import type { Store } from '../state/store.js';
import type { AppState } from '../state/app-state.js';
import type { Actions } from '../state/actions.js';
import type { MapRole, OpenedMap } from '../worker/protocol.js';
import { byId, formatNumber, h, setChildren } from '../dom.js';
import { fitToInput } from '../state/map-fit.js';
import { isStandardAxisOrder, spatialCounts, storageOf } from '../../../src/format/mrc-format.js';

const ROLES: { role: MapRole; title: string; hint: string }[] = [
  { role: 'input', title: 'Input map', hint: 'the map to estimate and modify' },
  { role: 'scale', title: 'Scale map', hint: 'a scale map from an earlier run, to view and preview with' },
  { role: 'solventDefinition', title: 'Solvent definition', hint: 'mask that helps the solvent model (--solvent-def)' },
  { role: 'targetMask', title: 'Target mask', hint: 'region whose occupancy to report (--target-mask)' },
];

export const MAP_FILE_TYPES = '.mrc,.map,.ccp4,.gz';

export function mountFilesPanel(store: Store<AppState>, actions: Actions): void {
  const panel = byId('files-panel');
  const cards = new Map<MapRole, HTMLElement>();
  for (const { role, title, hint } of ROLES) {
    const input = h('input', { type: 'file', id: `open-${role}`, accept: MAP_FILE_TYPES, class: 'visually-hidden' });
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file) void actions.openMap(role, file);
      input.value = '';
    });
    const card = h(
      'div',
      { class: 'map-card', 'data-role': role },
      h('div', { class: 'map-card-head' }, h('strong', {}, title), h('label', { for: `open-${role}`, class: 'button small' }, 'Open…'), input),
      h('div', { class: 'map-info', id: `info-${role}` }),
    );
    card.title = `${hint}. Drop a file here or use Open….`;
    acceptDrops(card, (file) => void actions.openMap(role, file));
    cards.set(role, card);
    panel.append(card);
  }
  // Dropping a file elsewhere must not make the browser navigate to it; it opens as the input map.
  acceptDrops(document.body, (file) => void actions.openMap('input', file));

  store.subscribe((state, previous) => {
    if (previous && state.maps === previous.maps && state.opening === previous.opening) return;
    for (const { role, hint } of ROLES) {
      const info = byId(`info-${role}`);
      const map = state.maps[role];
      const opening = state.opening[role];
      if (opening) setChildren(info, h('span', { class: 'muted' }, `reading ${opening}…`));
      else if (map) setChildren(info, ...describeMap(map, fitToInput(state, role), () => void actions.closeMap(role), role !== 'input'));
      else setChildren(info, h('span', { class: 'muted' }, role === 'input' ? 'Drop a map here (or anywhere on the page), or use Open….' : `optional: ${hint}`));
      cards.get(role)!.classList.toggle('loaded', Boolean(map));
    }
  });
}

function describeMap(map: OpenedMap, fit: readonly string[], close: () => void, closable: boolean): Node[] {
  // Along x, y and z, as the voxel size is given and ChimeraX shows the map, whatever order the file keeps.
  const { axisOrder } = map.geometry;
  const [bx, by, bz] = spatialCounts(map.shape, axisOrder);
  const [vx, vy, vz] = map.geometry.voxelSize;
  const voxel = vx === vy && vy === vz ? `${formatNumber(vx)} Å` : `${formatNumber(vx)} × ${formatNumber(vy)} × ${formatNumber(vz)} Å`;
  const closeButton = h('button', { type: 'button', class: 'link', title: 'close this map' }, 'close');
  closeButton.addEventListener('click', close);
  return [
    h('div', { class: 'file-name' }, map.fileName, closable ? ' ' : '', closable ? closeButton : null),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'box'),
      h('dd', { 'data-fact': 'box' }, `${bx} × ${by} × ${bz}`),
      ...(isStandardAxisOrder(axisOrder)
        ? []
        : [
            h('dt', {}, 'stored as'),
            h('dd', { 'data-fact': 'axis-order' }, storageOf(axisOrder)),
          ]),
      h('dt', {}, 'voxel size'),
      h('dd', { 'data-fact': 'voxel-size' }, voxel),
      h('dt', {}, 'values'),
      h('dd', { 'data-fact': 'value-range' }, `${formatNumber(map.valueRange[0])} … ${formatNumber(map.valueRange[1])}`),
    ),
    ...[...map.warnings, ...fit].map((w) => h('div', { class: 'warning' }, w)),
  ];
}

function acceptDrops(target: HTMLElement, open: (file: File) => void): void {
  target.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.stopPropagation();
    target.classList.add('drop-target');
  });
  target.addEventListener('dragleave', () => target.classList.remove('drop-target'));
  target.addEventListener('drop', (event) => {
    event.preventDefault();
    event.stopPropagation();
    target.classList.remove('drop-target');
    const file = event.dataTransfer?.files[0];
    if (file) open(file);
  });
}
