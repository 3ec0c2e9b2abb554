import { test } from 'node:test';
import assert from 'node:assert/strict';
import { float16BitsToNumber, float16Table, numberToFloat16Bits } from '../../src/format/float16.js';
import { mulberry32 } from '../../src/synthetic/random.js';

/** Independent decode: binary16 read as a bit string, summing the weight of each set significand bit. */
function halfByBits(bits: number): number {
  const negative = (bits & 0x8000) !== 0;
  const exponentField = (bits >> 10) & 0x1f;
  let magnitude: number;
  if (exponentField === 0x1f) {
    magnitude = (bits & 0x3ff) === 0 ? Infinity : NaN;
  } else {
    const unbiased = exponentField === 0 ? -14 : exponentField - 15;
    magnitude = exponentField === 0 ? 0 : 2 ** unbiased;
    for (let b = 9; b >= 0; b--) if (bits & (1 << b)) magnitude += 2 ** (unbiased - (10 - b));
  }
  return negative ? -magnitude : magnitude;
}

test('float16 decode agrees with a bit-by-bit decode for all 65536 patterns', () => {
  const table = float16Table();
  for (let bits = 0; bits < 65536; bits++) {
    const expected = halfByBits(bits);
    assert.ok(Object.is(float16BitsToNumber(bits), expected), `bits 0x${bits.toString(16)}`);
    assert.ok(Object.is(table[bits], Math.fround(expected)), `table 0x${bits.toString(16)}`);
  }
  assert.equal(float16BitsToNumber(0x3c00), 1);
  assert.equal(float16BitsToNumber(0x7bff), 65504);
  assert.equal(float16BitsToNumber(0x0001), 2 ** -24);
  assert.ok(Object.is(float16BitsToNumber(0x8000), -0));
});

test('float16 encode inverts decode for every non-NaN pattern', () => {
  for (let bits = 0; bits < 65536; bits++) {
    const value = float16BitsToNumber(bits);
    if (Number.isNaN(value)) {
      assert.ok(Number.isNaN(float16BitsToNumber(numberToFloat16Bits(value))));
      continue;
    }
    assert.equal(numberToFloat16Bits(value), bits, `value ${value}`);
  }
});

test('float16 encode picks the nearest half, ties to even (brute force over all finite halves)', () => {
  const finite: { value: number; bits: number }[] = [];
  for (let bits = 0; bits < 0x7c00; bits++) finite.push({ value: float16BitsToNumber(bits), bits });
  const random = mulberry32(7);
  const samples: number[] = [];
  for (let i = 0; i < 3000; i++) samples.push(Math.fround((random() * 2 - 1) * 2 ** (random() * 40 - 28)));
  // Exact midpoints between neighbours, where ties-to-even decides.
  for (let i = 0; i < 2000; i++) {
    const k = Math.floor(random() * (finite.length - 1));
    samples.push((finite[k].value + finite[k + 1].value) / 2);
  }
  for (const x of samples) {
    const magnitude = Math.abs(x);
    let best = finite[0];
    for (const h of finite) {
      const d = Math.abs(h.value - magnitude);
      const bestD = Math.abs(best.value - magnitude);
      if (d < bestD || (d === bestD && (h.bits & 1) === 0 && (best.bits & 1) === 1)) best = h;
    }
    // Beyond the largest finite half (plus half an ulp) the result is infinity.
    const expected = magnitude >= 65520 ? 0x7c00 : best.bits;
    const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
    assert.equal(numberToFloat16Bits(x), sign | expected, `x = ${x}`);
  }
  assert.equal(numberToFloat16Bits(65519), 0x7bff);
  assert.equal(numberToFloat16Bits(65520), 0x7c00);
  assert.equal(numberToFloat16Bits(-Infinity), 0xfc00);
  assert.equal(numberToFloat16Bits(2 ** -25), 0); // exactly half the smallest subnormal: tie to even zero
  assert.equal(numberToFloat16Bits(Math.fround(2 ** -25 * 1.0000001)), 1);
});
