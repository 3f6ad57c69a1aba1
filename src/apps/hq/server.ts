import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ensureAdminToken } from '../../access/admin.ts';
import { enrollTerminal } from '../../access/terminals.ts';
import { catalogSnapshot } from '../../catalog/snapshot.ts';
import { listStores } from '../../catalog/stores.ts';
import {
  API_PREFIX,
  catalogSnapshotSchema,
  enrollRequestSchema,
  enrollResponseSchema,
  seqRangeSchema,
  storeInfoSchema,
} from '../../contracts/wire.ts';
import { notFound } from '../../core/errors.ts';
import { type HqDb, type OpenHqDb, openHqDb } from '../../db/hq-db.ts';
import { startNightlyForecasts } from '../../intel/forecast/nightly.ts';
import { stockOnHand } from '../../inventory/stock-projection.ts';
import { llmConfigFromEnv } from '../../reports/briefing-llm.ts';
import { salesDaily } from '../../sales/facts-projection.ts';
import type { Backbone } from '../../sync/bus/backbone.ts';
import { inProcessBackbone } from '../../sync/bus/in-process.ts';
import { type NatsBusOptions, natsBackbone } from '../../sync/bus/nats.ts';
import { seqCoverage } from '../../sync/gaps.ts';
import { defaultIngestLimits, type IngestLimits, ingestLimitsFromEnv } from '../../sync/ingest-limits.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import { type App, createHttpApp } from '../shared/http.ts';
import { makePrivate } from '../shared/private-files.ts';
import { requireAdmin, requireTerminal, terminalOf } from './auth.ts';
import { registerAuthRoutes, requirePrincipal } from './auth-routes.ts';
import { registerCatalogRoutes } from './catalog-routes.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { registerIngestRoute } from './ingest-route.ts';
import { registerInventoryRoutes } from './inventory-routes.ts';
import { registerReplenishRoutes } from './replenish-routes.ts';
import { registerSalesRoutes } from './sales-routes.ts';
import { serveDashboard } from './static.ts';
import { registerStoredValueRoutes } from './stored-value-routes.ts';
import { registerSyncRoutes } from './sync-routes.ts';

const bearer = [{ bearer: [] }];

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

/**
 * HQ's HTTP API: the till-facing routes of the wire contract plus the first admin reads. Routes hold
 * no rules; they authenticate, call the module that owns the noun and shape the answer.
 */
