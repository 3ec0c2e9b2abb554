/**
 * Invalid settings in the form: a field holding an invalid value (kernel size 6, low-pass −5, max box 4) is
 * marked and listed in the form state, with a visible reason, so no run silently uses another value than the
 * field shows; the mark and the reason go as soon as the field shows a valid value again, whether typed or
 * computed (a reset, a setting it depends on changed, a new map).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { deriveSettings } from '../../src/core/settings.js';
import { openAppOnFixture, type App } from './browser.js';

const MAP = '1tii_occ_64.mrc';

let app: App;
let page: Page;
let work: string;
const hints: Record<string, string> = {};

/** Types `value` into a settings field and commits it (Enter), as a user would. */
async function enter(id: string, value: string): Promise<void> {
  await page.fill(`#${id}`, value);
  await page.press(`#${id}`, 'Enter');
}

/** What the field shows and whether it is marked invalid, with its tooltip. */
async function field(id: string): Promise<{ value: string; invalid: boolean; title: string }> {
  return page.evaluate((id) => {
    const input = document.getElementById(id) as HTMLInputElement;
    return { value: input.value, invalid: input.classList.contains('invalid') || input.validity.customError, title: input.title };
  }, id);
}

/** The fields the form state lists as invalid (the settings notice's data-fields) and the notice, if shown. */
async function invalidFields(): Promise<{ ids: string[]; notice?: string }> {
  const ids = ((await page.getAttribute('#settings-invalid', 'data-fields')) ?? '').split(' ').filter(Boolean);
  const notice = (await page.isVisible('#settings-invalid')) ? ((await page.textContent('#settings-invalid')) ?? '') : undefined;
  return { ids, notice };
}

async function assertValid(id: string, value: string): Promise<void> {
  assert.deepEqual(await field(id), { value, invalid: false, title: hints[id] }, `${id} shows a valid value: no mark, its own tooltip`);
}

async function assertInvalid(id: string, value: string, problem: RegExp): Promise<void> {
  const shown = await field(id);
  assert.equal(shown.value, value, `${id} keeps the text typed`);
  assert.ok(shown.invalid, `${id} is marked invalid`);
  assert.match(shown.title, problem);
  assert.ok(shown.title.endsWith(hints[id]), 'the tooltip still explains the setting');
}

const computed = (request: Parameters<typeof deriveSettings>[2] = {}) => {
  const s = deriveSettings(Math.fround(1.6), 64, request);
  return { lowpass: String(Number(s.lowpass.toPrecision(6))), size: String(s.kernel.size) };
};

