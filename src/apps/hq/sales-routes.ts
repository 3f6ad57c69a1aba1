import { z } from 'zod';
import { fromQuery, listedStores, principalOf } from '../../access/index.ts';
import { API_BASE } from '../../contracts/index.ts';
import { unknownSkus } from '../../sales/hq/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

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

export const salesRoutes: HqRoutes = (app, { db }) => {
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
