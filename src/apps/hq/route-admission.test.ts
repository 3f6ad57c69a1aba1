/**
 * The generated authorisation test: from /openapi.json it calls every HQ route (a) with no credential
 * → 401, (b) as a person holding every permission but over another store only → 403 on every route that
 * acts on a store or the chain, (c) as a person holding every permission over the chain except the one
 * the route needs → 403; and checks that no refused call wrote a row anywhere. Path parameters, queries
 * and bodies are built from the route's schema, so a new route is covered without anyone writing a test;
 * what each route needs is read from its declaration (access/route-access.ts).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import {
  accessTable,
  addUser,
  createSession,
  everywhere,
  isDirectScope,
  type RouteAccess,
  saveRole,
} from '../../access/index.ts';
import { errorBody, PERMISSIONS, type Permission, SESSION_COOKIE } from '../../contracts/index.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { HqDb } from '../../db/index.ts';
import { seedDemoChain } from '../../demo/seed.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  exclusiveMinimum?: number;
};
type Op = {
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

/** The store every generated request acts on; the "elsewhere" user holds everything at S002 only. */
const TARGET = 'S001';
const STORE_FIELDS = ['store', 'storeId', 'fromStoreId', 'toStoreId', 'scopeId'];
const UUID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

/** A value the schema accepts, every text naming the target store where it can. */
function example(s: Schema | undefined, name = ''): unknown {
  if (!s) return TARGET;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const options = s.anyOf ?? s.oneOf;
  if (options) return example(options.find((o) => o.type !== 'null') ?? options[0], name);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {}))
        if (s.required?.includes(k) || STORE_FIELDS.includes(k)) out[k] = example(v, k);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => example(s.items, name));
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1, (s.exclusiveMinimum ?? 0) + 1);
    case 'boolean':
      return false;
    default: {
      if (s.format === 'uuid') return UUID;
      if (s.format === 'date') return '2026-03-04';
      if (s.format === 'date-time') return '2026-03-04T10:00:00Z';
      if (s.pattern?.includes('0-9a-f')) return 'a'.repeat(64);
      return TARGET.padEnd(s.minLength ?? 0, 'x');
    }
  }
}

interface Route {
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body: unknown;
  access: RouteAccess | 'public';
}

function routesOf(spec: { paths: Record<string, Record<string, Op>> }, app: App): Route[] {
  const table = accessTable(app);
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([m, op]) => {
      const params = op.parameters ?? [];
      let url = path;
      for (const p of params.filter((x) => x.in === 'path'))
        url = url.replace(`{${p.name}}`, encodeURIComponent(String(example(p.schema, p.name))));
      const query = params
        .filter((p) => p.in === 'query' && (p.required || STORE_FIELDS.includes(p.name)))
        .map((p) => `${p.name}=${encodeURIComponent(String(example(p.schema, p.name)))}`);
      const fastifyPath = path.replace(/\{([^}]+)\}/g, ':$1');
      const key = `${m.toUpperCase()} ${fastifyPath}`;
      return {
        key,
        method: m.toUpperCase() as Route['method'],
        url: query.length > 0 ? `${url}?${query.join('&')}` : url,
        body: op.requestBody ? example(op.requestBody.content?.['application/json']?.schema) : undefined,
        access: table.get(key) ?? 'public',
      };
    }),
  );
}

