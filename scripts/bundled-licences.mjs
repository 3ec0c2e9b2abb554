/**
 * A Vite plugin that writes `THIRD_PARTY_LICENSES.txt` beside a build: for every npm package whose code ended
 * up in the bundle's files (modules with rendered code, found by their paths under node_modules; the bundler's
 * own runtime helpers count as Vite's and Rolldown's), its name, version, licence and the licence text it
 * ships. MIT, ISC and BSD licences ask that the notice travel with copies of the code, and the bundles
 * (dist/bundle/cli, dist/web) are such copies.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);

/** The package folder of a module path inside node_modules (scoped or not), or undefined. */
function packageFolder(id) {
  const clean = id.split('?')[0].replaceAll('\\', '/');
  const at = clean.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const rest = clean.slice(at + '/node_modules/'.length).split('/');
  const nameParts = rest[0].startsWith('@') ? 2 : 1;
  return clean.slice(0, at) + '/node_modules/' + rest.slice(0, nameParts).join('/');
}

/** The bundler's injected helpers (`\0vite/preload-helper`, `\0rolldown/runtime.js`, …): their package's folder. */
function helperFolder(id) {
  const m = /^\0?(vite|rolldown)\//.exec(id);
  return m ? path.dirname(require.resolve(`${m[1]}/package.json`)) : undefined;
}

function licenceText(folder) {
  const file = readdirSync(folder).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
  return file ? readFileSync(path.join(folder, file), 'utf8').trim() : undefined;
}

/** Package folders per group of builds: a page's Web Workers are built before the page, into the same files. */
const groups = new Map();

/**
 * `group` names the builds whose packages go into one file; `emit: false` for the builds of Web Workers, whose
 * packages then go into the page build's file (a worker emitting its own would be overwritten by it).
 */
export function bundledLicences({ group, emit = true }) {
  if (!groups.has(group)) groups.set(group, new Set());
  const folders = groups.get(group);
  return {
    name: 'occupy-bundled-licences',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        for (const [id, module] of Object.entries(file.modules)) {
          if (module.renderedLength === 0) continue;
          const folder = packageFolder(id) ?? helperFolder(id);
          if (folder && !folders.has(folder) && existsSync(path.join(folder, 'package.json'))) folders.add(folder);
        }
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
