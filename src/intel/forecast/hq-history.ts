/**
 * HQ's sales facts as the engine's Panel: one series per store × SKU, daily quantity from sales_daily,
 * zero-filled from the series' first sale (sales_daily has a row only for days with sales) up to the
 * as-of day. Static attributes come from the catalog (store, category and its top-level parent), the daily
 * price from HQ's effective-dated prices when there are any, else the product's list price. Stock held
 * at a store that never sold there gets a series with no history, which the engine forecasts from its
 * category and store peers. The chain's calendar (calendar_events) becomes daily covariates over history
 * and horizon alike, as the history CSV carries them: `event` (categorical, the day's event at the store)
 * and `snap` (numeric 1/0, a SNAP day in the store's region), each only when the calendar has any in the
 * window, so an HQ without a calendar forecasts as before.
 */
import { sql } from 'kysely';
import { catalogDb, storeCalendars } from '../../catalog/hq/index.ts';
import { invalid, minorDigits } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import {
  type Calendar,
  type CategoricalCovariate,
  dayIndex,
  isoToUtcMs,
  makeCalendar,
  type Panel,
  type Series,
  utcMsToIso,
} from './panel.ts';

const DAY_MS = 86_400_000;

/** The engine looks at most two years back (select.ts window 728); a little more costs nothing. */
export const DEFAULT_HISTORY_DAYS = 735;

export interface HqSeriesKey {
  storeId: string;
  sku: string;
  /** The product's own category (leaf) and the path from the top-level category down to it. */
  category: string;
  categoryPath: readonly string[];
  /** Days from the first sale (inside the window) to the as-of day; 0 for a series never sold. */
  historyDays: number;
}

export interface HqPanel {
  panel: Panel;
  /** Aligned with panel.series. */
  keys: HqSeriesKey[];
  /** The training window: first day loaded and the as-of day (the last day of history). */
  from: string;
  asOf: string;
  /** Calendar index of asOf; the horizon is asOf+1 … asOf+horizonDays. */
  asOfIndex: number;
  /** Whether the calendar has the store shut on day t (an event of type Closed): expect no sales. */
  closed: (storeId: string, t: number) => boolean;
}

export interface HqPanelOptions {
  horizonDays: number;
  /** Last day of history (YYYY-MM-DD). Default: the latest business date in sales_daily, but not today. */
  asOf?: string;
  historyDays?: number;
  /** Only these stores (all when absent). */
  storeIds?: readonly string[];
}

export const UNCATEGORISED = 'uncategorised';

/** The default as-of day: the latest day with sales, but never today (its sales are still coming in). */
export async function defaultAsOf(db: HqDb, now: Date = new Date()): Promise<string | undefined> {
  const r = await db
    .selectFrom('sales_daily')
    .select(sql<string | null>`max(business_date)`.as('d'))
    .executeTakeFirst();
  if (!r?.d) return undefined;
  const yesterday = utcMsToIso(Math.floor(now.getTime() / DAY_MS) * DAY_MS - DAY_MS);
  return r.d < yesterday ? r.d : yesterday;
}

