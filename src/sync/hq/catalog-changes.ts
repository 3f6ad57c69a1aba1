import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';
import { backboneDb } from './bus/backbone-tables.ts';

/**
 * The generic half of the catalog cursor. Every catalog change takes a number from
 * `catalog_version_seq`: products in their own `version` column, any other entity (a pricebook row, a
 * promotion, a tax rule) and every deletion in `catalog_changes`, kept current by the trigger
 * `catalog_track_change('<entity>', '<key column>')`. So one cursor says "everything up to N", and a
 * delta is every entity changed or deleted after it.
 */

/** The highest catalog version committed: what a cursor issued now stands for. */
export async function catalogTop(db: HqDb): Promise<number> {
  const { rows } = await sql<{ top: number }>`
    SELECT greatest(
      (SELECT coalesce(max(version), 0) FROM products),
      (SELECT coalesce(max(version), 0) FROM catalog_changes)
    )::bigint AS top`.execute(db);
  return Number(rows[0]?.top ?? 0);
}

/** Keys of `entity` changed (present) and deleted after version `after`, up to `top`. */
export async function catalogChangesSince(
  db: HqDb,
  entity: string,
  after: number,
  top: number,
): Promise<{ changed: string[]; deleted: string[] }> {
  const rows = await backboneDb(db)
    .selectFrom('catalog_changes')
    .select(['key', 'deleted'])
    .where('entity', '=', entity)
    .where('version', '>', after)
    .where('version', '<=', top)
    .orderBy('key')
    .execute();
  return {
    changed: rows.filter((r) => !r.deleted).map((r) => r.key),
    deleted: rows.filter((r) => r.deleted).map((r) => r.key),
  };
}
