import { z } from 'zod';
import { audit, enrollTerminal, fromBody, type ScopeOf, terminalOf } from '../../access/index.ts';
import { catalogSnapshot } from '../../catalog/hq/index.ts';
import {
  API_BASE,
  catalogSnapshotSchema,
  enrollRequestSchema,
  enrollResponseSchema,
  seqRangeSchema,
} from '../../contracts/index.ts';
import { notFound } from '../../core/index.ts';
import {
  erasedCustomerIds,
  LOYALTY_PROGRAMME_ENTITY,
  readLoyaltyProgramme,
  tillCustomerChanges,
} from '../../customers/hq/index.ts';
import { seqCoverage } from '../../sync/hq/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

const syncStatusSchema = z.object({
  terminalId: z.string(),
  storeId: z.string().nullable(),
  heldUpTo: z.number().int(),
  maxSeq: z.number().int(),
  gaps: z.array(seqRangeSchema),
  lastSeenAt: z.string().nullable(),
  outbox: z
    .object({ pending: z.number().int(), oldestAgeSeconds: z.number(), reportedAt: z.string().nullable() })
    .nullable(),
});

/** The store of the terminal in the path (404 for an unknown one). */
export const terminalStore: ScopeOf = async (req, db) => {
  const { id } = req.params as { id: string };
  const t = await db.selectFrom('terminals').select('store_id').where('id', '=', id).executeTakeFirst();
  if (!t) throw notFound(`terminal ${id}`, 'id');
  return t.store_id ? { field: 'id', stores: [t.store_id] } : { field: 'id', stores: 'all' };
};

/**
 * Tills and HQ: a till pulls its store and catalog with its own token; head office enrolls tills and
 * reads one till's sync health (what HQ holds, what is missing, what the till still has to send).
 */
export const terminalRoutes: HqRoutes = (app, { db }) => {
  app.get(
    `${API_BASE}/terminal/catalog`,
    {
      schema: {
        summary:
          "The terminal's store and its catalog: whole, or only what changed since a cursor; with a page of the store's customers whose segment or consents changed since customersSince",
        security: bearer,
        querystring: z.object({
          since: z.string().optional(),
          customersSince: z
            .string()
            .max(80)
            .optional()
            .describe("the `customers.cursor` of the till's last pull: only customers changed after it"),
        }),
        response: { 200: catalogSnapshotSchema },
      },
      config: { access: 'terminal' },
    },
    async (req) => {
      const storeId = terminalOf(req).storeId;
      const snap = await catalogSnapshot(db, storeId, req.query.since, new Date(), {
        loyalty: { entity: LOYALTY_PROGRAMME_ENTITY, read: readLoyaltyProgramme },
      });
      // Erasures share the catalog cursor: a delta carries those after it, a whole catalog all of them.
      const after = snap.full ? undefined : Number(req.query.since?.split('.')[1]);
      const erased = await erasedCustomerIds(db, after);
      // Segments and consents keep their own cursor, so a long list is paged without holding the catalog.
      const customers = await tillCustomerChanges(db, storeId, req.query.customersSince);
      return { ...snap, ...(erased.length > 0 ? { erasedCustomers: erased } : {}), customers };
    },
  );

  app.post(
    `${API_BASE}/terminals`,
    {
      schema: {
        summary: 'Enroll a till for a store; the token is shown once',
        security: bearer,
        body: enrollRequestSchema,
        response: { 201: enrollResponseSchema },
      },
      config: { access: { permission: 'manage_stores', scope: fromBody('storeId') } },
    },
    async (req, reply) => {
      const enrolled = await enrollTerminal(db, req.body);
      req.log.info({ terminalId: enrolled.terminalId, storeId: enrolled.storeId }, 'terminal enrolled');
      const target = { type: 'terminal', id: enrolled.terminalId };
      await audit(req).record({
        action: 'device.enrolled',
        target,
        storeId: enrolled.storeId,
        after: req.body,
      });
      return reply.status(201).send(enrolled);
    },
  );

  app.get(
    `${API_BASE}/terminals/:id/sync`,
    {
      schema: {
        summary: "A till's sync health: what HQ holds, what is missing, what the till still has to send",
        security: bearer,
        params: z.object({ id: z.string() }),
        response: { 200: syncStatusSchema },
      },
      config: { access: { permission: 'view_reports', scope: terminalStore } },
    },
    async (req) => {
      const t = await db
        .selectFrom('terminals')
        .selectAll()
        .where('id', '=', req.params.id)
        .executeTakeFirst();
      if (!t) throw notFound(`terminal ${req.params.id}`, 'id');
      // From the stored mark: only the seqs above it are scanned.
      const coverage = await seqCoverage(db, t.id, t.held_up_to);
      return {
        terminalId: t.id,
        storeId: t.store_id,
        heldUpTo: coverage.heldUpTo,
        maxSeq: coverage.maxSeq,
        gaps: coverage.gaps,
        lastSeenAt: t.last_seen_at?.toISOString() ?? null,
        outbox:
          t.outbox_pending === null
            ? null
            : {
                pending: t.outbox_pending,
                oldestAgeSeconds: t.outbox_oldest_age_s ?? 0,
                reportedAt: t.outbox_reported_at?.toISOString() ?? null,
              },
      };
    },
  );
};