export async function loadHqPanel(db: HqDb, o: HqPanelOptions): Promise<HqPanel> {
  if (!Number.isInteger(o.horizonDays) || o.horizonDays < 1 || o.horizonDays > 730)
    throw invalid('horizonDays', `expected a whole number of days from 1 to 730, got ${o.horizonDays}`);
  const asOf = o.asOf ?? (await defaultAsOf(db));
  if (asOf === undefined)
    throw invalid('sales_daily', 'HQ has no sales yet; sync tills or run `tally import m5` first');
  if (Number.isNaN(isoToUtcMs(asOf))) throw invalid('asOf', `"${asOf}" is not a YYYY-MM-DD date`);
  const historyDays = o.historyDays ?? DEFAULT_HISTORY_DAYS;
  const asOfMs = isoToUtcMs(asOf);
  const from = utcMsToIso(asOfMs - (historyDays - 1) * DAY_MS);
  const calendar = makeCalendar(from, utcMsToIso(asOfMs + o.horizonDays * DAY_MS));
  const asOfIndex = historyDays - 1;
  const n = calendar.dates.length;
  const stores = o.storeIds;

  let salesQ = db
    .selectFrom('sales_daily')
    .select(['store_id', 'sku', 'business_date', 'qty'])
    .where('business_date', '>=', from)
    .where('business_date', '<=', asOf);
  if (stores) salesQ = salesQ.where('store_id', 'in', stores.length ? stores : ['']);
  const sales = await salesQ.execute();

  const cat = catalogDb(db);
  const [products, categories, stock, storeRows] = await Promise.all([
    cat.selectFrom('products').select(['sku', 'category', 'category_id', 'price_minor']).execute(),
    cat.selectFrom('categories').select(['id', 'parent_id']).execute(),
    (() => {
      let q = db.selectFrom('stock_on_hand').select(['store_id', 'sku']).where('qty', '>', 0);
      if (stores) q = q.where('store_id', 'in', stores.length ? stores : ['']);
      return q.execute();
    })(),
    db.selectFrom('stores').select(['id', 'currency']).execute(),
  ]);
  // Prices become currency units by each store's own digits (¥ has none, BHD three), not by 100.
  const unitsPer = new Map(storeRows.map((r) => [r.id, 10 ** minorDigits(r.currency)]));
  const parentOf = new Map(categories.map((c) => [c.id, c.parent_id]));
  const pathOf = (id: string): string[] => {
    const path: string[] = [];
    // Bounded walk: a cycle in bad catalog data must not hang the refresh.
    for (let c: string | null | undefined = id; c && path.length < 16; c = parentOf.get(c)) path.unshift(c);
    return path;
  };
  const productBy = new Map(products.map((p) => [p.sku, p]));

  // Series keyed by store|sku; the history array is filled as rows arrive.
  const bySeries = new Map<string, { storeId: string; sku: string; history: Float64Array; first: number }>();
  const seriesFor = (storeId: string, sku: string) => {
    const k = `${storeId}|${sku}`;
    let s = bySeries.get(k);
    if (!s) {
      s = { storeId, sku, history: new Float64Array(n).fill(Number.NaN), first: -1 };
      bySeries.set(k, s);
    }
    return s;
  };
  for (const r of sales) {
    const t = dayIndex(calendar, r.business_date);
    if (t < 0 || t > asOfIndex) continue;
    const s = seriesFor(r.store_id, r.sku);
    // Returns can make a day's net quantity negative; demand is what was sold, never below zero.
    s.history[t] = Math.max(0, Number(r.qty));
    if (s.first < 0 || t < s.first) s.first = t;
  }
  for (const r of stock) seriesFor(r.store_id, r.sku);

  const prices = await loadPrices(db, calendar.dates, [...new Set([...bySeries.values()].map((s) => s.sku))]);
  const covariates = await calendarCovariates(db, calendar, [
    ...new Set([...bySeries.values()].map((s) => s.storeId)),
  ]);
  const horizon = Int32Array.from({ length: o.horizonDays }, (_, j) => asOfIndex + 1 + j);
  const keys: HqSeriesKey[] = [];
  const series: Series[] = [];
  const ordered = [...bySeries.values()].sort((a, b) =>
    a.storeId === b.storeId ? (a.sku < b.sku ? -1 : 1) : a.storeId < b.storeId ? -1 : 1,
  );
  for (const s of ordered) {
    const p = productBy.get(s.sku);
    const category = p?.category_id ?? (p?.category || UNCATEGORISED);
    const path = p?.category_id ? pathOf(p.category_id) : [category];
    if (s.first >= 0)
      for (let t = s.first; t <= asOfIndex; t++) if (Number.isNaN(s.history[t])) s.history[t] = 0;
    const price = priceSeries(
      prices,
      s.storeId,
      s.sku,
      n,
      p ? Number(p.price_minor) : Number.NaN,
      unitsPer.get(s.storeId) ?? 100,
    );
    series.push({
      id: `${s.storeId}|${s.sku}`,
      history: s.history,
      first: s.first,
      last: s.first >= 0 ? asOfIndex : -1,
      horizon,
      numeric: { price, ...covariates.numeric(s.storeId) },
      categorical: covariates.categorical(s.storeId),
      attrs: { store: s.storeId, item: s.sku, cat: path[0] ?? category, dept: category },
    });
    keys.push({
      storeId: s.storeId,
      sku: s.sku,
      category,
      categoryPath: path,
      historyDays: s.first >= 0 ? asOfIndex - s.first + 1 : 0,
    });
  }
  return { panel: { calendar, series }, keys, from, asOf, asOfIndex, closed: covariates.closed };
}

