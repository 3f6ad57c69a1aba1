import { catalogDb } from '../catalog/hq/index.ts';
import type { EventEnvelope } from '../core/index.ts';
import { checkedAdd } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { SALES_EVENT_TYPES, saleCompletedSchema, saleReturnedSchema } from '../sales/index.ts';
import { addToTotals, type EventContribution, resetToBase } from '../sync/index.ts';
import { reportsDb } from './reports-tables.ts';

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The store-local hour of an instant. Never throws: a projection must not stop on one odd event, so an
 * unreadable time or zone counts in hour 0 (UTC) rather than halting every later sale.
 */
export function localHour(at: string, timeZone: string): number {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return 0;
  let f = hourFormats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' });
    } catch {
      return new Date(t).getUTCHours();
    }
    hourFormats.set(timeZone, f);
  }
  const h = Number(f.formatToParts(t).find((p) => p.type === 'hour')?.value);
  return Number.isInteger(h) && h >= 0 && h < 24 ? h : new Date(t).getUTCHours();
}

/** Sales of one store in one store-local hour of a business date. */
export interface SalesHourlyFact {
  businessDate: string;
  storeId: string;
  hour: number;
  transactions: number;
  units: number;
  netMinor: number;
  grossMinor: number;
  /** Supplier cost of the lines whose cost is known, and the net of those same lines. */
  costMinor: number;
  costedNetMinor: number;
}

/**
 * Sums completed sales per (business date, store, local hour), net of returns, as sales_daily does: a
 * return counts against its own hour with negative units and amounts, and is not a transaction. The
 * hour is the event's time in the store's zone; cost is the catalog's supplier cost where known.
 */
export function salesHourlyDeltas(
  events: readonly EventEnvelope[],
  zoneOf: (storeId: string) => string,
  costOf: (sku: string) => number | null,
): SalesHourlyFact[] {
  const sums = new Map<string, SalesHourlyFact>();
  const row = (e: EventEnvelope): SalesHourlyFact => {
    const hour = localHour(e.occurredAt, zoneOf(e.storeId));
    const key = `${e.businessDate}\u0000${e.storeId}\u0000${String(hour).padStart(2, '0')}`;
    let r = sums.get(key);
    if (!r) {
      r = {
        businessDate: e.businessDate,
        storeId: e.storeId,
        hour,
        transactions: 0,
        units: 0,
        netMinor: 0,
        grossMinor: 0,
        costMinor: 0,
        costedNetMinor: 0,
      };
      sums.set(key, r);
    }
    return r;
  };
  const add = (r: SalesHourlyFact, sign: 1 | -1, line: { sku: string; qty: number; netMinor: number }) => {
    r.units = checkedAdd(r.units, sign * line.qty);
    r.netMinor = checkedAdd(r.netMinor, sign * line.netMinor);
    const cost = costOf(line.sku);
    // The catalog's cost is not bounded by ingest: a cost too large to multiply exactly leaves the line
    // uncosted (as an unknown cost does) rather than storing a figure nobody can read back.
    const lineCost = cost === null ? null : cost * line.qty;
    if (
      lineCost !== null &&
      Number.isSafeInteger(lineCost) &&
      Number.isSafeInteger(r.costMinor + sign * lineCost)
    ) {
      r.costMinor = checkedAdd(r.costMinor, sign * lineCost);
      r.costedNetMinor = checkedAdd(r.costedNetMinor, sign * line.netMinor);
    }
  };
  for (const e of events) {
    if (e.type === SALES_EVENT_TYPES.saleCompleted) {
      const sale = saleCompletedSchema.parse(e.payload);
      const r = row(e);
      r.transactions += 1;
      r.grossMinor = checkedAdd(r.grossMinor, sale.grossMinor);
      for (const line of sale.lines) add(r, 1, line);
    } else if (e.type === SALES_EVENT_TYPES.saleReturned) {
      const ret = saleReturnedSchema.parse(e.payload);
      const r = row(e);
      for (const line of ret.lines) {
        add(r, -1, line);
        r.grossMinor = checkedAdd(r.grossMinor, -line.grossMinor);
      }
    }
  }
  // A fixed order, so concurrent upserts lock rows alike and cannot deadlock.
  const key = (f: SalesHourlyFact) => `${f.businessDate}\u0000${f.storeId}\u0000${f.hour + 100}`;
  return [...sums.values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

const CHUNK = 5_000;

/** Adds newly stored sales to sales_hourly in one upsert per chunk (inside the projection transaction). */
export async function applySalesHourlyProjection(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  const sales = events.filter(
    (e) => e.type === SALES_EVENT_TYPES.saleCompleted || e.type === SALES_EVENT_TYPES.saleReturned,
  );
  if (sales.length === 0) return;
  const storeIds = [...new Set(sales.map((e) => e.storeId))];
  const zones = new Map(
    (await trx.selectFrom('stores').select(['id', 'time_zone']).where('id', 'in', storeIds).execute()).map(
      (s) => [s.id, s.time_zone],
    ),
  );
  const skus = new Set<string>();
  for (const e of sales)
    for (const l of (e.payload as { lines?: { sku: string }[] }).lines ?? []) skus.add(l.sku);
  const costs = new Map<string, number | null>();
  const skuList = [...skus];
  for (let i = 0; i < skuList.length; i += CHUNK) {
    const rows = await catalogDb(trx)
      .selectFrom('products')
      .select(['sku', 'cost_minor'])
      .where('sku', 'in', skuList.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) costs.set(r.sku, r.cost_minor === null ? null : Number(r.cost_minor));
  }
  const facts = salesHourlyDeltas(
    sales,
    (s) => zones.get(s) ?? 'UTC',
    (sku) => costs.get(sku) ?? null,
  );
  for (let i = 0; i < facts.length; i += CHUNK) {
    await reportsDb(trx)
      .insertInto('sales_hourly')
      .values(
        facts.slice(i, i + CHUNK).map((f) => ({
          business_date: f.businessDate,
          store_id: f.storeId,
          hour: f.hour,
          transactions: f.transactions,
          units: f.units,
          net_minor: f.netMinor,
          gross_minor: f.grossMinor,
          cost_minor: f.costMinor,
          costed_net_minor: f.costedNetMinor,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['business_date', 'store_id', 'hour']).doUpdateSet(addToTotals('sales_hourly')),
      )
      .execute();
  }
}

/** What reports tells HQ's event log: the hourly sales projection and the table it owns. */
export const reportsEvents: EventContribution = {
  module: 'reports',
  projections: [
    {
      name: 'hourly sales facts',
      tables: ['sales_hourly'],
      // Keeps what was imported rather than logged (see projection-base.ts): only the log's part goes.
      reset: (trx) => resetToBase(trx, 'sales_hourly'),
      apply: applySalesHourlyProjection,
    },
  ],
};
