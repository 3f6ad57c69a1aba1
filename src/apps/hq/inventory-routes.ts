import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit, fromBody, fromQuery, listedStores, principalOf, type ScopeOf } from '../../access/index.ts';
import type { Permission } from '../../contracts/index.ts';
import { API_BASE } from '../../contracts/index.ts';
import {
  AvailabilityFeed,
  adjustStock,
  availability,
  confirmReservation,
  getException,
  getReservation,
  getTransfer,
  type InventoryDeps,
  listExceptions,
  listMovements,
  postCount,
  receiveFromSupplier,
  receiveTransfer,
  releaseReservation,
  reserve,
  reviewException,
  shipTransfer,
  shrinkage,
  sweepExpiredReservations,
  writeOffStock,
} from '../../inventory/hq/index.ts';
import { ADJUSTMENT_REASONS, WRITE_OFF_REASONS } from '../../inventory/index.ts';
import { appendToHqLog } from '../shared/event-registry.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';
import { pageQuery, rowsToFetch, sendPage } from './list-page.ts';

const P = `${API_BASE}/inventory`;

/** The stores a read covers: the one asked for (checked by the declaration), else all the caller reads. */
function readStores(req: FastifyRequest, asked: string | undefined): string[] | undefined {
  const stores = listedStores(principalOf(req), 'view_reports', asked);
  return stores === 'all' ? undefined : [...stores];
}

const idOf = (req: FastifyRequest): string => (req.params as { id: string }).id;

const sku = z.string().min(1);
const lineSchema = z.object({ sku, qty: z.number().int().positive() });
const availabilitySchema = z.object({
  storeId: z.string(),
  sku: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  inTransitIn: z.number().int(),
  inTransitOut: z.number().int(),
  avgCostMinor: z.number().int().nullable(),
  version: z.number().int(),
});
const reservationSchema = z.object({
  reservationId: z.string(),
  storeId: z.string(),
  orderId: z.string().nullable(),
  status: z.enum(['active', 'confirmed', 'released', 'expired']),
  expiresAt: z.string(),
  createdAt: z.string(),
  lines: z.array(lineSchema),
});
const transferSchema = z.object({
  transferId: z.string(),
  fromStoreId: z.string(),
  toStoreId: z.string(),
  closed: z.boolean(),
  lines: z.array(
    z.object({
      sku: z.string(),
      shipped: z.number().int(),
      received: z.number().int(),
      inTransit: z.number().int(),
      discrepancy: z.number().int().nullable(),
    }),
  ),
});
const exceptionSchema = z.object({
  exceptionId: z.string(),
  storeId: z.string(),
  sku: z.string(),
  lowestOnHand: z.number().int(),
  events: z.number().int(),
  raisedAt: z.string(),
  status: z.enum(['open', 'reviewed']),
  reviewedAt: z.string().nullable(),
  note: z.string().nullable(),
});
const countResultSchema = z.object({
  countId: z.string(),
  storeId: z.string(),
  kind: z.enum(['full', 'cycle']),
  freezeAt: z.string(),
  posted: z.boolean(),
  lines: z.array(
    z.object({
      sku: z.string(),
      countedQty: z.number().int(),
      expectedQty: z.number().int(),
      variance: z.number().int(),
      unitCostMinor: z.number().int(),
      valueMinor: z.number().int(),
    }),
  ),
  shrinkValueMinor: z.number().int(),
  gainValueMinor: z.number().int(),
});
const idParams = z.object({ id: z.string().min(1).max(100) });

const page = pageQuery(100_000);
/** The rows a list sends when the caller names no limit; more are one `Link: rel="next"` away. */
const AVAILABILITY_PAGE = 10_000;
const EXCEPTIONS_PAGE = 1_000;
const MOVEMENTS_PAGE = 1_000;

/** How often expired reservations are released in the background. */
const SWEEP_INTERVAL_MS = 15_000;

/**
 * The inventory API: public availability and reservations for an online shop, a server-sent stream
 * of availability changes, and HQ's transfers, supplier receipts, counts, adjustments, write-offs,
 * shrinkage and negative-stock review. Every route declares its permission (reads view_reports, stock
 * work adjust/receive/transfer/count_stock) and the store it acts on; a till's token acts for its store.
 */