/**
 * The calendar's covariates per store, one array per store shared by its series. Event levels are shared
 * by every series, numbered in order of first sight.
 */
async function calendarCovariates(
  db: HqDb,
  calendar: Calendar,
  storeIds: readonly string[],
): Promise<{
  numeric: (storeId: string) => Record<string, Float64Array>;
  categorical: (storeId: string) => Record<string, CategoricalCovariate>;
  closed: (storeId: string, t: number) => boolean;
}> {
  const dates = calendar.dates;
  const n = dates.length;
  const byStore = await storeCalendars(db, storeIds, dates[0] as string, dates[n - 1] as string);
  const levels: string[] = [];
  const levelOf = new Map<string, number>();
  const events = new Map<string, Int32Array>();
  const snaps = new Map<string, Float64Array>();
  const shut = new Map<string, Set<number>>();
  let anyEvent = false;
  let anySnap = false;
  for (const [store, days] of byStore) {
    const codes = new Int32Array(n).fill(-1);
    const snap = new Float64Array(n);
    for (const [date, d] of days) {
      const t = dayIndex(calendar, date);
      if (t < 0) continue;
      if (d.closed) shut.set(store, (shut.get(store) ?? new Set()).add(t));
      if (d.snap) {
        snap[t] = 1;
        anySnap = true;
      }
      if (d.event !== undefined) {
        let code = levelOf.get(d.event);
        if (code === undefined) {
          code = levels.length;
          levels.push(d.event);
          levelOf.set(d.event, code);
        }
        codes[t] = code;
        anyEvent = true;
      }
    }
    events.set(store, codes);
    snaps.set(store, snap);
  }
  const none = new Int32Array(n).fill(-1);
  const zero = new Float64Array(n);
  return {
    numeric: (s): Record<string, Float64Array> => (anySnap ? { snap: snaps.get(s) ?? zero } : {}),
    categorical: (s): Record<string, CategoricalCovariate> =>
      anyEvent ? { event: { codes: events.get(s) ?? none, levels } } : {},
    closed: (s, t) => shut.get(s)?.has(t) ?? false,
  };
}

interface PriceRow {
  scope: 'chain' | 'zone' | 'store';
  scopeId: string;
  from: number;
  to: number;
  priceMinor: number;
}

/** Effective-dated prices per SKU, as calendar index ranges [from, to). Zone prices are not resolved. */
async function loadPrices(
  db: HqDb,
  dates: readonly string[],
  skus: string[],
): Promise<Map<string, PriceRow[]>> {
  const out = new Map<string, PriceRow[]>();
  if (skus.length === 0 || dates.length === 0) return out;
  const first = isoToUtcMs(dates[0] as string);
  const idx = (d: Date): number => Math.floor((d.getTime() - first) / DAY_MS);
  const rows = await catalogDb(db)
    .selectFrom('prices')
    .select(['sku', 'scope', 'scope_id', 'price_minor', 'effective_from', 'effective_to'])
    .where('scope', 'in', ['chain', 'store'])
    .where('sku', 'in', skus)
    .orderBy('sku')
    .orderBy('effective_from')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    let list = out.get(r.sku);
    if (!list) {
      list = [];
      out.set(r.sku, list);
    }
    list.push({
      scope: r.scope,
      scopeId: r.scope_id,
      from: idx(new Date(r.effective_from)),
      to: r.effective_to ? idx(new Date(r.effective_to)) : dates.length,
      priceMinor: Number(r.price_minor),
    });
  }
  return out;
}

/** Daily price in currency units: the list price, overridden by chain then store entries (later wins). */
function priceSeries(
  prices: Map<string, PriceRow[]>,
  storeId: string,
  sku: string,
  n: number,
  listMinor: number,
  minorPerUnit: number,
): Float64Array {
  const a = new Float64Array(n).fill(listMinor / minorPerUnit);
  const rows = prices.get(sku);
  if (!rows) return a;
  for (const scope of ['chain', 'store'] as const) {
    for (const r of rows) {
      if (r.scope !== scope || (scope === 'store' && r.scopeId !== storeId)) continue;
      for (let t = Math.max(0, r.from); t < Math.min(n, r.to); t++) a[t] = r.priceMinor / minorPerUnit;
    }
  }
  return a;
}
