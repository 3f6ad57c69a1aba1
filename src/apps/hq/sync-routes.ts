import { z } from 'zod';
import { fromParams, fromQuery, listedStores, principalOf } from '../../access/index.ts';
import { API_BASE } from '../../contracts/index.ts';
import { notFound } from '../../core/index.ts';
import { inventoryDb, parkedTillCounts } from '../../inventory/hq/index.ts';
import {
  listConflicts,
  listQuarantine,
  quarantinedEventSchema,
  storeSyncFigures,
  storeSyncFiguresSchema,
  syncConflictSchema,
} from '../../sync/hq/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';
import { pageQuery, rowsToFetch, sendPage } from './list-page.ts';

const backboneStatusSchema = z.object({
  kind: z.enum(['in-process', 'nats']),
  outbox: z.number().int(),
  unprojected: z.number().int(),
  connected: z.boolean(),
  projected: z.number().int(),
  published: z.number().int(),
  lastError: z.string().nullable(),
  stream: z.string().optional(),
  subjects: z.string().optional(),
});

/** Counts taken at tills that wait for earlier events of their till before HQ can value them. */
const parkedSchema = z.array(
  z.object({
    eventId: z.string(),
    terminalId: z.string(),
    seq: z.number().int(),
    storeId: z.string(),
    reason: z.string(),
  }),
);

const daysQuery = z.object({ days: z.coerce.number().int().positive().max(366).optional() });

const refusedQuery = z.object({
  store: z.string().optional(),
  terminal: z.string().optional(),
  ...pageQuery(5_000),
});
/** Refused events a list sends when the caller names no limit. */
const REFUSED_PAGE = 500;
const refusedFilter = (q: z.infer<typeof refusedQuery>, stores: readonly string[] | 'all') => ({
  ...(stores === 'all' ? {} : { storeIds: [...stores] }),
  terminalId: q.terminal,
  limit: rowsToFetch(q, REFUSED_PAGE),
});

/**
 * Sync health for head office: the backbone, per store lag, unsent events and bytes per day, the
 * till counts parked until the events before them arrive, and the till events HQ refused (conflicts)
 * or set aside (quarantine), so none of them is lost from sight.
 */
export const syncRoutes: HqRoutes = (app, { db, backbone }) => {
  app.get(
    `${API_BASE}/sync/status`,
    {
      schema: {
        summary: 'The event backbone (outbox, projection backlog) and every store’s sync figures',
        security: bearer,
        querystring: daysQuery,
        response: {
          200: z.object({
            backbone: backboneStatusSchema,
            stores: z.array(storeSyncFiguresSchema),
            parkedCounts: parkedSchema,
          }),
        },
      },
      // The backbone and every store: head office's view.
      config: { access: { permission: 'view_reports', scope: 'chain' } },
    },
    async (req) => ({
      backbone: await backbone.status(),
      stores: await storeSyncFigures(db, { days: req.query.days }),
      parkedCounts: await parkedTillCounts(inventoryDb(db)),
    }),
  );

  app.get(
    `${API_BASE}/sync/stores/:storeId`,
    {
      schema: {
        summary: 'One store’s sync lag, unsent events reported by its tills and bytes received per day',
        security: bearer,
        params: z.object({ storeId: z.string() }),
        querystring: daysQuery,
        response: { 200: storeSyncFiguresSchema },
      },
      config: { access: { permission: 'view_reports', scope: fromParams('storeId') } },
    },
    async (req) => {
      const [figures] = await storeSyncFigures(db, { storeId: req.params.storeId, days: req.query.days });
      if (!figures) throw notFound(`store ${req.params.storeId}`, 'storeId');
      return figures;
    },
  );

  app.get(
    `${API_BASE}/sync/conflicts`,
    {
      schema: {
        summary:
          'Till events HQ refused because it holds another event under their seq or id, with both events',
        security: bearer,
        querystring: refusedQuery,
        response: { 200: z.array(syncConflictSchema) },
      },
      config: { access: { permission: 'view_reports', scope: fromQuery('store') } },
    },
    async (req, reply) => {
      const stores = listedStores(principalOf(req), 'view_reports', req.query.store);
      const rows = await listConflicts(db, refusedFilter(req.query, stores));
      return sendPage(req, reply, rows, req.query, REFUSED_PAGE);
    },
  );

  app.get(
    `${API_BASE}/sync/quarantine`,
    {
      schema: {
        summary: 'Till events HQ keeps aside because they broke its rules, with the field and the reason',
        security: bearer,
        querystring: refusedQuery,
        response: { 200: z.array(quarantinedEventSchema) },
      },
      config: { access: { permission: 'view_reports', scope: fromQuery('store') } },
    },
    async (req, reply) => {
      const stores = listedStores(principalOf(req), 'view_reports', req.query.store);
      const rows = await listQuarantine(db, refusedFilter(req.query, stores));
      return sendPage(req, reply, rows, req.query, REFUSED_PAGE);
    },
  );
};
