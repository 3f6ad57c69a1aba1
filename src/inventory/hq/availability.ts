import { sql } from 'kysely';
import type { EventEnvelope } from '../../core/index.ts';
import { type Clock, systemClock } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { type InventoryDb, inventoryDb, keyIn } from './inventory-tables.ts';

/** Appends HQ-made events to the log (and projects them); the HQ app passes sync's appendHqEvents. */
export type AppendEvents = (
  db: HqDb,
  drafts: readonly { storeId: string; type: string; payload: Record<string, unknown> }[],
) => Promise<EventEnvelope[]>;

export interface InventoryDeps {
  db: HqDb;
  append: AppendEvents;
  clock?: Clock;
}

export const nowOf = (deps: { clock?: Clock }): Date => (deps.clock ?? systemClock).now();

/** One location × SKU as an online shop or a manager sees it. */
export interface Availability {
  storeId: string;
  sku: string;
  onHand: number;
  /** Units held by live reservations: an expired one no longer counts, swept or not. */
  reserved: number;
  available: number;
  inTransitIn: number;
  inTransitOut: number;
  avgCostMinor: number | null;
  version: number;
}

/**
 * Availability read with lazy expiry: reserved is summed from reservations still active and not yet
 * past their expiry at `now`, so a reservation the sweeper has not reached yet never hides stock.
 */
export async function availability(
  db: HqDb,
  filter: {
    storeIds?: readonly string[];
    sku?: string;
    keys?: readonly { storeId: string; sku: string }[];
    limit?: number;
  } = {},
  now: Date = new Date(),
): Promise<Availability[]> {
  if (filter.storeIds?.length === 0 || filter.keys?.length === 0) return [];
  const d = inventoryDb(db);
  let live = d
    .selectFrom('inventory_reservation_lines as l')
    .innerJoin('inventory_reservations as r', 'r.id', 'l.reservation_id')
    .select(['l.store_id', 'l.sku', (eb) => eb.fn.sum<number>('l.qty').as('qty')])
    .where('r.status', '=', 'active')
    .where('r.expires_at', '>', now)
    .groupBy(['l.store_id', 'l.sku']);
  let q = d
    .selectFrom('stock_on_hand as s')
    .select([
      's.store_id',
      's.sku',
      's.qty',
      's.in_transit_in',
      's.in_transit_out',
      's.avg_cost_minor',
      's.version',
    ]);
  if (filter.storeIds) {
    live = live.where('l.store_id', 'in', filter.storeIds);
    q = q.where('s.store_id', 'in', filter.storeIds);
  }
  if (filter.sku) {
    live = live.where('l.sku', '=', filter.sku);
    q = q.where('s.sku', '=', filter.sku);
  }
  if (filter.keys) {
    const keys = filter.keys;
    live = live
      .where('l.store_id', 'in', [...new Set(keys.map((k) => k.storeId))])
      .where('l.sku', 'in', [...new Set(keys.map((k) => k.sku))]);
    q = q.where(keyIn(keys, 's.'));
  }
  const rows = await q
    .leftJoin(live.as('live'), (j) =>
      j.onRef('live.store_id', '=', 's.store_id').onRef('live.sku', '=', 's.sku'),
    )
    .select('live.qty as live_reserved')
    .orderBy('s.store_id')
    .orderBy('s.sku')
    .limit(filter.limit ?? 10_000)
    .execute();
  return rows.map((r) => {
    const reserved = Number(r.live_reserved ?? 0);
    return {
      storeId: r.store_id,
      sku: r.sku,
      onHand: r.qty,
      reserved,
      available: r.qty - reserved,
      inTransitIn: r.in_transit_in,
      inTransitOut: r.in_transit_out,
      avgCostMinor: r.avg_cost_minor,
      version: r.version,
    };
  });
}

/** Units held by live reservations per SKU at one store (call under the level locks to decide on them). */
export async function liveReserved(
  db: InventoryDb,
  storeId: string,
  skus: readonly string[],
  now: Date,
): Promise<Map<string, number>> {
  if (skus.length === 0) return new Map();
  const rows = await db
    .selectFrom('inventory_reservation_lines as l')
    .innerJoin('inventory_reservations as r', 'r.id', 'l.reservation_id')
    .select(['l.sku', (eb) => eb.fn.sum<number>('l.qty').as('qty')])
    .where('l.store_id', '=', storeId)
    .where('l.sku', 'in', skus)
    .where('r.status', '=', 'active')
    .where('r.expires_at', '>', now)
    .groupBy('l.sku')
    .execute();
  return new Map(rows.map((r) => [r.sku, Number(r.qty)]));
}

/**
 * On hand and live availability of the given SKUs at one store, with the level rows locked (in SKU
 * order) until the transaction ends: the decision made on these numbers cannot be raced.
 */
export async function lockedAvailability(
  db: InventoryDb,
  storeId: string,
  skus: readonly string[],
  now: Date,
): Promise<Map<string, { onHand: number; available: number; avgCostMinor: number | null }>> {
  const sorted = [...new Set(skus)].sort();
  if (sorted.length === 0) return new Map();
  const rows = await db
    .selectFrom('stock_on_hand')
    .select(['sku', 'qty', 'avg_cost_minor'])
    .where('store_id', '=', storeId)
    .where('sku', 'in', sorted)
    .orderBy(sql`sku collate "C"`)
    .forUpdate()
    .execute();
  const reserved = await liveReserved(db, storeId, sorted, now);
  return new Map(
    rows.map((r) => [
      r.sku,
      { onHand: r.qty, available: r.qty - (reserved.get(r.sku) ?? 0), avgCostMinor: r.avg_cost_minor },
    ]),
  );
}

/** Runs `body` in the caller's transaction, or in a new one. */
export const inTransaction = <T>(db: HqDb, body: (trx: HqDb) => Promise<T>): Promise<T> =>
  db.isTransaction ? body(db) : db.transaction().execute(body);
