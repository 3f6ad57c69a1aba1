import type { FastifyContextConfig } from 'fastify';
import { z } from 'zod';
import { audit, fromBody, fromQuery, type ScopeOf } from '../../access/index.ts';
import {
  activePromotions,
  activeTaxJurisdictions,
  catalogSnapshot,
  createCategory,
  createParent,
  createPriceZone,
  currentPromotions,
  listCategories,
  listParents,
  listPriceZones,
  listVariants,
  priceAt,
  priceHistory,
  promotionHistory,
  quoteFromSnapshot,
  recordPrice,
  refuseExistingParent,
  retirePromotion,
  savePromotions,
  saveTaxJurisdictions,
  setStoreZone,
  updateCategory,
} from '../../catalog/hq/index.ts';
import { API_BASE, priceEntrySchema } from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import {
  type PromotionInput,
  parsePromotions,
  parseTaxJurisdictions,
  promotionListSchema,
  type TaxJurisdictionInput,
  taxJurisdictionSchema,
} from '../../pricing/index.ts';
import { checkedBy } from '../shared/checked-body.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

const zoneSchema = z.object({ id: z.string(), name: z.string().min(1) });
const priceInputSchema = z.object({
  sku: z.string().min(1),
  scope: z.enum(['chain', 'zone', 'store']),
  scopeId: z.string().optional(),
  priceMinor: z.number().int().nonnegative(),
  effectiveFrom: z.string().optional(),
  effectiveTo: z.string().nullable().optional(),
});
/** A store price needs edit_prices at that store; a zone or chain price over the chain. */
const priceScope: ScopeOf = (req) => {
  const b = req.body as z.infer<typeof priceInputSchema>;
  return b.scope === 'store' && b.scopeId
    ? { field: 'scopeId', stores: [b.scopeId] }
    : { field: 'scope', stores: 'all' };
};
// Read back as published (the definitions as given), so answered as plain objects.
const jsonObjects = z.array(z.record(z.string(), z.unknown()));
const promotionVersionSchema = z.object({
  promotionId: z.string(),
  version: z.number().int(),
  definition: z.record(z.string(), z.unknown()),
  active: z.boolean(),
  changedAt: z.string().describe('ISO instant'),
  changedBy: z.string(),
});
const categorySchema = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  path: z.array(z.string()).describe('category ids from the root down to this one'),
  productCount: z.number().int(),
});
const parentSchema = z.object({
  id: z.string(),
  name: z.string(),
  optionNames: z.array(z.string()),
  variantCount: z.number().int(),
});
const variantSchema = z.object({
  sku: z.string(),
  name: z.string(),
  options: z.record(z.string(), z.string()),
  priceMinor: z.number().int(),
  active: z.boolean(),
  barcodes: z.array(z.string()),
});

