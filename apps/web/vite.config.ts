import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const api = 'http://localhost:3000';

export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    // Mirrors tsconfig.base.json paths; only the browser-safe entry point is aliased.
    alias: [{ find: /^@handoff\/nodes$/, replacement: here('../../libs/nodes/src/index.ts') }],
  },
  server: {
    port: 4200,
    proxy: { '/api': api, '/hooks': api, '/intake-api': api },
  },
  preview: {
    proxy: { '/api': api, '/hooks': api, '/intake-api': api },
  },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    sourcemap: true,
  },
});