/** Rows in every table of HQ's schema: a refused call must leave each count as it was. */
async function rowCounts(db: HqDb): Promise<Record<string, number>> {
  const { rows } = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  const out: Record<string, number> = {};
  for (const { table_name } of rows) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table_name)}`.execute(db);
    out[table_name] = Number(r.rows[0]?.n);
  }
  return out;
}

describe.each(hqBackends().slice(0, 1))('HQ authorisation over every route on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let routes: Route[];
  const sessions = new Map<string, string>();
  const cookieOf = (username: string) => `${SESSION_COOKIE}=${sessions.get(username)}`;
  const call = (r: Route, headers: Record<string, string> = {}) =>
    app.inject({
      method: r.method,
      url: r.url,
      headers,
      ...(r.body === undefined ? {} : { payload: r.body as object }),
    });
  const permissionOf = (r: Route): Permission | undefined =>
    typeof r.access === 'object' ? r.access.permission : undefined;

  beforeAll(async () => {
    h = await open();
    await seedDemoChain(h.db, hqEventRegistry, { stores: 3, products: 3 });
    const root = everywhere(PERMISSIONS, 'all');
    const person = async (username: string, role: string, scope: 'chain' | string) => {
      await addUser(h.db, {
        username,
        displayName: username,
        password: 'long-enough-password',
        grants: [{ role, scope: scope === 'chain' ? { kind: 'chain' } : { kind: 'store', id: scope } }],
      });
      sessions.set(username, await createSession(h.db, username));
    };
    await person('root', 'hq_admin', 'chain');
    await saveRole(h.db, root, 'everything', { name: 'Everything', permissions: [...PERMISSIONS] });
    await person('elsewhere', 'everything', 'S002');
    for (const p of PERMISSIONS) {
      await saveRole(h.db, root, `all_but_${p}`, {
        name: `All but ${p}`,
        permissions: PERMISSIONS.filter((x) => x !== p),
      });
      await person(`no-${p.replaceAll('_', '-')}`, `all_but_${p}`, 'chain');
    }
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: 'route-admission-admin-token' });
    routes = routesOf((await app.inject({ method: 'GET', url: '/openapi.json' })).json(), app);
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('every route declares what it needs, and only the short public list needs nothing', () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((r) => r.access === 'public').map((r) => r.key)).toEqual([
      'POST /api/v1/auth/sign-in',
      'POST /api/v1/auth/sign-out',
      // The one-time set-password link's token is the credential.
      'POST /api/v1/auth/password-link',
      // The one-time enrollment code in the body is the credential.
      'POST /api/v1/terminals/enroll',
    ]);
  });

  it('refuses every route to a caller with no credential (401), writing nothing', async () => {
    const before = await rowCounts(h.db);
    const admitted: string[] = [];
    let refused = 0;
    for (const r of routes.filter((x) => x.access !== 'public')) {
      const res = await call(r);
      if (res.statusCode !== 401) admitted.push(`${r.key} → ${res.statusCode}`);
      else {
        refused += 1;
        expect(errorBody.strict().safeParse(res.json()).success, r.key).toBe(true);
      }
    }
    expect(admitted).toEqual([]);
    expect(await rowCounts(h.db)).toEqual(before);
    console.log(`authz (a): ${routes.length} routes, ${refused} refused without a credential`);
  });

  it('refuses a person who holds everything, but at another store, on every store or chain route (403)', async () => {
    const scoped = routes.filter((r) => typeof r.access === 'object' && r.access.scope !== undefined);
    const before = await rowCounts(h.db);
    const wrong: string[] = [];
    let forbidden = 0;
    let missing = 0;
    for (const r of scoped) {
      const res = await call(r, { cookie: cookieOf('elsewhere') });
      const scope = typeof r.access === 'object' ? r.access.scope : undefined;
      // A scope read from a stored thing (a reservation, a draft) cannot be judged for an id that does
      // not exist: 404 is the answer there, never a success.
      const ok =
        res.statusCode === 403 || (!isDirectScope(scope) && scope !== 'chain' && res.statusCode === 404);
      if (!ok) wrong.push(`${r.key} → ${res.statusCode} ${res.body.slice(0, 120)}`);
      if (res.statusCode === 403) forbidden += 1;
      else missing += 1;
    }
    expect(wrong).toEqual([]);
    expect(await rowCounts(h.db)).toEqual(before);
    console.log(
      `authz (b): ${scoped.length} store- or chain-scoped routes, ${forbidden} refused 403, ${missing} answered 404 (no such stored thing)`,
    );
  });

  it('refuses a person over the whole chain who lacks just the permission a route needs (403)', async () => {
    const guarded = routes.filter((r) => permissionOf(r) !== undefined);
    const before = await rowCounts(h.db);
    const wrong: string[] = [];
    for (const r of guarded) {
      const p = permissionOf(r) as Permission;
      const res = await call(r, { cookie: cookieOf(`no-${p.replaceAll('_', '-')}`) });
      if (res.statusCode !== 403 || !res.json().message.includes(p))
        wrong.push(`${r.key} (${p}) → ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
    expect(await rowCounts(h.db)).toEqual(before);
    console.log(`authz (c): ${guarded.length} permission routes, each refused to a holder of all others`);
  });

  it('admits the holder of the permission where the route acts (the refusals above are not for everyone)', async () => {
    const reads = routes.filter(
      (r) => r.method === 'GET' && permissionOf(r) !== undefined && !r.url.includes('/stream'),
    );
    const refused: string[] = [];
    for (const r of reads) {
      const res = await call(r, { cookie: cookieOf('root') });
      if (res.statusCode === 401 || res.statusCode === 403) refused.push(`${r.key} → ${res.statusCode}`);
    }
    expect(refused).toEqual([]);
  });
});
