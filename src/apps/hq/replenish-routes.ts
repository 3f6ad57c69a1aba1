import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HqDb } from '../../db/hq-db.ts';
import { approveDraft, editLine, getDraft, listDrafts, rejectDraft } from '../../intel/replenish/store.ts';
import { API_PREFIX } from '../../sync/wire.ts';
import type { App } from '../shared/http.ts';

const bearer = [{ bearer: [] }];
const status = z.enum(['draft', 'approved', 'rejected']);
const summary = z.object({
  id: z.string(),
  supplierId: z.string(),
  status,
  runId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  lines: z.number().int(),
  totalMinor: z.number().int(),
});
const draft = summary.extend({
  policy: z.record(z.string(), z.unknown()),
  lineItems: z.array(
    z.object({
      lineNo: z.number().int(),
      storeId: z.string(),
      sku: z.string(),
      seriesId: z.string(),
      qty: z.number().int(),
      suggestedQty: z.number().int(),
      unitCostMinor: z.number().int(),
      inputs: z.record(z.string(), z.unknown()),
      reason: z.string(),
    }),
  ),
  decisions: z.array(
    z.object({
      action: z.string(),
      actor: z.string(),
      at: z.string(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
});
const idParam = z.object({ id: z.uuid() });
/** The admin token names no person yet, so the deciding manager is named in the body and recorded. */
const actor = z.string().min(1).max(200).describe('who decides (recorded with the time)');

/**
 * Draft purchase orders from replenishment: list, read, edit a line's quantity, approve, reject. Admin
 * token for now (see auth.ts); nothing is sent to a supplier from here, approval only marks it sendable.
 */
export function registerReplenishRoutes(
  app: App,
  db: HqDb,
  asAdmin: (req: FastifyRequest) => Promise<void>,
): void {
  const base = `${API_PREFIX}/replenish/drafts`;

  app.get(
    base,
    {
      schema: {
        summary: 'Draft purchase orders, newest first',
        security: bearer,
        querystring: z.object({
          status: status.optional(),
          supplier: z.string().optional(),
          limit: z.coerce.number().int().positive().max(1000).optional(),
        }),
        response: { 200: z.array(summary) },
      },
      onRequest: asAdmin,
    },
    async (req) =>
      listDrafts(db, { status: req.query.status, supplierId: req.query.supplier, limit: req.query.limit }),
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        summary: 'One draft with its lines (forecast, inputs, reason) and every decision taken on it',
        security: bearer,
        params: idParam,
        response: { 200: draft },
      },
      onRequest: asAdmin,
    },
    async (req) => getDraft(db, req.params.id),
  );

  app.patch(
    `${base}/:id/lines/:line`,
    {
      schema: {
        summary: "Change a line's quantity (0 drops it); the suggestion is kept beside it",
        security: bearer,
        params: idParam.extend({ line: z.coerce.number().int().positive() }),
        body: z.object({ qty: z.number().int().min(0), actor }),
        response: { 200: draft },
      },
      onRequest: asAdmin,
    },
    async (req) => {
      await editLine(db, req.params.id, req.params.line, req.body.qty, req.body.actor);
      return getDraft(db, req.params.id);
    },
  );

  app.post(
    `${base}/:id/approve`,
    {
      schema: {
        summary: 'Approve a draft: the only way it becomes an order that may be sent',
        security: bearer,
        params: idParam,
        body: z.object({ actor, note: z.string().max(2000).optional() }),
        response: { 200: draft },
      },
      onRequest: asAdmin,
    },
    async (req) => {
      await approveDraft(db, req.params.id, req.body.actor, req.body.note);
      return getDraft(db, req.params.id);
    },
  );

  app.post(
    `${base}/:id/reject`,
    {
      schema: {
        summary: 'Reject a draft, with a reason',
        security: bearer,
        params: idParam,
        body: z.object({ actor, reason: z.string().max(2000).optional() }),
        response: { 200: draft },
      },
      onRequest: asAdmin,
    },
    async (req) => {
      await rejectDraft(db, req.params.id, req.body.actor, req.body.reason);
      return getDraft(db, req.params.id);
    },
  );
}
