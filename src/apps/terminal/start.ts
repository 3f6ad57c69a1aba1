import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type CatalogCache, openCatalogCache, pullCatalog } from '../../catalog/till/index.ts';
import type { RotatedToken } from '../../contracts/index.ts';
import { type Clock, invalid, isTallyError, systemClock } from '../../core/index.ts';
import { CUSTOMER_EVENT_TYPES } from '../../customers/index.ts';
import {
  applyCustomerChanges,
  customerPullCursor,
  eraseAtTill,
  hqCustomerLookup,
  hqLoyaltyClient,
  startCustomerKeySync,
} from '../../customers/till/index.ts';
import { openSqlite } from '../../db/index.ts';
import type { PaymentProvider } from '../../payments/index.ts';
import { SimulatedProvider } from '../../payments/index.ts';
import {
  createRegister,
  hqPromotionUseClient,
  parseRegisterConfig,
  type Register,
  type RegisterConfigInput,
} from '../../sales/till/index.ts';
import { hqStoredValueClient } from '../../stored-value/till/index.ts';
import { type Ledger, openLedger } from '../../sync/index.ts';
import { createOutbox, type Outbox } from '../../sync/till/index.ts';
import { type App, createHttpApp, type TlsFiles } from '../shared/http.ts';
import { makePrivate, touchPrivate, writePrivateFile } from '../shared/private-files.ts';
import { tillLedgerMigrations } from '../shared/till-ledger-migrations.ts';
import { refuseUnsafeInput } from '../shared/unsafe-input.ts';
import { searchableCatalog } from './catalog-search.ts';
import { guardHostAndOrigin, hostPolicy } from './host-guard.ts';
import { hqLine } from './hq-line.ts';
import { resolveIdentity, type TerminalIdentity } from './identity.ts';
import { revocationFile } from './revocation-file.ts';
import { registerRoutes } from './routes.ts';
import { rotateTillToken } from './token-rotation.ts';

export interface StartTerminalOptions {
  /** Holds ledger.db (sales, carts, sync mark), catalog.db (cache) and terminal.json (identity). */
  dataDir: string;
  /** Omit any of these to use the values saved in `<dataDir>/terminal.json` by an earlier start. */
  hqUrl?: string;
  token?: string;
  storeId?: string;
  terminalId?: string;
  /** The CA certificate file to trust for HQ (remembered in terminal.json); the system's CAs when absent. */
  hqCaFile?: string;
  /** Serve the register API over HTTPS with this certificate; plain HTTP when absent. */
  tls?: TlsFiles;
  port: number;
  host?: string;
  /** Host names the register API answers to besides loopback, the bound address and the hostname. */
  allowedHosts?: string[];
  logger: Logger;
  clock?: Clock;
  provider?: PaymentProvider;
  /** Outbox poll when idle (a committed sale wakes it sooner). Default 2 s. */
  syncIntervalMs?: number;
  /** Catalog pull period once loaded; while the cache is empty it retries every syncIntervalMs. */
  catalogIntervalMs?: number;
  fetch?: typeof fetch;
  /** Register settings; default: `<dataDir>/register.json` when present, else the built-in defaults. */
  registerConfig?: RegisterConfigInput;
  /**
   * A manager to create when the till has none: only the demo does this (M1 with PIN 1234). A real
   * till starts with no manager and refuses approvals until the first one is added with its setup
   * token (`<dataDir>/setup-token`, header X-Setup-Token on POST /api/v1/managers).
   */
  seedManager?: { managerId: string; name: string; pin: string } | false;
}

/**
 * What a till writes into its data folder that holds secrets or personal data: the ledger (customers,
 * sales), the catalog cache, its identity and token, the setup token. Owner-only, tightened at start.
 */
export const TILL_PRIVATE_FILES = [
  'ledger.db',
  'ledger.db-wal',
  'ledger.db-shm',
  'catalog.db',
  'catalog.db-wal',
  'catalog.db-shm',
  'terminal.json',
  'setup-token',
  'register.json',
  'hq-revocation.json',
] as const;

