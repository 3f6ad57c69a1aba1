import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/helpers/hq-db.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { catalogCacheMigrations } from '../../catalog/till/index.ts';
import { openHqDb } from '../../db/hq-db.ts';
import { migrationChecksum, type SchemaMigration } from '../../db/schema-migration.ts';
import { openSqlite } from '../../db/sqlite.ts';
import { hqMigrations } from './hq-migrations.ts';
import { tillLedgerMigrations } from './till-ledger-migrations.ts';

/**
 * Shops run databases migrated by earlier releases: HQ remembers each migration by name, a till counts
 * its steps. So a released migration keeps its id, its place and its text for ever; the fixture holds
 * every released one as id → sha256 of its SQL.
 */
const FIXTURE = 'test/fixtures/migrations.sha256.json';
const released = JSON.parse(readFileSync(new URL(`../../../${FIXTURE}`, import.meta.url), 'utf8')) as Record<
  string,
  Record<string, string>
>;

const databases: [string, readonly SchemaMigration[]][] = [
  ['hq', hqMigrations],
  ['ledger.db', tillLedgerMigrations],
  ['catalog.db', catalogCacheMigrations],
];

const tempDir = tempDirs('migrations', 'all');

describe.each(databases)('released %s migrations', (database, migrations) => {
  const shipped = Object.entries(released[database] ?? {});

  it('keep their ids in the order they shipped, so an existing database migrates on', () => {
    const ids = migrations.map((m) => m.id);
    expect(
      ids.slice(0, shipped.length),
      `${database}: released migrations were renamed, removed or reordered; restore them as in ${FIXTURE}`,
    ).toEqual(shipped.map(([id]) => id));
  });

  it('keep their SQL byte for byte', () => {
    for (const [id, sha] of shipped) {
      const m = migrations.find((x) => x.id === id);
      expect(
        m && migrationChecksum(m),
        `${database} migration ${id} has changed since it was released: add a new migration instead of editing ${id}`,
      ).toBe(sha);
    }
  });

  it('are all listed in the fixture', () => {
    const known = new Set(shipped.map(([id]) => id));
    for (const m of migrations) {
      expect(
        known.has(m.id),
        `${database} migration ${m.id} is not in ${FIXTURE}: add "${m.id}": "${migrationChecksum(m)}" under "${database}" (while it is unreleased, update that line as you edit it)`,
      ).toBe(true);
    }
  });
});

describe('a database an earlier release migrated', () => {
  it('HQ applies only the migrations it lacks, and records the released names', async () => {
    const dataDir = tempDir();
    const older = await openHqDb({ migrations: hqMigrations.slice(0, -1), dataDir, logger: silentLogger });
    const epoch = await older.db
      .selectFrom('hq_config')
      .select('value')
      .where('key', '=', 'catalog_epoch')
      .execute();
    await older.close();

    const current = await openHqDb({ migrations: hqMigrations, dataDir, logger: silentLogger });
    try {
      const names = await sql<{
        name: string;
      }>`SELECT name FROM kysely_migration ORDER BY timestamp, name`.execute(current.db);
      expect(names.rows.map((r) => r.name)).toEqual(Object.keys(released.hq!));
      // 0001 drew a random catalog epoch; running it again would have failed or drawn another.
      expect(
        await current.db.selectFrom('hq_config').select('value').where('key', '=', 'catalog_epoch').execute(),
      ).toEqual(epoch);
    } finally {
      await current.close();
    }
  });

  it("a till's ledger.db runs only the steps it lacks", () => {
    const file = join(tempDir(), 'ledger.db');
    openSqlite(file, tillLedgerMigrations.slice(0, -1)).close();
    const db = openSqlite(file, tillLedgerMigrations);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(Object.keys(released['ledger.db']!).length);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(
        expect.arrayContaining(['ledger', 'carts', 'customers', 'card_attempts', 'pin_failures']),
      );
    } finally {
      db.close();
    }
  });
});
