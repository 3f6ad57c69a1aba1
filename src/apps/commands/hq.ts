import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { enrollTerminal } from '../../access/index.ts';
import { createLogger, type Logger } from '../../core/index.ts';
import { openHqDb } from '../../db/index.ts';
import { seedDemoChain } from '../../demo/index.ts';
import { DEFAULT_STREAM, DEFAULT_SUBJECT_PREFIX, rebuildProjections } from '../../sync/hq/index.ts';
import { type TallyConfig, tlsPair } from '../config.ts';
import { type StartHqOptions, startHq } from '../hq/server.ts';
import {
  addStoreCountOption,
  DEFAULT_HQ_PORT,
  dataPath,
  parsePort,
  parsePositiveInt,
  parsePostgresUrl,
  storeCount,
} from '../options.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import { hqMigrations } from '../shared/hq-migrations.ts';
import { writePrivateFile } from '../shared/private-files.ts';
import { readTls } from '../shared/tls-files.ts';
import { registerTillsCommands } from './hq-tills.ts';
import { registerVerifyChainsCommand } from './hq-verify-chains.ts';
import { closeOnSignal } from './lifecycle.ts';

interface DbOptions {
  data?: string;
  db?: string;
}

const hqDataDir = (o: DbOptions): string => dataPath(o.data ?? join('.tally', 'hq'));

export const adminTokenFile = (dataDir: string): string => join(dataDir, 'admin-token');

/**
 * HQ holds only the admin token's hash; the CLI keeps the token beside the data, owner-only, so the
 * operator can find it. Returns it when it was just made or given (say it once), and where it is kept.
 */
export function rememberAdminToken(
  dataDir: string,
  token: string | undefined,
): { token: string | undefined; file: string; fresh: boolean } {
  const file = adminTokenFile(dataDir);
  if (token) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writePrivateFile(file, `${token}\n`);
    return { token, file, fresh: true };
  }
  return { token: existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined, file, fresh: false };
}

/**
 * What HQ says about its admin token at start: the token itself only the first time (when it was
 * made), afterwards only where it is kept, so a log or a terminal scrollback collected later holds
 * no secret.
 */
export function adminTokenNotice(kept: ReturnType<typeof rememberAdminToken>): string {
  if (kept.fresh && kept.token)
    return `admin token (shown once; also kept, owner-only, in ${kept.file}): ${kept.token}`;
  return existsSync(kept.file)
    ? `admin token: in ${kept.file} (read it from there; it is not printed again)`
    : 'admin token: not on this machine (it was set with TALLY_ADMIN_TOKEN or shown once when HQ first started)';
}

interface NatsCli {
  nats?: string;
  natsStream: string;
  natsSubjects: string;
}

function parseNatsUrl(v: string): string {
  for (const u of v.split(',')) {
    if (!/^(nats|tls):\/\/[^\s/]+$/.test(u))
      throw new InvalidArgumentError(`expected nats://host:port, got "${u}"`);
  }
  return v;
}

export async function withDb<T>(
  o: DbOptions,
  log: Logger,
  fn: (db: Awaited<ReturnType<typeof openHqDb>>['db'], kind: 'pglite' | 'postgres') => Promise<T>,
) {
  const opened = await openHqDb({
    migrations: hqMigrations,
    url: o.db,
    dataDir: o.db ? undefined : hqDataDir(o),
    logger: log,
  });
  try {
    return await fn(opened.db, opened.kind);
  } finally {
    await opened.close();
  }
}

/** What HQ takes from the configuration, shared by `tally hq` and `tally demo`. */
export const hqSettings = (config: TallyConfig): Partial<StartHqOptions> => ({
  ...(config.adminToken ? { adminToken: config.adminToken } : {}),
  ...(config.disableAdminToken ? { disableAdminToken: true } : {}),
  ingest: config.ingest,
  forecastNightly: config.forecastNightly,
  customersNightly: config.customersNightly,
  ...(config.llm ? { llm: config.llm } : {}),
});

