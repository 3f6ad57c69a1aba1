import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { invalid } from '../core/index.ts';
import { lockDataFolder } from './folder-lock.ts';
import type { HqSchema } from './hq-schema.ts';
import type { SchemaMigration } from './schema-migration.ts';

export type HqDb = Kysely<HqSchema>;

export interface OpenHqDb {
  db: HqDb;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface OpenHqDbOptions {
  /** postgres://… for a real server; absent for embedded PGlite. */
  url?: string;
  /** Where PGlite keeps its files; absent (and no url) means in memory. */
  dataDir?: string;
  /** A schema to live in (created if missing), so tests can share one database. */
  schema?: string;
  logger: Logger;
  /** An existing PGlite to use (tests pass a clone of a migrated template); closed by close(). */
  pglite?: PGlite;
  /** Pool size for PostgreSQL (PGlite always has one connection). */
  maxConnections?: number;
  /**
   * HQ's migrations in order (src/apps/shared/hq-migrations.ts): the modules own them and db, below
   * every module, only runs them.
   */
  migrations: readonly SchemaMigration[];
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/**
 * The same parsers on both backends: counts and minor units as numbers, and business dates as the
 * 'YYYY-MM-DD' they are rather than a Date at local midnight. Ingest keeps every amount and quantity
 * within the shop's limits, so sums stay far below 2^53. Should a row hold more anyway (an event an
 * older HQ let in, before a rebuild), the value is clamped to the largest exact number and logged as an
 * error: one bad row shows as an absurd figure in one report instead of failing every read that sums it.
 */
export function toSafeNumber(v: string, onClamp: (value: string, clampedTo: number) => void): number {
  const n = Number(v);
  if (Number.isSafeInteger(n)) return n;
  // Decimals (averages, ratios) keep what a double holds; only magnitude beyond 2^53 is clamped.
  if (/[.eE]/.test(v) && Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return n;
  const clamped = v.trim().startsWith('-') ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  onClamp(v, clamped);
  return clamped;
}

const typeParsersFor = (log: Logger) => {
  const toNumber = (v: string): number =>
    toSafeNumber(v, (value, clampedTo) =>
      log.error(
        { value, clampedTo },
        'a number read from the database is beyond 2^53; answered clamped (run tally rebuild to drop events that put it there)',
      ),
    );
  return {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8 || oid === NUMERIC) return toNumber;
      if (oid === DATE) return (v: string) => v;
      return pg.types.getTypeParser(oid, format);
    },
  };
};

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens HQ's database and brings its schema up to date. PGlite is reached through its node-postgres
 * adapter so both backends share one driver, one dialect and one set of type parsers; the adapter's
 * pool has a single connection, which also serialises PGlite's queries and transactions.
 */
export async function openHqDb(opts: OpenHqDbOptions): Promise<OpenHqDb> {
  if (opts.schema !== undefined && !schemaName.test(opts.schema))
    throw invalid('schema', `"${opts.schema}" is not a plain lower-case identifier`);
  const log = opts.logger.child({ module: 'hq-db' });
  const typeParsers = typeParsersFor(log);
  let pool: pg.Pool;
  let kind: OpenHqDb['kind'];
  let lite: PGlite | undefined;
  let unlock = (): void => undefined;
  if (opts.url) {
    if (!/^postgres(ql)?:\/\//.test(opts.url)) throw invalid('url', 'expected postgres://…');
    kind = 'postgres';
    if (opts.schema) await createSchema(opts.url, opts.schema);
    pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.maxConnections ?? 10,
      types: typeParsers,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
  } else {
    kind = 'pglite';
    if (opts.dataDir) {
      mkdirSync(opts.dataDir, { recursive: true });
      unlock = lockDataFolder(opts.dataDir);
    }
    try {
      lite = opts.pglite ?? (await PGlite.create(opts.dataDir));
    } catch (err) {
      unlock();
      throw err;
    }
    if (opts.schema) {
      await lite.exec(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}; SET search_path TO ${opts.schema};`);
    }
    pool = new pg.Pool({ ...createPgConfig(lite), max: 1, types: typeParsers });
  }
  pool.on('error', (err) => log.error({ err }, 'idle database connection failed'));
  const db = new Kysely<HqSchema>({ dialect: new PostgresDialect({ pool }) });
  const close = async (): Promise<void> => {
    await db.destroy();
    // After a failed query with parameters, PGlite's node-postgres adapter still sends its Sync a turn
    // later; closing first made that step throw on a closed database (a crash, or a hung CLI).
    if (lite) await new Promise((resolve) => setImmediate(resolve));
    await lite?.close();
    unlock();
  };
  try {
    await migrate(db, opts.migrations, opts.schema, log);
  } catch (err) {
    await close();
    throw err;
  }
  log.info({ kind, dataDir: kind === 'pglite' ? (opts.dataDir ?? 'memory') : undefined }, 'database ready');
  return { db, kind, close };
}

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await client.end();
  }
}

/**
 * Kysely records each applied migration by name (`kysely_migration`) and applies them in name order,
 * so released names and their order must never change. Each runs its text as one query, as the
 * released `sql` templates did: no parameters, so PostgreSQL takes the statements in one go.
 */
function providerOf(migrations: readonly SchemaMigration[]): MigrationProvider {
  const byName: Record<string, Migration> = {};
  for (const { id, up, down } of migrations) {
    byName[id] = {
      up: async (db) => {
        await sql.raw(up).execute(db);
      },
      ...(down === undefined
        ? {}
        : {
            down: async (db) => {
              await sql.raw(down).execute(db);
            },
          }),
    };
  }
  return { getMigrations: async () => byName };
}

async function migrate(
  db: HqDb,
  migrations: readonly SchemaMigration[],
  schema: string | undefined,
  log: Logger,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: providerOf(migrations),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === 'Success') log.info({ migration: r.migrationName }, 'migration applied');
    if (r.status === 'Error') log.error({ migration: r.migrationName }, 'migration failed');
  }
  if (error) throw error;
}

/** Drops a test schema and everything in it (PostgreSQL only). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!schemaName.test(schema)) throw invalid('schema', `"${schema}" is not a plain identifier`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
