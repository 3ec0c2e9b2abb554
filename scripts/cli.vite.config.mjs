/**
 * Bundles the compiled CLI (dist/src/cli/run.js and what it imports) into one ES module, dist/bundle/cli/
 * occupy.js, which bin/occupy.js loads: Node then reads and links one file instead of ~70 modules (about
 * 60 ms of every run's start-up). Code that only some runs need (`occupy gui`, figures, ChimeraX) stays in
 * chunks beside it, loaded when asked for. Packages (commander, d3, resvg) and Node's modules are not
 * bundled: they are imported from node_modules as before. The tests import dist/src directly.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  ssr: { noExternal: ['commander'] },
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
