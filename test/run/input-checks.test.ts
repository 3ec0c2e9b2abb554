import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBoxUsable, checkMemory, findNonFinite, replaceNonFinite, solventMean } from '../../src/run/input-checks.js';
import { InputError } from '../../src/run/errors.js';
import { createVolume } from '../../src/core/volume.js';
import { peakMemoryBytes, type MemoryPlan } from '../../src/run/memory.js';
import { parseMemorySize, memoryLimit, memoryLimitSetting } from '../../src/io/memory-limit.js';

test('non-finite voxels: count, first and extent in columns, rows, sections', () => {
  const v = createVolume(4, 5, 6);
  v.data[(1 * 5 + 2) * 6 + 3] = NaN; // z 1, y 2, x 3
  v.data[(3 * 5 + 0) * 6 + 5] = -Infinity; // z 3, y 0, x 5
  assert.deepEqual(findNonFinite(v), { count: 2, first: [3, 2, 1], low: [3, 0, 1], high: [5, 2, 3] });
  assert.equal(findNonFinite(createVolume(2, 2, 2)), undefined);
});

test('the solvent mean: finite voxels outside the ellipsoid inscribed in the box; the median when too few', () => {
  // 20 x 24 x 30: inside the ellipsoid 1, outside 3; a NaN outside is skipped.
  const v = createVolume(20, 24, 30);
  for (let z = 0, i = 0; z < 20; z++) {
    for (let y = 0; y < 24; y++) {
      for (let x = 0; x < 30; x++, i++) {
        const r = ((z - 9.5) / 10) ** 2 + ((y - 11.5) / 12) ** 2 + ((x - 14.5) / 15) ** 2;
        v.data[i] = r > 1 ? 3 : 1;
      }
    }
  }
  v.data[0] = NaN;
  assert.deepEqual(solventMean(v), { value: 3, from: 'corners' });
  const warning = replaceNonFinite(v, 'x.mrc');
  assert.equal(v.data[0], 3);
  assert.match(warning ?? '', /^x\.mrc: 1 of 14400 voxels is NaN or infinite \(at column 0, row 0, section 0, counted from 0\); replaced with the solvent mean 3\.00000/);
  assert.equal(replaceNonFinite(v, 'x.mrc'), undefined, 'nothing left to replace');
  // Corners all NaN: the median of the finite voxels.
  const w = createVolume(10, 10, 10);
  for (let z = 0, i = 0; z < 10; z++) for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++, i++) {
    const r = ((z - 4.5) / 5) ** 2 + ((y - 4.5) / 5) ** 2 + ((x - 4.5) / 5) ** 2;
    w.data[i] = r > 1 ? NaN : i % 7;
  }
  assert.deepEqual(solventMean(w), { value: 3, from: 'median' });
});

test('boxes the method cannot use', () => {
  const settings = { maxBox: 256, naive: false };
  assert.throws(() => checkBoxUsable({ nx: 40, ny: 40, nz: 1 }, 'a', settings), /a single section thick/);
  assert.throws(() => checkBoxUsable({ nx: 40, ny: 1, nz: 40 }, 'a', settings), /a single row thick/);
  checkBoxUsable({ nx: 19, ny: 12, nz: 3 }, 'a', settings); // cube 20: 20/20 = 1-voxel tiles, usable
  assert.throws(() => checkBoxUsable({ nx: 17, ny: 12, nz: 12 }, 'a', settings), (e: unknown) => e instanceof InputError && /tile edge = 18\/20 = 0 voxels/.test((e as Error).message));
  checkBoxUsable({ nx: 17, ny: 12, nz: 12 }, 'a', { ...settings, tileSize: 1 });
  checkBoxUsable({ nx: 17, ny: 12, nz: 12 }, 'a', { ...settings, naive: true });
  assert.throws(() => checkBoxUsable({ nx: 17, ny: 12, nz: 12 }, 'a', { ...settings, tileSize: 16 }), /--tile-size 16 does not fit the 18-voxel box estimation runs at \(it allows at most 15\)/);
  assert.throws(() => checkBoxUsable({ nx: 300, ny: 300, nz: 300 }, 'a', { ...settings, maxBox: 16 }), /at --max-box 16 that is too small/);
});

const plan = (shape: [number, number, number], overrides: Partial<MemoryPlan> = {}): MemoryPlan => ({
  shape,
  maxBox: 256,
  modifiedMaps: 0,
  toolMaps: 0,
  histogramMatch: false,
  saveFactors: false,
  saveInputs: false,
  masks: 0,
  downSampledWhileReading: false,
  transformsApart: false,
  interpolatedMadeWhenWritten: false,
  paddedMadeWhenWritten: false,
  ...overrides,
});

