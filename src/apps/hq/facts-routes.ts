import { z } from 'zod';
import { fromQuery, listedStores, principalOf } from '../../access/index.ts';
import { listStores } from '../../catalog/hq/index.ts';
import { API_BASE, storeInfoSchema } from '../../contracts/index.ts';
import { stockOnHand } from '../../inventory/hq/index.ts';
import { salesDaily } from '../../sales/hq/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';
import { pageQuery, rowsToFetch, sendPage } from './list-page.ts';

/** Rows sent when the caller names no limit; the rest are one `Link: rel="next"` away. */
const STOCK_PAGE = 10_000;
const SALES_DAILY_PAGE = 10_000;

const stockRowSchema = z.object({ storeId: z.string(), sku: z.string(), qty: z.number().int() });
const salesDailyRowSchema = z.object({
  businessDate: z.string(),
  storeId: z.string(),
  sku: z.string(),
  qty: z.number().int(),
  netMinor: z.number().int(),
  taxMinor: z.number().int(),
  grossMinor: z.number().int(),
  lines: z.number().int(),
});

/** Head office's first reads: the stores, stock on hand and daily sales facts, from the projections. */
export const factsRoutes: HqRoutes = (app, { db }) => {
  const reads = { access: { permission: 'view_reports', scope: fromQuery('store') } } as const;
  app.get(
    `${API_BASE}/stores`,
    {
      schema: { summary: 'Stores', security: bearer, response: { 200: z.array(storeInfoSchema) } },
      config: { access: { permission: 'view_reports' } },
    },
    async (req) => {
      const mine = listedStores(principalOf(req), 'view_reports');
      return (await listStores(db)).filter((s) => mine === 'all' || mine.includes(s.storeId));
    },
  );

  app.get(
    `${API_BASE}/stock`,
    {
      schema: {
        summary: 'Stock on hand by store and SKU, projected from the event log',
        security: bearer,
        querystring: z.object({
          store: z.string().optional(),
          sku: z.string().optional(),
          ...pageQuery(100_000),
        }),
        response: { 200: z.array(stockRowSchema) },
      },
      config: reads,
    },
    async (req, reply) => {
      const stores = listedStores(principalOf(req), 'view_reports', req.query.store);
      const rows = await stockOnHand(db, {
        storeId: req.query.store,
        sku: req.query.sku,
        limit: rowsToFetch(req.query, STOCK_PAGE),
      });
      return sendPage(req, reply, rows, req.query, STOCK_PAGE, {
        kept: (r) => stores === 'all' || stores.includes(r.storeId),
      });
    },
  );

  app.get(
    `${API_BASE}/sales/daily`,
    {
      schema: {
        summary:
          'Daily sales facts per business date, store and SKU, oldest first; X-Truncated and Link rel=next say when there is more (one receipt at a time: GET /sales)',
        security: bearer,
        querystring: z.object({
          store: z.string().optional(),
          sku: z.string().optional(),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
          ...pageQuery(100_000),
        }),
        response: { 200: z.array(salesDailyRowSchema) },
      },
      config: reads,
    },
    async (req, reply) => {
      const stores = listedStores(principalOf(req), 'view_reports', req.query.store);
      const rows = await salesDaily(db, {
        storeId: req.query.store,
        sku: req.query.sku,
        from: req.query.from,
        to: req.query.to,
        limit: rowsToFetch(req.query, SALES_DAILY_PAGE),
      });
      return sendPage(req, reply, rows, req.query, SALES_DAILY_PAGE, {
        kept: (r) => stores === 'all' || stores.includes(r.storeId),
      });
    },
  );
};