export function registerHqCommands(program: Command, config: TallyConfig): void {
  const hqCommand = program
    .command('hq')
    .description('run head office: ingest from tills, catalog for tills, stock and sales projections')
    .option('--data <dir>', 'PGlite data folder (ignored with --db)', join('.tally', 'hq'))
    .option('--db <url>', 'PostgreSQL URL instead of the embedded PGlite', parsePostgresUrl)
    .option('--port <n>', 'HTTP port', (v) => parsePort(v), DEFAULT_HQ_PORT)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option(
      '--nats <url>',
      'publish accepted events to NATS JetStream (nats://…) and project from it',
      parseNatsUrl,
    )
    .option('--nats-stream <name>', 'JetStream stream name', DEFAULT_STREAM)
    .option(
      '--nats-subjects <prefix>',
      'subject prefix: <prefix>.<store>.<event type>',
      DEFAULT_SUBJECT_PREFIX,
    )
    .option(
      '--disable-admin-token',
      'turn the admin token off for good (once a user holds manage_users over the chain); also TALLY_DISABLE_ADMIN_TOKEN=1',
    )
    .option(
      '--tls-cert <file>',
      'serve HTTPS with this certificate (PEM), with --tls-key; see docs/NETWORK.md',
    )
    .option('--tls-key <file>', 'the key of --tls-cert (PEM)')
    .action(
      async (
        o: DbOptions & {
          port: number;
          host: string;
          tlsCert?: string;
          tlsKey?: string;
          disableAdminToken?: boolean;
        } & NatsCli,
      ) => {
        const log = createLogger('tally-hq', config.logLevel);
        const dataDir = hqDataDir(o);
        const tls = readTls(tlsPair(o.tlsCert ?? config.tls?.certFile, o.tlsKey ?? config.tls?.keyFile));
        const hq = await startHq({
          ...hqSettings(config),
          ...(tls ? { tls } : {}),
          dataDir: o.db ? undefined : dataDir,
          dbUrl: o.db,
          port: o.port,
          host: o.host,
          logger: log,
          ...(o.disableAdminToken ? { disableAdminToken: true } : {}),
          ...(o.nats ? { nats: { url: o.nats, stream: o.natsStream, subjectPrefix: o.natsSubjects } } : {}),
        });
        const kept = rememberAdminToken(dataDir, hq.adminToken);
        if (kept.fresh) log.info({ file: kept.file }, 'admin token written; keep it secret');
        console.error(adminTokenNotice(kept));
        // On a terminal the logs are quiet: say where HQ answers in plain words.
        console.log(
          `Tally HQ is listening at ${hq.url}   (dashboard: ${hq.url}/dashboard/, API: ${hq.url}/openapi.json)`,
        );
        closeOnSignal(log, hq.close);
      },
    );
  registerTillsCommands(hqCommand);
  registerVerifyChainsCommand(hqCommand, withDb);

  const seed = program
    .command('seed')
    .description('create the demo chain (stores, a few hundred products, opening stock) in an empty HQ')
    .option('--data <dir>', 'PGlite data folder', join('.tally', 'hq'))
    .option('--db <url>', 'PostgreSQL URL', parsePostgresUrl);
  addStoreCountOption(seed, 'number of stores (1–5; default 4)')
    .option('--products <n>', 'number of products', parsePositiveInt('--products'), 300)
    .action(async (o: DbOptions & { storeCount?: number; stores?: number; products: number }) => {
      const log = createLogger('tally-seed', config.logLevel);
      const stores = storeCount(o) ?? 4;
      const r = await withDb(o, log, (db) =>
        seedDemoChain(db, hqEventRegistry, { stores, products: o.products, logger: log }),
      );
      console.log(r.message);
    });

  program
    .command('enroll')
    .description('enroll a till for a store and print its token (shown once)')
    .requiredOption('--store <id>', 'store id, e.g. S001')
    .option('--terminal <id>', 'terminal id (default: next free, e.g. S001-T01)')
    .option('--data <dir>', 'PGlite data folder', join('.tally', 'hq'))
    .option('--db <url>', 'PostgreSQL URL', parsePostgresUrl)
    .action(async (o: DbOptions & { store: string; terminal?: string }) => {
      const log = createLogger('tally-enroll', 'warn');
      const r = await withDb(o, log, (db) =>
        enrollTerminal(db, { storeId: o.store, ...(o.terminal ? { terminalId: o.terminal } : {}) }),
      );
      console.log(JSON.stringify(r, null, 2));
    });

  program
    .command('rebuild')
    .description(
      "rebuild HQ's projections (stock on hand, daily and hourly sales) by replaying the event log; imported sales history is kept",
    )
    .option('--data <dir>', 'PGlite data folder', join('.tally', 'hq'))
    .option('--db <url>', 'PostgreSQL URL', parsePostgresUrl)
    .action(async (o: DbOptions) => {
      const log = createLogger('tally-rebuild', 'warn');
      const bar = new SingleBar({ format: 'rebuild [{bar}] {value}/{total} events', stream: process.stderr });
      let started = false;
      const r = await withDb(o, log, (db, kind) =>
        rebuildProjections(db, hqEventRegistry, {
          // One transaction on PostgreSQL (readers keep the old numbers); chunks on PGlite.
          atomic: kind === 'postgres',
          onProgress: ({ done, total }) => {
            if (!started) bar.start(total, 0);
            started = true;
            bar.update(done);
          },
        }),
      );
      if (started) bar.stop();
      console.log(`replayed ${r.done} events, skipped ${r.skipped.length} that today's rules refuse`);
      for (const k of r.skipped)
        console.log(`skipped ${k.terminalId} seq ${k.seq} ${k.type} ${k.id}: ${k.field} ${k.reason}`);
    });
}
