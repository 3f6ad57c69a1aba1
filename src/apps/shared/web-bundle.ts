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
import { basename, dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { App } from './http.ts';

/**
 * What the register screen (served by the till) and the dashboard (served by HQ) share: a React app
 * built by Vite from src/web/<name> into dist/<name>, rebuilt only when its sources changed, and served
 * with files looked up per request so a bundle built while the server runs is served at once.
 */
export interface WebBundle {
  /** Said in progress lines and on the not-built page, e.g. "register screen". */
  label: string;
  sourceDir: string;
  bundleDir: string;
  /** The not-built page's title and the API it points to, e.g. "Tally register", "register API". */
  title: string;
  api: string;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The React app of src/web/<name>, built into dist/<name>. */
export const webBundle = (name: string, names: Pick<WebBundle, 'label' | 'title' | 'api'>): WebBundle => ({
  ...names,
  sourceDir: join(root, 'src', 'web', name),
  bundleDir: join(root, 'dist', name),
});

/** The newest modification time among the sources (tests excluded), in ms. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(entry.parentPath ?? dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether the bundle is missing or older than its sources. */
export function bundleNeedsBuild(b: WebBundle): boolean {
  const index = join(b.bundleDir, 'index.html');
  if (!existsSync(index)) return true;
  if (!existsSync(b.sourceDir)) return false; // an install with the bundle only
  return statSync(index).mtimeMs < newestSource(b.sourceDir);
}

/**
 * Builds with Vite when the bundle is missing or stale (or always with `force`), into a temporary folder
 * renamed into place, so a server never sees half a bundle and two builds at once do no harm.
 */
export async function buildBundle(
  b: WebBundle,
  opts: { force?: boolean; log?: (msg: string) => void } = {},
): Promise<{ built: boolean; ms: number }> {
  const t0 = performance.now();
  if (!opts.force && !bundleNeedsBuild(b)) return { built: false, ms: performance.now() - t0 };
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  log(`building the ${b.label} (vite)…`);
  const { build } = await import('vite');
  const parent = dirname(b.bundleDir);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, `.${basename(b.bundleDir)}-`));
  chmodSync(tmp, 0o755); // mkdtemp makes it private; the bundle is public
  try {
    // Always a production bundle, even from a test runner that set NODE_ENV=test (React's dev build
    // is twice the size and slower).
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: join(b.sourceDir, 'vite.config.ts'),
        mode: 'production',
        logLevel: 'warn',
        build: { outDir: tmp, emptyOutDir: true },
      });
    } finally {
      if (env === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = env;
    }
    rmSync(b.bundleDir, { recursive: true, force: true });
    try {
      renameSync(tmp, b.bundleDir);
    } catch (err) {
      // Another build finished first and took the place: its bundle is as good as this one.
      if (!existsSync(join(b.bundleDir, 'index.html'))) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const ms = performance.now() - t0;
  log(`${b.label} built in ${(ms / 1000).toFixed(1)} s → ${b.bundleDir}`);
  return { built: true, ms };
}

/** Registers @fastify/static for reply.sendFile only; routes look files up per request. */
async function registerBundleFiles(app: App, dir: string): Promise<void> {
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
    // The bundle may be built after the server started: routes check for it per request.
    suppressWarning: true,
  });
}

/**
 * Registers the bundle's files (from `dir`, by default its dist folder) and gives back how to answer a
 * path of it: the file, index.html, or, while the bundle is not built, a page that says how to build it
 * rather than a bare 404.
 */
export async function serveBundle(
  app: App,
  b: WebBundle,
  opts: { logger: Logger; dir?: string },
): Promise<(reply: FastifyReply, path: string) => Promise<unknown> | FastifyReply> {
  const dir = opts.dir ?? b.bundleDir;
  const built = () => existsSync(join(dir, 'index.html'));
  if (!built()) opts.logger.debug({ dir }, `${b.label} not built yet; run npm run build:web`);
  await registerBundleFiles(app, dir);
  const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>${b.title}</title>
<body style="font:18px system-ui;margin:40px"><h1>The ${b.label} is not built</h1>
<p>Run <code>npm run build:web</code> in the Tally folder, then reload. The ${b.api} is at
<a href="/openapi.json">/openapi.json</a>.</p></body>`;
  return (reply, path) =>
    built()
      ? sendBundlePath(reply, dir, path)
      : reply.status(503).type('text/html; charset=utf-8').send(notBuiltPage);
}

/** Sends the bundle's file at `path` (URL-encoded, relative), or index.html when it is no file of ours. */
function sendBundlePath(reply: FastifyReply, dir: string, path: string): Promise<unknown> | FastifyReply {
  let rel = '';
  try {
    rel = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, '');
  } catch {
    // a malformed escape is no file of ours: index.html
  }
  const file = rel && !rel.startsWith('..') ? join(dir, rel) : '';
  if (file && existsSync(file) && statSync(file).isFile()) return reply.sendFile(rel, dir);
  return reply.sendFile('index.html', dir);
}

/** `tsx <static.ts> [--force]`: what `npm run build:web` runs. */
export async function buildFromCommandLine(b: WebBundle): Promise<void> {
  try {
    await buildBundle(b, { force: process.argv.includes('--force') });
  } catch (err) {
    process.stderr.write(`build:web failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
