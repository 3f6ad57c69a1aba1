import { createHash } from 'node:crypto';

/**
 * One shape of migration for every database Tally keeps (HQ's PostgreSQL/PGlite, the till's ledger.db
 * and catalog.db): an id and the SQL text it runs. The text is a literal in the file that owns the
 * tables, never built from other files, so a released migration can only change by someone editing it
 * (which test/fixtures/migrations.sha256.json catches). The modules own their migrations; the ordered
 * list of one database is put together where the database is opened (src/apps/shared/), because db
 * sits below every module and may not import them.
 */
export interface SchemaMigration {
  /** `NNNN_what_it_does`: the number fixes its place in its database, the name is recorded (HQ). */
  readonly id: string;
  /** The SQL to run, as one text (several statements allowed). */
  readonly up: string;
  /** Undoes `up` (HQ's carry one, for a hand repair or a test that steps back over it); tills only move forward. */
  readonly down?: string;
}

const idPattern = /^(\d{4})_[a-z0-9_]+$/;

/**
 * One database's migrations, from the lists its modules own, in the order they apply: by number. The
 * numbers must be unique in the database, so a module adding one takes the next free number.
 */
export function orderMigrations(
  database: string,
  lists: readonly (readonly SchemaMigration[])[],
): readonly SchemaMigration[] {
  const all = lists.flat();
  const byNumber = new Map<string, string>();
  for (const m of all) {
    const number = idPattern.exec(m.id)?.[1];
    if (!number) throw new Error(`${database} migration id "${m.id}" must look like 0014_what_it_does`);
    const taken = byNumber.get(number);
    if (taken)
      throw new Error(
        `${database} migrations ${taken} and ${m.id} share number ${number}; give one the next free number`,
      );
    byNumber.set(number, m.id);
  }
  return [...all].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** sha256 of what a migration runs: the fingerprint a released migration must keep. */
export const migrationChecksum = (m: SchemaMigration): string =>
  createHash('sha256').update(m.up).digest('hex');
