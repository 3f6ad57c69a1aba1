import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import {
  auditRequests,
  disableAdminToken,
  ensureAdminToken,
  installRouteAccess,
} from '../../access/index.ts';
import { type Clock, systemClock } from '../../core/index.ts';
import { startIdentifierReindex } from '../../customers/hq/index.ts';
import { type HqDb, type OpenHqDb, openHqDb, recordFolderUrl } from '../../db/index.ts';
import { startNightlyCustomerScores } from '../../intel/customers/hq/index.ts';
import { startNightlyForecasts } from '../../intel/forecast/index.ts';
import type { LlmConfig } from '../../reports/index.ts';
import type { Backbone } from '../../sync/hq/index.ts';
import {
  defaultIngestLimits,
  type IngestLimits,
  inProcessBackbone,
  type NatsBusOptions,
  natsBackbone,
} from '../../sync/hq/index.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import { hqMigrations } from '../shared/hq-migrations.ts';
import { type App, createHttpApp, type TlsFiles } from '../shared/http.ts';
import { makePrivate } from '../shared/private-files.ts';
import { auditRoutes } from './audit-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { catalogRoutes } from './catalog-routes.ts';
import { customerIdentityRoutes } from './customer-identity-routes.ts';
import { customerIntelRoutes } from './customer-intel-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { deviceRoutes } from './device-routes.ts';
import { factsRoutes } from './facts-routes.ts';
import type { HqRouteDeps, HqRoutes } from './hq-routes.ts';
import { importRoutes } from './import-routes.ts';
import { ingestRoute } from './ingest-route.ts';
import { inventoryRoutes } from './inventory-routes.ts';
import { listHeaders } from './list-page.ts';
import { loyaltyRoutes } from './loyalty-routes.ts';
import { peopleLifecycleRoutes } from './people-lifecycle-routes.ts';
import { pricebookRoutes } from './pricebook-routes.ts';
import { productRoutes } from './product-routes.ts';
import { promotionUseRoutes } from './promotion-use-routes.ts';
import { replenishRoutes } from './replenish-routes.ts';
import { salesRoutes } from './sales-routes.ts';
import { dashboardScreen } from './static.ts';
import { storedValueRoutes } from './stored-value-routes.ts';
import { storesRoutes } from './stores-routes.ts';
import { syncRoutes } from './sync-routes.ts';
import { terminalRoutes } from './terminal-routes.ts';
import { terminalSyncRoutes } from './terminal-sync-routes.ts';
import { usersRoutes } from './users-routes.ts';

/**
 * Every route file of HQ, in the order /openapi.json lists them. Each is an `HqRoutes` given the same
 * deps; what a route needs is declared on the route itself (`config.access`), and one hook decides.
 */
export const HQ_ROUTES: readonly HqRoutes[] = [
  ingestRoute,
  terminalRoutes,
  factsRoutes,
  syncRoutes,
  salesRoutes,
  inventoryRoutes,
  catalogRoutes,
  importRoutes,
  pricebookRoutes,
  productRoutes,
  replenishRoutes,
  authRoutes,
  dashboardRoutes,
  dashboardScreen,
  storedValueRoutes,
  loyaltyRoutes,
  terminalSyncRoutes,
  usersRoutes,
  peopleLifecycleRoutes,
  deviceRoutes,
  storesRoutes,
  customerRoutes,
  customerIntelRoutes,
  customerIdentityRoutes,
  auditRoutes,
  promotionUseRoutes,
];

/**
 * HQ's HTTP API: the till-facing routes of the wire contract, head office's reads and commands, and
 * the dashboard. Routes hold no rules; they admit the caller, call the module that owns the noun and
 * shape the answer.
 */
