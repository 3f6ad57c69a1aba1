/**
 * Who may call which HQ route, over every route /openapi.json lists, so a route that skips the one
 * admission (no credential checked) or one that stops taking a signed-in manager (the inventory routes
 * once had a private resolver without cookies) fails here, not in a store. The routes only the admin
 * token or a till's token may call are named below; every other route takes a dashboard session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInCookie } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { addUser } from '../../access/index.ts';
import { errorBody } from '../../contracts/index.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

/** Routes a signed-in person may not call at all: tills' routes and head-office admin (token only). */
const TOKEN_ONLY = [
  'POST /api/v1/ingest',
  'GET /api/v1/terminal/catalog',
  'GET /api/v1/terminal/sync',
  'POST /api/v1/terminals',
  'GET /api/v1/terminals/{id}/sync',
  'GET /api/v1/stores',
  'PUT /api/v1/stores/{id}/zone',
  'GET /api/v1/stock',
  'GET /api/v1/sales/daily',
  'GET /api/v1/sales/unknown-skus',
  'GET /api/v1/sync/status',
  'GET /api/v1/sync/stores/{storeId}',
  'GET /api/v1/sync/conflicts',
  'GET /api/v1/sync/quarantine',
  'GET /api/v1/stored-value/accounts/{accountId}',
  'GET /api/v1/stored-value/exceptions',
  'POST /api/v1/stored-value/lookup',
  'POST /api/v1/stored-value/redemptions',
  'POST /api/v1/stored-value/redemptions/{authId}/reverse',
  'POST /api/v1/terminals/codes',
  'GET /api/v1/terminals',
  'POST /api/v1/terminals/{id}/revoke',
  'POST /api/v1/terminal/token',
];
/** Catalog administration is the admin token's, all of it. */
const tokenOnly = (route: string): boolean =>
  TOKEN_ONLY.includes(route) || route.includes(' /api/v1/catalog/');
/** Reachable without any credential, by design. */
const OPEN = [
  'POST /api/v1/auth/sign-in',
  'POST /api/v1/auth/sign-out',
  // The one-time enrollment code in the body is the credential.
  'POST /api/v1/terminals/enroll',
];

interface Route {
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
}

describe.each(hqBackends().slice(0, 1))('HQ route admission on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let cookie: string;
  let routes: Route[];
  const call = (r: Route, headers: Record<string, string> = {}) =>
    app.inject({ method: r.method, url: r.url, headers, ...(r.method === 'GET' ? {} : { payload: {} }) });

  beforeAll(async () => {
    h = await open();
    await addUser(h.db, {
      username: 'hq',
      displayName: 'Head Office',
      role: 'admin',
      password: 'hq-password',
    });
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: 'route-admission-admin-token' });
    cookie = await signInCookie(app, 'hq', 'hq-password');
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => ({
          key: `${m.toUpperCase()} ${path}`,
          method: m.toUpperCase() as Route['method'],
          url: path.replace(/\{[^}]+\}/g, 'x'),
        })),
      );
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('refuses every API route to a caller with no credential, with the one error body', async () => {
    expect(routes.length).toBeGreaterThan(50);
    const admitted: string[] = [];
    for (const r of routes.filter((x) => !OPEN.includes(x.key))) {
      const res = await call(r);
      if (res.statusCode !== 401) admitted.push(`${r.key} → ${res.statusCode}`);
      else expect(errorBody.strict().safeParse(res.json()).success, r.key).toBe(true);
    }
    expect(admitted).toEqual([]);
  });

  it('takes a signed-in session on every route that is not a till’s or the admin token’s', async () => {
    // The stream stays open while admitted; sign-out would end the session the other calls use.
    const probed = routes.filter((r) => !r.url.endsWith('/stream') && !OPEN.includes(r.key));
    const refused: string[] = [];
    for (const r of probed) if ((await call(r, { cookie })).statusCode === 401) refused.push(r.key);
    expect(refused.sort()).toEqual(
      probed
        .map((r) => r.key)
        .filter(tokenOnly)
        .sort(),
    );
  });
});
