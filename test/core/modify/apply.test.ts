import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addsSyntheticSolvent,
  applyModification,
  modificationFactor,
  modifyMap,
  solventExcluded,
  type Modification,
} from '../../../src/core/modify/apply.js';
import { createRandom } from '../../../src/core/modify/random.js';
import { seededValues } from '../../random.js';

const neverCalled = () => {
  throw new Error('no random draw expected');
};

function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

test('without synthetic solvent: out = X*mod*C + X*(1-C), and X*mod*C with exclude-solvent', () => {
  const n = 5000;
  const x = seededValues(n, 1, -3, 6);
  const mod = seededValues(n, 2, 0, 3);
  const c = seededValues(n, 3, 0, 1);
  const kept = applyModification(x, mod, c, { excludeSolvent: false });
  const excluded = applyModification(x, mod, c, { excludeSolvent: true });
  for (let i = 0; i < n; i++) {
    const expectKept = x[i] * mod[i] * c[i] + x[i] * (1 - c[i]);
    const expectExcluded = x[i] * mod[i] * c[i];
    const scale = Math.abs(x[i]) * (mod[i] + 1);
    assert.ok(Math.abs(kept[i] - expectKept) <= 4e-7 * scale + 1e-30, `voxel ${i}`);
    assert.ok(Math.abs(excluded[i] - expectExcluded) <= 3e-7 * scale + 1e-30);
  }
  // Confidence 0 keeps the input (solvent retained) or removes everything (solvent excluded).
  const zero = new Float32Array(n);
  assert.deepEqual(applyModification(x, mod, zero, { excludeSolvent: false }), x);
  assert.ok(applyModification(x, mod, zero, { excludeSolvent: true }).every((v) => v === 0));
});

test('solventExcluded is X*C', () => {
  const x = seededValues(100, 4, -1, 2);
  const c = seededValues(100, 5, 0, 1);
  const out = solventExcluded(x, c);
  for (let i = 0; i < 100; i++) assert.equal(out[i], Math.fround(x[i] * c[i]));
  assert.throws(() => solventExcluded(x, new Float32Array(3)), RangeError);
});

test('synthetic solvent where all density is removed: statistics of N(mu, sigma) within a few %', () => {
  const n = 200_000;
  const x = seededValues(n, 6, -1, 1);
  const rng = createRandom(99);
  const solvent = { mu: 0.3, sigma: 0.8, standardNormal: () => rng.nextStandardNormal() };
  const out = applyModification(x, new Float32Array(n), null, { excludeSolvent: false, solvent });
  const { mean, std } = meanAndStd(out);
  assert.ok(Math.abs(mean - 0.3) < 0.03 * 0.3 + 0.005, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.8) < 0.02 * 0.8, `std ${std}`);
});

test('synthetic solvent is weighted by clip(1 - mod, 0, 1) and confined by the confidence', () => {
  const n = 200_000;
  const x = seededValues(n, 7, -1, 1);
  const half = new Float32Array(n).fill(0.5);
  const rng = createRandom(5);
  const solvent = { mu: -0.2, sigma: 0.5, standardNormal: () => rng.nextStandardNormal() };
  const out = applyModification(x, half, null, { excludeSolvent: false, solvent });
  const added = out.map((v, i) => v - x[i] * 0.5);
  const { mean, std } = meanAndStd(added);
  assert.ok(Math.abs(mean - -0.1) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.25) < 0.02 * 0.25, `std ${std}`);

  // Factor >= 1 removes nothing: no solvent is added (but a draw is still taken per voxel).
  let draws = 0;
  const counting = { mu: 5, sigma: 1, standardNormal: () => (draws++, 1) };
  const up = applyModification(x, new Float32Array(n).fill(2), null, { excludeSolvent: false, solvent: counting });
  assert.equal(draws, n);
  for (let i = 0; i < n; i++) assert.equal(up[i], Math.fround(x[i] * 2));

  // Confidence 0: the input comes back untouched, noise and all modification suppressed.
  const zero = new Float32Array(n);
  assert.deepEqual(applyModification(x, half, zero, { excludeSolvent: false, solvent: counting }), x);
});

test('with exclude-solvent no synthetic solvent is drawn or added', () => {
  const x = seededValues(1000, 8, -1, 1);
  const mod = new Float32Array(1000).fill(0.25);
  const solvent = { mu: 1, sigma: 1, standardNormal: neverCalled };
  const out = applyModification(x, mod, null, { excludeSolvent: true, solvent });
  for (let i = 0; i < x.length; i++) assert.equal(out[i], Math.fround(x[i] * 0.25));
});

test('same seed, same output; different seed, different output', () => {
  const n = 4096;
  const x = seededValues(n, 9, -1, 3);
  const s = seededValues(n, 10, 0, 1);
  const c = seededValues(n, 11, 0, 1);
  const attenuate: Modification = { kind: 'attenuate', power: 3, scaleLimit: 0.05 };
  const run = (seed: number) => {
    const rng = createRandom(seed);
    return modifyMap(x, s, c, attenuate, {
      excludeSolvent: false,
      solvent: { mu: 0, sigma: 0.2 },
      standardNormal: () => rng.nextStandardNormal(),
    });
  };
  assert.deepEqual(run(1234), run(1234));
  assert.notDeepEqual(run(1234), run(1235));
});

