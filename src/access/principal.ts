import type { FastifyRequest } from 'fastify';
import { type Role, SESSION_COOKIE, type SessionUser } from '../contracts/access.ts';
import { TallyError } from '../core/errors.ts';
import type { HqDb } from '../db/hq-db.ts';
import { isAdminToken } from './admin.ts';
import { canApproveDrafts } from './roles.ts';
import { resolveSession } from './sessions.ts';
import { authenticateTerminal } from './terminals.ts';
import { bearerToken } from './tokens.ts';

/**
 * Who is asking, whatever way they proved it: the admin bearer token (head office, every store), a
 * till's bearer token (its own store, read-only like an associate) or a session cookie (a person, with
 * the stores of their role). Every scoped route asks this one thing, so the rules live in one place.
 */
export interface Principal {
  kind: 'admin' | 'terminal' | 'user';
  /** Recorded on decisions: the username, the terminal id, or 'admin'. */
  actor: string;
  role: Role;
  stores: readonly string[] | 'all';
  user?: SessionUser;
}

export const adminPrincipal: Principal = { kind: 'admin', actor: 'admin', role: 'admin', stores: 'all' };

export const userPrincipal = (user: SessionUser): Principal => ({
  kind: 'user',
  actor: user.username,
  role: user.role,
  stores: user.stores,
  user,
});

/** The principal of a request, or undefined when it carries no valid credential. */
export async function resolvePrincipal(
  db: HqDb,
  req: Pick<FastifyRequest, 'headers'> & { cookies?: Record<string, string | undefined> },
): Promise<Principal | undefined> {
  const token = bearerToken(req.headers.authorization);
  if (token) {
    if (await isAdminToken(db, token)) return adminPrincipal;
    const t = await authenticateTerminal(db, token);
    if (t) return { kind: 'terminal', actor: t.terminalId, role: 'associate', stores: [t.storeId] };
    return undefined;
  }
  const user = await resolveSession(db, req.cookies?.[SESSION_COOKIE]);
  return user ? userPrincipal(user) : undefined;
}

export const forbidden = (message: string, field?: string): TallyError =>
  new TallyError('forbidden', message, field);

export const inScope = (p: Principal, storeId: string): boolean =>
  p.stores === 'all' || p.stores.includes(storeId);

/** Refuses a store outside the principal's scope with 403 naming `field`. */
export function assertStore(p: Principal, storeId: string, field = 'store'): void {
  if (!inScope(p, storeId))
    throw forbidden(`store ${storeId} is outside your stores; ask head office for access`, field);
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
