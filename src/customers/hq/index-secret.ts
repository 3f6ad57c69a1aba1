import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';

/**
 * The secret of the identifier blind index, made once per HQ and kept in hq_config. It lives in the
 * database beside the index, so it protects identifiers against whoever reads an export or a backup of
 * the index tables, not against whoever holds the whole database; the event log never holds either.
 */
const KEY = 'customer_index_secret';

export async function customerIndexSecret(db: HqDb): Promise<string> {
  await sql`INSERT INTO hq_config (key, value) VALUES (${KEY}, ${randomBytes(32).toString('hex')})
    ON CONFLICT (key) DO NOTHING`.execute(db);
  const { rows } = await sql<{ value: string }>`SELECT value FROM hq_config WHERE key = ${KEY}`.execute(db);
  return rows[0]!.value;
}
