import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { Logger } from 'pino';
import type { App } from '../shared/http.ts';

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
const viteConfig = join(dashboardSourceDir, 'vite.config.ts');

export async function serveDashboard(app: App, opts: { logger: Logger; dir?: string }): Promise<void> {
  const dir = opts.dir ?? dashboardBundleDir;
  if (!existsSync(join(dir, 'index.html')))
    opts.logger.debug({ dir }, 'dashboard not built yet; run npm run build:web');
  await app.register(fastifyStatic, {
    root: dir,
    // Files are looked up per request below, so a bundle built while HQ runs is served at once.
    serve: false,
    // Vite names assets by content hash, so they never change; index.html must always be fresh.
    setHeaders: (reply, path) => {
      reply.header(
        'cache-control',
        path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
    suppressWarning: true,
  });
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect(DASHBOARD_BASE));
  app.get('/dashboard', { schema: { hide: true } }, async (_req, reply) => reply.redirect(DASHBOARD_BASE));
  app.get(`${DASHBOARD_BASE}*`, { schema: { hide: true } }, async (req, reply) => {
    if (!existsSync(join(dir, 'index.html')))
      return reply.status(503).type('text/html; charset=utf-8').send(notBuiltPage);
    let rel = '';
    try {
      const path = (req.url.split('?')[0] ?? '').slice(DASHBOARD_BASE.length);
      rel = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, '');
    } catch {
      // a malformed escape is no file of ours: index.html
    }
    const file = rel && !rel.startsWith('..') ? join(dir, rel) : '';
    if (file && existsSync(file) && statSync(file).isFile()) return reply.sendFile(rel, dir);
    return reply.sendFile('index.html', dir);
  });
}

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>Tally dashboard</title>
<body style="font:18px system-ui;margin:40px"><h1>The dashboard is not built</h1>
<p>Run <code>npm run build:web</code> in the Tally folder, then reload. The HQ API is at
<a href="/openapi.json">/openapi.json</a>.</p></body>`;

/** The newest modification time among the dashboard's sources (tests excluded), in ms. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(entry.parentPath ?? dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether dist/dashboard is missing or older than its sources (or the API contract it is built on). */
export function dashboardNeedsBuild(): boolean {
  const index = join(dashboardBundleDir, 'index.html');
  if (!existsSync(index)) return true;
  if (!existsSync(dashboardSourceDir)) return false; // an install with the bundle only
  return statSync(index).mtimeMs < newestSource(dashboardSourceDir);
}

/**
 * Builds the dashboard with Vite when it is missing or stale (or always with `force`), into a temporary
 * folder renamed into place, so HQ never serves half a bundle and two builds at once do no harm.
 */
export async function buildDashboard(
  opts: { force?: boolean; log?: (msg: string) => void } = {},
): Promise<{ built: boolean; ms: number }> {
  const t0 = performance.now();
  if (!opts.force && !dashboardNeedsBuild()) return { built: false, ms: performance.now() - t0 };
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  log('building the dashboard (vite)…');
  const { build } = await import('vite');
  const parent = dirname(dashboardBundleDir);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, '.dashboard-'));
  chmodSync(tmp, 0o755); // mkdtemp makes it private; the bundle is public
  try {
    // A production bundle even from a test runner that set NODE_ENV=test.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: viteConfig,
        mode: 'production',
        logLevel: 'warn',
        build: { outDir: tmp, emptyOutDir: true },
      });
    } finally {
      if (env === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = env;
    }
    rmSync(dashboardBundleDir, { recursive: true, force: true });
    try {
      renameSync(tmp, dashboardBundleDir);
    } catch (err) {
      // Another build finished first and took the place: its bundle is as good as this one.
      if (!existsSync(join(dashboardBundleDir, 'index.html'))) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const ms = performance.now() - t0;
  log(`dashboard built in ${(ms / 1000).toFixed(1)} s → ${dashboardBundleDir}`);
  return { built: true, ms };
}

// `tsx src/apps/hq/static.ts [--force]`: part of `npm run build:web`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildDashboard({ force: process.argv.includes('--force') });
  } catch (err) {
    process.stderr.write(`build:web failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
