import { conflict, invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { PriceEntry } from '../pricebook.ts';
import { type CatalogDb, catalogDb } from './catalog-tables.ts';
import { toEntry } from './prices.ts';

/**
 * Ending and cancelling pricebook entries, and the chain's scheduled price changes. Pricebooks stay
 * append-only for the past: ending an entry only moves its `effective_to` to a moment not yet passed,
 * and only an entry that has not started may be cancelled (removed), so the price at every instant
 * already gone answers as before. The product's version moves, so tills replace the SKU's entries
 * with their next pull (a delta carries all of a changed SKU's entries).
 */

/** One pricebook entry by id, or undefined. */
export async function priceEntry(db: HqDb, id: number): Promise<PriceEntry | undefined> {
  const row = await catalogDb(db).selectFrom('prices').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEntry(row) : undefined;
}

async function entryOrThrow(cdb: CatalogDb, id: number) {
  const row = await cdb.selectFrom('prices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw notFound(`price entry ${id}`, 'id');
  return row;
}

const touchProduct = (cdb: CatalogDb, sku: string) =>
  cdb.updateTable('products').set({ updated_at: new Date() }).where('sku', '=', sku).execute();

/**
 * Ends an entry at `at` (default now): it stays in force until then. `at` may not be in the past (that
 * would rewrite what was charged), must fall after the entry's start and before its current end.
 */
export async function endPrice(
  db: HqDb,
  id: number,
  at: Date | undefined,
  now: Date = new Date(),
): Promise<{ before: PriceEntry; after: PriceEntry }> {
  const end = at ?? now;
  if (end.getTime() < now.getTime() - 1000)
    throw invalid('at', 'must not be in the past: the prices already charged stay as they were');
  return db.transaction().execute(async (trx) => {
    const cdb = catalogDb(trx);
    const row = await entryOrThrow(cdb, id);
    if (end <= row.effective_from)
      throw invalid(
        'at',
        row.effective_from > now
          ? 'the entry has not started yet: cancel it instead'
          : 'must be after the entry starts',
      );
    if (row.effective_to && row.effective_to <= now)
      throw conflict(`price entry ${id} has already ended`, 'id');
    if (row.effective_to && end >= row.effective_to)
      throw invalid('at', `must be before the entry's current end (${row.effective_to.toISOString()})`);
    const updated = await cdb
      .updateTable('prices')
      .set({ effective_to: end })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await touchProduct(cdb, row.sku);
    return { before: toEntry(row), after: toEntry(updated) };
  });
}

/** Cancels an entry that has not started yet (it was never charged, so no history is lost). */
export async function cancelPrice(db: HqDb, id: number, now: Date = new Date()): Promise<PriceEntry> {
  return db.transaction().execute(async (trx) => {
    const cdb = catalogDb(trx);
    const row = await entryOrThrow(cdb, id);
    if (row.effective_from <= now)
      throw conflict(`price entry ${id} is already in force or past: end it instead`, 'id');
    await cdb.deleteFrom('prices').where('id', '=', id).execute();
    await touchProduct(cdb, row.sku);
    return toEntry(row);
  });
}

export interface ScheduledPrice extends PriceEntry {
  productName: string;
}

/** Every entry starting after `now`, across products, soonest first; at most `limit`, with the total. */
export async function scheduledPrices(
  db: HqDb,
  limit: number,
  now: Date = new Date(),
): Promise<{ entries: ScheduledPrice[]; total: number; truncated: boolean }> {
  const cdb = catalogDb(db);
  const { n } = await cdb
    .selectFrom('prices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('effective_from', '>', now)
    .executeTakeFirstOrThrow();
  const rows = await cdb
    .selectFrom('prices as e')
    .innerJoin('products as p', 'p.sku', 'e.sku')
    .selectAll('e')
    .select('p.name as product_name')
    .where('e.effective_from', '>', now)
    .orderBy('e.effective_from')
    .orderBy('e.id')
    .limit(limit)
    .execute();
  const total = Number(n);
  return {
    entries: rows.map((r) => ({ ...toEntry(r), productName: r.product_name })),
    total,
    truncated: total > rows.length,
  };
}

/** Every promotion HQ holds, retired ones too, with its state: the back office's list. */
export async function promotionRecords(
  db: HqDb,
): Promise<{ definition: Record<string, unknown>; active: boolean; version: number; updatedAt: string }[]> {
  const rows = await catalogDb(db)
    .selectFrom('promotions')
    .select(['definition', 'active', 'version', 'updated_at'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    definition: r.definition,
    active: r.active,
    version: Number(r.version),
    updatedAt: r.updated_at.toISOString(),
  }));
}
