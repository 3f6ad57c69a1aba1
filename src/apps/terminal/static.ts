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
 * The register screen (src/web/register, a React app built by Vite into dist/register) served by the
 * till itself, so it works with HQ unreachable. Every path that is not a file of the bundle, the API
 * (/api/…), /openapi.json or /health gets index.html (the screen has no server routes of its own).
 * The bundle is built by `npm run build:web` (also run before `npm start`); a till without it serves a
 * page that says so rather than a bare 404.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
export const screenSourceDir = join(root, 'src', 'web', 'register');
export const screenBundleDir = join(root, 'dist', 'register');
const viteConfig = join(screenSourceDir, 'vite.config.ts');

const apiPath = (url: string): boolean =>
  url.startsWith('/api/') || url === '/api' || url.startsWith('/openapi.json') || url.startsWith('/health');

export async function serveRegisterScreen(app: App, opts: { logger: Logger; dir?: string }): Promise<void> {
  const dir = opts.dir ?? screenBundleDir;
  if (!existsSync(join(dir, 'index.html')))
    opts.logger.debug({ dir }, 'register screen not built yet; run npm run build:web');
  // serve: false — only reply.sendFile; the route below serves files looked up per request, so a
  // bundle rebuilt while the till runs is served without a restart.
  await app.register(fastifyStatic, {
    root: dir,
    serve: false,
    // Vite names assets by content hash, so they never change; index.html must always be fresh.
    setHeaders: (reply, path) => {
      reply.header(
        'cache-control',
        path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
    // The bundle may be built after the till started: the route below checks for it per request.
    suppressWarning: true,
  });
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const url = req.url;
    if (apiPath(url)) {
      return reply
        .status(404)
        .send({ error: 'not_found', message: `no route ${req.method} ${url.split('?')[0]}` });
    }
    if (!existsSync(join(dir, 'index.html')))
      return reply.status(503).type('text/html; charset=utf-8').send(notBuiltPage);
    let rel = '';
    try {
      rel = normalize(decodeURIComponent(url.split('?')[0] ?? '/')).replace(/^[/\\]+/, '');
    } catch {
      // a malformed escape is no file of ours: index.html
    }
    const file = rel && !rel.startsWith('..') ? join(dir, rel) : '';
    if (file && existsSync(file) && statSync(file).isFile()) return reply.sendFile(rel, dir);
    return reply.sendFile('index.html', dir);
  });
}

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>Tally register</title>
<body style="font:18px system-ui;margin:40px"><h1>The register screen is not built</h1>
<p>Run <code>npm run build:web</code> in the Tally folder, then reload. The register API is at
<a href="/openapi.json">/openapi.json</a>.</p></body>`;

/** The newest modification time among the screen's sources (tests excluded), in ms. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(entry.parentPath ?? dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether dist/register is missing or older than its sources. */
export function screenNeedsBuild(): boolean {
  const index = join(screenBundleDir, 'index.html');
  if (!existsSync(index)) return true;
  if (!existsSync(screenSourceDir)) return false; // an install with the bundle only
  return statSync(index).mtimeMs < newestSource(screenSourceDir);
}

/**
 * Builds the screen with Vite when it is missing or stale (or always with `force`). It builds into a
 * temporary folder and renames it into place, so a till serving the old bundle, or a second build
 * started at the same time, never sees half a bundle.
 */
export async function buildRegisterScreen(
  opts: { force?: boolean; log?: (msg: string) => void } = {},
): Promise<{ built: boolean; ms: number }> {
  const t0 = performance.now();
  if (!opts.force && !screenNeedsBuild()) return { built: false, ms: performance.now() - t0 };
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  log('building the register screen (vite)…');
  const { build } = await import('vite');
  const parent = dirname(screenBundleDir);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, '.register-'));
  chmodSync(tmp, 0o755); // mkdtemp makes it private; the bundle is public
  try {
    // Always a production bundle, even from a test runner that set NODE_ENV=test (React's dev build
    // is twice the size and slower).
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
    rmSync(screenBundleDir, { recursive: true, force: true });
    try {
      renameSync(tmp, screenBundleDir);
    } catch (err) {
      // Another build finished first and took the place: its bundle is as good as this one.
      if (!existsSync(join(screenBundleDir, 'index.html'))) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const ms = performance.now() - t0;
  log(`register screen built in ${(ms / 1000).toFixed(1)} s → ${screenBundleDir}`);
  return { built: true, ms };
}

// `tsx src/apps/terminal/static.ts [--force]`: what `npm run build:web` runs.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildRegisterScreen({ force: process.argv.includes('--force') });
  } catch (err) {
    process.stderr.write(`build:web failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
