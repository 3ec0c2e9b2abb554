/**
 * Which maps a CLI run makes as they are written (src/run/made-when-written.ts): only large ones, and only where
 * the job does not need them whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MADE_WHEN_WRITTEN_MIN_VOXELS, madeWhenWritten } from '../../src/run/made-when-written.js';
import { defaultSettings, type RunSettings } from '../../src/run/settings.js';
import { hasWasmSimd } from '../../src/core/wasm/assembler.js';

function settingsWith(change: (s: RunSettings) => void = () => {}): RunSettings {
  const s = defaultSettings();
  change(s);
  return s;
}

test('large maps at the input box are made as they are written, unless the job needs them whole', () => {
  const simd = hasWasmSimd();
  const both = (interpolated: boolean, padded: boolean) => ({ interpolated, padded: padded && simd });
  assert.equal(MADE_WHEN_WRITTEN_MIN_VOXELS, 2 ** 26);
  const cases: [string, [number, number, number], RunSettings, number | undefined, { interpolated: boolean; padded: boolean }][] = [
    ['768³: modified maps padded back', [768, 768, 768], settingsWith(), undefined, both(false, true)],
    ['700×768×640: scale and confidence interpolated, modified maps padded back', [700, 768, 640], settingsWith(), undefined, both(true, true)],
    ['512³: modified maps padded back', [512, 512, 512], settingsWith(), undefined, both(false, true)],
    ['384³: below the threshold', [384, 384, 384], settingsWith(), undefined, both(false, false)],
    ['384³ with the threshold at 0', [384, 384, 384], settingsWith(), 0, both(false, true)],
    ['450×512×400 with the threshold at 0', [450, 512, 400], settingsWith(), 0, both(true, true)],
    ['at the threshold exactly', [256, 512, 512], settingsWith(), undefined, both(true, true)],
    ['one voxel short of it', [256, 512, 511], settingsWith(), undefined, both(false, false)],
    ['a threshold of its own', [512, 512, 1023], settingsWith(), 2 ** 28, both(false, false)],
    ['not down-sampled', [700, 768, 640], settingsWith((s) => (s.estimation.maxBox = 768)), undefined, both(false, false)],
    ['--hist-match: modified maps whole', [700, 768, 640], settingsWith((s) => (s.modification.histogramMatch = true)), undefined, both(true, false)],
    ['a mask tool: the scale whole', [700, 768, 640], settingsWith((s) => (s.tools.solventDefinitionThreshold = 0.5)), undefined, both(false, true)],
    ['subtraction masks: the scale whole', [700, 768, 640], settingsWith((s) => (s.tools.subtractionMasks = true)), undefined, both(false, true)],
  ];
  for (const [what, shape, settings, from, want] of cases) assert.deepEqual(madeWhenWritten(shape, settings, from), want, what);
});
