import { test } from 'node:test';
import assert from 'node:assert/strict';
import { solventDefinitionFromScale } from '../../../src/core/modify/solvent-definition.js';
import {
  subtractionMask,
  subtractionTable,
  subtractionTableIndex,
  SUBTRACTION_TABLE_POINTS,
} from '../../../src/core/modify/subtraction-mask.js';

/** Closed-form sigmoid through (p, p), double precision. */
function closedFormSigmoid(x: number, g: number, p: number): number {
  if (x <= 0) return 0;
  const odds = (p / (1 - p)) * (1 / p - 1) ** (1 / g);
  const mu = odds / (1 + odds);
  return 1 / (1 + ((mu * (1 - x)) / (x * (1 - mu))) ** g);
}

/** Scales in the middle of each 1/999 cell, where the floor lookup is unambiguous, plus 0 and 1. */
function cellCentres(): Float32Array {
  const n = SUBTRACTION_TABLE_POINTS - 1;
  const out = new Float32Array(n + 2);
  for (let i = 0; i < n; i++) out[i] = (i + 0.5) / n;
  out[n] = 0;
  out[n + 1] = 1;
  return out;
}

test('solvent definition from scale: 1 where S > threshold (strict, float32), else 0', () => {
  const scale = Float32Array.of(0, 0.1, 0.3, 0.3000001, 0.5, 1);
  assert.deepEqual(Array.from(solventDefinitionFromScale(scale, 0.3)), [0, 0, 0, 1, 1, 1]);
  // float32(0.3) exceeds 0.3 in double; compared in float32 it equals the threshold: not included.
  assert.ok(Math.fround(0.3) > 0.3);
  assert.deepEqual(Array.from(solventDefinitionFromScale(Float32Array.of(0.3), 0.3)), [0]);
  assert.deepEqual(Array.from(solventDefinitionFromScale(scale, 1)), [0, 0, 0, 0, 0, 0]);
  assert.throws(() => solventDefinitionFromScale(scale, NaN), RangeError);
});

test('subtraction table index is the floor of S * 999, clamped', () => {
  const s = cellCentres();
  for (let i = 0; i < 999; i++) assert.equal(subtractionTableIndex(s[i]), i);
  assert.equal(subtractionTableIndex(0), 0);
  assert.equal(subtractionTableIndex(1), 999);
  assert.equal(subtractionTableIndex(-0.2), 0);
  assert.equal(subtractionTableIndex(1.3), 999);
});

test('attenuation subtraction mask: (floor(999 S)/999)^(g-1), in [0, 1]', () => {
  const s = cellCentres();
  for (const g of [1, 1.5, 3, 10]) {
    const mask = subtractionMask(s, { kind: 'attenuate', power: g });
    for (let i = 0; i < s.length; i++) {
      const node = Math.floor(999 * s[i] + 1e-9) / 999;
      const expected = node ** (g - 1);
      assert.ok(Math.abs(mask[i] - expected) <= 1e-7 * Math.max(expected, 1e-30) + 1e-37, `g=${g} S=${s[i]}`);
      assert.ok(mask[i] >= 0 && mask[i] <= 1);
    }
    if (g === 1) assert.ok(mask.every((v) => v === 1), 'power 1 keeps everything (0^0 = 1)');
  }
  assert.throws(() => subtractionTable({ kind: 'attenuate', power: 0.5 }), RangeError);
});

test('sigmoid subtraction mask: y(x)/x below the pivot, 1 from the pivot on, 0 at S = 0', () => {
  const s = cellCentres();
  for (const [g, p] of [[3, 0.2], [4, 0.3], [2, 0.75], [8, 0.5]] as [number, number][]) {
    const mask = subtractionMask(s, { kind: 'sigmoid', power: g, pivot: p });
    const pivotIndex = Math.floor(1000 * p + 1e-9);
    for (let i = 0; i < s.length; i++) {
      const index = Math.floor(999 * s[i] + 1e-9);
      const x = index / 999;
      let expected: number;
      if (index === 0) expected = 0;
      else if (index >= pivotIndex) expected = 1;
      else expected = Math.min(1, closedFormSigmoid(x, g, p) / x);
      assert.ok(Math.abs(mask[i] - expected) <= 2e-6 * g, `g=${g} p=${p} S=${s[i]}: ${mask[i]} vs ${expected}`);
      assert.ok(mask[i] >= 0 && mask[i] <= 1);
    }
  }
});
