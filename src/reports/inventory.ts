import { sql } from 'kysely';
import type {
  AtRiskRow,
  DeadStockRow,
  InventoryResponse,
  NegativeRow,
  SlowMoverRow,
} from '../contracts/index.ts';
import type { HqDb } from '../db/index.ts';
import { addDays, describeStores, num, type StoreSet, source, storeIn } from './common.ts';
import { seriesKey, type WeekDemand, weekDemand } from './demand.ts';

export interface StockFact {
  storeId: string;
  sku: string;
  name: string;
  onHand: number;
  reserved: number;
  /** Moving-average cost from receipts, else the catalog's supplier cost; null when neither is known. */
  unitCostMinor: number | null;
  /** When the open negative-stock exception was raised, if there is one. */
  negativeSince: Date | null;
}

export interface SalesStat {
  units28d: number;
  /** The last day with a sale; null = none in the history HQ holds. */
  lastSoldOn: string | null;
}

/** Thresholds a manager would recognise; the panel states them in its source line. */
export const INVENTORY_RULES = {
  /** Slow mover: more than this many days of stock at the last 28 days' rate. */
  slowCoverDays: 60,
  /** Dead stock: nothing sold for this many days while stock is on hand. */
  deadAfterDays: 90,
  rowLimit: 50,
};

const valueAt = (f: StockFact): number =>
  f.unitCostMinor === null ? 0 : Math.max(0, f.onHand) * f.unitCostMinor;
const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * Pure: classifies each stock row once; every list is sorted most-urgent first and capped, with its
 * true length beside it so a capped list is never read as a count.
 */
export function shapeInventory(
  stock: readonly StockFact[],
  stats: ReadonlyMap<string, SalesStat>,
  demand: ReadonlyMap<string, number>,
  today: string,
  rules = INVENTORY_RULES,
): Pick<
  InventoryResponse,
  'atRisk' | 'slowMovers' | 'deadStock' | 'negative' | 'valueAtCostMinor' | 'counts'
> {
  const atRisk: (AtRiskRow & { short: number })[] = [];
  const slowMovers: SlowMoverRow[] = [];
  const deadStock: DeadStockRow[] = [];
  const negative: NegativeRow[] = [];
  let valueAtCostMinor = 0;
  for (const f of stock) {
    const key = seriesKey(f.storeId, f.sku);
    const base = { storeId: f.storeId, sku: f.sku, name: f.name };
    const value = valueAt(f);
    valueAtCostMinor += value;
    const s = stats.get(key);
    if (f.onHand < 0) {
      negative.push({ ...base, onHand: f.onHand, since: f.negativeSince?.toISOString() ?? null });
      continue;
    }
    const available = f.onHand - f.reserved;
    const week = round1(demand.get(key) ?? 0);
    if (week >= 1 && available < week) {
      atRisk.push({
        ...base,
        available,
        forecast7d: week,
        daysOfCover: round1(Math.max(0, available) / (week / 7)),
        short: week - available,
      });
      continue;
    }
    if (f.onHand === 0) continue;
    const deadSince = addDays(today, -rules.deadAfterDays);
    if (!s || s.lastSoldOn === null || s.lastSoldOn < deadSince) {
      deadStock.push({
        ...base,
        onHand: f.onHand,
        lastSoldOn: s?.lastSoldOn ?? null,
        valueAtCostMinor: value,
      });
      continue;
    }
    const perDay = s.units28d / 28;
    const cover = perDay > 0 ? f.onHand / perDay : null;
    if (cover === null || cover > rules.slowCoverDays)
      slowMovers.push({
        ...base,
        onHand: f.onHand,
        units28d: s.units28d,
        daysOfCover: cover === null ? null : round1(cover),
        valueAtCostMinor: value,
      });
  }
  atRisk.sort(
    (a, b) => b.short - a.short || a.storeId.localeCompare(b.storeId) || a.sku.localeCompare(b.sku),
  );
  slowMovers.sort((a, b) => b.valueAtCostMinor - a.valueAtCostMinor || a.sku.localeCompare(b.sku));
  deadStock.sort((a, b) => b.valueAtCostMinor - a.valueAtCostMinor || a.sku.localeCompare(b.sku));
  negative.sort((a, b) => a.onHand - b.onHand || a.sku.localeCompare(b.sku));
  const n = rules.rowLimit;
  const count = (list: readonly unknown[]) => ({ total: list.length, truncated: list.length > n });
  return {
    counts: {
      atRisk: count(atRisk),
      slowMovers: count(slowMovers),
      deadStock: count(deadStock),
      negative: count(negative),
    },
    atRisk: atRisk.slice(0, n).map(({ short: _short, ...r }) => r),
    slowMovers: slowMovers.slice(0, n),
    deadStock: deadStock.slice(0, n),
    negative: negative.slice(0, n),
    valueAtCostMinor,
  };
}

