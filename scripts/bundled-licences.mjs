/**
 * A Vite plugin that writes `THIRD_PARTY_LICENSES.txt` beside a build: for every npm package whose code ended
 * up in the bundle (found from the bundled modules' paths under node_modules), its name, version, licence and
 * the licence text it ships. MIT, ISC and BSD licences ask that the notice travel with copies of the code, and
 * the bundles (dist/bundle/cli, dist/web) are such copies.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The package folder of a module path inside node_modules (scoped or not), or undefined. */
function packageFolder(id) {
  const clean = id.split('?')[0].replaceAll('\\', '/');
  const at = clean.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const rest = clean.slice(at + '/node_modules/'.length).split('/');
  const nameParts = rest[0].startsWith('@') ? 2 : 1;
  return clean.slice(0, at) + '/node_modules/' + rest.slice(0, nameParts).join('/');
}

function licenceText(folder) {
  const file = readdirSync(folder).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
  return file ? readFileSync(path.join(folder, file), 'utf8').trim() : undefined;
}

/** Package folders seen by every instance in this process: a worker's bundle is built before the page's. */
const folders = new Set();

/**
 * `emit: false` for the builds of Web Workers, whose packages then go into the page build's file (a worker
 * emitting its own would be overwritten by it).
 */
export function bundledLicences({ emit = true } = {}) {
  return {
    name: 'occupy-bundled-licences',
    generateBundle() {
      for (const id of this.getModuleIds()) {
        const folder = packageFolder(id);
        if (folder && existsSync(path.join(folder, 'package.json'))) folders.add(folder);
      }
      if (!emit) return;
      const entries = [...folders]
        .map((folder) => {
          const pkg = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
          return { name: pkg.name, version: pkg.version, licence: pkg.license ?? 'see its text', text: licenceText(folder) };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
      const missing = entries.filter((e) => !e.text).map((e) => e.name);
      if (missing.length > 0) this.warn(`no licence file found for ${missing.join(', ')}`);
      const body = entries
        .map((e) => `${e.name} ${e.version} (${e.licence})\n\n${e.text ?? `Licence: ${e.licence} (the package ships no licence file).`}`)
        .join(`\n\n${'-'.repeat(80)}\n\n`);
      this.emitFile({
        type: 'asset',
        fileName: 'THIRD_PARTY_LICENSES.txt',
        source: `Packages whose code is bundled into these files, with their licences.\n\n${'='.repeat(80)}\n\n${body}\n`,
      });
    },
  };
}
