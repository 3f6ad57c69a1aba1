import { z } from 'zod';
import { audit, terminalOf } from '../../access/index.ts';
import { API_BASE, errorBody, loyaltyProgrammeSchema } from '../../contracts/index.ts';
import { newId, safeText } from '../../core/index.ts';
import {
  adjustPoints,
  authorizeBurn,
  loyaltyBalance,
  loyaltyBalanceForTill,
  loyaltyExceptions,
  loyaltyHistory,
  readLoyaltyProgramme,
  releaseBurn,
  writeLoyaltyProgramme,
} from '../../customers/hq/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';
import { pageQuery, rowsToFetch, sendPage } from './list-page.ts';

const PAGE = 100;
const int = z.number().int();
const errors = { 400: errorBody, 402: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const balanceSchema = z.object({
  customerId: z.string(),
  balancePoints: int,
  overdraft: z.boolean(),
  tier: z.string(),
  tierMultiplierBp: int,
  spend12mMinor: int,
});
const customerParams = z.object({ customerId: z.uuid() });

/**
 * Loyalty points across the chain. The pricing and promotions admin sets the programme (tills get it
 * with the catalog) and adjusts a customer's points with a reason; whoever may see customer data reads
 * a customer's balance, tier and movements (ids and numbers only); tills read balances and ask HQ to
 * authorise a burn while online, as with gift cards.
 */
export const loyaltyRoutes: HqRoutes = (app, { db }) => {
  const tags = ['loyalty'];
  const asTerminal = { access: 'terminal' } as const;
  const asAdmin = { access: { permission: 'edit_promotions', scope: 'chain' } } as const;
  const asCustomerReader = { access: { permission: 'view_customer_data', scope: 'chain' } } as const;

  app.get(
    `${API_BASE}/loyalty/programme`,
    {
      schema: {
        tags,
        summary: 'The loyalty programme',
        security: bearer,
        response: { 200: loyaltyProgrammeSchema },
      },
      config: asAdmin,
    },
    async () => readLoyaltyProgramme(db),
  );

  app.put(
    `${API_BASE}/loyalty/programme`,
    {
      schema: {
        tags,
        summary:
          'Replace the loyalty programme (earn rates, category and store overrides, point value, tiers, offline cap); tills get it with their next catalog pull',
        security: bearer,
        body: loyaltyProgrammeSchema,
        response: { 200: loyaltyProgrammeSchema, ...errors },
      },
      config: asAdmin,
    },
    async (req) =>
      db.transaction().execute(async (trx) => {
        const before = await readLoyaltyProgramme(trx);
        const after = await writeLoyaltyProgramme(trx, req.body);
        await audit(req).record(
          { action: 'loyalty.programme_set', target: { type: 'loyalty_programme', id: '1' }, before, after },
          trx,
        );
        return after;
      }),
  );

  app.get(
    `${API_BASE}/loyalty/customers/:customerId`,
    {
      schema: {
        tags,
        summary: "A customer's points balance at HQ and the tier their last 365 days of spend earn",
        security: bearer,
        params: customerParams,
        response: { 200: balanceSchema, ...errors },
      },
      config: asCustomerReader,
    },
    async (req) => loyaltyBalance(db, req.params.customerId),
  );

  app.get(
    `${API_BASE}/loyalty/customers/:customerId/movements`,
    {
      schema: {
        tags,
        summary: "A customer's point movements, newest first",
        security: bearer,
        params: customerParams,
        querystring: z.object(pageQuery(1000)),
        response: {
          200: z.array(
            z.object({
              kind: z.string(),
              points: int,
              balanceAfter: int,
              spendMinor: int,
              eventId: z.string().nullable(),
              terminalId: z.string().nullable(),
              storeId: z.string().nullable(),
              offline: z.boolean(),
              reason: z.string().nullable(),
              at: z.string(),
            }),
          ),
        },
      },
      config: asCustomerReader,
    },
    async (req, reply) => {
      const rows = await loyaltyHistory(db, req.params.customerId, rowsToFetch(req.query, PAGE));
      return sendPage(req, reply, rows, req.query, PAGE);
    },
  );

  app.post(
    `${API_BASE}/loyalty/customers/:customerId/adjustments`,
    {
      schema: {
        tags,
        summary: 'Add or take points by hand, with a reason (audited); the same adjustmentId applies once',
        security: bearer,
        params: customerParams,
        body: z.object({
          adjustmentId: z.uuid().optional(),
          points: int.min(-10_000_000).max(10_000_000),
          reason: safeText('reason').trim().min(1),
        }),
        response: { 200: z.object({ applied: z.boolean(), balancePoints: int }), ...errors },
      },
      config: asAdmin,
    },
    async (req) =>
      db.transaction().execute(async (trx) => {
        const a = audit(req);
        const r = await adjustPoints(trx, {
          adjustmentId: req.body.adjustmentId ?? newId(),
          customerId: req.params.customerId,
          points: req.body.points,
          reason: req.body.reason,
          actor: a.actor.id,
        });
        if (r.applied)
          await a.record(
            {
              action: 'loyalty.points_adjusted',
              target: { type: 'customer', id: req.params.customerId },
              after: { points: req.body.points, balancePoints: r.balancePoints },
              reason: req.body.reason,
            },
            trx,
          );
        return r;
      }),
  );

  app.get(
    `${API_BASE}/loyalty/exceptions`,
    {
      schema: {
        tags,
        summary: 'Open exceptions: offline burns that took a balance below zero',
        security: bearer,
        querystring: z.object(pageQuery(1000)),
        response: {
          200: z.array(
            z.object({
              customerId: z.string(),
              movementKey: z.string(),
              shortfallPoints: int,
              terminalId: z.string().nullable(),
            }),
          ),
        },
      },
      config: asCustomerReader,
    },
    async (req, reply) => {
      const rows = await loyaltyExceptions(db, rowsToFetch(req.query, PAGE));
      return sendPage(req, reply, rows, req.query, PAGE);
    },
  );

  app.post(
    `${API_BASE}/loyalty/balance`,
    {
      schema: {
        tags,
        summary:
          "A customer's balance and tier, for a till; `applied` names which of the till's `pending` loyalty events HQ's ledger already holds",
        security: bearer,
        body: customerParams.extend({ pending: z.array(z.uuid()).max(5_000).optional() }),
        response: { 200: balanceSchema.extend({ applied: z.array(z.string()) }), ...errors },
      },
      config: asTerminal,
    },
    async (req) => loyaltyBalanceForTill(db, req.body.customerId, req.body.pending ?? []),
  );

  app.post(
    `${API_BASE}/loyalty/burns`,
    {
      schema: {
        tags,
        summary:
          'Authorise spending points: HQ debits now or answers 402; retrying the same authId answers the first result',
        security: bearer,
        body: z.object({
          authId: z.uuid(),
          customerId: z.uuid(),
          points: int.min(1).max(1_000_000_000),
          pending: z.array(z.uuid()).max(5_000).optional(),
        }),
        response: {
          200: z.object({ authId: z.string(), balancePoints: int, applied: z.array(z.string()) }),
          ...errors,
        },
      },
      config: asTerminal,
    },
    async (req) => {
      const t = terminalOf(req);
      return authorizeBurn(db, { ...req.body, terminalId: t.terminalId, storeId: t.storeId });
    },
  );

  app.post(
    `${API_BASE}/loyalty/burns/:authId/release`,
    {
      schema: {
        tags,
        summary:
          'Give back an authorised burn whose sale was not completed (only its till; 409 once a sale used it)',
        security: bearer,
        params: z.object({ authId: z.uuid() }),
        response: { 200: z.object({ released: z.boolean(), balancePoints: int }), ...errors },
      },
      config: asTerminal,
    },
    async (req) => releaseBurn(db, req.params.authId, terminalOf(req).terminalId),
  );
};
