import Database from 'better-sqlite3';
import type { SchemaMigration } from './schema-migration.ts';

export type SqliteDb = Database.Database;

/**
 * Opens a till database for durability first: WAL so readers never block the writer, synchronous=FULL
 * so a committed sale survives a power cut, and a busy timeout so a second connection (a CLI report
 * while the till runs) waits instead of failing.
 */
export function openSqlite(file: string, migrations: readonly SchemaMigration[] = []): SqliteDb {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Brings the schema up to `migrations.length`, recording progress in `PRAGMA user_version`: a till's
 * database knows how many steps it has, so the list's order is what was released (ids sort in it).
 * Each step commits with its version number, so a crash mid-migration resumes at the step that did not
 * finish. Append new steps; never edit a released one.
 */
export function migrate(db: SqliteDb, migrations: readonly SchemaMigration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `database ${db.name} is at schema version ${current}, newer than this build knows (${migrations.length}); upgrade tally`,
    );
  }
  for (let v = current; v < migrations.length; v++) {
    const step = migrations[v]!;
    db.transaction(() => {
      db.exec(step.up);
      // PRAGMA takes no bound parameters; v is our own loop integer.
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
