import { z } from 'zod';
import { fromQuery, listedStores, principalOf } from '../../access/index.ts';
import { listStores } from '../../catalog/hq/index.ts';
import { API_BASE, publicSaleSchema } from '../../contracts/index.ts';
import { businessDate } from '../../core/index.ts';
import { listReceipts, unknownSkus } from '../../sales/hq/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';
import { pageHeaders, pageQuery } from './list-page.ts';

/**
 * Head office's view of what tills sold that the rules let through but the catalog does not know:
 * sales naming an unknown SKU are kept and counted, and listed here so someone adds the product.
 */
const unknownSkuSchema = z.object({
  storeId: z.string(),
  sku: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  lines: z.number().int(),
  qty: z.number().int(),
});

const receiptSchema = publicSaleSchema.extend({
  storeId: z.string(),
  terminalId: z.string(),
  businessDate: z.string(),
  occurredAt: z.string(),
});

/** Receipts a page holds when the caller names no limit. */
const RECEIPTS_PAGE = 50;

export const salesRoutes: HqRoutes = (app, { db }) => {
  app.get(
    `${API_BASE}/sales`,
    {
      schema: {
        summary:
          "The receipts tills sent, newest first, for one business day: today in each store's time zone unless `date` names another; total, truncated and next say how many and where the rest are",
        security: bearer,
        querystring: z.object({
          store: z.string().optional(),
          date: z.iso.date().optional(),
          ...pageQuery(500),
        }),
        response: {
          200: z.object({
            sales: z.array(receiptSchema),
            total: z.number().int(),
            truncated: z.boolean(),
            /** The URL of the next page, or null on the last. */
            next: z.string().nullable(),
          }),
        },
      },
      config: { access: { permission: 'view_reports', scope: fromQuery('store') } },
    },
    async (req, reply) => {
      const mine = listedStores(principalOf(req), 'view_reports', req.query.store);
      const now = new Date();
      const days = (await listStores(db))
        .filter((s) =>
          req.query.store ? s.storeId === req.query.store : mine === 'all' || mine.includes(s.storeId),
        )
        .map((s) => ({ storeId: s.storeId, businessDate: req.query.date ?? businessDate(now, s.timeZone) }));
      const limit = req.query.limit ?? RECEIPTS_PAGE;
      const offset = req.query.offset ?? 0;
      const { receipts, total } = await listReceipts(db, { days, limit, offset });
      // The same headers as every list; the body says it too, since this is the list a person reads.
      const truncated = offset + receipts.length < total;
      const next = pageHeaders(req, reply, { truncated, total, nextOffset: offset + limit, limit });
      return { sales: receipts, total, truncated, next };
    },
  );

  app.get(
    `${API_BASE}/sales/unknown-skus`,
    {
      schema: {
        summary: 'SKUs sold at tills that the catalog does not know, per store, with first and last day seen',
        security: bearer,
        querystring: z.object({ store: z.string().optional() }),
        response: { 200: z.array(unknownSkuSchema) },
      },
      config: { access: { permission: 'view_reports', scope: fromQuery('store') } },
    },
    async (req) => {
      const stores = listedStores(principalOf(req), 'view_reports', req.query.store);
      const rows = await unknownSkus(db, { storeId: req.query.store });
      return stores === 'all' ? rows : rows.filter((r) => stores.includes(r.storeId));
    },
  );
};