export const inventoryRoutes: HqRoutes = (app, { db }) => {
  const deps: InventoryDeps = { db, append: appendToHqLog };
  const reads = { access: { permission: 'view_reports', scope: fromQuery('store') } } as const;
  const atBodyStore = (permission: Permission, field = 'storeId') => ({
    access: { permission, scope: fromBody(field) },
  });
  /** The store of a stored reservation, transfer end or exception (404 when there is none). */
  const reservationStore: ScopeOf = async (req) => ({
    field: 'reservationId',
    stores: [(await getReservation(deps, idOf(req))).storeId],
  });
  const transferEnds =
    (end: 'either' | 'to'): ScopeOf =>
    async (req) => {
      const t = await getTransfer(deps, idOf(req));
      return end === 'to'
        ? { field: 'transferId', stores: [t.toStoreId] }
        : { field: 'transferId', stores: [t.toStoreId, t.fromStoreId], any: true };
    };
  const exceptionStore: ScopeOf = async (req) => ({
    field: 'exceptionId',
    stores: [(await getException(db, idOf(req))).storeId],
  });
  const feed = new AvailabilityFeed(db, {
    onError: (err) => app.log.warn({ err }, 'availability stream poll failed'),
  });

  const timer = setInterval(() => {
    sweepExpiredReservations(deps)
      .then((n) => n > 0 && app.log.info({ released: n }, 'expired reservations released'))
      .catch((err) => app.log.warn({ err }, 'reservation sweep failed'));
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
  app.addHook('onClose', async () => feed.stop());

  app.get(
    `${P}/availability`,
    {
      schema: {
        summary:
          'On hand, reserved, available and in transit by store and SKU (expired reservations never count)',
        security: bearer,
        querystring: z.object({ store: z.string().optional(), sku: sku.optional(), ...page }),
        response: { 200: z.array(availabilitySchema) },
      },
      config: reads,
    },
    async (req, reply) => {
      const rows = await availability(db, {
        storeIds: readStores(req, req.query.store),
        sku: req.query.sku,
        limit: rowsToFetch(req.query, AVAILABILITY_PAGE),
      });
      return sendPage(req, reply, rows, req.query, AVAILABILITY_PAGE);
    },
  );

  app.post(
    `${P}/reservations`,
    {
      schema: {
        summary: 'Hold stock for an order, all lines or none; 409 names the line that is short',
        security: bearer,
        body: z.object({
          storeId: z.string().min(1),
          lines: z.array(lineSchema).min(1).max(500),
          orderId: z.string().min(1).max(100).optional(),
          reservationId: z.string().min(1).max(100).optional(),
          ttlSeconds: z.number().int().positive().max(604_800).optional(),
        }),
        response: { 201: reservationSchema },
      },
      config: atBodyStore('adjust_stock'),
    },
    async (req, reply) => reply.status(201).send(await reserve(deps, req.body)),
  );

  app.get(
    `${P}/reservations/:id`,
    {
      schema: {
        summary: 'A reservation as of now',
        security: bearer,
        params: idParams,
        response: { 200: reservationSchema },
      },
      config: { access: { permission: 'view_reports', scope: reservationStore } },
    },
    async (req) => getReservation(deps, req.params.id),
  );

  const reservationActions = [
    {
      action: 'confirm',
      summary: 'Turn a reservation into a committed decrement of on hand (409 once expired or released)',
      run: confirmReservation,
    },
    { action: 'release', summary: 'Give reserved stock back (an order cancelled)', run: releaseReservation },
  ] as const;
  for (const { action, summary, run } of reservationActions) {
    app.post(
      `${P}/reservations/:id/${action}`,
      {
        schema: { summary, security: bearer, params: idParams, response: { 200: reservationSchema } },
        config: { access: { permission: 'adjust_stock', scope: reservationStore } },
      },
      async (req) => run(deps, req.params.id),
    );
  }

  app.get(
    `${P}/stream`,
    {
      schema: {
        summary:
          'Server-sent events: `availability` events carry the changed rows (same shape as GET /availability)',
        security: bearer,
        querystring: z.object({ store: z.string().optional(), sku: sku.optional() }),
      },
      config: reads,
    },
    async (req, reply) => {
      const storeIds = readStores(req, req.query.store);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      const unsubscribe = await feed.subscribe({ storeIds, sku: req.query.sku }, (rows) => {
        const last = rows.reduce((m, r) => Math.max(m, r.version), 0);
        res.write(`id: ${last}\nevent: availability\ndata: ${JSON.stringify(rows)}\n\n`);
      });
      // Says the stream is live (changes from here on will arrive), and keeps proxies from closing it.
      res.write(': ready\n\n');
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      heartbeat.unref();
      req.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
  );

  app.post(
    `${P}/transfers`,
    {
      schema: {
        summary: 'Ship stock to another store: it leaves on hand and is in transit until received',
        security: bearer,
        body: z.object({
          fromStoreId: z.string().min(1),
          toStoreId: z.string().min(1),
          lines: z.array(lineSchema).min(1).max(2_000),
          transferId: z.string().min(1).max(100).optional(),
        }),
        response: { 201: transferSchema },
      },
      config: atBodyStore('transfer_stock', 'fromStoreId'),
    },
    async (req, reply) => {
      const t = await shipTransfer(deps, req.body);
      await audit(req).record({
        action: 'inventory.transfer_shipped',
        target: { type: 'transfer', id: t.transferId },
        storeId: t.fromStoreId,
        after: t,
      });
      return reply.status(201).send(t);
    },
  );

  app.get(
    `${P}/transfers/:id`,
    {
      schema: {
        summary: 'A transfer: shipped, received, in transit and (once closed) the discrepancy per SKU',
        security: bearer,
        params: idParams,
        response: { 200: transferSchema },
      },
      config: { access: { permission: 'view_reports', scope: transferEnds('either') } },
    },
    async (req) => getTransfer(deps, req.params.id),
  );

  app.post(
    `${P}/transfers/:id/receipts`,
    {
      schema: {
        summary: 'Book what arrived (partial receipts allowed); `final` closes the transfer',
        security: bearer,
        params: idParams,
        body: z.object({
          lines: z.array(z.object({ sku, qty: z.number().int().nonnegative() })).max(2_000),
          final: z.boolean().optional(),
        }),
        response: { 200: transferSchema },
      },
      config: { access: { permission: 'receive_stock', scope: transferEnds('to') } },
    },
    async (req) => {
      const before = await getTransfer(deps, req.params.id);
      const after = await receiveTransfer(deps, req.params.id, req.body);
      await audit(req).record({
        action: 'inventory.transfer_received',
        target: { type: 'transfer', id: after.transferId },
        storeId: after.toStoreId,
        before,
        after,
      });
      return after;
    },
  );

  app.post(
    `${P}/receipts`,
    {
      schema: {
        summary: 'Book a delivery from a supplier, with the unit cost that feeds the moving-average cost',
        security: bearer,
        body: z.object({
          storeId: z.string().min(1),
          supplier: z.string().min(1).max(200),
          reference: z.string().min(1).max(100).optional(),
          lines: z
            .array(lineSchema.extend({ unitCostMinor: z.number().int().nonnegative() }))
            .min(1)
            .max(2_000),
        }),
        response: { 201: z.object({ events: z.number().int() }) },
      },
      config: atBodyStore('receive_stock'),
    },
    async (req, reply) => reply.status(201).send(await receiveFromSupplier(deps, req.body)),
  );

  app.post(
    `${P}/adjustments`,
    {
      schema: {
        summary: 'Correct on hand up or down with a reason (shrinkage goes through write-offs)',
        security: bearer,
        body: z.object({
          storeId: z.string().min(1),
          sku,
          qty: z
            .number()
            .int()
            .refine((n) => n !== 0, 'must not be zero'),
          reason: z.enum(ADJUSTMENT_REASONS),
          note: z.string().max(500).optional(),
        }),
        response: { 201: z.object({ onHand: z.number().int() }) },
      },
      config: atBodyStore('adjust_stock'),
    },
    async (req, reply) => {
      const r = await adjustStock(deps, req.body);
      const { storeId, sku, qty, reason } = req.body;
      await audit(req).record({
        action: 'inventory.stock_adjusted',
        target: { type: 'product', id: sku },
        storeId,
        before: { onHand: r.onHand - qty },
        after: { onHand: r.onHand, qty, note: req.body.note },
        reason,
      });
      return reply.status(201).send(r);
    },
  );

  app.post(
    `${P}/write-offs`,
    {
      schema: {
        summary: 'Write units off as shrinkage, valued at the moving-average cost',
        security: bearer,
        body: z.object({
          storeId: z.string().min(1),
          sku,
          qty: z.number().int().positive(),
          reason: z.enum(WRITE_OFF_REASONS),
          note: z.string().max(500).optional(),
        }),
        response: { 201: z.object({ onHand: z.number().int(), valueMinor: z.number().int() }) },
      },
      config: atBodyStore('adjust_stock'),
    },
    async (req, reply) => {
      const r = await writeOffStock(deps, req.body);
      const { storeId, sku, qty, reason } = req.body;
      await audit(req).record({
        action: 'inventory.written_off',
        target: { type: 'product', id: sku },
        storeId,
        before: { onHand: r.onHand + qty },
        after: { ...r, qty, note: req.body.note },
        reason,
      });
      return reply.status(201).send(r);
    },
  );

  app.post(
    `${P}/counts`,
    {
      schema: {
        summary:
          'Post a full or cycle count against the ledger at its freeze time; losses are shrinkage at cost. `dryRun` previews',
        security: bearer,
        body: z.object({
          storeId: z.string().min(1),
          kind: z.enum(['full', 'cycle']),
          freezeAt: z.iso.datetime({ offset: true }).optional(),
          lines: z.array(z.object({ sku, countedQty: z.number().int().nonnegative() })).max(100_000),
          countId: z.string().min(1).max(100).optional(),
          dryRun: z.boolean().optional(),
        }),
        response: { 200: countResultSchema, 201: countResultSchema },
      },
      config: atBodyStore('count_stock'),
    },
    async (req, reply) => {
      const result = await postCount(deps, req.body);
      return reply.status(result.posted ? 201 : 200).send(result);
    },
  );

  app.get(
    `${P}/exceptions`,
    {
      schema: {
        summary: 'Negative stock raised by till sales, for review',
        security: bearer,
        querystring: z.object({
          store: z.string().optional(),
          status: z.enum(['open', 'reviewed']).optional(),
          ...page,
        }),
        response: { 200: z.array(exceptionSchema) },
      },
      config: reads,
    },
    async (req, reply) => {
      const rows = await listExceptions(db, {
        storeIds: readStores(req, req.query.store),
        status: req.query.status,
        limit: rowsToFetch(req.query, EXCEPTIONS_PAGE),
      });
      return sendPage(req, reply, rows, req.query, EXCEPTIONS_PAGE);
    },
  );

  app.post(
    `${P}/exceptions/:id/review`,
    {
      schema: {
        summary: 'Mark a negative-stock exception reviewed, with a note',
        security: bearer,
        params: idParams,
        body: z.object({ note: z.string().max(500).default('') }),
        response: { 200: exceptionSchema },
      },
      config: { access: { permission: 'adjust_stock', scope: exceptionStore } },
    },
    async (req) => reviewException(deps, req.params.id, req.body.note),
  );

  app.get(
    `${P}/shrinkage`,
    {
      schema: {
        summary: 'Units lost (write-offs and count losses) and their value at cost, by store and SKU',
        security: bearer,
        querystring: z.object({
          store: z.string().optional(),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
        }),
        response: {
          200: z.array(
            z.object({
              storeId: z.string(),
              sku: z.string(),
              units: z.number().int(),
              valueMinor: z.number().int(),
            }),
          ),
        },
      },
      config: reads,
    },
    async (req) =>
      shrinkage(db, { storeIds: readStores(req, req.query.store), from: req.query.from, to: req.query.to }),
  );

  app.get(
    `${P}/movements`,
    {
      schema: {
        summary: 'The movements behind the levels, newest first',
        security: bearer,
        querystring: z.object({ store: z.string().optional(), sku: sku.optional(), ...page }),
        response: {
          200: z.array(
            z.object({
              eventId: z.string(),
              lineNo: z.number().int(),
              storeId: z.string(),
              sku: z.string(),
              kind: z.string(),
              onHand: z.number().int(),
              reserved: z.number().int(),
              inTransitIn: z.number().int(),
              inTransitOut: z.number().int(),
              unitCostMinor: z.number().int().nullable(),
              valueMinor: z.number().int().nullable(),
              reason: z.string().nullable(),
              ref: z.string().nullable(),
              occurredAt: z.string(),
            }),
          ),
        },
      },
      config: reads,
    },
    async (req, reply) => {
      const rows = await listMovements(db, {
        storeIds: readStores(req, req.query.store),
        sku: req.query.sku,
        limit: rowsToFetch(req.query, MOVEMENTS_PAGE),
      });
      return sendPage(req, reply, rows, req.query, MOVEMENTS_PAGE);
    },
  );
};
