import Database from 'better-sqlite3';
import { sql } from 'kysely';
import type { HqDb } from '../../src/db/hq-db.ts';

/**
 * Where a customer's personal fields can still be read: every cell of every HQ table (as its row's
 * JSON text) and of every table of a till's SQLite file, searched for each value. A finding names the
 * table and the value found; ciphertext does not match, which is the point of sealing.
 */
export async function personalDataAtHq(db: HqDb, values: readonly string[]): Promise<string[]> {
  const { rows: tables } = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(db);
  const found: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await sql<{
      t: string;
    }>`SELECT row_to_json(x)::text AS t FROM ${sql.table(table_name)} x`.execute(db);
    for (const r of rows)
      for (const v of values)
        if (r.t.toLowerCase().includes(v.toLowerCase())) found.push(`${table_name}: ${v}`);
  }
  return [...new Set(found)];
}

export function personalDataInSqlite(file: string, values: readonly string[]): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const found: string[] = [];
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    for (const table of tables)
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        const text = JSON.stringify(row).toLowerCase();
        for (const v of values) if (text.includes(v.toLowerCase())) found.push(`${table}: ${v}`);
      }
  } finally {
    db.close();
  }
  return [...new Set(found)];
}
