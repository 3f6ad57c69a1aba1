import { z } from 'zod';
import { audit, principalOf } from '../../access/index.ts';
import { API_BASE, errorBody } from '../../contracts/index.ts';
import {
  customerProfile,
  customerProfileSchema,
  customerSummaries,
  customerSummarySchema,
  dismissDuplicate,
  duplicateQueue,
  mergeCustomers,
  unmergeCustomers,
} from '../../customers/hq/index.ts';
import { appendToHqLog } from '../shared/event-registry.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';
import { pageHeaders, pageQuery } from './list-page.ts';

const errors = { 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const DUPLICATES_PAGE = 100;

const decision = z.object({
  survivorId: z.uuid(),
  mergedId: z.uuid(),
  reason: z.string().trim().min(1).max(200),
});

/**
 * Identity review at HQ: the probable-duplicate queue (reading it decrypts personal fields, so it takes
 * view_customer_data and is audited), and merge, unmerge and dismiss (merge_customers). A merge or
 * unmerge is an event in the log and its audit entry is written in the same transaction.
 */
export const customerIdentityRoutes: HqRoutes = (app, { db, clock }) => {
  const tags = ['customers'];
  const merging = { access: { permission: 'merge_customers', scope: 'chain' } } as const;

  app.get(
    `${API_BASE}/customers/duplicates`,
    {
      schema: {
        tags,
        summary:
          'Probable duplicate customers for review, strongest first: each pair with its score (0–1), kind (exact: a shared phone, email or card), reasons and who the two are (people: name, phone, email, card, registration, purchases); merged profiles and dismissed pairs are left out; audited',
        security: bearer,
        querystring: z.object({ ...pageQuery(1000), threshold: z.coerce.number().min(0).max(1).optional() }),
        response: {
          200: z.array(
            z.object({
              customerIds: z.tuple([z.string(), z.string()]),
              score: z.number(),
              kind: z.enum(['exact', 'probable']),
              reasons: z.array(z.string()),
              people: z.array(customerSummarySchema),
            }),
          ),
          ...errors,
        },
      },
      config: { access: { permission: 'view_customer_data', scope: 'chain' } },
    },
    async (req, reply) => {
      const limit = req.query.limit ?? DUPLICATES_PAGE;
      const offset = req.query.offset ?? 0;
      const all = await duplicateQueue(
        db,
        req.query.threshold !== undefined ? { threshold: req.query.threshold } : {},
      );
      const page = all.slice(offset, offset + limit);
      await audit(req).record({
        action: 'customer.duplicates_reviewed',
        target: { type: 'customer_duplicates', id: `${offset}+${page.length}` },
        after: { pairs: page.map((p) => p.customerIds) },
      });
      pageHeaders(req, reply, {
        truncated: offset + limit < all.length,
        total: all.length,
        nextOffset: offset + limit,
        limit,
      });
      const who = await customerSummaries(db, [...new Set(page.flatMap((p) => p.customerIds))]);
      return page.map((p) => ({
        ...p,
        people: p.customerIds.flatMap((id) => {
          const s = who.get(id);
          return s ? [s] : [];
        }),
      }));
    },
  );

  app.post(
    `${API_BASE}/customers/duplicates/dismiss`,
    {
      schema: {
        tags,
        summary: 'A reviewer says a pair is two people: it leaves the duplicate queue for good; audited',
        security: bearer,
        body: z.object({
          customerIds: z.tuple([z.uuid(), z.uuid()]),
          reason: z.string().trim().max(200).optional(),
        }),
        response: { 200: z.object({ dismissed: z.boolean() }), ...errors },
      },
      config: merging,
    },
    async (req) =>
      db.transaction().execute(async (trx) => {
        const dismissed = await dismissDuplicate(trx, {
          customerIds: req.body.customerIds,
          actor: principalOf(req).actor,
          reason: req.body.reason,
        });
        await audit(req).record(
          {
            action: 'customer.duplicate_dismissed',
            target: { type: 'customer', id: req.body.customerIds.join('+') },
            after: req.body,
          },
          trx,
        );
        return { dismissed };
      }),
  );

  for (const [path, kind] of [
    ['merge', 'merged'],
    ['unmerge', 'unmerged'],
  ] as const)
    app.post(
      `${API_BASE}/customers/${path}`,
      {
        schema: {
          tags,
          summary:
            kind === 'merged'
              ? 'Merge mergedId into survivorId (one person): a customer.merged event; searches, lookups, purchase history, consents (the stricter wins) and loyalty points follow the survivor. Errors name the field: unknown id (404), self-merge, already merged, cycle (400); audited'
              : 'Undo the merge of mergedId into survivorId (which must be in force): a customer.unmerged event; both profiles, their history and points are restored; audited',
          security: bearer,
          body: decision,
          response: { 200: customerProfileSchema, ...errors },
        },
        config: merging,
      },
      async (req) => {
        const at = clock.now();
        const b = req.body;
        await db.transaction().execute(async (trx) => {
          const d = { ...b, actor: principalOf(req).actor };
          const e =
            kind === 'merged'
              ? await mergeCustomers(trx, appendToHqLog, d, at)
              : await unmergeCustomers(trx, appendToHqLog, d, at);
          await audit(req).record(
            {
              action: `customer.${kind}`,
              target: { type: 'customer', id: b.mergedId },
              after: { ...b, eventId: e.id },
              storeId: e.storeId,
            },
            trx,
          );
        });
        return (await customerProfile(db, b.survivorId, { withPersonal: false }))!;
      },
    );
};
