import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { App } from '../shared/http.ts';
import {
  buildBundle,
  buildFromCommandLine,
  bundleNeedsBuild,
  serveBundle,
  webBundle,
} from '../shared/web-bundle.ts';

/**
 * The register screen (src/web/register, a React app built by Vite into dist/register) served by the
 * till itself, so it works with HQ unreachable. Every path that is not a file of the bundle, the API
 * (/api/…), /openapi.json or /health gets index.html (the screen has no server routes of its own).
 * The bundle is built by `npm run build:web` (also run before `npm start`); a till without it serves a
 * page that says so rather than a bare 404.
 */
const screen = webBundle('register', {
  label: 'register screen',
  title: 'Tally register',
  api: 'register API',
});
export const screenSourceDir = screen.sourceDir;
export const screenBundleDir = screen.bundleDir;

const apiPath = (url: string): boolean =>
  url.startsWith('/api/') || url === '/api' || url.startsWith('/openapi.json') || url.startsWith('/health');

export async function serveRegisterScreen(app: App, opts: { logger: Logger; dir?: string }): Promise<void> {
  const send = await serveBundle(app, screen, opts);
  app.get('/*', { schema: { hide: true } }, async (req, reply) =>
    apiPath(req.url) ? reply.callNotFound() : send(reply, req.url.split('?')[0] ?? '/'),
  );
}

/** Whether dist/register is missing or older than its sources. */
export const screenNeedsBuild = (): boolean => bundleNeedsBuild(screen);

/** Builds the screen with Vite when it is missing or stale (or always with `force`). */
export const buildRegisterScreen = (
  opts: { force?: boolean; log?: (msg: string) => void } = {},
): Promise<{ built: boolean; ms: number }> => buildBundle(screen, opts);

// `tsx src/apps/terminal/static.ts [--force]`: what `npm run build:web` runs.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildFromCommandLine(screen);
