/**
 * Builds the web app (web/) into dist/web/: a static site with relative URLs, so it works from `occupy gui`,
 * from any sub-path of a web server, or from a folder. The numerical core comes from ../src, bundled as is.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
// @ts-expect-error: a plain JavaScript module of the build scripts (no type declarations)
import { bundledLicences } from '../scripts/bundled-licences.mjs';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  root: webDir,
  base: './',
  // The version goes into every map label and report, as the CLI's does, so downloads equal the CLI's bytes.
  define: { __OCCUPY_VERSION__: JSON.stringify(pkg.version) },
  worker: { format: 'es', plugins: () => [bundledLicences({ group: 'web', emit: false })] },
  plugins: [bundledLicences({ group: 'web' })],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Mol* (the 3D view) is one large chunk, loaded only when the 3D tab opens.
    chunkSizeWarningLimit: 6000,
    reportCompressedSize: false,
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
