import { sql } from 'kysely';
import { notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { catalogDb } from './catalog-tables.ts';

/**
 * Promotions' history (migration 0019): a trigger copies every write of `promotions` into
 * `promotion_versions`, naming whoever the transaction says is acting. Tills still pull the
 * `promotions` row alone, so they only ever see the version in force.
 */
export interface PromotionVersion {
  promotionId: string;
  /** The catalog version the change took (one sequence with products, prices and tax). */
  version: number;
  definition: Record<string, unknown>;
  active: boolean;
  changedAt: Date;
  changedBy: string;
}

/**
 * Runs `write` in a transaction whose changes to promotions are recorded as made by `actor` (the
 * setting is local to the transaction, so a pooled connection carries no one's name onwards).
 */
export async function asActor<T>(db: HqDb, actor: string, write: (trx: HqDb) => Promise<T>): Promise<T> {
  const run = async (trx: HqDb): Promise<T> => {
    await sql`SELECT set_config('tally.actor', ${actor}, true)`.execute(trx);
    return write(trx);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Every version of a promotion, newest first; 404 naming the id when there is none. */
export async function promotionHistory(db: HqDb, id: string): Promise<PromotionVersion[]> {
  const rows = await catalogDb(db)
    .selectFrom('promotion_versions')
    .selectAll()
    .where('promotion_id', '=', id)
    .orderBy('version', 'desc')
    .execute();
  if (rows.length === 0) throw notFound(`promotion ${id}`, 'id');
  return rows.map((r) => ({
    promotionId: r.promotion_id,
    version: Number(r.version),
    definition: r.definition,
    active: r.active,
    changedAt: r.changed_at,
    changedBy: r.changed_by,
  }));
}

/** The promotions in force (active or not) for these ids, as their definition and state: a change's "before". */
export async function currentPromotions(
  db: HqDb,
  ids: readonly string[],
): Promise<Map<string, { definition: Record<string, unknown>; active: boolean }>> {
  if (ids.length === 0) return new Map();
  const rows = await catalogDb(db)
    .selectFrom('promotions')
    .select(['id', 'definition', 'active'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, { definition: r.definition, active: r.active }]));
}
