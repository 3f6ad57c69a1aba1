import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogOnlyHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { type Operation, operationsOf, sample } from '../../../test/helpers/openapi-fuzz.ts';
import { fuzzProducts, tillRoutes } from '../../../test/helpers/till-routes.ts';
import { signIn } from '../../../test/helpers/till-session.ts';
import { TILL_PERMISSIONS } from '../../contracts/index.ts';
import { ROUTE_PERMISSIONS } from './session-routes.ts';
import { DEMO_MANAGER, type RunningTerminal } from './start.ts';

/**
 * The register API answers nobody who has not signed in. Every route comes from the till's own
 * /openapi.json, so a route added tomorrow is covered without anyone editing this test: called without
 * a session (and with a made-up one) it answers 401 saying to sign in, and ledger.db is unchanged.
 * Public, and so left out: the sign-in itself; the session routes answer 401 on their own.
 */
let till: RunningTerminal;
beforeAll(async () => {
  till = await startTestTill(catalogOnlyHq(fuzzProducts), { seedManager: DEMO_MANAGER });
});
afterAll(async () => {
  await till?.close();
});

/** Every table of ledger.db with its rows, so "nothing written" covers carts, sessions and lockouts too. */
const ledgerDbContents = (): string => {
  const db = till.ledger.db;
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  return JSON.stringify(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all()]));
};

describe('the register API behind sign-in', () => {
  it('answers 401 to every route but sign-in without a session, and writes nothing', async () => {
    const api = tillRoutes(till);
    await api.freshState(); // a shift, a sale and a cart exist, so a route would have something to do
    const doc = (await api.get('/openapi.json')).json as Parameters<typeof operationsOf>[0];
    const ops = operationsOf(doc).filter((o) => !(o.method === 'POST' && o.path === '/api/v1/session'));
    expect(ops.length).toBeGreaterThan(40);
    const before = ledgerDbContents();
    const answered: string[] = [];
    for (const op of ops) {
      const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        encodeURIComponent(String(api.known(name) ?? 'x')),
      );
      // The same route spelled with a %-escape reaches the same handler, so it meets the same gate.
      const tries: [Record<string, string>, string][] = [
        [{}, url],
        [{ authorization: 'Bearer not-a-session' }, url],
        [{ cookie: 'tally_till_session=nope' }, url],
        [{}, url.replace('/api/', '/%61pi/')],
      ];
      for (const [auth, at] of tries) {
        const withBody = op.method !== 'GET' && op.method !== 'DELETE';
        const res = await till.app.inject({
          method: op.method,
          url: at,
          headers: { ...(withBody ? { 'content-type': 'application/json' } : {}), ...auth },
          ...(withBody ? { payload: '{}' } : {}),
        });
        const body = res.json() as { error?: string; field?: string; message?: string };
        const ok = res.statusCode === 401 && body.field === 'session' && /sign in/.test(body.message ?? '');
        if (!ok)
          answered.push(
            `${op.method} ${at} ${JSON.stringify(auth)} → ${res.statusCode} ${res.body.slice(0, 120)}`,
          );
      }
    }
    expect(answered).toEqual([]);
    expect(ledgerDbContents()).toBe(before);
  }, 120_000);

  it('keeps health, the OpenAPI document and the screen public', async () => {
    for (const url of ['/health', '/openapi.json'])
      expect((await till.app.inject({ method: 'GET', url })).statusCode).toBe(200);
    expect((await till.app.inject({ method: 'GET', url: '/' })).statusCode).not.toBe(401);
  });

  it('refuses every route that names a permission to a cashier holding every other one, writing nothing', async () => {
    const api = tillRoutes(till);
    await api.freshState();
    const doc = (await api.get('/openapi.json')).json as Parameters<typeof operationsOf>[0];
    const ops = new Map<string, Operation>(
      operationsOf(doc).map((o) => [`${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`, o] as const),
    );
    const declared = Object.entries(ROUTE_PERMISSIONS);
    // A declaration naming no real route would guard nothing.
    expect(declared.map(([route]) => route).filter((r) => !ops.has(r))).toEqual([]);
    const wrong: string[] = [];
    for (const [route, needs] of declared) {
      const [method, path] = route.split(' ') as [string, string];
      const lacking = TILL_PERMISSIONS.filter((p) => !needs.includes(p));
      const headers = await signIn(till, {
        code: `L${declared.findIndex(([r]) => r === route)}`,
        name: `Lacks ${needs.join(' and ')}`,
        pin: '3690',
        permissions: lacking,
      });
      const before = ledgerDbContents();
      const url = path.replace(/:(\w+)/g, (_, name: string) =>
        encodeURIComponent(String(api.known(name) ?? 'x')),
      );
      const res = await till.app.inject({
        method: method as 'POST',
        url,
        headers: { 'content-type': 'application/json', ...headers },
        // A body the schema accepts, so the refusal is the permission's and not validation's.
        payload: JSON.stringify(sample(ops.get(route)?.body ?? {}, 'body', api.known) ?? {}),
      });
      const body = res.json() as { error?: string; message?: string };
      if (res.statusCode !== 403 || body.error !== 'approval_required')
        wrong.push(`${route} → ${res.statusCode} ${res.body.slice(0, 120)}`);
      if (ledgerDbContents() !== before) wrong.push(`${route} wrote to ledger.db`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
