import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Permission } from '../contracts/index.ts';
import { unauthorized } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { coversStore, type StoreSet } from './coverage.ts';
import { type Principal, resolvePrincipal, resolveSessionPrincipal, storesFor } from './principal.ts';
import { forbidden } from './refusals.ts';
import type { AuthenticatedTerminal } from './terminals.ts';
import { bearerToken } from './tokens.ts';

/**
 * The one authorisation point of HQ. Every route says in its options what it needs —
 * `config: { access: { permission: 'edit_prices', scope: fromBody('storeId') } }`, `{ access: 'terminal' }`,
 * … — and the hooks installed here decide: 401 without a credential, 403 naming the permission and the
 * store when it is lacking. A route without a declaration stops HQ at startup, so nothing can be added
 * unguarded; the few routes anyone may call are listed once, below.
 *
 * Two steps: on request (before the body is read, so a stranger costs no parsing and learns nothing
 * from validation) the credential and "holds the permission somewhere"; before the handler, once the
 * body is validated, the stores the request acts on.
 */

/** The stores a request acts on, and the field that named them (said in the 403). */
export interface StoreNeed {
  field: string;
  /** 'all': the whole chain must be covered. */
  stores: StoreSet;
  /** Covering one of them is enough (a transfer may be read at either end). */
  any?: boolean;
}
export type ScopeOf = (
  req: FastifyRequest,
  db: HqDb,
) => StoreNeed | undefined | Promise<StoreNeed | undefined>;