export async function buildHqApp(opts: {
  db: HqDb;
  logger: Logger;
  adminToken?: string;
  /** Carries accepted events to the projections; an in-process bus without a timer when absent. */
  backbone?: Backbone;
  /** Bounds on till batches; the defaults when absent. */
  ingest?: IngestLimits;
  /** The LLM that may rephrase the morning briefing; the template alone when absent. */
  llm?: LlmConfig | undefined;
  /** Serve HTTPS with this certificate (session cookies are then Secure); plain HTTP when absent. */
  tls?: TlsFiles;
  /** "Now" for time-of-day answers; the system clock when absent (tests fix it). */
  clock?: Clock;
}): Promise<App> {
  const { db, logger } = opts;
  if (opts.adminToken) await ensureAdminToken(db, opts.adminToken);
  const app = await createHttpApp({
    title: 'Tally HQ',
    description: 'Head office: event ingest from tills, catalog deltas, stock and sales facts',
    logger,
    ...(opts.tls ? { tls: opts.tls } : {}),
  });
  // Before any route, so a route without a declaration stops HQ here (access/route-access.ts).
  installRouteAccess(app, db);
  const deps: HqRouteDeps = {
    db,
    logger,
    backbone: opts.backbone ?? inProcessBackbone(db, hqEventRegistry, { logger, pollMs: 0 }),
    registry: hqEventRegistry,
    ingest: opts.ingest ?? defaultIngestLimits(),
    llm: opts.llm,
    clock: opts.clock ?? systemClock,
  };
  auditRequests(app, db);
  listHeaders(app);
  for (const routes of HQ_ROUTES) await routes(app, deps);
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
  /** Sets the admin token (the CLI passes TALLY_ADMIN_TOKEN); else one is made on first start. */
  adminToken?: string;
  /** Turns the admin token off for good before serving (`--disable-admin-token`, TALLY_DISABLE_ADMIN_TOKEN). */
  disableAdminToken?: boolean;
  /** Publish accepted events to NATS JetStream and project from a durable consumer; else in-process. */
  nats?: Omit<NatsBusOptions, 'logger'>;
  /** Nightly forecast refresh at this local 'HH:MM', or 'off' (the CLI passes TALLY_FORECAST_NIGHTLY); else 02:00. */
  forecastNightly?: string;
  /** Nightly customer scoring at this local 'HH:MM', or 'off' (the CLI passes TALLY_CUSTOMERS_NIGHTLY); else 03:00. */
  customersNightly?: string;
  /** Bounds on till batches (the CLI passes TALLY_INGEST_MAX_*); else the defaults. */
  ingest?: IngestLimits;
  /** The briefing's LLM (the CLI passes TALLY_LLM_*); else the template alone. */
  llm?: LlmConfig | undefined;
  /** Serve HTTPS (the CLI passes --tls-cert/--tls-key or TALLY_TLS_*); else plain HTTP. */
  tls?: TlsFiles;
  /** "Now" for time-of-day answers; the system clock when absent (tests fix it). */
  clock?: Clock;
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
    migrations: hqMigrations,
    url: opts.dbUrl,
    dataDir: opts.dataDir,
    schema: opts.schema,
    logger: opts.logger,
  });
  // PGlite creates its files 0666: owner-only they become, inside a folder no one else may enter.
  if (opts.dataDir) makePrivate(opts.dataDir, opts.logger, 'all');
  let backbone: Backbone | undefined;
  try {
    if (opts.disableAdminToken && (await disableAdminToken(opened.db)).already === false)
      opts.logger.warn('admin token disabled for good');
    const admin = await ensureAdminToken(opened.db, opts.adminToken);
    if (admin.created) opts.logger.info('admin token created');
    if (admin.disabled && opts.adminToken)
      opts.logger.warn('admin token is disabled; the one given is ignored');
    backbone = opts.nats
      ? natsBackbone(opened.db, hqEventRegistry, { ...opts.nats, logger: opts.logger })
      : inProcessBackbone(opened.db, hqEventRegistry, { logger: opts.logger });
    const app = await buildHqApp({
      db: opened.db,
      logger: opts.logger,
      backbone,
      ingest: opts.ingest ?? defaultIngestLimits(),
      llm: opts.llm,
      ...(opts.tls ? { tls: opts.tls } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' });
    const addr = app.server.address() as AddressInfo;
    const wildcard = addr.address === '0.0.0.0' || addr.address === '::';
    const host = wildcard ? 'localhost' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    const url = `${opts.tls ? 'https' : 'http'}://${host}:${addr.port}`;
    opts.logger.info({ url, db: opened.kind, bus: backbone.kind }, 'listening');
    // A CLI command meeting the folder lock learns where to send its work instead.
    if (opts.dataDir && !opts.dbUrl) recordFolderUrl(opts.dataDir, url);
    const nightly = startNightlyForecasts(opened.db, {
      logger: opts.logger,
      ...(opts.forecastNightly ? { at: opts.forecastNightly } : {}),
    });
    // Profiles indexed before phones were E.164 (once per HQ; searches try both forms meanwhile).
    const reindex = startIdentifierReindex(opened.db, opts.logger);
    const customersNightly = startNightlyCustomerScores(opened.db, {
      logger: opts.logger,
      ...(opts.customersNightly ? { at: opts.customersNightly } : {}),
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
        await customersNightly.stop();
        await reindex.stop();
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