export async function loadStockFacts(db: HqDb, stores: StoreSet): Promise<StockFact[]> {
  const { rows } = await sql<{
    store_id: string;
    sku: string;
    name: string | null;
    qty: number;
    reserved: number;
    unit_cost: number | null;
    raised_at: Date | null;
  }>`
    SELECT s.store_id, s.sku, p.name, s.qty, s.reserved, coalesce(s.avg_cost_minor, p.cost_minor) AS unit_cost,
      x.raised_at
    FROM stock_on_hand s
    LEFT JOIN products p ON p.sku = s.sku
    LEFT JOIN inventory_exceptions x ON x.store_id = s.store_id AND x.sku = s.sku AND x.status = 'open'
    WHERE ${storeIn('s.store_id', stores)}`.execute(db);
  return rows.map((r) => ({
    storeId: r.store_id,
    sku: r.sku,
    name: r.name ?? r.sku,
    onHand: num(r.qty),
    reserved: num(r.reserved),
    unitCostMinor: r.unit_cost === null ? null : num(r.unit_cost),
    negativeSince: r.raised_at,
  }));
}

/**
 * Units sold in the 28 days before today per store × SKU; for stocked items that sold nothing in that window,
 * the last day they sold at all (one index probe each on sales_daily_item), so dead stock costs no scan
 * of the year.
 */
export async function loadSalesStats(
  db: HqDb,
  stores: StoreSet,
  today: string,
  stock: readonly StockFact[],
): Promise<Map<string, SalesStat>> {
  const { rows } = await sql<{ store_id: string; sku: string; u28: number; last: string | null }>`
    SELECT store_id, sku, sum(qty) AS u28, max(business_date) FILTER (WHERE qty > 0) AS last
    FROM sales_daily
    WHERE business_date >= ${addDays(today, -28)} AND business_date < ${today} AND ${storeIn('store_id', stores)}
    GROUP BY store_id, sku`.execute(db);
  const out = new Map<string, SalesStat>();
  for (const r of rows) out.set(seriesKey(r.store_id, r.sku), { units28d: num(r.u28), lastSoldOn: r.last });
  const quiet = stock.filter((f) => f.onHand > 0 && !out.get(seriesKey(f.storeId, f.sku))?.lastSoldOn);
  for (let i = 0; i < quiet.length; i += 1000) {
    const part = quiet.slice(i, i + 1000);
    const { rows: last } = await sql<{ store_id: string; sku: string; last: string | null }>`
      SELECT c.store_id, c.sku, (SELECT max(d.business_date) FROM sales_daily d
        WHERE d.store_id = c.store_id AND d.sku = c.sku AND d.qty > 0) AS last
      FROM (VALUES ${sql.join(part.map((f) => sql`(${f.storeId}, ${f.sku})`))}) AS c(store_id, sku)`.execute(
      db,
    );
    for (const r of last) {
      const key = seriesKey(r.store_id, r.sku);
      out.set(key, { units28d: out.get(key)?.units28d ?? 0, lastSoldOn: r.last });
    }
  }
  return out;
}

export async function loadInventory(
  db: HqDb,
  q: { stores: StoreSet; today: string; currency: string; demand?: WeekDemand },
): Promise<InventoryResponse> {
  const stock = await loadStockFacts(db, q.stores);
  const stats = await loadSalesStats(db, q.stores, q.today, stock);
  const demand = q.demand ?? (await weekDemand(db, q.stores, q.today, stats));
  const shaped = shapeInventory(stock, stats, demand.bySeries, q.today);
  const basis =
    demand.basis.kind === 'forecast'
      ? `forecast run ${demand.basis.runId} (7 days from ${demand.basis.from})`
      : `no forecast run yet: last 28 days' rate × 7`;
  const r = INVENTORY_RULES;
  return {
    ...shaped,
    currency: q.currency,
    source: source(
      ['stock_on_hand', 'products', 'inventory_exceptions', 'sales_daily', 'forecast_days'],
      `stock_on_hand for ${describeStores(q.stores)} (available = on hand − reserved; value at moving-average or supplier cost) ` +
        `against demand this week from ${basis}; slow = over ${r.slowCoverDays} days of cover at the 28-day rate; ` +
        `dead = nothing sold for ${r.deadAfterDays} days; each list shows its first ${r.rowLimit} rows`,
    ),
  };
}
