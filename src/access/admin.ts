import type { HqDb } from '../db/index.ts';
import { hashToken, newToken, tokenMatches } from './tokens.ts';

const ADMIN_KEY = 'admin_token_hash';

/**
 * Makes sure HQ has an admin token. A given token (option or TALLY_ADMIN_TOKEN) replaces the stored
 * hash; otherwise one is made on first start. Returns the token only when it is new or was given —
 * afterwards HQ knows just its hash, so whoever started it first must keep it.
 */
export async function ensureAdminToken(
  db: HqDb,
  given?: string,
): Promise<{ token: string | undefined; hash: string; created: boolean }> {
  if (given) {
    const hash = hashToken(given);
    await db
      .insertInto('hq_config')
      .values({ key: ADMIN_KEY, value: hash })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: hash }))
      .execute();
    return { token: given, hash, created: false };
  }
  const token = newToken();
  const inserted = await db
    .insertInto('hq_config')
    .values({ key: ADMIN_KEY, value: hashToken(token) })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('value')
    .executeTakeFirst();
  if (inserted) return { token, hash: inserted.value, created: true };
  const row = await db
    .selectFrom('hq_config')
    .select('value')
    .where('key', '=', ADMIN_KEY)
    .executeTakeFirstOrThrow();
  return { token: undefined, hash: row.value, created: false };
}

export async function isAdminToken(db: HqDb, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const row = await db
    .selectFrom('hq_config')
    .select('value')
    .where('key', '=', ADMIN_KEY)
    .executeTakeFirst();
  return row !== undefined && tokenMatches(token, row.value);
}
