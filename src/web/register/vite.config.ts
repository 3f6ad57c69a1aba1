import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The register screen's bundle. `npm run build:web` writes it to dist/register, which the till serves;
 * `npx vite --config src/web/register/vite.config.ts` runs it in development against a till at
 * TALLY_TILL_URL (default: the demo's till on 4101).
 */
const till = process.env.TALLY_TILL_URL ?? 'http://127.0.0.1:4101';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/register', import.meta.url)),
    emptyOutDir: true,
    // A till serves it from localhost: one small bundle, no sourcemaps shipped to the store.
    sourcemap: false,
    target: 'es2022',
  },
  server: { proxy: { '/api': till, '/openapi.json': till } },
});
