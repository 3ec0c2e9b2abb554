/**
 * Headless Chromium for the web app's end-to-end tests and scripts: Debian's chromium driven by
 * playwright-core (no browser download), serving dist/web with the same server as `occupy gui`.
 *
 * WebGL (the 3D view) runs on SwiftShader, Chromium's software renderer, since the machines have no GPU.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startGuiServer, type GuiServer } from '../../src/cli/gui-server.js';
import { fixturesDir } from '../fixtures/fixture-cases.js';
import { runOccupy } from '../cli/harness.js';

/** The repository root, from dist/test/web (compiled) or test/web (tsx). */
export const repoRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

export const CHROMIUM = process.env.OCCUPY_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebGL without a GPU: ANGLE on SwiftShader.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export interface App {
  server: GuiServer;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the page (tests assert there are none). */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Serves the built app and opens it in a fresh Chromium profile. Throws (never skips) when Chromium or the
 * build is missing: CI installs chromium in .ci/run, so a missing browser is a broken setup.
 */
export interface OpenOptions {
  width?: number;
  height?: number;
  downloads?: string;
  /** Appended to the app's address, e.g. '?threads=1'. */
  query?: string;
  /** Serve this folder instead of dist/web, opening `path` in it; without COOP/COEP when `isolate` is false. */
  site?: { root: string; path: string; isolate: boolean };
}

export async function openApp(options: OpenOptions = {}): Promise<App> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it) — the web app tests need it.`);
  }
  const server = options.site
    ? await startGuiServer({ root: options.site.root, isolate: options.site.isolate })
    : await startGuiServer({ root: path.join(repoRoot, 'dist', 'web') });
  const profile = mkdtempSync(path.join(tmpdir(), 'occupy-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    acceptDownloads: true,
    downloadsPath: options.downloads,
    viewport: { width: options.width ?? 1400, height: options.height ?? 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  await page.goto(server.url + (options.site?.path ?? '') + (options.query ?? ''));
  await page.waitForSelector('body[data-ready="true"]');
  return {
    server,
    context,
    page,
    errors,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the session log's run `run` has finished, and returns its status. */
export async function waitForRun(page: Page, run: number, timeoutMs = 120_000): Promise<string> {
  const entry = page.locator(`.log-entry[data-run="${run}"]:not([data-status="running"])`);
  await entry.waitFor({ timeout: timeoutMs });
  return (await entry.getAttribute('data-status')) ?? '';
}

/**
 * The app opened on a copy of a fixture map in a fresh scratch folder (also the downloads folder), which
 * `app.close()` removes too.
 */
export async function openAppOnFixture(map: string, prefix: string): Promise<{ app: App; page: Page; work: string }> {
  const work = mkdtempSync(path.join(tmpdir(), prefix));
  copyFileSync(path.join(fixturesDir(), map), path.join(work, map));
  const opened = await openApp({ downloads: work });
  const app: App = {
    ...opened,
    async close() {
      await opened.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
  await app.page.setInputFiles('#open-input', path.join(work, map));
  await app.page.waitForSelector('#info-input [data-fact="box"]');
  return { app, page: app.page, work };
}

/** What `click` makes the page download, saved in `folder`: its suggested name and bytes. */
export async function saveDownload(page: Page, folder: string, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const saved = path.join(folder, `download-${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(saved);
  return { name: file.suggestedFilename(), bytes: readFileSync(saved) };
}

/** The command line the session log gives for run `run`. */
export async function loggedCommand(page: Page, run: number): Promise<string> {
  return (await page.locator(`.log-entry[data-run="${run}"] .command`).textContent()) ?? '';
}

/**
 * Runs the CLI with the arguments of a logged command line (`occupy …`) in a fresh folder under `work`,
 * beside a copy of `source` named `input` (the name the command line gives); returns the folder.
 */
export function runLoggedCommand(command: string, work: string, source: string, input = path.basename(source)): string {
  const args = command.split(' ');
  assert.equal(args[0], 'occupy');
  const out = mkdtempSync(path.join(work, 'cli-'));
  copyFileSync(source, path.join(out, input));
  const r = runOccupy([...args.slice(1), '--quiet'], out);
  assert.equal(r.status, 0, `occupy failed: ${r.stderr}`);
  return out;
}