export type RouteAccess =
  /** A till's device credential: sync, ingest, stored value. */
  | 'terminal'
  /** A person signed in with the session cookie (bearer tokens ignored): "who am I?". */
  | 'session'
  /** Any valid credential; the route shows each caller only what they hold (the dashboard's scope). */
  | 'authenticated'
  | {
      permission: Permission;
      /**
       * Where it is needed: 'chain' (every store), a function of the request (a store named in the
       * path, query or body, or the store of a stored thing), or absent (somewhere: the handler lists only
       * the stores `storesFor(principal, permission)` gives).
       */
      scope?: 'chain' | ScopeOf;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** The routes anyone may call: liveness, the API description, sign-in and the screens' files. */
export const PUBLIC_ROUTES: readonly string[] = [
  'GET /health',
  'GET /openapi.json',
  'POST /api/v1/auth/sign-in',
  'POST /api/v1/auth/sign-out',
  // The one-time enrollment code in the body is the credential.
  'POST /api/v1/terminals/enroll',
  // The one-time set-password link's token in the body is the credential.
  'POST /api/v1/auth/password-link',
  'GET /',
  'GET /dashboard',
  'GET /dashboard/*',
];

/** What was decided for a request: the seam for an audit log. */
export interface AccessDecision {
  route: string;
  principal: Principal;
  permission?: Permission;
  stores?: StoreSet;
}

const decisions = new WeakMap<FastifyRequest, AccessDecision>();

/** The decision taken for this request (undefined on public routes). */
export const accessOf = (req: FastifyRequest): AccessDecision | undefined => decisions.get(req);

/** The caller the route's declaration admitted. */
export function principalOf(req: FastifyRequest): Principal {
  const d = decisions.get(req);
  if (!d) throw unauthorized();
  return d.principal;
}

/** The till calling a route declared `'terminal'`. */
export function terminalOf(req: FastifyRequest): AuthenticatedTerminal {
  const t = decisions.get(req)?.principal.terminal;
  if (!t) throw unauthorized('Authorization: Bearer <terminal token> is required');
  return t;
}

const methodsOf = (r: Pick<RouteOptions, 'method'>): string[] =>
  (Array.isArray(r.method) ? r.method : [r.method]).map(String);
const routeKey = (method: string, url: string): string => `${method} ${url}`;
const isPublic = (method: string, url: string): boolean =>
  PUBLIC_ROUTES.includes(routeKey(method === 'HEAD' ? 'GET' : method, url));

/** Every declaration seen, by "METHOD /path" (the generated authorisation test reads it). */
export type AccessTable = ReadonlyMap<string, RouteAccess | 'public'>;
const tables = new WeakMap<object, Map<string, RouteAccess | 'public'>>();
export const accessTable = (app: object): AccessTable => tables.get(app) ?? new Map();

const chainWide = (s: StoreSet) => s === 'all';

function lacking(p: Principal, permission: Permission, need: StoreNeed): string | undefined {
  const held = storesFor(p, permission);
  if (need.stores === 'all') return chainWide(held) ? undefined : 'the whole chain';
  const missing = need.stores.filter((s) => !coversStore(held, s));
  if (need.any ? missing.length < need.stores.length : missing.length === 0) return undefined;
  return need.any ? need.stores.join(' or ') : missing.join(', ');
}

function refuseStores(p: Principal, permission: Permission, need: StoreNeed, where: string): never {
  if (p.terminal)
    throw forbidden(
      `${need.field}: terminal ${p.terminal.terminalId} may act for ${p.terminal.storeId} only, not ${where} (${permission})`,
      need.field,
    );
  const over = where === 'the whole chain' ? where : `store ${where}`;
  throw forbidden(
    `${need.field}: you lack ${permission} over ${over}; ask head office for access`,
    need.field,
  );
}

/** Installs the decision hooks; call before any route is added. */
export function installRouteAccess(app: FastifyInstance, db: HqDb): void {
  const table = new Map<string, RouteAccess | 'public'>();
  tables.set(app, table);
  app.addHook('onRoute', (r) => {
    for (const m of methodsOf(r)) {
      if (m === 'HEAD' && table.has(routeKey('GET', r.url))) continue;
      const declared = r.config?.access;
      if (declared === undefined && !isPublic(m, r.url))
        throw new Error(
          `route ${m} ${r.url} declares no access: add config: { access: … } (route-access.ts), or list it in PUBLIC_ROUTES`,
        );
      table.set(routeKey(m, r.url), declared ?? 'public');
    }
  });

  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    if (url === undefined) return; // no route: the 404 answers
    const rule = req.routeOptions.config.access;
    if (rule === undefined) {
      if (isPublic(req.method, url)) return;
      throw unauthorized('this route declares no access');
    }
    const route = routeKey(req.method, url);
    const hasToken = bearerToken(req.headers.authorization) !== undefined;
    if (rule === 'session') {
      const p = await resolveSessionPrincipal(db, req.headers);
      if (!p) throw unauthorized('not signed in');
      decisions.set(req, { route, principal: p });
      return;
    }
    const p = await resolvePrincipal(db, req);
    if (rule === 'terminal') {
      if (p?.kind !== 'terminal')
        throw unauthorized(
          hasToken
            ? 'unknown terminal token; enroll the terminal again'
            : 'Authorization: Bearer <terminal token> is required',
        );
      decisions.set(req, { route, principal: p });
      return;
    }
    if (!p)
      throw unauthorized(
        hasToken ? 'unknown or disabled token' : 'sign in, or send Authorization: Bearer <token>',
      );
    if (rule === 'authenticated') {
      decisions.set(req, { route, principal: p });
      return;
    }
    const held = storesFor(p, rule.permission);
    if (held !== 'all' && held.length === 0)
      throw forbidden(`permission: you lack ${rule.permission}; ask head office for access`, 'permission');
    if (rule.scope === 'chain' && held !== 'all')
      refuseStores(p, rule.permission, { field: 'permission', stores: 'all' }, 'the whole chain');
    decisions.set(req, { route, principal: p, permission: rule.permission, stores: held });
  });

  app.addHook('preHandler', async (req) => {
    const rule = req.routeOptions.config.access;
    if (rule === undefined || typeof rule === 'string' || typeof rule.scope !== 'function') return;
    const decision = decisions.get(req);
    if (!decision) throw unauthorized();
    const need = await rule.scope(req, db);
    if (!need) return;
    const where = lacking(decision.principal, rule.permission, need);
    if (where !== undefined) refuseStores(decision.principal, rule.permission, need, where);
    decision.stores = need.stores;
  });
}

type Fields = Record<string, unknown> | undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const need = (field: string, v: unknown): StoreNeed | undefined => {
  const s = text(v);
  return s === undefined ? undefined : { field, stores: [s] };
};
/** Marks a scope read from the request itself (no stored thing looked up), for the authorisation test. */
const direct = (f: ScopeOf): ScopeOf => Object.assign(f, { direct: true });
export const isDirectScope = (f: unknown): boolean =>
  typeof f === 'function' && (f as { direct?: boolean }).direct === true;

/** The store named by a body field. */
export const fromBody = (field: string): ScopeOf =>
  direct((req) => need(field, (req.body as Fields)?.[field]));
/** The store named by a query parameter (none given: the handler lists what the caller holds). */
export const fromQuery = (field: string, ignore: readonly string[] = []): ScopeOf =>
  direct((req) => {
    const v = (req.query as Fields)?.[field];
    return ignore.includes(String(v)) ? undefined : need(field, v);
  });
/** The store named by a path parameter. */
export const fromParams = (field: string): ScopeOf =>
  direct((req) => need(field, (req.params as Fields)?.[field]));