/** HQ's catalog administration: price zones, pricebook entries, promotions and tax rules. */
export const catalogRoutes: HqRoutes = (app, { db }) => {
  // The catalog is the chain's: anyone who reads reports reads it; changing it takes the chain.
  const asReader: FastifyContextConfig = { access: { permission: 'view_reports' } };
  const asCatalogEditor: FastifyContextConfig = { access: { permission: 'edit_catalog', scope: 'chain' } };
  const c = `${API_BASE}/catalog`;

  app.get(
    `${c}/zones`,
    {
      schema: {
        summary: 'Price zones and their stores',
        security: bearer,
        response: { 200: z.array(zoneSchema.extend({ storeIds: z.array(z.string()) })) },
      },
      config: asReader,
    },
    async () => listPriceZones(db),
  );

  app.post(
    `${c}/zones`,
    {
      schema: {
        summary: 'Create a price zone',
        security: bearer,
        body: zoneSchema,
        response: { 201: zoneSchema },
      },
      config: { access: { permission: 'edit_prices', scope: 'chain' } },
    },
    async (req, reply) => {
      await createPriceZone(db, req.body);
      await audit(req).record({
        action: 'catalog.zone_created',
        target: { type: 'price_zone', id: req.body.id },
        after: req.body,
      });
      return reply.status(201).send(req.body);
    },
  );

  app.put(
    `${API_BASE}/stores/:id/zone`,
    {
      schema: {
        summary: "Set a store's price zone (null: none)",
        security: bearer,
        params: z.object({ id: z.string() }),
        body: z.object({ zoneId: z.string().nullable() }),
        response: { 204: z.null() },
      },
      config: { access: { permission: 'edit_prices', scope: 'chain' } },
    },
    async (req, reply) => {
      await setStoreZone(db, req.params.id, req.body.zoneId);
      const target = { type: 'store', id: req.params.id };
      await audit(req).record({
        action: 'catalog.store_zone_changed',
        target,
        storeId: req.params.id,
        after: req.body,
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${c}/prices`,
    {
      schema: {
        summary: 'Record a price (chain, zone or store), effective from an instant; history is kept',
        security: bearer,
        body: priceInputSchema,
        response: { 201: priceEntrySchema },
      },
      config: { access: { permission: 'edit_prices', scope: priceScope } },
    },
    async (req, reply) => {
      const entry = await recordPrice(db, req.body);
      const before = (await priceHistory(db, req.body.sku)).filter((e) => e.id !== entry.id).at(-1) ?? null;
      const storeId = req.body.scope === 'store' ? req.body.scopeId : undefined;
      const target = { type: 'product', id: req.body.sku };
      await audit(req).record({ action: 'catalog.price_changed', target, storeId, before, after: entry });
      return reply.status(201).send(entry);
    },
  );

  app.get(
    `${c}/products/:sku/prices`,
    {
      schema: {
        summary: 'Every price recorded for a product',
        security: bearer,
        params: z.object({ sku: z.string() }),
        response: { 200: z.array(priceEntrySchema) },
      },
      config: asReader,
    },
    async (req) => priceHistory(db, req.params.sku),
  );

  app.get(
    `${c}/products/:sku/price`,
    {
      schema: {
        summary: 'The price in force at a store at an instant (default now)',
        security: bearer,
        params: z.object({ sku: z.string() }),
        querystring: z.object({ store: z.string(), at: z.string().optional() }),
        response: { 200: z.object({ priceMinor: z.number().int(), entry: priceEntrySchema.nullable() }) },
      },
      config: { access: { permission: 'view_reports', scope: fromQuery('store') } },
    },
    async (req) => {
      const at = req.query.at === undefined ? new Date() : new Date(req.query.at);
      if (Number.isNaN(at.getTime())) throw invalid('at', `"${req.query.at}" is not an instant`);
      const r = await priceAt(db, req.params.sku, req.query.store, at);
      return { priceMinor: r.priceMinor, entry: r.entry ?? null };
    },
  );

  app.get(
    `${c}/categories`,
    {
      schema: {
        summary: 'The category tree, parents before their children, each with its path from the root',
        security: bearer,
        response: { 200: z.array(categorySchema) },
      },
      config: asReader,
    },
    async () => listCategories(db),
  );

  app.post(
    `${c}/categories`,
    {
      schema: {
        summary: 'Create a category, at the top or under a parent',
        security: bearer,
        body: z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable().optional() }),
        response: { 201: categorySchema },
      },
      config: asCatalogEditor,
    },
    async (req, reply) => {
      const created = await createCategory(db, req.body);
      await audit(req).record({
        action: 'catalog.category_created',
        target: { type: 'category', id: created.id },
        after: created,
      });
      return reply.status(201).send(created);
    },
  );

  app.patch(
    `${c}/categories/:id`,
    {
      schema: {
        summary:
          'Rename a category and/or move it (parentId null: to the top); a move into its own subtree answers 409 naming parentId',
        security: bearer,
        params: z.object({ id: z.string() }),
        body: z.object({ name: z.string().optional(), parentId: z.string().nullable().optional() }),
        response: { 200: categorySchema },
      },
      config: asCatalogEditor,
    },
    async (req) => {
      const before = (await listCategories(db)).find((c) => c.id === req.params.id) ?? null;
      const after = await updateCategory(db, req.params.id, req.body);
      await audit(req).record({
        action: 'catalog.category_changed',
        target: { type: 'category', id: after.id },
        before,
        after,
      });
      return after;
    },
  );

  app.get(
    `${c}/parents`,
    {
      schema: {
        summary: 'Products with variants (parents), with their option names',
        security: bearer,
        response: { 200: z.array(parentSchema) },
      },
      config: asReader,
    },
    async () => listParents(db),
  );

  app.get(
    `${c}/parents/:id/variants`,
    {
      schema: {
        summary: 'The variants of a product, with their option values',
        security: bearer,
        params: z.object({ id: z.string() }),
        response: { 200: z.array(variantSchema) },
      },
      config: asReader,
    },
    async (req) => listVariants(db, req.params.id),
  );

  app.post(
    `${c}/parents`,
    {
      schema: {
        summary:
          'Create a product with options (Colour, Size) and its variants, each a product with its own SKU; every variant gives a value for every option',
        security: bearer,
        body: z.object({
          id: z.string(),
          name: z.string(),
          optionNames: z.array(z.string()),
          categoryId: z.string().nullable().optional(),
          variants: z
            .array(
              z.object({
                sku: z.string(),
                name: z.string().optional(),
                options: z.record(z.string(), z.string()),
                priceMinor: z.number().int().nonnegative(),
                taxRateBp: z.number().int().nonnegative().max(10_000),
                barcodes: z.array(z.string()).optional(),
                costMinor: z.number().int().nonnegative().nullable().optional(),
              }),
            )
            .optional(),
        }),
        response: { 201: z.object({ parent: parentSchema, variants: z.array(variantSchema) }) },
      },
      config: asCatalogEditor,
    },
    async (req, reply) => {
      await refuseExistingParent(db, req.body.id);
      const created = await createParent(db, req.body);
      await audit(req).record({
        action: 'catalog.product_created',
        target: { type: 'product', id: req.body.id },
        after: created,
      });
      return reply.status(201).send(created);
    },
  );

  app.post(
    `${c}/quote`,
    {
      schema: {
        summary:
          "Price a cart at a store as its tills would at that moment: the store's prices in force, promotions, coupons, customer and tax jurisdiction",
        security: bearer,
        body: z.object({
          storeId: z.string().min(1),
          at: z.string().optional().describe('ISO instant; default now'),
          lines: z
            .array(
              z.object({
                sku: z.string().min(1),
                qty: z.number().int().positive().optional(),
                grams: z.number().int().positive().optional().describe('items sold by weight'),
              }),
            )
            .min(1),
          customer: z
            .object({ id: z.string(), loyaltyMember: z.boolean(), segments: z.array(z.string()).default([]) })
            .optional(),
          couponCodes: z.array(z.string()).optional(),
          draftPromotions: z
            .array(z.record(z.string(), z.unknown()))
            .optional()
            .describe(
              'promotions being edited, priced as if published (replacing any with the same id); nothing is saved',
            ),
        }),
        response: { 200: z.record(z.string(), z.unknown()) },
      },
      config: { access: { permission: 'view_reports', scope: fromBody('storeId') } },
    },
    async (req) => {
      const at = req.body.at === undefined ? new Date() : new Date(req.body.at);
      if (Number.isNaN(at.getTime())) throw invalid('at', `"${req.body.at}" is not an instant`);
      const snap = await catalogSnapshot(db, req.body.storeId, undefined, at);
      const drafts = req.body.draftPromotions;
      if (drafts) {
        // Checked as publishing would check them, so a draft that previews will also publish.
        parsePromotions(drafts, 'draftPromotions');
        const ids = new Set(drafts.map((p) => p.id));
        snap.promotions = [...(snap.promotions ?? []).filter((p) => !ids.has(p.id)), ...drafts];
      }
      const { search: _search, ...quote } = quoteFromSnapshot(snap, {
        lines: req.body.lines,
        at: at.toISOString(),
        ...(req.body.customer ? { customer: req.body.customer } : {}),
        ...(req.body.couponCodes ? { couponCodes: req.body.couponCodes } : {}),
      });
      return quote;
    },
  );

  app.get(
    `${c}/promotions`,
    {
      schema: { summary: 'Active promotions', security: bearer, response: { 200: jsonObjects } },
      config: asReader,
    },
    async () => activePromotions(db),
  );

  app.put(
    `${c}/promotions`,
    {
      schema: {
        summary:
          'Publish promotions (each replaces the one with its id); tills receive them with their next pull',
        security: bearer,
        body: promotionListSchema,
        response: { 200: z.object({ saved: z.number().int() }) },
      },
      // Validated by the pricing engine's own parser, which names the field as tills do.
      validatorCompiler: checkedBy(parsePromotions),
      config: { access: { permission: 'edit_promotions', scope: 'chain' } },
    },
    // As sent (see checkedBy): the input form, defaults not yet filled in.
    async (req) => {
      const input = req.body as PromotionInput[];
      // The versions, the promotions and their audit entries commit together.
      const saved = await db.transaction().execute(async (trx) => {
        const before = await currentPromotions(
          trx,
          input.map((p) => p.id),
        );
        const n = await savePromotions(trx, input, audit(req).actor.id);
        for (const p of input) {
          const target = { type: 'promotion', id: p.id };
          const action = 'catalog.promotion_published';
          await audit(req).record(
            { action, target, before: before.get(p.id) ?? null, after: { definition: p, active: true } },
            trx,
          );
        }
        return n;
      });
      return { saved };
    },
  );

  app.delete(
    `${c}/promotions/:id`,
    {
      schema: {
        summary: 'End a promotion',
        security: bearer,
        params: z.object({ id: z.string() }),
        response: { 204: z.null() },
      },
      config: { access: { permission: 'edit_promotions', scope: 'chain' } },
    },
    async (req, reply) => {
      await db.transaction().execute(async (trx) => {
        const before = (await currentPromotions(trx, [req.params.id])).get(req.params.id);
        await retirePromotion(trx, req.params.id, audit(req).actor.id);
        const target = { type: 'promotion', id: req.params.id };
        await audit(req).record(
          { action: 'catalog.promotion_retired', target, before, after: { ...before, active: false } },
          trx,
        );
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${c}/promotions/:id/history`,
    {
      schema: {
        summary:
          'Every version of a promotion, newest first, with who changed it and when (tills get the current one only)',
        security: bearer,
        params: z.object({ id: z.string() }),
        response: { 200: z.array(promotionVersionSchema) },
      },
      config: asReader,
    },
    async (req) =>
      (await promotionHistory(db, req.params.id)).map((v) => ({
        ...v,
        changedAt: v.changedAt.toISOString(),
      })),
  );

  app.get(
    `${c}/tax-jurisdictions`,
    {
      schema: { summary: 'Active tax jurisdictions', security: bearer, response: { 200: jsonObjects } },
      config: asReader,
    },
    async () => activeTaxJurisdictions(db),
  );

  app.put(
    `${c}/tax-jurisdictions`,
    {
      schema: {
        summary: 'Publish tax jurisdictions (each replaces the one with its id)',
        security: bearer,
        body: z.array(taxJurisdictionSchema),
        response: { 200: z.object({ saved: z.number().int() }) },
      },
      validatorCompiler: checkedBy(parseTaxJurisdictions),
      config: asCatalogEditor,
    },
    async (req) => {
      const after = req.body as TaxJurisdictionInput[];
      const saved = await saveTaxJurisdictions(db, after);
      for (const j of after)
        await audit(req).record({
          action: 'catalog.tax_published',
          target: { type: 'tax_jurisdiction', id: j.id },
          after: j,
        });
      return { saved };
    },
  );
};
