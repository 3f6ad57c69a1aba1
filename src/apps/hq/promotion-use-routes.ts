import { z } from 'zod';
import { fromQuery, listedStores, principalOf, terminalOf } from '../../access/index.ts';
import { releasePromotionUse, reservePromotionUse } from '../../catalog/hq/index.ts';
import {
  API_BASE,
  DASHBOARD_PATHS,
  errorBody,
  promotionsResponse,
  storeQuery,
} from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import { loadPromotions, storesInScope, todayIn } from '../../reports/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/**
 * Promotion limits across the chain: a till reserves a use of a limited promotion as its sale
 * completes (HQ answers reserved, or refused naming the limit) and gives it back when the sale is not
 * recorded; the promotions panel shows what each promotion did against the days before it.
 */
export const promotionUseRoutes: HqRoutes = (app, { db, clock }) => {
  const tags = ['promotions'];
  const asTerminal = { access: 'terminal' } as const;

  app.post(
    `${API_BASE}/promotions/uses`,
    {
      schema: {
        tags,
        summary:
          'Reserve one use of a limited promotion for a cart (row-locked count against limits.total, perCustomer, perCode); the same cart and promotion again answers as the first time',
        security: bearer,
        body: z.object({
          promotionId: z.string().min(1).max(200),
          cartId: z.string().min(1).max(100),
          customerId: z.string().min(1).max(100).optional(),
          couponCode: z.string().min(1).max(100).optional(),
        }),
        response: {
          200: z.union([
            z.object({ status: z.literal('reserved'), useId: z.string(), expiresAt: z.string() }),
            z.object({ status: z.literal('refused'), reason: z.string(), message: z.string() }),
          ]),
          ...errors,
        },
      },
      config: asTerminal,
    },
    async (req) => {
      const t = terminalOf(req);
      return reservePromotionUse(
        db,
        {
          ...req.body,
          couponCode: req.body.couponCode?.toUpperCase(),
          terminalId: t.terminalId,
          storeId: t.storeId,
        },
        clock.now(),
      );
    },
  );

  app.post(
    `${API_BASE}/promotions/uses/:useId/release`,
    {
      schema: {
        tags,
        summary:
          'Give back a reservation whose sale was not recorded (repeats change nothing); only the till that made it (403), not once a sale confirmed it (409)',
        security: bearer,
        params: z.object({ useId: z.uuid() }),
        response: { 200: z.object({ released: z.boolean() }), ...errors },
      },
      config: asTerminal,
    },
    async (req) => releasePromotionUse(db, req.params.useId, terminalOf(req).terminalId, clock.now()),
  );

  app.get(
    DASHBOARD_PATHS.promotions,
    {
      schema: {
        tags,
        summary:
          'Active and recently ended promotions: uses, discount, units of the promoted products against the same days before, uses against the limit, offline overruns',
        security: bearer,
        querystring: storeQuery,
        response: { 200: promotionsResponse, ...errors },
      },
      config: { access: { permission: 'view_reports', scope: fromQuery('store', ['all']) } },
    },
    async (req) => {
      const p = principalOf(req);
      const asked = req.query.store && req.query.store !== 'all' ? req.query.store : undefined;
      const stores = await storesInScope(db, p);
      const focus = asked ? stores.filter((s) => s.id === asked) : stores;
      if (asked && focus.length === 0) throw invalid('store', `store ${asked} does not exist`);
      const now = clock.now();
      return loadPromotions(db, {
        stores: listedStores(p, 'view_reports', asked),
        today: todayIn(focus, now),
        currency: focus[0]?.currency ?? 'EUR',
        now,
      });
    },
  );
};