test('which paths add synthetic solvent: attenuate and sigmoid unless excluded, never amplify', () => {
  assert.equal(addsSyntheticSolvent('amplify', false), false);
  assert.equal(addsSyntheticSolvent('amplify', true), false);
  assert.equal(addsSyntheticSolvent('attenuate', false), true);
  assert.equal(addsSyntheticSolvent('attenuate', true), false);
  assert.equal(addsSyntheticSolvent('sigmoid', false), true);
  assert.equal(addsSyntheticSolvent('sigmoid', true), false);

  const n = 2000;
  const x = seededValues(n, 12, -1, 3);
  const s = seededValues(n, 13, 0, 1);
  const c = seededValues(n, 14, 0, 1);
  const solventModel = { mu: 0, sigma: 1 };
  // Amplify draws nothing even when a solvent model is supplied, and equals the plain application.
  const amplify: Modification = { kind: 'amplify', power: 2, scaleLimit: 0.05 };
  const amplified = modifyMap(x, s, c, amplify, { excludeSolvent: false, solvent: solventModel, standardNormal: neverCalled });
  assert.deepEqual(amplified, applyModification(x, modificationFactor(s, amplify), c, { excludeSolvent: false }));
  // Attenuate and sigmoid without exclude-solvent need the solvent model.
  for (const m of [
    { kind: 'attenuate', power: 2, scaleLimit: 0.05 },
    { kind: 'sigmoid', power: 3, pivot: 0.4 },
  ] as Modification[]) {
    assert.throws(() => modifyMap(x, s, c, m, { excludeSolvent: false }));
    const excluded = modifyMap(x, s, c, m, { excludeSolvent: true, standardNormal: neverCalled });
    assert.deepEqual(excluded, applyModification(x, modificationFactor(s, m), c, { excludeSolvent: true }));
  }
});

test('sigmoid modification sets S = 0 voxels to pure synthetic solvent inside the confidence', () => {
  const n = 50_000;
  const x = seededValues(n, 15, 1, 2);
  const s = new Float32Array(n); // all zero scale
  const rng = createRandom(77);
  const out = modifyMap(x, s, null, { kind: 'sigmoid', power: 4, pivot: 0.3 }, {
    excludeSolvent: false,
    solvent: { mu: 0.1, sigma: 0.3 },
    standardNormal: () => rng.nextStandardNormal(),
  });
  const { mean, std } = meanAndStd(out);
  assert.ok(Math.abs(mean - 0.1) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.3) < 0.02 * 0.3, `std ${std}`);
});

/** The §9 formula one voxel at a time, step by step in float32 (the specialised loops must match it bit for bit). */
function applyStepByStep(
  map: Float32Array,
  factor: Float32Array,
  confidence: Float32Array | null,
  excludeSolvent: boolean,
  solvent: { mu: number; sigma: number; standardNormal: () => number } | undefined,
): Float32Array {
  const f32 = Math.fround;
  const out = new Float32Array(map.length);
  for (let i = 0; i < map.length; i++) {
    const x = map[i];
    const mod = factor[i];
    let value = f32(x * mod);
    if (solvent && !excludeSolvent) {
      const noise = solvent.mu + solvent.sigma * solvent.standardNormal();
      const weight = Math.min(1, Math.max(0, f32(1 - mod)));
      value = f32(value + noise * weight);
    }
    if (confidence) {
      value = f32(value * confidence[i]);
      if (!excludeSolvent) value = f32(value + f32(x * f32(1 - confidence[i])));
    }
    out[i] = value;
  }
  return out;
}

test('every combination of solvent, confidence and exclude-solvent equals the step-by-step formula bit for bit', () => {
  const n = 20_000;
  const x = seededValues(n, 21, -3, 6);
  const mod = seededValues(n, 22, -0.5, 3);
  const c = seededValues(n, 23, 0, 1);
  for (const withConfidence of [false, true]) {
    for (const excludeSolvent of [false, true]) {
      for (const withSolvent of [false, true]) {
        const draw = (seed: number) => {
          const rng = createRandom(seed);
          return withSolvent ? { mu: 0.3, sigma: 0.7, standardNormal: () => rng.nextStandardNormal() } : undefined;
        };
        const got = applyModification(x, mod, withConfidence ? c : null, { excludeSolvent, solvent: draw(5) });
        const want = applyStepByStep(x, mod, withConfidence ? c : null, excludeSolvent, draw(5));
        const label = `confidence ${withConfidence}, exclude ${excludeSolvent}, solvent ${withSolvent}`;
        for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i])) assert.fail(`${label}: voxel ${i} ${got[i]} vs ${want[i]}`);
      }
    }
  }
});

test('synthetic solvent drawn in bulk (fillStandardNormal) gives the same map as one draw per voxel', () => {
  const n = 50_001;
  const x = seededValues(n, 31, -3, 6);
  const mod = seededValues(n, 32, -0.5, 3);
  const c = seededValues(n, 33, 0, 1);
  for (const confidence of [c, null]) {
    const single = createRandom(8);
    const bulk = createRandom(8);
    const perVoxel = applyModification(x, mod, confidence, {
      excludeSolvent: false,
      solvent: { mu: 0.2, sigma: 0.9, standardNormal: () => single.nextStandardNormal() },
    });
    const blocked = applyModification(x, mod, confidence, {
      excludeSolvent: false,
      solvent: {
        mu: 0.2,
        sigma: 0.9,
        standardNormal: neverCalled,
        fillStandardNormal: (out) => bulk.fillStandardNormal(out),
      },
    });
    assert.ok(perVoxel.every((v, i) => Object.is(v, blocked[i])));
  }
});
