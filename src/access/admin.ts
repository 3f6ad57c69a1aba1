import type { HqDb } from '../db/index.ts';
import { assertUserManagerRemains } from './grants.ts';
import { hashToken, newToken, tokenMatches } from './tokens.ts';

/**
 * The admin token is a bootstrap credential: it starts a new HQ, creates the first admin (a user with
 * hq_admin over the chain) and, until disabled, acts as hq_admin. Disabling it is for good: HQ keeps
 * only the fact (hq_config) and never makes or accepts one again.
 */
const ADMIN_KEY = 'admin_token_hash';
const DISABLED_KEY = 'admin_token_disabled';

export async function adminTokenDisabled(db: HqDb): Promise<boolean> {
  const row = await db
    .selectFrom('hq_config')
    .select('value')
    .where('key', '=', DISABLED_KEY)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Makes sure HQ has an admin token, unless it was disabled. A given token (option or TALLY_ADMIN_TOKEN)
 * replaces the stored hash; otherwise one is made on first start. Returns the token only when it is new
 * or was given — afterwards HQ knows just its hash, so whoever started it first must keep it.
 */
export async function ensureAdminToken(
  db: HqDb,
  given?: string,
): Promise<{ token: string | undefined; hash: string; created: boolean; disabled: boolean }> {
  if (await adminTokenDisabled(db)) return { token: undefined, hash: '', created: false, disabled: true };
  if (given) {
    const hash = hashToken(given);
    await db
      .insertInto('hq_config')
      .values({ key: ADMIN_KEY, value: hash })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: hash }))
      .execute();
    return { token: given, hash, created: false, disabled: false };
  }
  const token = newToken();
  const inserted = await db
    .insertInto('hq_config')
    .values({ key: ADMIN_KEY, value: hashToken(token) })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('value')
    .executeTakeFirst();
  if (inserted) return { token, hash: inserted.value, created: true, disabled: false };
  const row = await db
    .selectFrom('hq_config')
    .select('value')
    .where('key', '=', ADMIN_KEY)
    .executeTakeFirstOrThrow();
  return { token: undefined, hash: row.value, created: false, disabled: false };
}

export async function isAdminToken(db: HqDb, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const row = await db
    .selectFrom('hq_config')
    .select('value')
    .where('key', '=', ADMIN_KEY)
    .executeTakeFirst();
  return row !== undefined && row.value !== '' && tokenMatches(token, row.value);
}

/**
 * Turns the admin token off for good. Refused while no active user can manage users over the chain,
 * since nobody could then grant anything.
 */
export async function disableAdminToken(db: HqDb): Promise<{ disabled: boolean; already: boolean }> {
  if (await adminTokenDisabled(db)) return { disabled: true, already: true };
  await assertUserManagerRemains(db, 'disabling the admin token');
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('hq_config').where('key', '=', ADMIN_KEY).execute();
    await trx
      .insertInto('hq_config')
      .values({ key: DISABLED_KEY, value: new Date().toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  });
  return { disabled: true, already: false };
}
