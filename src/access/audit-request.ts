import type { FastifyRequest } from 'fastify';
import { type Clock, systemClock } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import type { AuditActor, AuditEntry, AuditEntryInput, AuditTarget } from './audit-entry.ts';
import { recordAudit } from './audit-log.ts';
import type { Principal } from './principal.ts';
import { principalOf } from './route-access.ts';

/**
 * The seam between HQ's routes and the audit log: `audit(req).record({ action, target, before, after,
 * storeId })`. Who (the admitted principal), from which till, on which route, under which request id
 * and when are taken from the request, so a handler says only what changed. Given a transaction the
 * entry commits with the change; without one it is written at once, after the change the handler made.
 */
export interface RequestAuditInput {
  action: string;
  target?: AuditTarget;
  before?: unknown;
  after?: unknown;
  storeId?: string;
  reason?: string;
  /** For routes that admit no one yet (sign-in): who the request claims to be. */
  actor?: AuditActor;
}

export interface RequestAudit {
  /** A change made: outcome ok. */
  record(entry: RequestAuditInput, trx?: HqDb): Promise<AuditEntry>;
  /** A refusal worth keeping (a failed sign-in): outcome refused, with why. */
  refused(entry: RequestAuditInput & { reason: string }, trx?: HqDb): Promise<AuditEntry>;
  /** Who the entries name: for a module that keeps its own "changed by". */
  readonly actor: AuditActor;
}

interface AuditContext {
  db: HqDb;
  clock: Clock;
}

const contexts = new WeakMap<FastifyRequest, AuditContext>();

/** The part of a Fastify app the seam needs: a hook on every request. */
export interface AuditHost {
  addHook(name: 'onRequest', hook: (req: FastifyRequest) => Promise<void>): unknown;
}

/** Lets every route of `app` audit to `db`; call once, before the routes are added. */
export function auditRequests(app: AuditHost, db: HqDb, clock: Clock = systemClock): void {
  const ctx: AuditContext = { db, clock };
  app.addHook('onRequest', async (req) => {
    contexts.set(req, ctx);
  });
}

const actorKinds = { admin: 'admin_token', terminal: 'device', user: 'user' } as const;

/** The admitted caller, or undefined on a route that admits anyone without a credential. */
function admitted(req: FastifyRequest): Principal | undefined {
  try {
    return principalOf(req);
  } catch {
    return undefined;
  }
}

const actorOf = (p: Principal | undefined): AuditActor =>
  p ? { kind: actorKinds[p.kind], id: p.actor } : { kind: 'system', id: 'anonymous' };

/** The entry a request makes of what the handler said, without I/O (exported for tests). */
export function requestEntry(
  req: Pick<FastifyRequest, 'id' | 'url' | 'routeOptions'>,
  p: Principal | undefined,
  e: RequestAuditInput,
  outcome: 'ok' | 'refused',
  at: Date,
): AuditEntryInput {
  return {
    actor: e.actor ?? actorOf(p),
    action: e.action,
    target: e.target,
    storeId: e.storeId ?? p?.terminal?.storeId,
    terminalId: p?.terminal?.terminalId,
    route: req.routeOptions?.url ?? req.url,
    requestId: String(req.id),
    outcome,
    before: e.before,
    after: e.after,
    reason: e.reason,
    at,
  };
}

/** The audit seam of one request. */
export function audit(req: FastifyRequest): RequestAudit {
  const ctx = contexts.get(req);
  if (!ctx) throw new Error('audit(req) needs auditRequests(app, db) on the HQ app before its routes');
  const write = (e: RequestAuditInput, outcome: 'ok' | 'refused', trx?: HqDb) =>
    recordAudit(trx ?? ctx.db, requestEntry(req, admitted(req), e, outcome, ctx.clock.now()), ctx.clock);
  return {
    record: (e, trx) => write(e, 'ok', trx),
    refused: (e, trx) => write(e, 'refused', trx),
    get actor() {
      return actorOf(admitted(req));
    },
  };
}
