/**
 * Bundles the compiled CLI (dist/src/cli/run.js and what it imports) into one CommonJS file, dist/bundle/cli/
 * occupy.cjs, which bin/occupy.cjs loads with a V8 code cache (bin/load-cli.cjs; the cache is made right after
 * this build by scripts/cli-code-cache.mjs). One file instead of ~70 modules saves about 60 ms of every run's
 * start-up; the code cache another 30-60 ms. CommonJS because Node 20 can use a code cache only for a script
 * compiled through `vm`, which cannot be an ES module.
 *
 * Code that only some runs need (`occupy gui`, figures, ChimeraX) stays in chunks beside it, required when
 * asked for. The packages are bundled too (commander, which every run uses; d3, in the figures chunk: it is
 * published as ES modules only, which Node 20 before 20.19 cannot `require`), except the native resvg. The
 * output is ASCII only (scripts/ascii-only.mjs), which Node decodes without a copy. The tests import dist/src
 * directly.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { asciiOnly } from './ascii-only.mjs';
import { bundledLicences } from './bundled-licences.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  ssr: { noExternal: ['commander', /^d3-/, 'internmap'] },
  plugins: [asciiOnly(), bundledLicences({ group: 'cli' })],
  logLevel: 'warn',
  build: {
    ssr: 'dist/src/cli/run.js',
    outDir: 'dist/bundle/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        format: 'cjs',
        entryFileNames: 'occupy.cjs',
        chunkFileNames: '[name]-[hash].cjs',
        // Node's own modules too are `require`d: a script compiled through `vm` has no `import()`.
        dynamicImportInCjs: false,
      },
    },
  },
});
