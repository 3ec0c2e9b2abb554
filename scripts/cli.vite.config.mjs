/**
 * Bundles the compiled CLI (dist/src/cli/run.js and what it imports) into one ES module, dist/bundle/cli/
 * occupy.js, which bin/occupy.js loads: Node then reads and links one file instead of ~70 modules (about
 * 60 ms of every run's start-up). Code that only some runs need (`occupy gui`, figures, ChimeraX) stays in
 * chunks beside it, loaded when asked for. commander, which every run uses, is bundled too (imported from
 * node_modules it went through Node's CommonJS translation at each start, ~7 ms); the other packages (d3,
 * resvg: figures only) and Node's modules are imported as before. The tests import dist/src directly.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundledLicences } from './bundled-licences.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  ssr: { noExternal: ['commander'] },
  plugins: [bundledLicences({ group: 'cli' })],
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
      output: { format: 'es', entryFileNames: 'occupy.js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
