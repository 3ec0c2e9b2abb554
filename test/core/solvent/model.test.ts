import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confidenceFromModel, fitSolventModel, gaussianCurve, densityHistogram, centralSphereMask } from '../../../src/core/solvent/index.js';
import { createCube, type Volume } from '../../../src/core/volume.js';
import { lcg } from '../../random.js';

/** Solvent: normal noise (mean 0.02, sd 0.1); content: a ball of radius 7 at 1.2 + the same noise. */
function synthetic(n: number): { L: Volume; content: Float32Array } {
  const uniform = lcg(2024);
  const normal = () => {
    let t = 0;
    for (let k = 0; k < 12; k++) t += uniform();
    return t - 6;
  };
  const data = new Float32Array(n * n * n);
  const content = new Float32Array(n * n * n);
  const c = (n - 1) / 2;
  let p = 0;
  for (let z = 0; z < n; z++) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++, p++) {
        const inside = Math.hypot(z - c, y - c, x - c) < 7;
        content[p] = inside ? 1 : 0;
        data[p] = 0.02 + 0.1 * normal() + (inside ? 1.2 : 0);
      }
    }
  }
  return { L: createCube(n, data), content };
}

test('fitSolventModel recovers the solvent noise and reports consistent limits', () => {
  const { L } = synthetic(32);
  const model = fitSolventModel(L);
  assert.ok(model.fitReport.converged);
  assert.ok(Math.abs(model.fit.mu - 0.02) < 0.01, `mu ${model.fit.mu}`);
  assert.ok(Math.abs(model.fit.sigma / 0.1 - 1) < 0.05, `sigma ${model.fit.sigma}`);
  // The region is the central sphere (distance from the centre (n-1)/2 at most n/2; counted here by hand), and
  // its histogram is the one returned.
  let inSphere = 0;
  for (let z = 0; z < 32; z++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) if (Math.hypot(z - 15.5, y - 15.5, x - 15.5) <= 16) inSphere++;
  assert.equal(model.regionSize, inSphere);
  const h = densityHistogram(L.data, { region: centralSphereMask(32) });
  assert.deepEqual(Array.from(model.regionHistogram.heights), Array.from(h.heights));
  assert.equal(h.total, inSphere);
  const { low, midlow, midhigh, high } = model.limits;
  assert.ok(low < midhigh && midhigh < high, JSON.stringify(model.limits));
  assert.ok(low < midlow && midlow < high);
  assert.equal(model.contentAt1pct, model.regionHistogram.edges[midhigh + 1]);
  assert.equal(model.solventEdge, model.regionHistogram.edges[high]);
  // Solvent is gone (model < 1e-9) well beyond mu + 5 sigma, and the content starts above mu + 2 sigma.
  assert.ok(model.solventEdge > model.fit.mu + 5 * model.fit.sigma);
  assert.ok(model.contentAt1pct > model.fit.mu + 2 * model.fit.sigma && model.contentAt1pct < 1.2);
  // The domain is the fit's x (linspace over the region's range, not bin centres).
  assert.equal(model.domain.length, 1000);
  assert.equal(model.domain[0], model.regionHistogram.edges[0]);
  assert.equal(model.domain[999], model.regionHistogram.edges[1000]);
  // The model curve is the closed form c·exp(-(x-mu)²/2sigma²): c at the peak, c/sqrt(e) one sigma out.
  const { c, mu, sigma } = model.fit;
  const [atPeak, oneSigmaOut] = gaussianCurve([mu, mu + sigma], model.fit);
  assert.equal(atPeak, c);
  assert.ok(Math.abs(oneSigmaOut / (c * Math.exp(-0.5)) - 1) < 1e-12);
  // The histogram is a density over the region, so the fitted peak's area c·sigma·sqrt(2 pi) is the solvent's
  // share of the region: all but the content ball's voxels inside the sphere (counted by hand).
  let ball = 0;
  for (let z = 0; z < 32; z++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) if (Math.hypot(z - 15.5, y - 15.5, x - 15.5) < 7) ball++;
  const solventShare = (inSphere - ball) / inSphere;
  const area = c * sigma * Math.sqrt(2 * Math.PI);
  assert.ok(Math.abs(area / solventShare - 1) < 0.05, `peak area ${area} against the solvent share ${solventShare}`);
  assert.deepEqual(model.warnings, []);
});

test('confidenceFromModel: content confident, solvent not; limit from the all-voxel histogram', () => {
  const { L, content } = synthetic(32);
  const model = fitSolventModel(L);
  const result = confidenceFromModel(L, model);
  const conf = result.confidence.data;
  let solventHigh = 0;
  let solventCount = 0;
  let contentLow = 0;
  let contentCount = 0;
  for (let i = 0; i < conf.length; i++) {
    assert.ok(conf[i] >= 0 && conf[i] <= 1);
    if (content[i]) {
      contentCount++;
      if (L.data[i] > 0.9 && conf[i] < 0.99) contentLow++;
    } else if (Math.abs(L.data[i] - 0.02) < 0.2) {
      solventCount++;
      if (conf[i] > 0.01) solventHigh++;
    }
  }
  assert.ok(contentCount > 0 && solventCount > 0);
  assert.equal(solventHigh, 0, 'solvent within 2 sigma has zero confidence');
  assert.equal(contentLow, 0, 'content well above the solvent is fully confident');
  assert.deepEqual(Array.from(result.allHistogram.edges), Array.from(densityHistogram(L.data).edges));
  assert.equal(result.limitValue, result.allHistogram.edges[result.limitIndex]);
  assert.equal(result.limitIndex, 1000 - result.curve.filter((v) => v > 0.5).length);
  assert.ok(result.limitValue > 0.2 && result.limitValue < 1.2, `limit ${result.limitValue}`);
  assert.equal(result.modelIsBad, false);
  assert.deepEqual(Array.from(result.curve), Array.from(result.unhedgedCurve));
});

test('hedging lowers the curve (never below 0) and moves the confidence limit up', () => {
  const { L } = synthetic(24);
  const model = fitSolventModel(L);
  const plain = confidenceFromModel(L, model);
  const hedged = confidenceFromModel(L, model, { hedge: 4 });
  for (let i = 0; i < 1000; i++) {
    assert.ok(hedged.curve[i] >= 0 && hedged.curve[i] <= Math.max(plain.curve[i], 0) + 1e-15);
  }
  assert.ok(hedged.limitIndex >= plain.limitIndex);
  assert.deepEqual(Array.from(hedged.unhedgedCurve), Array.from(plain.curve));
});

test('with a solvent definition drawn over the content, the quieter complement is fitted', () => {
  const { L, content } = synthetic(32);
  const model = fitSolventModel(L, { solventDefinition: content });
  assert.equal(model.solventDefinition?.usedInside, false);
  assert.ok(model.solventDefinition!.varianceOutside < model.solventDefinition!.varianceInside);
  assert.ok(Math.abs(model.fit.mu - 0.02) < 0.01);
  assert.ok(Math.abs(model.fit.sigma / 0.1 - 1) < 0.05);
  // Solvent only: the region's histogram ends where the noise ends.
  assert.ok(model.regionHistogram.edges[1000] < 0.8);
});
