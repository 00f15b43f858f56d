// Builds the back office into dist/admin; the server serves it under /admin/.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/admin/',
  // Nothing to copy verbatim: every asset goes through the bundle and gets a content hash.
  publicDir: false,
  clearScreen: false,
  // Preact's automatic JSX runtime, without a framework plugin (Vite 8 hands this to Oxc).
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: resolve(here, '../../dist/admin'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    // The rich-text editor is one large chunk by nature; it is split off and loaded on demand.
    chunkSizeWarningLimit: 1024,
  },
});
