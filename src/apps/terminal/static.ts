import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { App } from '../shared/http.ts';
import {
  buildBundle,
  buildFromCommandLine,
  bundleNeedsBuild,
  registerBundleFiles,
  sendBundlePath,
  type WebBundle,
} from '../shared/web-bundle.ts';

/**
 * The register screen (src/web/register, a React app built by Vite into dist/register) served by the
 * till itself, so it works with HQ unreachable. Every path that is not a file of the bundle, the API
 * (/api/…), /openapi.json or /health gets index.html (the screen has no server routes of its own).
 * The bundle is built by `npm run build:web` (also run before `npm start`); a till without it serves a
 * page that says so rather than a bare 404.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
export const screenSourceDir = join(root, 'src', 'web', 'register');
export const screenBundleDir = join(root, 'dist', 'register');
const screen: WebBundle = {
  label: 'register screen',
  sourceDir: screenSourceDir,
  bundleDir: screenBundleDir,
};

const apiPath = (url: string): boolean =>
  url.startsWith('/api/') || url === '/api' || url.startsWith('/openapi.json') || url.startsWith('/health');

export async function serveRegisterScreen(app: App, opts: { logger: Logger; dir?: string }): Promise<void> {
  const dir = opts.dir ?? screenBundleDir;
  if (!existsSync(join(dir, 'index.html')))
    opts.logger.debug({ dir }, 'register screen not built yet; run npm run build:web');
  await registerBundleFiles(app, dir);
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const url = req.url;
    if (apiPath(url)) return reply.callNotFound();
    if (!existsSync(join(dir, 'index.html')))
      return reply.status(503).type('text/html; charset=utf-8').send(notBuiltPage);
    return sendBundlePath(reply, dir, url.split('?')[0] ?? '/');
  });
}

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>Tally register</title>
<body style="font:18px system-ui;margin:40px"><h1>The register screen is not built</h1>
<p>Run <code>npm run build:web</code> in the Tally folder, then reload. The register API is at
<a href="/openapi.json">/openapi.json</a>.</p></body>`;

/** Whether dist/register is missing or older than its sources. */
export const screenNeedsBuild = (): boolean => bundleNeedsBuild(screen);

/** Builds the screen with Vite when it is missing or stale (or always with `force`). */
export const buildRegisterScreen = (
  opts: { force?: boolean; log?: (msg: string) => void } = {},
): Promise<{ built: boolean; ms: number }> => buildBundle(screen, opts);

// `tsx src/apps/terminal/static.ts [--force]`: what `npm run build:web` runs.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildFromCommandLine(screen);
