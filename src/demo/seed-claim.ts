import type { HqDb } from '../db/index.ts';

/**
 * Claims a one-time demo seeding step by writing its `hq_config` key: true for the first caller only, so
 * a restarted demo (or two starting at once) never seeds the same history twice.
 */
export async function claimSeed(db: HqDb, key: string): Promise<boolean> {
  const claimed = await db
    .insertInto('hq_config')
    .values({ key, value: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  return claimed !== undefined;
}
