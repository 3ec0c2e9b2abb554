/**
 * The 3D view recomputes only the surface it shows: after a modify run with two modified maps (three
 * surfaces: the input and two modified maps), a new contour level or colour range updates the shown surface,
 * and each of the others is brought up to date when it is chosen. Recomputing all of them made a contour
 * change on a large map take tens of seconds.
 *
 * What Mol* holds for each surface (contour level, colour range, the version of its parameters, hidden) is
 * read from the panel's `data-surfaces`, written when the panel turns 'ready'.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openAppOnFixture, waitForRun, type App } from './browser.js';

const MAP = '1tii_occ_64.mrc';

interface Drawn {
  level: number | null;
  minScale?: number;
  version: string;
  hidden: boolean;
}

let app: App;
let page: Page;

async function surfaces(): Promise<Drawn[]> {
  await page.waitForSelector('#surface-panel[data-state="ready"]', { timeout: 120_000 });
  return JSON.parse((await page.getAttribute('#surface-panel', 'data-surfaces')) ?? '[]') as Drawn[];
}

/** Sets a range input of the 3D panel (input + change events, as a drag ends) and returns the value it took. */
async function setRange(id: string, value: number): Promise<number> {
  await page.locator(`#${id}`).fill(String(value));
  return Number(await page.inputValue(`#${id}`));
}

describe('3D view: only the shown surface is recomputed', { timeout: 300_000 }, () => {
  before(async () => {
    ({ app, page } = await openAppOnFixture(MAP, 'occupy-web-surface-'));
  });

  after(() => app?.close());

  test('a contour or colour-range change updates the shown surface; another map is updated when shown', async () => {
    await page.check('#mod-amplify-on');
    await page.locator('#mod-amplify-power').fill('2');
    await page.check('#mod-attenuate-on');
    await page.locator('#mod-attenuate-power').fill('3');
    await page.click('#run-modify');
    assert.equal(await waitForRun(page, 1), 'done');

    await page.click('#view-3d');
    const built = await surfaces();
    assert.equal(built.length, 3, 'the input and the two modified maps');
    assert.deepEqual(
      built.map((s) => s.hidden),
      [false, true, true],
      'the input is shown first',
    );
    const level0 = built[0].level!;
    const minScale0 = built[0].minScale!;
    assert.ok(Number.isFinite(level0) && built.every((s) => s.level === level0 && s.minScale === minScale0), JSON.stringify(built));

    // A higher contour: the input's surface (shown) is recomputed, the modified maps' are not touched.
    const max = Number(await page.getAttribute('#surface-level', 'max'));
    const level1 = await setRange('surface-level', (level0 + max) / 2);
    assert.notEqual(level1, level0);
    const contoured = await surfaces();
    assert.equal(contoured[0].level, level1, 'the shown surface is at the new contour');
    assert.notEqual(contoured[0].version, built[0].version);
    for (const i of [1, 2]) {
      assert.equal(contoured[i].version, built[i].version, `hidden surface ${i} was recomputed`);
      assert.equal(contoured[i].level, level0);
    }

    // Showing the attenuated map brings its surface to the new contour; the amplified one stays as it was.
    await page.selectOption('#surface-map', '2');
    const attenuated = await surfaces();
    assert.deepEqual(
      attenuated.map((s) => s.hidden),
      [true, true, false],
    );
    assert.equal(attenuated[2].level, level1, 'the map shown is drawn at the contour the control shows');
    assert.equal(attenuated[0].version, contoured[0].version, 'the input surface is not recomputed again');
    assert.equal(attenuated[1].version, built[1].version, 'the amplified surface is still not recomputed');

    // The colour range the same way: the attenuated surface now, the input when it is shown again.
    const minScale1 = await setRange('surface-min-scale', 0.6);
    assert.notEqual(minScale1, minScale0);
    const ranged = await surfaces();
    assert.equal(ranged[2].minScale, minScale1);
    assert.equal(ranged[0].version, attenuated[0].version, 'the hidden input surface was recomputed');
    assert.equal(ranged[0].minScale, minScale0);
    await page.selectOption('#surface-map', '0');
    const back = await surfaces();
    assert.deepEqual(
      back.map((s) => s.hidden),
      [false, true, true],
    );
    assert.equal(back[0].level, level1);
    assert.equal(back[0].minScale, minScale1);
    assert.equal(back[1].version, built[1].version, 'a surface never shown is never recomputed');
    // Switching back and forth without changes recomputes nothing.
    await page.selectOption('#surface-map', '2');
    const again = await surfaces();
    assert.equal(again[2].version, ranged[2].version);
    assert.equal(again[0].version, back[0].version);
  });

  test('no errors in the page', () => {
    assert.deepEqual(app.errors, []);
  });
});
