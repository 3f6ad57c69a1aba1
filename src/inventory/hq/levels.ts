import { sql } from 'kysely';
import { type Level, levelKey } from './fold.ts';
import { type InventoryDb, keyIn } from './inventory-tables.ts';

const CHUNK = 2_000;

/**
 * Locks the level rows of every key in key order and returns them, creating the missing ones first.
 * Creating before reading means two transactions meeting a new key both end up waiting on one row
 * instead of each computing from nothing. The usual case (all rows exist) costs one query.
 */
export async function lockLevels(
  db: InventoryDb,
  keys: readonly { storeId: string; sku: string }[],
): Promise<Map<string, Level>> {
  const levels = new Map<string, Level>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    let rows = await selectForUpdate(db, chunk);
    if (rows.length < chunk.length) {
      await db
        .insertInto('stock_on_hand')
        .values(chunk.map((k) => ({ store_id: k.storeId, sku: k.sku, qty: 0 })))
        .onConflict((oc) => oc.doNothing())
        .execute();
      rows = await selectForUpdate(db, chunk);
    }
    for (const r of rows)
      levels.set(levelKey(r.store_id, r.sku), {
        storeId: r.store_id,
        sku: r.sku,
        onHand: r.qty,
        reserved: r.reserved,
        inTransitIn: r.in_transit_in,
        inTransitOut: r.in_transit_out,
        avgCostMinor: r.avg_cost_minor,
      });
  }
  return levels;
}

const selectForUpdate = (db: InventoryDb, keys: readonly { storeId: string; sku: string }[]) =>
  db
    .selectFrom('stock_on_hand')
    .select(['store_id', 'sku', 'qty', 'reserved', 'in_transit_in', 'in_transit_out', 'avg_cost_minor'])
    .where(keyIn(keys))
    // Byte order, as the keys were sorted in JS: every locker takes rows in one order.
    .orderBy(sql`store_id collate "C"`)
    .orderBy(sql`sku collate "C"`)
    .forUpdate()
    .execute();
