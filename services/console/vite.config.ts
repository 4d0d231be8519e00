import { defineConfig } from 'vite';

// The console is plain static files: no inline script (the CSP forbids it), no module
// preload polyfill (modern browsers only), no source maps in the build.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2023',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
