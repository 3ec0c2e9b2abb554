/**
 * The ChimeraX script's visible state, followed command by command: `open` adds a shown model, `hide #n` /
 * `show #n` change it. The views the silent variant saves must show a map: the first modified map when there
 * is one, else the input coloured by the scale.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chimeraxScript, type ChimeraxScriptInput } from '../../src/report/chimerax-script.js';

/** Models shown when the first `save` runs (only the maps opened by `open`). */
function shownAtFirstSave(script: string): number[] {
  const shown = new Set<number>();
  let opened = 0;
  for (const line of script.split('\n')) {
    const [command, target] = line.trim().split(/\s+/);
    if (command === 'open') shown.add(++opened);
    else if ((command === 'hide' || command === 'show') && /^#\d+$/.test(target ?? '')) {
      const model = Number(target.slice(1));
      if (command === 'hide') shown.delete(model);
      else shown.add(model);
    } else if (command === 'save') return [...shown].filter((m) => m <= opened).sort();
  }
  throw new Error('no save command');
}

const base: ChimeraxScriptInput = {
  inputMap: 'map.mrc',
  scaleMap: 'scale_occ_map.mrc',
  modifiedMaps: [],
  mapLevel: 0.5,
  scaleLevel: 0.2,
  minVisScale: 0.2,
  tiles: { max: [1, 2, 3], min: [4, 5, 6], radius: 3 },
  silent: true,
  viewStem: 'chimX_map_silent',
};

test('the silent views show the input coloured by the scale when nothing was modified', () => {
  assert.deepEqual(shownAtFirstSave(chimeraxScript(base)), [1]);
});

test('the silent views show the first modified map when there are modified maps', () => {
  const script = chimeraxScript({ ...base, modifiedMaps: ['ampl_2.0_map.mrc', 'attn_2.0_map.mrc'] });
  assert.deepEqual(shownAtFirstSave(script), [3]);
  assert.equal((script.match(/^save chimX_map_silent_rot\d\.png/gm) ?? []).length, 4);
});