test('the memory estimate lies above the peaks measured with /usr/bin/time -v, by at most 50 %', () => {
  const GiB = 2 ** 30;
  const MiB = 2 ** 20;
  const measured: [MemoryPlan, number][] = [
    [plan([768, 768, 768]), 2.27 * GiB],
    [plan([1024, 1024, 1024]), 5.13 * GiB],
    [plan([640, 768, 700]), 4.44 * GiB],
    [plan([768, 768, 768], { modifiedMaps: 1 }), 4.36 * GiB],
    [plan([400, 512, 450], { modifiedMaps: 1 }), 2.02 * GiB],
    // Other boxes, down-sampled: the working memory the down-sampling keeps, and the density maps' own.
    [plan([400, 512, 450]), 1.56 * GiB],
    [plan([400, 512, 450], { saveInputs: true }), 2.43 * GiB],
    [plan([301, 301, 301], { saveInputs: true }), 1.13 * GiB],
    [plan([256, 256, 256]), 0.33 * GiB],
    // Down-sampled as it is read (only estimated): no map held, the streamed down-sampling's working memory.
    [plan([512, 512, 512], { downSampledWhileReading: true }), 718 * MiB],
    [plan([768, 768, 768], { downSampledWhileReading: true }), 1049 * MiB],
    [plan([1024, 1024, 1024], { downSampledWhileReading: true }), 1.43 * GiB],
    [plan([512, 512, 512], { downSampledWhileReading: true, modifiedMaps: 2 }), 1899 * MiB],
    // Each modified map's values at the processing size count (measured by a review: 1.3 % short before).
    [plan([250, 400, 400], { downSampledWhileReading: true, modifiedMaps: 3 }), 1.568 * GiB],
    [plan([256, 256, 256], { modifiedMaps: 1 }), 0.52 * GiB],
    // Another box down-sampled, its scale and confidence made as they are written (never held).
    [plan([400, 512, 450], { downSampledWhileReading: true, interpolatedMadeWhenWritten: true }), 721 * MiB],
    [plan([640, 768, 700], { downSampledWhileReading: true, interpolatedMadeWhenWritten: true }), 1057 * MiB],
    [plan([250, 400, 400], { downSampledWhileReading: true, interpolatedMadeWhenWritten: true }), 596 * MiB],
    [plan([640, 768, 700], { interpolatedMadeWhenWritten: true }), 1960 * MiB],
    // An even cube's modified maps padded back as they are written (the largest of 5 runs; 2 runs for 768³).
    [plan([512, 512, 512], { downSampledWhileReading: true, modifiedMaps: 2, paddedMadeWhenWritten: true }), 901 * MiB],
    [plan([768, 768, 768], { downSampledWhileReading: true, modifiedMaps: 1, paddedMadeWhenWritten: true }), 1137 * MiB],
    [plan([400, 512, 450], { downSampledWhileReading: true, modifiedMaps: 1, paddedMadeWhenWritten: true, interpolatedMadeWhenWritten: true }), 833 * MiB],
    // Mask tools' maps are held whole, made as written or not (measured by a review; with the modified maps made as
    // written, the tools' maps had been counted as such: 1.7 GiB estimated for 2.10 measured).
    [plan([512, 512, 512], { modifiedMaps: 1, toolMaps: 1 }), 2.52 * GiB],
    [plan([512, 512, 512], { modifiedMaps: 1, toolMaps: 1, paddedMadeWhenWritten: true }), 2.1 * GiB],
    [plan([512, 512, 512], { modifiedMaps: 2, toolMaps: 2 }), 3.51 * GiB],
    [plan([512, 512, 512], { modifiedMaps: 2, toolMaps: 2, paddedMadeWhenWritten: true }), 2.64 * GiB],
    [plan([512, 512, 512], { modifiedMaps: 2, toolMaps: 3 }), 4.01 * GiB],
    [plan([512, 512, 512], { modifiedMaps: 2, toolMaps: 3, paddedMadeWhenWritten: true }), 3.14 * GiB],
    // Down-sampled as it is read with the x transforms kept apart, as relaunched with huge pages (the largest of
    // three runs each, 2026-11-27).
    [plan([512, 512, 512], { downSampledWhileReading: true, transformsApart: true }), 805 * MiB],
    [plan([512, 512, 512], { downSampledWhileReading: true, transformsApart: true, modifiedMaps: 2 }), 2030 * MiB],
    [plan([768, 768, 768], { downSampledWhileReading: true, transformsApart: true }), 1204 * MiB],
    [plan([400, 512, 450], { downSampledWhileReading: true, transformsApart: true }), 1525 * MiB],
    [plan([400, 512, 450], { downSampledWhileReading: true, transformsApart: true, modifiedMaps: 1 }), 2003 * MiB],
    [plan([250, 400, 400], { downSampledWhileReading: true, transformsApart: true, modifiedMaps: 3 }), 1706 * MiB],
  ];
  for (const [p, peak] of measured) {
    const estimate = peakMemoryBytes(p);
    assert.ok(estimate >= peak && estimate <= 1.5 * peak, `${p.shape.join('x')} with ${p.modifiedMaps} modified: ${(estimate / GiB).toFixed(2)} GiB for ${(peak / GiB).toFixed(2)} measured`);
  }
  // More of anything never needs less.
  const base = peakMemoryBytes(plan([300, 320, 310]));
  for (const more of [{ modifiedMaps: 2 }, { histogramMatch: true, modifiedMaps: 1 }, { masks: 2 }, { saveInputs: true }, { maxBox: 320 }]) {
    assert.ok(peakMemoryBytes(plan([300, 320, 310], more)) >= base, JSON.stringify(more));
  }
});

