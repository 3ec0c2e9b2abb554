/**
 * Numbers formatted as Python formats them: against exact rational rounding (ties to even) computed here
 * from integers, against toFixed where no tie is possible, and against Python itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fixedLikePython, reprLikePython } from '../../src/report/python-format.js';
import { outputNames } from '../../src/report/output-names.js';
import { chimeraxScript } from '../../src/report/chimerax-script.js';
import { lcg } from '../random.js';
import { pythonWith } from '../python.js';

/** `numerator / denominator` (denominator > 0) to `digits` decimals, the tie to the even last digit. */
function exactFixed(numerator: bigint, denominator: bigint, digits: number): string {
  const negative = numerator < 0n;
  const scaled = (negative ? -numerator : numerator) * 10n ** BigInt(digits);
  let units = scaled / denominator;
  const twiceRemainder = 2n * (scaled % denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && units % 2n === 1n)) units++;
  const text = units.toString().padStart(digits + 1, '0');
  const body = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return negative ? `-${body}` : body;
}

test('fixedLikePython rounds exact ties to even, as Python does: k / 2^j for every digit count', () => {
  let ties = 0;
  for (let j = 0; j <= 7; j++) {
    for (let k = -3000; k <= 3000; k++) {
      const value = k / 2 ** j;
      for (let digits = 0; digits <= 4; digits++) {
        const expected = exactFixed(BigInt(k), 2n ** BigInt(j), digits);
        assert.equal(fixedLikePython(value, digits), expected, `${value} to ${digits} digits`);
        if (value.toFixed(digits) !== expected) ties++;
      }
    }
  }
  assert.ok(ties > 1000, `toFixed differs on the ties (${ties} cases), so this test tells the two apart`);
  // (It differs on -0 too, which toFixed prints unsigned: fixedLikePython(-0, d), below.)
});

test('fixedLikePython equals toFixed where no tie is possible, and keeps the sign of -0', () => {
  const next = lcg(5);
  for (let i = 0; i < 20000; i++) {
    const value = (next() - 0.5) * 10 ** Math.floor(next() * 12 - 4);
    const digits = Math.floor(next() * 6);
    const scaled = Math.abs(value) * 10 ** digits;
    // Away from a tie by far more than the rounding error of `scaled`.
    if (Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6) continue;
    assert.equal(fixedLikePython(value, digits), value.toFixed(digits), `${value} to ${digits} digits`);
  }
  assert.equal(fixedLikePython(-0, 2), '-0.00');
  assert.equal(fixedLikePython(0, 2), '0.00');
  assert.equal(fixedLikePython(-0.125, 2), '-0.12');
  assert.equal(fixedLikePython(5e-324, 3), '0.000');
});

test('reprLikePython: integers with .0, others with the shortest round-trip digits, exponents as Python writes them', () => {
  assert.equal(reprLikePython(2), '2.0');
  assert.equal(reprLikePython(-3), '-3.0');
  assert.equal(reprLikePython(0.1), '0.1');
  assert.equal(reprLikePython(1.125), '1.125');
  assert.equal(reprLikePython(-0), '-0.0');
  assert.equal(reprLikePython(1e-5), '1e-05');
  assert.equal(reprLikePython(0.0001), '0.0001');
  assert.equal(reprLikePython(1e16), '1e+16');
  assert.equal(reprLikePython(1e15), '1000000000000000.0');
  assert.equal(reprLikePython(-1.5e-7), '-1.5e-07');
  assert.equal(reprLikePython(1e300), '1e+300');
});

test('the outputs that mirror the published program use it: names, palette stops', () => {
  const names = outputNames('map.mrc', { scaleMode: 'occ', naive: false, excludeSolvent: false });
  assert.equal(names.modified('amplify', 2.25), 'ampl_2.2_map.mrc');
  assert.equal(names.modified('attenuate', 2.75), 'attn_2.8_map.mrc');
  assert.equal(names.modified('sigmoid', 3, 0.125), 'sigm_3.0-0.12_map.mrc');
  assert.equal(names.solventDefinition(0.625), 'solDef_0.62_map.mrc');
  const script = chimeraxScript({ inputMap: 'map.mrc', scaleMap: 'scale_occ_map.mrc', modifiedMaps: [], mapLevel: 0.5, scaleLevel: 0.2, minVisScale: 0.2 });
  // Nine stops at i/8: 0.125 and 0.625 are ties, which the published program prints as 0.12 and 0.62.
  const stops = (script.match(/palette '([^']+)'/) ?? [])[1]?.split(':').map((stop) => stop.split(',')[0]);
  assert.deepEqual(stops, ['0.00', '0.12', '0.25', '0.38', '0.50', '0.62', '0.75', '0.88', '1.00']);
});

test('fixedLikePython agrees with Python for ties and for random values', (t) => {
  const python = pythonWith(t, ['json'], 'python3');
  if (!python) return;
  const next = lcg(17);
  const cases: [number, number][] = [];
  for (let i = 0; i < 3000; i++) {
    const tie = Math.round((next() - 0.5) * 20000) / 2 ** Math.floor(next() * 8);
    const any = (next() - 0.5) * 10 ** Math.floor(next() * 10 - 4);
    const digits = Math.floor(next() * 5);
    cases.push([tie, digits], [any, digits]);
  }
  // Magnitudes where JavaScript and Python switch notation differently.
  for (const v of [1e21, -2.5e22, 123456789012345680000, 1e-5, 9.999e-5, 1e16, 9999999999999998, 1e300, 5e-324, -0]) cases.push([v, 2]);
  // Each value as its shortest round-trip text, which Python's float() reads back to the same double.
  const input = JSON.stringify(cases.map(([v, d]) => [Object.is(v, -0) ? '-0' : String(v), d]));
  const program = 'import json,sys\nfor v, d in json.load(sys.stdin): print(f"{float(v):.{d}f}", repr(float(v)))';
  const r = spawnSync(python, ['-c', program], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const printed = r.stdout.trimEnd().split('\n').map((line) => line.split(' '));
  assert.equal(printed.length, cases.length);
  cases.forEach(([v, d], i) => {
    assert.equal(fixedLikePython(v, d), printed[i][0], `${v} to ${d} digits`);
    assert.equal(reprLikePython(v), printed[i][1], `repr of ${v}`);
  });
});
