/**
 * `npm run screenshots`: the README's pictures of the web app (docs/screenshots/*.png), taken in headless
 * Chromium on the 1tii_occ_64 fixture: the map opened, its scale, a modification preview, and the 3D view.
 *
 *   npm run screenshots          (or, after a build: node dist/scripts/web-screenshots.js)
 */
import { mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../test/fixtures/fixture-cases.js';
import { openApp, repoRoot, waitForRun } from '../test/web/browser.js';

const out = path.join(repoRoot, 'docs', 'screenshots');
/** README pictures stay small. */
const MAX_BYTES = 300 * 1024;

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const app = await openApp({ width: 1280, height: 820 });
  const { page } = app;
  const shots: string[] = [];
  const shoot = async (name: string) => {
    const file = path.join(out, `${name}.png`);
    await page.screenshot({ path: file });
    shots.push(file);
  };
  try {
    await page.setInputFiles('#open-input', path.join(fixturesDir(), '1tii_occ_64.mrc'));
    await page.waitForSelector('#info-input [data-fact="box"]');
    await shoot('1-input');

    await page.selectOption('#set-scale-mode', 'occ');
    await page.click('#run-estimate');
    if ((await waitForRun(page, 1)) !== 'done') throw new Error(`the estimate failed: ${await page.textContent('#message')}`);
    // Taller, to show the scale with the solvent-model plot below it.
    await page.setViewportSize({ width: 1280, height: 1180 });
    await shoot('2-scale');
    await page.setViewportSize({ width: 1280, height: 820 });

    await page.check('#mod-amplify-on');
    await page.locator('#mod-amplify-power').fill('3');
    // The controls scroll on their own: show the modification panel beside the previewed slice.
    await page.evaluate(() => {
      window.scrollTo({ top: 0 });
      const controls = document.querySelector('.controls')!;
      controls.scrollTop = document.querySelector('#modification-plot')!.getBoundingClientRect().top - controls.getBoundingClientRect().top + controls.scrollTop - 250;
    });
    await shoot('3-preview');

    await page.click('#run-modify');
    if ((await waitForRun(page, 2)) !== 'done') throw new Error(`the modification failed: ${await page.textContent('#message')}`);
    await page.evaluate(() => {
      window.scrollTo({ top: 0 });
      document.querySelector('.controls')!.scrollTop = 0;
    });
    await page.click('#view-3d');
    await page.waitForSelector('#surface-panel[data-state="ready"]', { timeout: 180_000 });
    await page.waitForTimeout(500);
    await shoot('4-3d');
  } finally {
    await app.close();
  }
  for (const file of shots) {
    const bytes = statSync(file).size;
    console.log(`${path.relative(repoRoot, file)}: ${(bytes / 1024).toFixed(0)} KB`);
    if (bytes > MAX_BYTES) throw new Error(`${file} is over ${MAX_BYTES / 1024} KB`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
