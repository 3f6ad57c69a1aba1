import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  type AuditEntry,
  type AuditQuery,
  audit,
  auditCsv,
  forbidden,
  listAudit,
  type Principal,
  principalOf,
  scopeStores,
} from '../../access/index.ts';
import {
  AUDIT_PATHS,
  type AuditEntryView,
  auditPageSchema,
  auditQuerySchema,
  errorBody,
} from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

/**
 * Reading the audit log: head office (admin token or the admin role) sees every entry; district and
 * store managers see their stores' entries. Until the permissions piece lands (`view_audit_log`) that
 * rule is written here. Reading is not audited; an export is, since it carries the log off HQ.
 */
const READERS = new Set(['admin', 'district_manager', 'store_manager']);

function assertMayRead(p: Principal): void {
  if (p.kind === 'terminal' || !READERS.has(p.role))
    throw forbidden('the audit log is for managers and head office; ask a store manager', 'role');
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A date alone means its start for `from` and the end of that day for `to`, so a range of days includes both ends. */
function instant(field: 'from' | 'to', s: string | undefined): Date | undefined {
  if (s === undefined) return undefined;
  const d = new Date(DAY.test(s) ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(d.getTime())) throw invalid(field, `"${s}" is not a date or instant`);
  if (field === 'to' && DAY.test(s)) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

function queryOf(req: FastifyRequest, q: z.output<typeof auditQuerySchema>): AuditQuery {
  const p = principalOf(req);
  assertMayRead(p);
  return {
    user: q.user,
    stores: scopeStores(p, q.store),
    action: q.action,
    since: instant('from', q.from),
    until: instant('to', q.to),
    beforeSeq: q.before,
    limit: q.limit,
  };
}

const view = (e: AuditEntry): AuditEntryView => ({
  seq: e.seq,
  id: e.id,
  at: e.at.toISOString(),
  actorKind: e.actorKind,
  actorId: e.actorId,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  storeId: e.storeId,
  terminalId: e.terminalId,
  route: e.route,
  requestId: e.requestId,
  outcome: e.outcome,
  before: e.before,
  after: e.after,
  reason: e.reason,
  hash: e.hash,
});

export const auditRoutes: HqRoutes = (app, { db, gate }) => {
  app.get(
    AUDIT_PATHS.list,
    {
      schema: {
        summary:
          'The audit log, newest first, filtered by user, store, action and time; pass nextBefore as before for the next page',
        security: bearer,
        querystring: auditQuerySchema,
        response: { 200: auditPageSchema, 403: errorBody },
      },
      onRequest: gate.anyone,
    },
    async (req) => {
      const q = queryOf(req, req.query);
      const entries = await listAudit(db, q);
      const last = entries.at(-1);
      return { entries: entries.map(view), nextBefore: last && entries.length === q.limit ? last.seq : null };
    },
  );

  app.get(
    AUDIT_PATHS.csv,
    {
      schema: {
        summary:
          'The audit log as CSV (every entry matching the filters, newest first); the export itself is audited',
        security: bearer,
        querystring: auditQuerySchema,
        produces: ['text/csv'],
      },
      onRequest: gate.anyone,
    },
    async (req, reply) => {
      const { limit: _limit, ...q } = queryOf(req, req.query);
      const { before: _before, limit: _l, ...filters } = req.query;
      await audit(req).record({
        action: 'audit.exported',
        target: { type: 'audit_log', id: 'csv' },
        after: filters,
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-log.csv"')
        .send(auditCsv(db, q));
    },
  );
};
