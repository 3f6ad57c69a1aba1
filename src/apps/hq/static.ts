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
import type { HqRoutes } from './hq-routes.ts';

/**
 * The manager's dashboard (src/web/dashboard, a React app built by Vite into dist/dashboard) served by
 * HQ under /dashboard/. `/` sends a browser there. Paths under /dashboard/ that are no file of the
 * bundle get index.html, so a reload on /dashboard/insights keeps the view. Built by `npm run build:web`
 * (also run before `npm start`); an HQ without the bundle serves a page that says how to build it.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
export const DASHBOARD_BASE = '/dashboard/';
export const dashboardSourceDir = join(root, 'src', 'web', 'dashboard');
export const dashboardBundleDir = join(root, 'dist', 'dashboard');
const dashboard: WebBundle = {
  label: 'dashboard',
  sourceDir: dashboardSourceDir,
  bundleDir: dashboardBundleDir,
};

export async function serveDashboard(app: App, opts: { logger: Logger; dir?: string }): Promise<void> {
  const dir = opts.dir ?? dashboardBundleDir;
  if (!existsSync(join(dir, 'index.html')))
    opts.logger.debug({ dir }, 'dashboard not built yet; run npm run build:web');
  await registerBundleFiles(app, dir);
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect(DASHBOARD_BASE));
  app.get('/dashboard', { schema: { hide: true } }, async (_req, reply) => reply.redirect(DASHBOARD_BASE));
  app.get(`${DASHBOARD_BASE}*`, { schema: { hide: true } }, async (req, reply) => {
    if (!existsSync(join(dir, 'index.html')))
      return reply.status(503).type('text/html; charset=utf-8').send(notBuiltPage);
    return sendBundlePath(reply, dir, (req.url.split('?')[0] ?? '').slice(DASHBOARD_BASE.length));
  });
}

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>Tally dashboard</title>
<body style="font:18px system-ui;margin:40px"><h1>The dashboard is not built</h1>
<p>Run <code>npm run build:web</code> in the Tally folder, then reload. The HQ API is at
<a href="/openapi.json">/openapi.json</a>.</p></body>`;

/** Whether dist/dashboard is missing or older than its sources. */
export const dashboardNeedsBuild = (): boolean => bundleNeedsBuild(dashboard);

/** Builds the dashboard with Vite when it is missing or stale (or always with `force`). */
export const buildDashboard = (
  opts: { force?: boolean; log?: (msg: string) => void } = {},
): Promise<{ built: boolean; ms: number }> => buildBundle(dashboard, opts);

// `tsx src/apps/hq/static.ts [--force]`: part of `npm run build:web`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  await buildFromCommandLine(dashboard);

/** The dashboard as one of HQ's route files (see hq-routes.ts). */
export const dashboardScreen: HqRoutes = (app, { logger }) => serveDashboard(app, { logger });