export async function buildHqApp(opts: {
  db: HqDb;
  logger: Logger;
  adminToken?: string;
  /** Carries accepted events to the projections; an in-process bus without a timer when absent. */
  backbone?: Backbone;
  /** Bounds on till batches; the defaults when absent. */
  ingest?: IngestLimits;
}): Promise<App> {
  const { db, logger } = opts;
  const backbone = opts.backbone ?? inProcessBackbone(db, hqEventRegistry, { logger, pollMs: 0 });
  if (opts.adminToken) await ensureAdminToken(db, opts.adminToken);
  const app = await createHttpApp({
    title: 'Tally HQ',
    description: 'Head office: event ingest from tills, catalog deltas, stock and sales facts',
    logger,
  });
  const asTerminal = requireTerminal(db);
  const asAdmin = requireAdmin(db);

  registerIngestRoute(app, {
    db,
    backbone,
    registry: hqEventRegistry,
    asTerminal,
    limits: opts.ingest ?? defaultIngestLimits(),
  });

  app.get(
    `${API_PREFIX}/terminal/catalog`,
    {
      schema: {
        summary: "The terminal's store and its catalog: whole, or only what changed since a cursor",
        security: bearer,
        querystring: z.object({ since: z.string().optional() }),
        response: { 200: catalogSnapshotSchema },
      },
      onRequest: asTerminal,
    },
    async (req) => catalogSnapshot(db, terminalOf(req).storeId, req.query.since),
  );

  app.post(
    `${API_PREFIX}/terminals`,
    {
      schema: {
        summary: 'Enroll a till for a store; the token is shown once',
        security: bearer,
        body: enrollRequestSchema,
        response: { 201: enrollResponseSchema },
      },
      onRequest: asAdmin,
    },
    async (req, reply) => {
      const enrolled = await enrollTerminal(db, req.body);
      req.log.info({ terminalId: enrolled.terminalId, storeId: enrolled.storeId }, 'terminal enrolled');
      return reply.status(201).send(enrolled);
    },
  );

  app.get(
    `${API_PREFIX}/terminals/:id/sync`,
    {
      schema: {
        summary: "A till's sync health: what HQ holds, what is missing, what the till still has to send",
        security: bearer,
        params: z.object({ id: z.string() }),
        response: { 200: syncStatusSchema },
      },
      onRequest: asAdmin,
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

  app.get(
    `${API_PREFIX}/stores`,
    {
      schema: { summary: 'Stores', security: bearer, response: { 200: z.array(storeInfoSchema) } },
      onRequest: asAdmin,
    },
    async () => listStores(db),
  );

  app.get(
    `${API_PREFIX}/stock`,
    {
      schema: {
        summary: 'Stock on hand by store and SKU, projected from the event log',
        security: bearer,
        querystring: z.object({
          store: z.string().optional(),
          sku: z.string().optional(),
          limit: z.coerce.number().int().positive().max(100_000).optional(),
        }),
        response: { 200: z.array(stockRowSchema) },
      },
      onRequest: asAdmin,
    },
    async (req) => stockOnHand(db, { storeId: req.query.store, sku: req.query.sku, limit: req.query.limit }),
  );

  app.get(
    `${API_PREFIX}/sales/daily`,
    {
      schema: {
        summary: 'Daily sales facts per business date, store and SKU',
        security: bearer,
        querystring: z.object({
          store: z.string().optional(),
          sku: z.string().optional(),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
          limit: z.coerce.number().int().positive().max(100_000).optional(),
        }),
        response: { 200: z.array(salesDailyRowSchema) },
      },
      onRequest: asAdmin,
    },
    async (req) =>
      salesDaily(db, {
        storeId: req.query.store,
        sku: req.query.sku,
        from: req.query.from,
        to: req.query.to,
        limit: req.query.limit,
      }),
  );

  registerSyncRoutes(app, { db, backbone, onRequest: asAdmin });
  registerSalesRoutes(app, { db, onRequest: asAdmin });
  registerInventoryRoutes(app, { db });
  registerCatalogRoutes(app, db);
  registerReplenishRoutes(app, db, requirePrincipal(db));
  registerAuthRoutes(app, db);
  registerDashboardRoutes(app, db, { logger, llm: llmConfigFromEnv() });
  await serveDashboard(app, { logger });
  registerStoredValueRoutes(app, { db, asTerminal, asAdmin });
  (await import('./terminal-sync-routes.ts')).registerTerminalSyncRoutes(app, { db, asTerminal });
  return app;
}

export interface StartHqOptions {
  /** PGlite data folder (ignored with dbUrl); neither means an in-memory database. */
  dataDir?: string;
  dbUrl?: string;
  /** PostgreSQL schema (search_path) to keep this HQ apart from others in one database, as tests do. */
  schema?: string;
  port: number;
  host?: string;
  logger: Logger;
  /** Sets the admin token (else TALLY_ADMIN_TOKEN, else one is made on first start). */
  adminToken?: string;
  /** Publish accepted events to NATS JetStream and project from a durable consumer; else in-process. */
  nats?: Omit<NatsBusOptions, 'logger'>;
  /** Nightly forecast refresh at this local 'HH:MM', or 'off' (else $TALLY_FORECAST_NIGHTLY, else 02:00). */
  forecastNightly?: string;
  /** Bounds on till batches (else $TALLY_INGEST_MAX_EVENTS / $TALLY_INGEST_MAX_BYTES, else the defaults). */
  ingest?: IngestLimits;
}

export interface RunningHq {
  url: string;
  app: App;
  db: HqDb;
  kind: OpenHqDb['kind'];
  backbone: Backbone;
  /**
   * The admin token when it was given or has just been created; undefined on later starts, when HQ
   * holds only its hash. Print or save it the first time.
   */
  adminToken: string | undefined;
  close(): Promise<void>;
}

/** Opens the database, makes sure there is an admin token, and serves the API. */
export async function startHq(opts: StartHqOptions): Promise<RunningHq> {
  // PGlite's folder holds every customer and the admin token's neighbour: owner-only, tightened at start.
  if (opts.dataDir) makePrivate(opts.dataDir, opts.logger, 'all');
  const opened = await openHqDb({
    url: opts.dbUrl,
    dataDir: opts.dataDir,
    schema: opts.schema,
    logger: opts.logger,
  });
  // PGlite creates its files 0666: owner-only they become, inside a folder no one else may enter.
  if (opts.dataDir) makePrivate(opts.dataDir, opts.logger, 'all');
  let backbone: Backbone | undefined;
  try {
    const admin = await ensureAdminToken(opened.db, opts.adminToken ?? process.env.TALLY_ADMIN_TOKEN);
    if (admin.created) opts.logger.info('admin token created');
    backbone = opts.nats
      ? natsBackbone(opened.db, hqEventRegistry, { ...opts.nats, logger: opts.logger })
      : inProcessBackbone(opened.db, hqEventRegistry, { logger: opts.logger });
    const app = await buildHqApp({
      db: opened.db,
      logger: opts.logger,
      backbone,
      ingest: opts.ingest ?? ingestLimitsFromEnv(),
    });
    await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' });
    const addr = app.server.address() as AddressInfo;
    const wildcard = addr.address === '0.0.0.0' || addr.address === '::';
    const host = wildcard ? 'localhost' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    const url = `http://${host}:${addr.port}`;
    opts.logger.info({ url, db: opened.kind, bus: backbone.kind }, 'listening');
    const nightly = startNightlyForecasts(opened.db, {
      logger: opts.logger,
      ...(opts.forecastNightly ? { at: opts.forecastNightly } : {}),
    });
    return {
      url,
      app,
      db: opened.db,
      kind: opened.kind,
      backbone,
      adminToken: admin.token,
      close: async () => {
        await nightly.stop();
        await app.close();
        await backbone?.close();
        await opened.close();
        if (opts.dataDir) makePrivate(opts.dataDir, opts.logger, 'all');
      },
    };
  } catch (err) {
    await backbone?.close().catch(() => undefined);
    await opened.close();
    throw err;
  }
}
