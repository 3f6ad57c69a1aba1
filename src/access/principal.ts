import type { FastifyRequest } from 'fastify';
import { PERMISSIONS, type Permission, SESSION_COOKIE, type SessionUser } from '../contracts/index.ts';
import type { HqDb } from '../db/index.ts';
import { isAdminToken } from './admin.ts';
import { anyStores, coversStore, everywhere, type PermissionStores, type StoreSet } from './coverage.ts';
import { resolveSession } from './sessions.ts';
import { type AuthenticatedTerminal, authenticateTerminal } from './terminals.ts';
import { bearerToken } from './tokens.ts';

export { forbidden } from './refusals.ts';

/**
 * Who is asking, whatever way they proved it: the admin bearer token (the bootstrap credential, acting
 * as hq_admin over the chain until disabled), a till's bearer token (a device: stock work and reads at
 * its own store) or a session cookie (a person, with the permissions of their grants). Every HQ route
 * is decided against this one thing (route-access.ts), so the rules live in one place.
 */
export interface Principal {
  kind: 'admin' | 'terminal' | 'user';
  /** Recorded on decisions: the username, the terminal id, or 'admin'. */
  actor: string;
  /** Per permission held, the stores it covers. */
  permissions: PermissionStores;
  /** Every store any permission covers (what the dashboard lists). */
  stores: StoreSet;
  user?: SessionUser;
  terminal?: AuthenticatedTerminal;
}

const ALL = everywhere(PERMISSIONS, 'all');
export const adminPrincipal: Principal = { kind: 'admin', actor: 'admin', permissions: ALL, stores: 'all' };

export const userPrincipal = (user: SessionUser): Principal => ({
  kind: 'user',
  actor: user.username,
  permissions: user.permissions,
  stores: anyStores(user.permissions),
  user,
});

/**
 * What a till may do at HQ with its device token, at its own store only: read stock and reports and do
 * the stock work a store does at the till (receive, count, adjust, transfer out). Sales are its ledger's.
 */
export const TERMINAL_PERMISSIONS: readonly Permission[] = [
  'view_reports',
  'adjust_stock',
  'receive_stock',
  'transfer_stock',
  'count_stock',
];

export const terminalPrincipal = (t: AuthenticatedTerminal): Principal => ({
  kind: 'terminal',
  actor: t.terminalId,
  permissions: everywhere(TERMINAL_PERMISSIONS, [t.storeId]),
  stores: [t.storeId],
  terminal: t,
});

/** The stores `permission` covers for `p` ('all' over the chain; empty when not held). */
export const storesFor = (p: Principal, permission: Permission): StoreSet => p.permissions[permission] ?? [];

/** Whether `p` holds `permission` at `storeId`. */
export const holdsAt = (p: Principal, permission: Permission, storeId: string): boolean =>
  coversStore(p.permissions[permission], storeId);

/**
 * The stores a list answers for: the one asked (already checked by the route's declaration), else every
 * store `permission` covers.
 */
export const listedStores = (p: Principal, permission: Permission, asked?: string): StoreSet =>
  asked === undefined ? storesFor(p, permission) : [asked];

type Headers = Pick<FastifyRequest, 'headers'>['headers'];

/** The session cookie's value from the Cookie header (no plugin needed for one httpOnly cookie). */
export function sessionToken(headers: Headers): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined; // a mangled cookie is no session
      }
    }
  }
  return undefined;
}

/** The person signed in by the session cookie alone (bearer tokens ignored), or undefined. */
export async function resolveSessionPrincipal(db: HqDb, headers: Headers): Promise<Principal | undefined> {
  const user = await resolveSession(db, sessionToken(headers));
  return user ? userPrincipal(user) : undefined;
}

/**
 * The principal of a request, or undefined when it carries no valid credential. A bearer token wins
 * over a cookie: a wrong token is refused even beside a good session, so a script never acts as
 * whoever last signed in on that browser. `cookies` overrides the Cookie header (tests).
 */
export async function resolvePrincipal(
  db: HqDb,
  req: Pick<FastifyRequest, 'headers'> & { cookies?: Record<string, string | undefined> },
): Promise<Principal | undefined> {
  const token = bearerToken(req.headers.authorization);
  if (token) {
    if (await isAdminToken(db, token)) return adminPrincipal;
    const t = await authenticateTerminal(db, token);
    return t ? terminalPrincipal(t) : undefined;
  }
  const cookie = req.cookies ? req.cookies[SESSION_COOKIE] : sessionToken(req.headers);
  const user = await resolveSession(db, cookie);
  return user ? userPrincipal(user) : undefined;
}