test('memory checks: refused with the need and the limit; a warning when the free memory is short', () => {
  const limit = { bytes: 4 * 2 ** 30, source: 'OCCUPY_MEMORY_LIMIT', available: 3 * 2 ** 30 };
  assert.throws(
    () => checkMemory('big.mrc', [1024, 1024, 1024], 6.5 * 2 ** 30, limit),
    /^InputError: big\.mrc: the map is 1024x1024x1024 voxels \(4\.0 GiB as float32\); this run would need about 6\.5 GiB of memory, more than the 4\.0 GiB of OCCUPY_MEMORY_LIMIT; bin or crop the map first/,
  );
  assert.match(checkMemory('m.mrc', [512, 512, 512], 3.5 * 2 ** 30, limit) ?? '', /needs about 3\.5 GiB of memory and only 3\.0 GiB is free now/);
  assert.equal(checkMemory('m.mrc', [64, 64, 64], 2 ** 27, limit), undefined);
  // A coarser --max-box that would fit is named, and asked for only when the run is refused.
  assert.throws(() => checkMemory('big.mrc', [1024, 1024, 1024], 6.5 * 2 ** 30, limit, () => 192), /of OCCUPY_MEMORY_LIMIT; --max-box 192 would fit \(the estimate then runs on a coarser box\), or bin or crop the map first/);
  assert.equal(checkMemory('m.mrc', [64, 64, 64], 2 ** 27, limit, () => assert.fail('not asked')), undefined);
});

test('OCCUPY_MEMORY_LIMIT: sizes with units; otherwise the machine or container limit', () => {
  assert.equal(parseMemorySize('4G'), 4 * 2 ** 30);
  assert.equal(parseMemorySize('512MiB'), 512 * 2 ** 20);
  assert.equal(parseMemorySize('1.5 GB'), 1.5 * 2 ** 30);
  assert.equal(parseMemorySize('1073741824'), 2 ** 30);
  assert.equal(parseMemorySize('lots'), undefined);
  assert.equal(parseMemorySize('0'), undefined);
  assert.deepEqual({ ...memoryLimit({ OCCUPY_MEMORY_LIMIT: '2g' }), available: 0 }, { bytes: 2 * 2 ** 30, source: 'OCCUPY_MEMORY_LIMIT', available: 0 });
  const machine = memoryLimit({});
  assert.ok(machine.bytes > 2 ** 28 && /memory/.test(machine.source));
  // One reading of the variable for the refusal (cli/plan.ts) and the limit: blank is unset, not invalid.
  assert.deepEqual(memoryLimitSetting({}), { kind: 'unset' });
  assert.deepEqual(memoryLimitSetting({ OCCUPY_MEMORY_LIMIT: '  ' }), { kind: 'unset' });
  assert.deepEqual(memoryLimitSetting({ OCCUPY_MEMORY_LIMIT: '1k' }), { kind: 'size', bytes: 1024 });
  assert.deepEqual(memoryLimitSetting({ OCCUPY_MEMORY_LIMIT: '0.5' }), { kind: 'invalid', text: '0.5' });
  assert.equal(memoryLimit({ OCCUPY_MEMORY_LIMIT: 'lots' }).source, machine.source);
});
