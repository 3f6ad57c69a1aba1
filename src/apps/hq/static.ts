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
import type { HqRoutes } from './hq-routes.ts';

/**
 * The manager's dashboard (src/web/dashboard, a React app built by Vite into dist/dashboard) served by
 * HQ under /dashboard/. `/` sends a browser there. Paths under /dashboard/ that are no file of the
 * bundle get index.html, so a reload on /dashboard/insights keeps the view. Built by `npm run build:web`
 * (also run before `npm start`); an HQ without the bundle serves a page that says how to build it.
 */
export const DASHBOARD_BASE = '/dashboard/';
const dashboard = webBundle('dashboard', { label: 'dashboard', title: 'Tally dashboard', api: 'HQ API' });
export const dashboardSourceDir = dashboard.sourceDir;
export const dashboardBundleDir = dashboard.bundleDir;

export async function serveDashboard(app: App, opts: { logger: Logger; dir?: string }): Promise<void> {
  const send = await serveBundle(app, dashboard, opts);
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect(DASHBOARD_BASE));
  app.get('/dashboard', { schema: { hide: true } }, async (_req, reply) => reply.redirect(DASHBOARD_BASE));
  app.get(`${DASHBOARD_BASE}*`, { schema: { hide: true } }, async (req, reply) =>
    send(reply, (req.url.split('?')[0] ?? '').slice(DASHBOARD_BASE.length)),
  );
}

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