/** Pages of changed customers one catalog pull takes at most (HQ sends 1 000 a page); the rest come next pull. */
const CUSTOMER_PAGES_PER_PULL = 20;

/** The demo till's manager, so the demo can approve overrides: PIN 1234, printed at start. */
export const DEMO_MANAGER = { managerId: 'M1', name: 'Demo manager', pin: '1234' } as const;

export interface RunningTerminal {
  url: string;
  app: App;
  ledger: Ledger;
  outbox: Outbox;
  register: Register;
  catalog: CatalogCache;
  identity: TerminalIdentity;
  /** Pulls the catalog now; false when HQ could not be reached (the cache stays as it was). */
  pullCatalog(): Promise<boolean>;
  /** Asks HQ for a new token and saves it (token-rotation.ts); the outbox goes on with it. */
  rotateToken(): Promise<RotatedToken & { confirmed: boolean }>;
  close(): Promise<void>;
}

/**
 * Composes a till: the ledger and carts in ledger.db, the catalog cache, the register API, the outbox
 * loop and the periodic catalog pull. Selling never waits on HQ: the first catalog pull is tried once
 * at start, and from then on everything talking to HQ runs in the background.
 */
export async function startTerminal(opts: StartTerminalOptions): Promise<RunningTerminal> {
  const log = opts.logger;
  const clock = opts.clock ?? systemClock;
  makePrivate(opts.dataDir, log, TILL_PRIVATE_FILES);
  const identity = resolveIdentity(opts.dataDir, {
    storeId: opts.storeId,
    terminalId: opts.terminalId,
    token: opts.token,
    hqUrl: opts.hqUrl,
    hqCaFile: opts.hqCaFile,
  });
  if (identity.hqCaFile && !identity.hqUrl.startsWith('https:'))
    throw invalid(
      '--hq-ca',
      `pins HQ's certificate, but ${identity.hqUrl} is not https; give HQ's https:// URL with --hq`,
    );
  // Every call to HQ goes through this line: the current token, and HQ's CA when one is pinned.
  const line = hqLine({
    dataDir: opts.dataDir,
    token: identity.token,
    ...(identity.hqCaFile ? { ca: readFileSync(identity.hqCaFile) } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  warnIfExposed(log, opts.host, opts.tls !== undefined);
  // Made owner-only before SQLite opens them, which gives their -wal and -shm files the same mode.
  touchPrivate(join(opts.dataDir, 'catalog.db'));
  touchPrivate(join(opts.dataDir, 'ledger.db'));
  const catalog = openCatalogCache(join(opts.dataDir, 'catalog.db'), () => clock.now());
  const db = openSqlite(join(opts.dataDir, 'ledger.db'), tillLedgerMigrations);
  const ledger = openLedger({
    db,
    storeId: identity.storeId,
    terminalId: identity.terminalId,
    clock,
    // Sales need the store (currency, tax policy), so in practice the catalog is loaded by then.
    timeZone: () => catalog.store()?.timeZone ?? 'UTC',
  });
  const configFile = join(opts.dataDir, 'register.json');
  const config = parseRegisterConfig(
    opts.registerConfig ?? (existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : {}),
  );
  const setupTokenFile = join(opts.dataDir, 'setup-token');
  const register = createRegister({
    ledger,
    items: searchableCatalog(catalog),
    provider:
      opts.provider ?? new SimulatedProvider({ stateFile: join(opts.dataDir, 'card-simulator.json') }),
    clock,
    logger: log.child({ module: 'register' }),
    config,
    storedValueAuthority: hqStoredValueClient({
      hqUrl: identity.hqUrl,
      token: identity.token,
      timeoutMs: config.storedValue.hqTimeoutMs,
      fetch: line.fetch,
    }),
    loyaltyAuthority: hqLoyaltyClient({
      hqUrl: identity.hqUrl,
      token: identity.token,
      timeoutMs: config.storedValue.hqTimeoutMs,
      fetch: line.fetch,
    }),
    loyaltyProgramme: () => catalog.loyalty(),
    promotionUseAuthority: hqPromotionUseClient({
      hqUrl: identity.hqUrl,
      token: identity.token,
      timeoutMs: config.storedValue.hqTimeoutMs,
      fetch: line.fetch,
    }),
    setupToken: () => (existsSync(setupTokenFile) ? readFileSync(setupTokenFile, 'utf8').trim() : undefined),
    tillUsers: catalog,
    remoteCustomers: hqCustomerLookup({
      hqUrl: identity.hqUrl,
      fetch: line.fetch,
      token: line.token,
      timeoutMs: config.storedValue.hqTimeoutMs,
    }),
  });
  const seed = opts.seedManager ?? false;
  if (seed && register.approvals.managers().length === 0) {
    register.approvals.addManager(seed);
    log.warn(
      { managerId: seed.managerId },
      `demo till: created ${seed.managerId} with PIN ${seed.pin} for approvals`,
    );
  }
  if (register.users.all().length === 0) {
    // Readable only by whoever can read the till's data folder: the person installing it.
    if (!existsSync(setupTokenFile)) writePrivateFile(setupTokenFile, `${randomBytes(16).toString('hex')}\n`);
    log.warn(
      { setupTokenFile },
      'nobody can sign in at this till yet: HQ has sent no users and it has no local one; add the first local manager (POST /api/v1/managers with the header X-Setup-Token: <the token in setupTokenFile>) or set a till PIN at HQ (tally users till-pin)',
    );
  }
  const syncIntervalMs = opts.syncIntervalMs ?? 2_000;
  const outbox = createOutbox({
    ledger,
    hqUrl: identity.hqUrl,
    token: identity.token,
    logger: log.child({ module: 'outbox' }),
    clock,
    idleMs: syncIntervalMs,
    fetch: line.fetch,
    revocation: revocationFile(opts.dataDir, line.token),
  });

  let lastPullError: string | undefined;
  const pull = async (timeoutMs = 30_000): Promise<boolean> => {
    try {
      // The store's changed customers come a page per answer: ask again while HQ says there are more.
      for (let page = 0, more = true; more && page < CUSTOMER_PAGES_PER_PULL; page++) {
        more = false;
        await pullCatalog({
          hqUrl: identity.hqUrl,
          token: identity.token,
          cache: catalog,
          logger: log.child({ module: 'catalog' }),
          timeoutMs,
          fetch: line.fetch,
          query: () => ({ customersSince: customerPullCursor(db) }),
          beforeApply: (snap) => {
            const erased = eraseAtTill(db, snap.erasedCustomers ?? [], clock.now());
            if (erased.forgotten + erased.redacted > 0)
              log.info(erased, 'customers erased at HQ dropped from this till');
            if (!snap.customers) return;
            const r = applyCustomerChanges(db, snap.customers, clock.now().toISOString());
            if (r.segments + r.consents > 0) log.info(r, "customers' segments and consents taken from HQ");
            more = snap.customers.more;
          },
        });
      }
      lastPullError = undefined;
      const store = catalog.store();
      if (store && store.storeId !== identity.storeId) {
        log.error(
          { catalogStore: store.storeId, storeId: identity.storeId },
          'HQ sent the catalog of another store',
        );
      }
      return true;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      const reason = `${err instanceof Error ? err.message : String(err)}${cause ? ` (${cause})` : ''}`;
      if (isTallyError(err) && err.code === 'unauthorized') {
        log.error({ reason }, 'catalog pull refused: re-enroll this terminal');
      } else {
        // Once per outage, not once per retry: a till offline all day should not fill its disk with this.
        const level = reason === lastPullError ? 'debug' : 'warn';
        log[level](
          { reason, cachedProducts: catalog.count() },
          'catalog pull failed; selling from the cache',
        );
      }
      lastPullError = reason;
      return false;
    }
  };

  let closed = false;
  let catalogTimer: NodeJS.Timeout | undefined;
  const scheduleCatalog = (): void => {
    if (closed) return;
    const loaded = catalog.store() !== undefined;
    const wait = loaded ? (opts.catalogIntervalMs ?? 60_000) : Math.min(syncIntervalMs, 5_000);
    catalogTimer = setTimeout(() => void pull().finally(scheduleCatalog), wait);
    catalogTimer.unref();
  };

  const app = await createHttpApp({
    title: 'Tally terminal',
    description: 'The register API of one till: shifts, carts, payment, receipts and sync status.',
    logger: log,
    ...(opts.tls ? { tls: opts.tls } : {}),
  });
  guardHostAndOrigin(
    app,
    hostPolicy({
      boundHost: opts.host,
      allowedHosts: [...config.allowedHosts, ...(opts.allowedHosts ?? [])],
    }),
  );
  refuseUnsafeInput(app);
  registerRoutes(app, { register, outbox, catalog, identity });
  (await import('./inventory-routes.ts')).registerTillInventoryRoutes(
    app,
    ledger,
    () => clock.now(),
    config.limits,
  );
  await (await import('./static.ts')).serveRegisterScreen(app, { logger: log });

  // Both capped, and asked together, so an unreachable HQ (dropped packets, not a refusal) holds up
  // opening the till by one timeout, not one per question.
  await Promise.all([pull(5_000), outbox.probe()]);
  if (!catalog.store()) log.warn('no catalog cached yet; items cannot be sold until HQ answers');
  scheduleCatalog();
  const syncAtStart = outbox.status();
  if (syncAtStart.action)
    log.error(
      { state: syncAtStart.state, conflicts: syncAtStart.conflicts.length },
      `sync: ${syncAtStart.action}`,
    );
  outbox.start();
  const keySync = startCustomerKeySync({
    db,
    hqUrl: identity.hqUrl,
    fetch: line.fetch,
    token: line.token,
    intervalMs: syncIntervalMs,
    onResult: (r) => log.info(r, 'customer data keys handed to HQ'),
    onError: (err) => log.debug({ err }, 'customer key sync failed; retried next round'),
  });
  const stopKeyNudge = ledger.onAppend((e) => {
    if (e.type === CUSTOMER_EVENT_TYPES.customerCreated) queueMicrotask(keySync.nudge);
  });
  // Card charges a stopped till left open are voided (or found unused) before selling, then every minute.
  await register.settleCardPayments();
  const cardTimer = setInterval(() => void register.settleCardPayments().catch(() => undefined), 60_000);
  cardTimer.unref();

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearTimeout(catalogTimer);
    clearInterval(cardTimer);
    keySync.stop();
    stopKeyNudge();
    await app.close();
    await outbox.stop();
    db.close();
    catalog.close();
  };

  try {
    await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' });
  } catch (err) {
    await close();
    throw err;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const url = `${opts.tls ? 'https' : 'http'}://${opts.host && !['0.0.0.0', '::'].includes(opts.host) ? opts.host : '127.0.0.1'}:${port}`;
  const s = outbox.status();
  log.info(
    {
      url,
      storeId: identity.storeId,
      terminalId: identity.terminalId,
      lastSeq: s.lastSeq,
      pending: s.pending,
      products: catalog.count(),
    },
    'listening',
  );
  return {
    url,
    app,
    ledger,
    outbox,
    register,
    catalog,
    identity,
    pullCatalog: () => pull(),
    rotateToken: () => rotateTillToken(opts.dataDir, line),
    close,
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/**
 * The register API takes sales, refunds and manager PINs: on a store network without TLS anyone on
 * the segment reads them. Bound to loopback (the screen on the same machine) it is fine.
 */
function warnIfExposed(log: Logger, host: string | undefined, tls: boolean): void {
  const bound = host ?? '127.0.0.1';
  if (tls || LOOPBACK.test(bound)) return;
  log.warn(
    { host: bound },
    'the register API listens on a network address without TLS: PINs and sales cross the store network in clear text. ' +
      'Bind it to 127.0.0.1 (--host) when the screen runs on this machine, or give --tls-cert and --tls-key (see docs/NETWORK.md)',
  );
}
