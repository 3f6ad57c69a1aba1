import { z } from 'zod';
import { audit, type ScopeOf } from '../../access/index.ts';
import {
  cancelPrice,
  endPrice,
  priceEntry,
  promotionRecords,
  scheduledPrices,
} from '../../catalog/hq/index.ts';
import { API_BASE, priceEntrySchema } from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

/**
 * The back office's pricebook and promotion lists beyond what the CLI publishes (catalog-routes.ts):
 * end or cancel an entry, the chain's scheduled price changes, every promotion with its state.
 */
const idParams = z.object({ id: z.coerce.number().int().positive() });

/** A store entry needs edit_prices at its store; a zone or chain entry (or none found) the chain. */
const entryScope: ScopeOf = async (req, db) => {
  const id = Number((req.params as { id?: unknown }).id);
  const e = Number.isSafeInteger(id) ? await priceEntry(db, id) : undefined;
  return e?.scope === 'store' ? { field: 'id', stores: [e.scopeId] } : { field: 'id', stores: 'all' };
};

const scheduledSchema = z.object({
  entries: z.array(priceEntrySchema.extend({ productName: z.string() })),
  total: z.number().int(),
  truncated: z.boolean().describe('more entries start later than the last one listed'),
});

const promotionRecordSchema = z.object({
  definition: z.record(z.string(), z.unknown()),
  active: z.boolean().describe('false: retired (ended by hand); tills no longer hold it'),
  version: z.number().int(),
  updatedAt: z.string().describe('ISO instant'),
});

const instantOrNow = (v: string | undefined, field: string): Date | undefined => {
  if (v === undefined) return undefined;
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v)))
    throw invalid(field, `"${v}" is not an instant with an offset (2026-12-01T00:00:00+01:00)`);
  return new Date(v);
};

export const pricebookRoutes: HqRoutes = (app, { db }) => {
  const c = `${API_BASE}/catalog`;

  app.get(
    `${c}/prices/scheduled`,
    {
      schema: {
        summary: 'Price entries that start in the future, across products, soonest first',
        security: bearer,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
        response: { 200: scheduledSchema },
      },
      config: { access: { permission: 'view_reports' } },
    },
    async (req) => scheduledPrices(db, req.query.limit),
  );

  app.post(
    `${c}/prices/:id/end`,
    {
      schema: {
        summary:
          'End a price entry at an instant not yet passed (default now); the store falls back to the next entry',
        security: bearer,
        params: idParams,
        body: z.object({ at: z.string().optional().describe('ISO instant with offset; default now') }),
        response: { 200: priceEntrySchema },
      },
      config: { access: { permission: 'edit_prices', scope: entryScope } },
    },
    async (req) => {
      const { before, after } = await endPrice(db, req.params.id, instantOrNow(req.body.at, 'at'));
      const storeId = after.scope === 'store' ? after.scopeId : undefined;
      await audit(req).record({
        action: 'catalog.price_ended',
        target: { type: 'product', id: after.sku },
        storeId,
        before,
        after,
      });
      return after;
    },
  );

  app.delete(
    `${c}/prices/:id`,
    {
      schema: {
        summary:
          'Cancel a price entry that has not started yet (an entry in force or past is ended, not removed)',
        security: bearer,
        params: idParams,
        response: { 204: z.null() },
      },
      config: { access: { permission: 'edit_prices', scope: entryScope } },
    },
    async (req, reply) => {
      const before = await cancelPrice(db, req.params.id);
      await audit(req).record({
        action: 'catalog.price_cancelled',
        target: { type: 'product', id: before.sku },
        storeId: before.scope === 'store' ? before.scopeId : undefined,
        before,
        after: null,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${c}/promotions/all`,
    {
      schema: {
        summary: 'Every promotion HQ holds, retired ones too, with its state and version',
        security: bearer,
        response: { 200: z.array(promotionRecordSchema) },
      },
      config: { access: { permission: 'view_reports' } },
    },
    async () => promotionRecords(db),
  );
};
