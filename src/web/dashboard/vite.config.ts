import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The manager's dashboard bundle. `npm run build:web` writes it to dist/dashboard, which HQ serves under
 * /dashboard/; `npx vite --config src/web/dashboard/vite.config.ts` runs it in development against an HQ
 * at TALLY_HQ_URL (default: the demo's HQ on 4100).
 */
const hq = process.env.TALLY_HQ_URL ?? 'http://127.0.0.1:4100';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // ECharts and React are most of it (about 280 kB gzipped); HQ serves it once, then it is cached.
    chunkSizeWarningLimit: 1024,
  },
  server: { proxy: { '/api': hq } },
});
