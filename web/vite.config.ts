import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = dirname(fileURLToPath(import.meta.url));
const server = 'http://127.0.0.1:8080';

// Vendor code goes into a few long-lived chunks so that a release that only changes
// application code does not make every browser download React and Mantine again,
// and so that no chunk reaches the 500 kB warning. Only the packages named here are
// grouped; everything else (the chart libraries' helpers) is left to automatic chunking,
// which keeps it with the lazy audit page that alone uses it.

// Path separator inside a module id, on POSIX and on Windows.
const SEP = String.raw`[\\/]`;

/** Matches JavaScript modules of the named packages, not packages nested inside them. */
const fromPackages = (names: string) => {
  const re = new RegExp(`node_modules${SEP}(${names})${SEP}(?!.*node_modules)`);
  // Stylesheets stay with the entry: main.tsx imports them all eagerly, and a CSS module in a
  // lazy group would make the browser preload that group's JavaScript as well.
  return (id: string) => re.test(id) && !id.endsWith('.css');
};

const vendorGroups = [
  { name: 'vendor-react', test: fromPackages('react|react-dom|scheduler'), priority: 30 },
  { name: 'vendor-mantine', test: fromPackages(`@mantine${SEP}(core|hooks)`), priority: 20 },
  { name: 'vendor-recharts', test: fromPackages('recharts'), priority: 10 },
];

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: vendorGroups },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: server, changeOrigin: false },
      '/health': { target: server, changeOrigin: false },
    },
  },
});