describe('settings form: invalid values', { timeout: 120_000 }, () => {
  before(async () => {
    ({ app, page, work } = await openAppOnFixture(MAP, 'occupy-web-settings-'));
    for (const id of ['set-kernel-size', 'set-lowpass', 'set-max-box']) hints[id] = (await page.getAttribute(`#${id}`, 'title')) ?? '';
  });

  after(() => app?.close());

  test('an even kernel size is marked and listed, and stays shown until corrected', async () => {
    assert.deepEqual(await invalidFields(), { ids: [], notice: undefined });
    await enter('set-kernel-size', '6');
    await assertInvalid('set-kernel-size', '6', /^must be an odd whole number\. /);
    const listed = await invalidFields();
    assert.deepEqual(listed.ids, ['set-kernel-size'], 'the form state lists the field');
    assert.match(listed.notice ?? '', /^Fix the highlighted settings first: kernel size \(voxels\): must be an odd whole number\.$/);
    // Another change of the form redraws it: the invalid text is not silently replaced by the state's value.
    await page.click('#set-naive');
    await page.click('#set-naive');
    await assertInvalid('set-kernel-size', '6', /^must be an odd whole number/);
    assert.deepEqual((await invalidFields()).ids, ['set-kernel-size']);
    // Corrected: no mark, no notice.
    await enter('set-kernel-size', '7');
    await assertValid('set-kernel-size', '7');
    assert.deepEqual(await invalidFields(), { ids: [], notice: undefined });
    await page.click('#set-kernel-size-reset');
    await assertValid('set-kernel-size', computed().size);
  });

  test('Estimate and Modify wait while a field is invalid', async () => {
    await page.check('#mod-amplify-on');
    try {
      await enter('set-kernel-size', '6');
      assert.equal(await page.isDisabled('#run-estimate'), true, 'Estimate must wait');
      assert.equal(await page.isDisabled('#run-modify'), true, 'Modify must wait');
      await enter('set-kernel-size', '5');
      assert.equal(await page.isDisabled('#run-estimate'), false);
      assert.equal(await page.isDisabled('#run-modify'), false);
    } finally {
      await page.click('#set-kernel-size-reset');
      await page.uncheck('#mod-amplify-on');
    }
  });

  test('a kernel size larger than the processing box, and tau at 0 or 1, are marked as the CLI refuses them', async () => {
    await enter('set-kernel-size', '65');
    await assertInvalid('set-kernel-size', '65', /^does not fit the 64-voxel box estimation runs at \(it allows at most 64\)\. /);
    await page.click('#set-kernel-size-reset');
    for (const tau of ['0', '1']) {
      await enter('set-tau', tau);
      assert.deepEqual((await invalidFields()).ids, ['set-tau'], `tau ${tau}`);
      assert.match((await invalidFields()).notice ?? '', /tau.*: must be above 0 and below 1\.$/);
      await page.click('#set-tau-reset');
    }
    assert.deepEqual(await invalidFields(), { ids: [], notice: undefined });
  });

  test('a negative low-pass reset to its computed value loses its mark', async () => {
    await enter('set-lowpass', '-5');
    assert.equal(await page.isVisible('#set-lowpass-reset'), true, 'invalid text can be reset');
    await assertInvalid('set-lowpass', '-5', /^must be positive\. /);
    assert.deepEqual((await invalidFields()).ids, ['set-lowpass']);
    await page.click('#set-lowpass-reset');
    await assertValid('set-lowpass', computed().lowpass);
    assert.deepEqual(await invalidFields(), { ids: [], notice: undefined });
  });

  test('an invalid kernel size is dropped with the typed overrides when the low-pass it follows changes', async () => {
    await enter('set-kernel-size', '6');
    await enter('set-lowpass', '-1');
    assert.deepEqual((await invalidFields()).ids.sort(), ['set-kernel-size', 'set-lowpass']);
    assert.match((await invalidFields()).notice ?? '', /kernel size \(voxels\): must be an odd whole number; input low-pass \(Å\): must be positive\.$/);
    await enter('set-lowpass', '14');
    await assertValid('set-lowpass', '14');
    await assertValid('set-kernel-size', computed({ lowpass: 14 }).size);
    assert.deepEqual(await invalidFields(), { ids: [], notice: undefined });
    await page.click('#set-lowpass-reset');
    await assertValid('set-lowpass', computed().lowpass);
  });

  test('max box: 4 and odd boxes are marked; a valid box clears the mark', async () => {
    const box = (await field('set-max-box')).value;
    await enter('set-max-box', '4');
    await assertInvalid('set-max-box', '4', /^must be an even whole number of 8 or more\. /);
    await enter('set-max-box', '65');
    await assertInvalid('set-max-box', '65', /^must be an even whole number/);
    assert.deepEqual((await invalidFields()).ids, ['set-max-box']);
    await enter('set-max-box', box);
    await assertValid('set-max-box', box);
    assert.deepEqual(await invalidFields(), { ids: [], notice: undefined });
  });

  test('opening a map drops invalid text in the settings computed from it', async () => {
    await enter('set-kernel-size', '6');
    assert.deepEqual((await invalidFields()).ids, ['set-kernel-size']);
    await page.setInputFiles('#open-input', path.join(work, MAP));
    await page.waitForFunction(() => !document.getElementById('set-kernel-size')!.classList.contains('invalid'));
    await assertValid('set-kernel-size', computed().size);
    assert.deepEqual(await invalidFields(), { ids: [], notice: undefined });
  });

  test('a field being typed in is not refilled by redraws for other changes', async () => {
    const computedLowpass = (await field('set-lowpass')).value;
    await page.fill('#set-lowpass', ''); // on the way to another value; still focused
    // Another control changes the state (the slice slider) while the field keeps the focus.
    await page.evaluate(() => {
      const slider = document.getElementById('slice-slider') as HTMLInputElement;
      slider.value = String(Number(slider.value) > 0 ? 0 : 1);
      slider.dispatchEvent(new Event('input'));
    });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'set-lowpass');
    assert.equal((await field('set-lowpass')).value, '', 'the emptied field stays empty while typed in');
    await enter('set-lowpass', computedLowpass);
    await assertValid('set-lowpass', computedLowpass);
  });

  test('no errors in the page', () => {
    assert.deepEqual(app.errors, []);
  });
});
