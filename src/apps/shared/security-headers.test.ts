import { describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { catalogOnlyHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { writeScreenBundle } from '../../../test/helpers/screen-bundle.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { fuzzProducts } from '../../../test/helpers/till-routes.ts';
import { buildHqApp } from '../hq/server.ts';
import { serveDashboard } from '../hq/static.ts';
import { serveRegisterScreen } from '../terminal/static.ts';
import type { App } from './http.ts';
import { createHttpApp } from './http.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

/**
 * Both screens and both APIs answer with the security headers: a CSP that lets the Vite bundles run
 * and nothing else, no framing, no MIME sniffing, no referrer — on pages, API answers, errors and
 * static assets alike.
 */
const tempDir = tempDirs('bundle');

/** A built bundle as Vite leaves it: index.html and a hashed asset. */
const bundle = (): string =>
  writeScreenBundle(
    tempDir(),
    '<!doctype html><script type="module" src="/assets/i-1.js"></script>',
    'i-1.js',
  );

async function expectHeaders(app: App, urls: string[], host = 'localhost') {
  for (const url of urls) {
    const r = await app.inject({ method: 'GET', url, headers: { host } });
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      expect({ url, status: r.statusCode, [name]: r.headers[name] }).toEqual({
        url,
        status: r.statusCode,
        [name]: value,
      });
  }
}

describe('security headers', () => {
  it('the CSP runs the bundles from their own origin only and forbids framing', () => {
    const csp = SECURITY_HEADERS['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(SECURITY_HEADERS['x-content-type-options']).toBe('nosniff');
    expect(SECURITY_HEADERS['referrer-policy']).toBe('no-referrer');
  });

  it('on the till: the screen, its assets, the API, errors and refusals', async () => {
    const till = await startTestTill(catalogOnlyHq(fuzzProducts));
    try {
      await expectHeaders(till.app, [
        '/',
        '/api/v1/terminal',
        '/api/v1/carts/nope',
        '/openapi.json',
        '/health',
        '/api/v1/%ED%A0%80',
      ]);
      await expectHeaders(till.app, ['/api/v1/terminal'], 'evil.example');
      const screen = await createHttpApp({ title: 't', description: 'd', logger: silentLogger });
      await serveRegisterScreen(screen, { logger: silentLogger, dir: bundle() });
      await expectHeaders(screen, ['/', '/assets/i-1.js', '/returns']);
      await screen.close();
    } finally {
      await till.close();
    }
  });

  it('on HQ: the dashboard, its assets, the API and its refusals', async () => {
    const backend = hqBackends()[0]!;
    const h = await backend.open();
    try {
      const hq = await buildHqApp({ db: h.db, logger: silentLogger });
      await expectHeaders(hq, ['/', '/dashboard/', '/api/v1/stores', '/openapi.json', '/health']);
      await hq.close();
      const dash = await createHttpApp({ title: 't', description: 'd', logger: silentLogger });
      await serveDashboard(dash, { logger: silentLogger, dir: bundle() });
      await expectHeaders(dash, ['/dashboard/', '/dashboard/assets/i-1.js', '/dashboard/insights']);
      await dash.close();
    } finally {
      await h.close();
    }
  });
});
