import type { FastifyRequest } from 'fastify';
import { type Role, SESSION_COOKIE, type SessionUser } from '../contracts/index.ts';
import { TallyError } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { isAdminToken } from './admin.ts';
import { canApproveDrafts } from './roles.ts';
import { resolveSession } from './sessions.ts';
import { type AuthenticatedTerminal, authenticateTerminal } from './terminals.ts';
import { bearerToken } from './tokens.ts';

/**
 * Who is asking, whatever way they proved it: the admin bearer token (head office, every store), a
 * till's bearer token (its own store, read-only like an associate) or a session cookie (a person, with
 * the stores of their role). Every HQ route asks this one thing (through `admission.ts`), so the rules
 * live in one place.
 */
export interface Principal {
  kind: 'admin' | 'terminal' | 'user';
  /** Recorded on decisions: the username, the terminal id, or 'admin'. */
  actor: string;
  role: Role;
  stores: readonly string[] | 'all';
  user?: SessionUser;
  terminal?: AuthenticatedTerminal;
}

export const adminPrincipal: Principal = { kind: 'admin', actor: 'admin', role: 'admin', stores: 'all' };

export const userPrincipal = (user: SessionUser): Principal => ({
  kind: 'user',
  actor: user.username,
  role: user.role,
  stores: user.stores,
  user,
});

export const terminalPrincipal = (t: AuthenticatedTerminal): Principal => ({
  kind: 'terminal',
  actor: t.terminalId,
  role: 'associate',
  stores: [t.storeId],
  terminal: t,
});

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

export const forbidden = (message: string, field?: string): TallyError =>
  new TallyError('forbidden', message, field);

export const inScope = (p: Principal, storeId: string): boolean =>
  p.stores === 'all' || p.stores.includes(storeId);

/** Why `storeId` is refused, in words that tell a till and a person what they may do instead. */
export function outOfScope(p: Principal, storeId: string, field = 'store'): TallyError {
  if (p.terminal)
    return forbidden(
      `${field}: terminal ${p.terminal.terminalId} may act for ${p.terminal.storeId} only, not ${storeId}`,
      field,
    );
  return forbidden(`store ${storeId} is outside your stores; ask head office for access`, field);
}

/** Refuses a store outside the principal's scope with 403 naming `field`. */
export function assertStore(p: Principal, storeId: string, field = 'store'): void {
  if (!inScope(p, storeId)) throw outOfScope(p, storeId, field);
}

/**
 * The stores a query covers: the one asked for (checked against the scope), else every store in scope
 * ('all' for head office, which the caller turns into "no filter").
 */
export function scopeStores(p: Principal, asked?: string, field = 'store'): readonly string[] | 'all' {
  if (asked !== undefined) {
    assertStore(p, asked, field);
    return [asked];
  }
  return p.stores;
}

/** Only store managers and above decide on purchase orders. */
export function assertCanApprove(p: Principal): void {
  if (!canApproveDrafts(p.role))
    throw forbidden('only a store manager or above may approve, edit or reject purchase orders', 'role');
}
