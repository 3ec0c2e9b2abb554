/**
 * The layering the README's Layout describes, checked on every import of src/ and web/src/: the numerical core
 * imports only itself (so the browser's Web Workers run the very code the CLI does), the map format (src/format)
 * and the run's shared steps import no Node module, and nothing below the CLI imports it. The web app's own
 * type check sees only the files it imports, so a Node import in a file it does not use yet would otherwise
 * show only when it first does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot } from '../fixtures/fixture-cases.js';

/** A layer of the architecture: a file's folder under src/, or the web app. */
function layerOf(file: string): string {
  if (file.startsWith('web/')) return 'web';
  const [top, folder] = file.split('/');
  return top === 'src' ? folder : top;
}

/** What each layer may import: layers, `node:` (Node's modules) and `package` (npm packages). */
const ALLOWED: Record<string, readonly string[]> = {
  core: ['core'],
  format: ['core', 'format'],
  report: ['core', 'report', 'package'],
  run: ['core', 'format', 'report', 'run'],
  synthetic: ['core', 'synthetic'],
  io: ['core', 'format', 'io', 'node:'],
  node: ['core', 'node:'],
  cli: ['core', 'format', 'io', 'report', 'run', 'cli', 'node:', 'package'],
  web: ['core', 'format', 'report', 'run', 'web', 'package'],
};

/** Globals only Node has, which the layers the browser runs must not use. */
const NODE_GLOBALS = /\b(?:process\.|Buffer\.|require\(|__dirname|__filename)/;
const BROWSER_LAYERS = new Set(['core', 'format', 'report', 'run', 'web']);

interface SourceFile {
  file: string; // from the repository's root, '/'-separated
  source: string;
}

/** The module specifiers a source imports or re-exports (static and dynamic), comments left out. */
function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) specifiers.push(m[1]);
  return specifiers;
}

/** Each import that breaks the layering, as "file: imports what (layer)". */
function violations(files: readonly SourceFile[]): string[] {
  const found: string[] = [];
  for (const { file, source } of files) {
    const layer = layerOf(file);
    const allowed = ALLOWED[layer];
    if (!allowed) {
      found.push(`${file}: in no known layer (${layer})`);
      continue;
    }
    for (const specifier of importsOf(source)) {
      const target = specifier.startsWith('.')
        ? layerOf(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '.ts'))
        : specifier.startsWith('node:')
          ? 'node:'
          : 'package';
      if (!allowed.includes(target)) found.push(`${file}: imports ${specifier} (${target})`);
    }
    if (BROWSER_LAYERS.has(layer)) {
      const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      const global = NODE_GLOBALS.exec(code);
      if (global) found.push(`${file}: uses Node's ${global[0]}`);
    }
  }
  return found;
}

function sourcesUnder(folder: string): SourceFile[] {
  const root = repositoryRoot();
  return readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => {
      const file = path.posix.join(folder, name.split(path.sep).join('/'));
      return { file, source: readFileSync(path.join(root, file), 'utf8') };
    });
}

test('the checker finds imports and globals that break the layering', () => {
  const bad: SourceFile[] = [
    { file: 'src/core/a.ts', source: "import { readFile } from 'node:fs';\nimport { x } from '../run/job.js';\n" },
    { file: 'src/core/b.ts', source: "export { y } from '../io/map-file.js';\nconst m = await import('../cli/run.js');\n" },
    { file: 'src/format/mrc-format.ts', source: "import { z } from '../io/map-file.js';\n" },
    { file: 'src/run/c.ts', source: 'const big = Buffer.alloc(4);\n' },
    { file: 'web/src/d.ts', source: "import { main } from '../../src/cli/run.js';\nimport { gzip } from 'node:zlib';\n" },
    { file: 'src/report/e.ts', source: "import { scaleLinear } from 'd3-scale';\n// import { x } from 'node:fs';\n/* process.exit() */\n" },
  ];
  assert.deepEqual(violations(bad), [
    'src/core/a.ts: imports node:fs (node:)',
    'src/core/a.ts: imports ../run/job.js (run)',
    'src/core/b.ts: imports ../io/map-file.js (io)',
    'src/core/b.ts: imports ../cli/run.js (cli)',
    'src/format/mrc-format.ts: imports ../io/map-file.js (io)',
    "src/run/c.ts: uses Node's Buffer.",
    'web/src/d.ts: imports ../../src/cli/run.js (cli)',
    'web/src/d.ts: imports node:zlib (node:)',
  ]);
});

test('src/ and web/src/ keep to the layers: the core and what the browser runs import nothing of Node', () => {
  const files = [...sourcesUnder('src'), ...sourcesUnder('web/src')];
  assert.ok(files.length > 100, `${files.length} files`);
  for (const layer of Object.keys(ALLOWED)) assert.ok(files.some((f) => layerOf(f.file) === layer), `some file in ${layer}`);
  assert.deepEqual(violations(files), []);
});
