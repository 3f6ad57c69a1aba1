import type { EventEnvelope } from '../../core/index.ts';
import { checkedAdd } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { addToTotals } from '../../sync/index.ts';
import { SALES_EVENT_TYPES, saleCompletedSchema, saleReturnedSchema } from '../events.ts';

/** One row of daily sales facts: what a store sold of a product on a business day. */
export interface SalesDailyFact {
  businessDate: string;
  storeId: string;
  sku: string;
  qty: number;
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
  lines: number;
}

/**
 * Sums completed sales per (business date, store, sku), net of returns: a return counts against the
 * day it was made, with negative units and amounts, as net-sales reports do. The business date is the
 * till's, taken in the store's time zone, so a sale at 00:30 counts for the day it belongs to.
 * Sums are checked: ingest bounds every amount (event-checks.ts), so a sum leaving the exact range is a
 * bug to stop on, never a figure to store and fail to read back.
 */
export function salesDailyDeltas(events: readonly EventEnvelope[]): SalesDailyFact[] {
  const sums = new Map<string, SalesDailyFact>();
  const row = (e: EventEnvelope, sku: string): SalesDailyFact => {
    const key = `${e.businessDate}\u0000${e.storeId}\u0000${sku}`;
    let r = sums.get(key);
    if (!r) {
      r = {
        businessDate: e.businessDate,
        storeId: e.storeId,
        sku,
        qty: 0,
        netMinor: 0,
        taxMinor: 0,
        grossMinor: 0,
        lines: 0,
      };
      sums.set(key, r);
    }
    return r;
  };
  for (const e of events) {
    if (e.type === SALES_EVENT_TYPES.saleCompleted) {
      for (const line of saleCompletedSchema.parse(e.payload).lines) {
        const r = row(e, line.sku);
        r.qty = checkedAdd(r.qty, line.qty);
        r.netMinor = checkedAdd(r.netMinor, line.netMinor);
        r.taxMinor = checkedAdd(r.taxMinor, line.taxMinor);
        r.grossMinor = checkedAdd(r.grossMinor, line.grossMinor);
        r.lines += 1;
      }
    } else if (e.type === SALES_EVENT_TYPES.saleReturned) {
      for (const line of saleReturnedSchema.parse(e.payload).lines) {
        const r = row(e, line.sku);
        r.qty = checkedAdd(r.qty, -line.qty);
        r.netMinor = checkedAdd(r.netMinor, -line.netMinor);
        r.taxMinor = checkedAdd(r.taxMinor, -line.taxMinor);
        r.grossMinor = checkedAdd(r.grossMinor, -line.grossMinor);
      }
    }
  }
  // A fixed order, so concurrent upserts lock rows alike and cannot deadlock.
  return [...sums.values()].sort((a, b) =>
    `${a.businessDate}\u0000${a.storeId}\u0000${a.sku}` < `${b.businessDate}\u0000${b.storeId}\u0000${b.sku}`
      ? -1
      : 1,
  );
}

/** Adds newly stored sales to sales_daily in one upsert (call inside the ingest transaction). */
export async function applySalesDailyProjection(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  const facts = salesDailyDeltas(events);
  for (let i = 0; i < facts.length; i += 5_000) {
    await trx
      .insertInto('sales_daily')
      .values(
        facts.slice(i, i + 5_000).map((f) => ({
          business_date: f.businessDate,
          store_id: f.storeId,
          sku: f.sku,
          qty: f.qty,
          net_minor: f.netMinor,
          tax_minor: f.taxMinor,
          gross_minor: f.grossMinor,
          lines: f.lines,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['business_date', 'store_id', 'sku']).doUpdateSet(addToTotals('sales_daily')),
      )
      .execute();
  }
}

export async function salesDaily(
  db: HqDb,
  filter: { storeId?: string; from?: string; to?: string; sku?: string; limit?: number } = {},
): Promise<SalesDailyFact[]> {
  let q = db.selectFrom('sales_daily').selectAll();
  if (filter.storeId) q = q.where('store_id', '=', filter.storeId);
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  if (filter.from) q = q.where('business_date', '>=', filter.from);
  if (filter.to) q = q.where('business_date', '<=', filter.to);
  const rows = await q
    .orderBy('business_date')
    .orderBy('store_id')
    .orderBy('sku')
    .limit(filter.limit ?? 10_000)
    .execute();
  return rows.map((r) => ({
    businessDate: r.business_date,
    storeId: r.store_id,
    sku: r.sku,
    qty: r.qty,
    netMinor: r.net_minor,
    taxMinor: r.tax_minor,
    grossMinor: r.gross_minor,
    lines: r.lines,
  }));
}
