import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  type AuditEntry,
  type AuditQuery,
  audit,
  auditCsv,
  fromQuery,
  listAudit,
  listedStores,
  principalOf,
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
 * Reading the audit log takes view_audit_log: over the chain it shows every entry, over some stores
 * those stores' entries. Reading is not audited; an export is, since it carries the log off HQ.
 */
const readers = { access: { permission: 'view_audit_log', scope: fromQuery('store') } } as const;

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
  return {
    user: q.user,
    stores: listedStores(principalOf(req), 'view_audit_log', q.store),
    action: q.action,
    since: instant('from', q.from),
    until: instant('to', q.to),
    beforeSeq: q.before,
    limit: q.limit,
  };
}

/** An entry as the API shows it: everything but the link to the one before, with the time as text. */
const view = ({ prevHash: _link, at, ...rest }: AuditEntry): AuditEntryView => ({
  ...rest,
  at: at.toISOString(),
});

export const auditRoutes: HqRoutes = (app, { db }) => {
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
      config: readers,
    },
    async (req) => {
      const q = queryOf(req, req.query);
      const limit = q.limit ?? 100;
      // One more than the page, so the answer says for sure whether there is a next page.
      const fetched = await listAudit(db, { ...q, limit: limit + 1 });
      const entries = fetched.slice(0, limit);
      const truncated = fetched.length > limit;
      const last = entries.at(-1);
      return { entries: entries.map(view), nextBefore: truncated && last ? last.seq : null, truncated };
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
      config: readers,
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
