import type { FastifyContextConfig } from 'fastify';
import { z } from 'zod';
import { audit, type ScopeOf } from '../../access/index.ts';
import {
  applyBulkPrices,
  createProduct,
  listProducts,
  planBulkPrices,
  productDetail,
  productFacets,
  setArchived,
  updateProduct,
} from '../../catalog/hq/index.ts';
import {
  API_BASE,
  bulkPriceRequest,
  bulkPriceResponse,
  productCreateSchema,
  productDetailSchema,
  productFacetsResponse,
  productListQuery,
  productListResponse,
  productPatchSchema,
  productRowSchema,
} from '../../contracts/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

/** A store-scoped bulk change needs edit_prices at that store; a zone or chain change over the chain. */
const bulkScope: ScopeOf = (req) => {
  const b = req.body as z.infer<typeof bulkPriceRequest>;
  return b.scope === 'store' && b.scopeId
    ? { field: 'scopeId', stores: [b.scopeId] }
    : { field: 'scope', stores: 'all' };
};

const skuParams = z.object({ sku: z.string().min(1).max(64) });

/**
 * The back office's products: list and search, one product, create, edit, archive and restore, and
 * bulk price changes with a preview. The catalog is the chain's, so editing it takes the chain.
 */
export const productRoutes: HqRoutes = (app, { db }) => {
  // The catalog is read by whoever reads reports (as catalog-routes.ts does); changes take the chain.
  const asReader: FastifyContextConfig = { access: { permission: 'view_reports' } };
  const asEditor: FastifyContextConfig = { access: { permission: 'edit_catalog', scope: 'chain' } };
  const p = `${API_BASE}/catalog/products`;

  app.get(
    p,
    {
      schema: {
        summary: 'Products: every word of q in the SKU, a barcode or the name; filters; a page at a time',
        security: bearer,
        querystring: productListQuery,
        response: { 200: productListResponse },
      },
      config: asReader,
    },
    async (req) => listProducts(db, req.query),
  );

  app.get(
    `${API_BASE}/catalog/product-facets`,
    {
      schema: {
        summary: "What the products list's filters offer: categories, suppliers and tax classes",
        security: bearer,
        response: { 200: productFacetsResponse },
      },
      config: asReader,
    },
    async () => productFacets(db),
  );

  app.get(
    `${p}/:sku`,
    {
      schema: {
        summary: 'One product with its barcodes, the variants of its parent and where its price history is',
        security: bearer,
        params: skuParams,
        response: { 200: productDetailSchema },
      },
      config: asReader,
    },
    async (req) => productDetail(db, req.params.sku),
  );

  app.post(
    p,
    {
      schema: {
        summary:
          'Create a product; 409 when its SKU exists or a barcode belongs to another product (named in the answer)',
        security: bearer,
        body: productCreateSchema,
        response: { 201: productRowSchema },
      },
      config: asEditor,
    },
    async (req, reply) => {
      const created = await db.transaction().execute(async (trx) => {
        const row = await createProduct(trx, req.body);
        const target = { type: 'product', id: row.sku };
        await audit(req).record({ action: 'catalog.product_created', target, after: row }, trx);
        return row;
      });
      return reply.status(201).send(created);
    },
  );

  app.patch(
    `${p}/:sku`,
    {
      schema: {
        summary: 'Change the fields given (a barcodes list replaces the barcodes); the rest stays',
        security: bearer,
        params: skuParams,
        body: productPatchSchema,
        response: { 200: productRowSchema },
      },
      config: asEditor,
    },
    async (req) =>
      db.transaction().execute(async (trx) => {
        const { before, after } = await updateProduct(trx, req.params.sku, req.body);
        const target = { type: 'product', id: req.params.sku };
        await audit(req).record({ action: 'catalog.product_changed', target, before, after }, trx);
        return after;
      }),
  );

  for (const [verb, archived] of [
    ['archive', true],
    ['restore', false],
  ] as const)
    app.post(
      `${p}/:sku/${verb}`,
      {
        schema: {
          summary: archived
            ? 'Archive a product: discontinued, off sale at every till with their next pull'
            : 'Restore an archived product: active and on sale again',
          security: bearer,
          params: skuParams,
          response: { 200: productRowSchema },
        },
        config: asEditor,
      },
      async (req) =>
        db.transaction().execute(async (trx) => {
          const { before, after } = await setArchived(trx, req.params.sku, archived);
          const target = { type: 'product', id: req.params.sku };
          const action = archived ? 'catalog.product_archived' : 'catalog.product_restored';
          await audit(req).record({ action, target, before, after }, trx);
          return after;
        }),
    );

  app.post(
    `${API_BASE}/catalog/prices/bulk`,
    {
      schema: {
        summary:
          'Change many prices at once (by SKUs or a filter; percent, amount or set; rounded to an ending): a dry run answers old → new, otherwise one pricebook entry per moving price, in one transaction',
        security: bearer,
        body: bulkPriceRequest,
        response: { 200: bulkPriceResponse },
      },
      config: { access: { permission: 'edit_prices', scope: bulkScope } },
    },
    async (req) => {
      const body = req.body;
      const answer = (plan: Awaited<ReturnType<typeof planBulkPrices>>, changed: number) => ({
        dryRun: body.dryRun,
        count: plan.lines.length,
        changed,
        effectiveFrom: plan.effectiveFrom.toISOString(),
        lines: plan.lines,
      });
      if (body.dryRun) {
        const plan = await planBulkPrices(db, body);
        return answer(plan, plan.lines.filter((l) => l.newMinor !== l.oldMinor).length);
      }
      return db.transaction().execute(async (trx) => {
        const plan = await planBulkPrices(trx, body);
        const changed = await applyBulkPrices(trx, body, plan);
        // One entry for the whole change: what was asked, over how many, and each product's move.
        await audit(req).record(
          {
            action: 'catalog.prices_bulk_changed',
            target: {
              type: 'pricebook',
              id: body.scope === 'chain' ? 'chain' : `${body.scope}:${body.scopeId}`,
            },
            storeId: body.scope === 'store' ? body.scopeId : undefined,
            before: { filter: body.filter ?? null, skus: body.skus ?? null },
            after: {
              change: body.change,
              rounding: body.rounding,
              scope: body.scope,
              scopeId: body.scopeId ?? null,
              effectiveFrom: plan.effectiveFrom.toISOString(),
              count: plan.lines.length,
              changed,
              lines: plan.lines.map((l) => [l.sku, l.oldMinor, l.newMinor]),
            },
          },
          trx,
        );
        return answer(plan, changed);
      });
    },
  );
};
