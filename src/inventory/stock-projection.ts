import { sql } from 'kysely';
import type { EventEnvelope } from '../core/event.ts';
import type { HqDb } from '../db/hq-db.ts';
import { SALES_EVENT_TYPES, saleCompletedSchema, saleReturnedSchema } from '../sales/events.ts';
import { INVENTORY_EVENT_TYPES, stockReceivedSchema } from './events.ts';

export interface StockDelta {
  storeId: string;
  sku: string;
  qty: number;
}

/**
 * What a run of events does to on-hand stock, summed per (store, sku): sales take away, receipts add,
 * and returned items go back on hand (sorting damaged returns into write-offs comes with counts).
 * Sorted so concurrent upserts from two tills of one store lock rows in the same order and never deadlock.
 */
export function stockDeltas(events: readonly EventEnvelope[]): StockDelta[] {
  const sums = new Map<string, StockDelta>();
  const add = (storeId: string, sku: string, qty: number): void => {
    const key = `${storeId}\u0000${sku}`;
    const row = sums.get(key);
    if (row) row.qty += qty;
    else sums.set(key, { storeId, sku, qty });
  };
  for (const e of events) {
    if (e.type === SALES_EVENT_TYPES.saleCompleted) {
      for (const line of saleCompletedSchema.parse(e.payload).lines) add(e.storeId, line.sku, -line.qty);
    } else if (e.type === SALES_EVENT_TYPES.saleReturned) {
      for (const line of saleReturnedSchema.parse(e.payload).lines) add(e.storeId, line.sku, line.qty);
    } else if (e.type === INVENTORY_EVENT_TYPES.stockReceived) {
      const p = stockReceivedSchema.parse(e.payload);
      add(e.storeId, p.sku, p.qty);
    }
  }
  return [...sums.values()]
    .filter((d) => d.qty !== 0)
    .sort((a, b) => cmp(a.storeId, b.storeId) || cmp(a.sku, b.sku));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Applies newly stored events to stock_on_hand in one upsert (call inside the ingest transaction). */
export async function applyStockProjection(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  const deltas = stockDeltas(events);
  for (let i = 0; i < deltas.length; i += 10_000) {
    await trx
      .insertInto('stock_on_hand')
      .values(deltas.slice(i, i + 10_000).map((d) => ({ store_id: d.storeId, sku: d.sku, qty: d.qty })))
      .onConflict((oc) =>
        oc.columns(['store_id', 'sku']).doUpdateSet({
          qty: sql`stock_on_hand.qty + excluded.qty`,
          updated_at: sql`now()`,
        }),
      )
      .execute();
  }
}

export interface StockRow {
  storeId: string;
  sku: string;
  qty: number;
}

export async function stockOnHand(
  db: HqDb,
  filter: { storeId?: string; sku?: string; limit?: number } = {},
): Promise<StockRow[]> {
  let q = db.selectFrom('stock_on_hand').select(['store_id', 'sku', 'qty']);
  if (filter.storeId) q = q.where('store_id', '=', filter.storeId);
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  const rows = await q
    .orderBy('store_id')
    .orderBy('sku')
    .limit(filter.limit ?? 10_000)
    .execute();
  return rows.map((r) => ({ storeId: r.store_id, sku: r.sku, qty: r.qty }));
}
