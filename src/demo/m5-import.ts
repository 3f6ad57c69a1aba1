/**
 * Loads the Walmart M5 subset (../shared/data/m5-subset, see its SOURCE.md) into HQ so the demo, the
 * forecasts and the dashboard run on real history: stores (CA_1 …), categories (FOODS → FOODS_1 …),
 * products (M5 item ids, list price = latest sell price, a cost at a fixed margin per category, one
 * supplier per department with a stated lead time), store price history from the weekly sell prices,
 * daily sales facts, the calendar (events chain-wide, SNAP days per state, each store in its state's
 * region) and opening stock per store × item at the last imported day (see openingStock).
 * When HQ has a sales_hourly table, each store-day is spread over opening hours by a fixed profile
 * (M5 has no hours; the caller says so). Re-importing replaces the M5 rows, so counts do not grow.
 * Sales facts are written as base (see projection-base.ts), so `tally hq rebuild` keeps them.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import {
  type CalendarEvent,
  catalogDb,
  replaceCalendarSource,
  SNAP_TYPE,
  setStoreRegions,
  upsertCategories,
} from '../catalog/hq/index.ts';
import { addSuppliers } from '../catalog/index.ts';
import { invalid } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import {
  loadM5,
  type M5Data,
  type M5Series,
  openMaybeGz,
  priceOn,
  utcMsToIso,
} from '../intel/forecast/index.ts';
import { INVENTORY_EVENT_TYPES } from '../inventory/index.ts';
import { appendHqEvents, type LocalEventDraft } from '../sync/hq/index.ts';
import type { EventRegistry } from '../sync/index.ts';
import { addWithBase, baseTargets, takeOutBase } from '../sync/index.ts';

const DAY_MS = 86_400_000;
const CHUNK = 20_000;
export const M5_SOURCE = 'm5';

/** The files `loadM5` reads, each with the start of its header. */
const REQUIRED: Record<string, string> = {
  'calendar.csv': 'date,wm_yr_wk,',
  'sell_prices_subset.csv': 'store_id,item_id,wm_yr_wk,sell_price',
  'sales_subset_long.csv.gz': 'id,item_id,dept_id,cat_id,store_id,state_id,date,sales',
};

const STATE: Record<string, { name: string; timeZone: string; taxBp: number }> = {
  CA: { name: 'California', timeZone: 'America/Los_Angeles', taxBp: 725 },
  TX: { name: 'Texas', timeZone: 'America/Chicago', taxBp: 625 },
  WI: { name: 'Wisconsin', timeZone: 'America/Chicago', taxBp: 500 },
};
/** Cost as a share of price: grocery margins are thin, hobby goods carry more. */
const COST_RATIO: Record<string, number> = { FOODS: 0.72, HOUSEHOLD: 0.62, HOBBIES: 0.55 };
/** Units per supplier case: what replenishment rounds orders to. */
const PACK: Record<string, number> = { FOODS: 12, HOUSEHOLD: 6, HOBBIES: 1 };
/**
 * Days from order to shelf per category's department suppliers. M5 has no supplier data; these are
 * assumptions: groceries come from a regional distribution centre on frequent trucks, household goods
 * less often, hobby goods from further away. An import keeps terms already set by `tally suppliers set`.
 */
export const M5_LEAD_DAYS: Record<string, number> = { FOODS: 2, HOUSEHOLD: 4, HOBBIES: 7 };

/**
 * Opening stock (M5 has none): each store × item holds OPENING_COVER_DAYS of its average daily sales
 * over the last OPENING_RATE_DAYS imported days, rounded up to whole cases and at least one case. The
 * first and every LOW_EVERY-th item of each store (in SKU order) has sold out, as a real store always
 * has a few empty shelves: those are what replenishment orders and lists at risk. Sold out, not merely
 * low, because the reorder point under a fill-rate target with a large lot can be below a day's sales,
 * and then a low item would not be ordered and the lists would look the same as with full shelves.
 */
export const OPENING_RATE_DAYS = 28;
export const OPENING_COVER_DAYS = 21;
export const LOW_EVERY = 10;

/**
 * Share of a day's sales by local hour (8:00–21:59), a typical supermarket day: a late-morning rise and
 * an after-work peak. M5 is daily; this is an assumption, not data.
 */
export const HOURLY_PROFILE: readonly [hour: number, weight: number][] = [
  [8, 3],
  [9, 5],
  [10, 7],
  [11, 8],
  [12, 9],
  [13, 8],
  [14, 7],
  [15, 7],
  [16, 8],
  [17, 10],
  [18, 10],
  [19, 8],
  [20, 6],
  [21, 4],
];

export type M5Stage = 'reading' | 'catalog' | 'prices' | 'sales' | 'hourly' | 'calendar' | 'stock';

export interface ImportM5Options {
  dir: string;
  /** Only the first N stores (in id order). */
  stores?: number;
  /** Only the last N days of sales. */
  days?: number;
  onProgress?: (stage: M5Stage, done: number, total: number) => void;
}

export interface ImportM5Result {
  stores: number;
  categories: number;
  products: number;
  priceRows: number;
  salesRows: number;
  units: number;
  /** Store-hour rows written to sales_hourly; undefined when HQ has no such table. */
  hourlyRows: number | undefined;
  /** Calendar rows (events and per-state SNAP days), department suppliers new to HQ. */
  calendarEvents: number;
  suppliersAdded: number;
  /** Store × item stock movements written (none on a re-import of the same data), and units held after. */
  stockMovements: number;
  stockUnits: number;
  /** Store × item lines left sold out on purpose (LOW_EVERY). */
  lowStock: number;
  from: string;
  to: string;
}

/** Refuses a folder that is not the M5 subset, naming every file (or header) it lacks. */
export async function checkM5Folder(dir: string): Promise<void> {
  const problems: string[] = [];
  for (const [file, header] of Object.entries(REQUIRED)) {
    const path = `${dir}/${file}`;
    const first = existsSync(path) ? await firstLine(path).catch(() => undefined) : undefined;
    if (first === undefined) problems.push(`${file} (missing or unreadable)`);
    else if (!first.startsWith(header)) problems.push(`${file} (header should start "${header}")`);
  }
  if (problems.length > 0)
    throw invalid('--from', `${dir} is not the M5 subset; it lacks ${problems.join(', ')}`);
}

async function firstLine(path: string): Promise<string> {
  const input = openMaybeGz(path);
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const l of rl) return l;
    return '';
  } finally {
    rl.close();
    input.destroy();
  }
}

const title = (id: string): string =>
  id
    .toLowerCase()
    .split('_')
    .map((w) => (w ? w[0]?.toUpperCase() + w.slice(1) : w))
    .join(' ');

export async function importM5(
  db: HqDb,
  registry: EventRegistry,
  o: ImportM5Options,
): Promise<ImportM5Result> {
  await checkM5Folder(o.dir);
  o.onProgress?.('reading', 0, 1);
  const data = await loadM5(o.dir);
  o.onProgress?.('reading', 1, 1);
  const storeIds = [...new Set(data.series.map((s) => s.store))].sort();
  const keepStores = new Set(o.stores ? storeIds.slice(0, o.stores) : storeIds);
  const series = data.series.filter((s) => keepStores.has(s.store));
  if (series.length === 0) throw invalid('--stores', 'no series left to import');
  const fromDay = o.days ? data.lastDay - o.days + 1 : Number.NEGATIVE_INFINITY;

  // Products: one per M5 item (an item sells in several stores).
  const items = new Map<string, M5Series[]>();
  for (const s of series) {
    const list = items.get(s.item);
    if (list) list.push(s);
    else items.set(s.item, [s]);
  }
  const listPrice = new Map<string, number>();
  for (const [item, ss] of items) {
    // The latest weekly price across its stores (the highest when stores differ): what tills charge now.
    let best = Number.NaN;
    for (const s of ss) {
      const p = lastPrice(data, s);
      if (Number.isFinite(p) && !(p <= best)) best = p;
    }
    listPrice.set(item, Number.isFinite(best) ? Math.round(best * 100) : 100);
  }

  return db.transaction().execute(async (trx) => {
    o.onProgress?.('catalog', 0, 1);
    const stores = [...keepStores];
    for (const id of stores) {
      const st = STATE[id.slice(0, 2)] ?? { name: id, timeZone: 'UTC', taxBp: 0 };
      await trx
        .insertInto('stores')
        .values({
          id,
          name: `Walmart ${id.replace('_', ' ')} (${st.name})`,
          address: `M5 store ${id}, ${st.name}`,
          currency: 'USD',
          time_zone: st.timeZone,
          tax_inclusive: false,
        })
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })))
        .execute();
    }
    const cats = [...new Set(series.map((s) => s.cat))].sort();
    const depts = [...new Set(series.map((s) => `${s.cat}\u0000${s.dept}`))].sort();
    await upsertCategories(trx, [
      ...cats.map((c) => ({ id: c, name: title(c) })),
      ...depts.map((d) => {
        const [cat, dept] = d.split('\u0000') as [string, string];
        return { id: dept, name: title(dept), parentId: cat };
      }),
    ]);
    const cdb = catalogDb(trx);
    const products = [...items].map(([item, ss]) => {
      const s = ss[0] as M5Series;
      const price = listPrice.get(item) as number;
      return {
        sku: item,
        name: `${title(s.dept)} item ${item.slice(s.dept.length + 1)}`,
        category: s.dept,
        category_id: s.dept,
        price_minor: price,
        // Groceries are mostly untaxed in these states; everything else pays the state rate (CA's here).
        tax_rate_bp: s.cat === 'FOODS' ? 0 : 725,
        cost_minor: Math.round(price * (COST_RATIO[s.cat] ?? 0.65)),
        supplier: supplierOf(s.dept),
        supplier_code: item,
        pack_size: PACK[s.cat] ?? 1,
      };
    });
    for (let i = 0; i < products.length; i += 1000) {
      await cdb
        .insertInto('products')
        .values(products.slice(i, i + 1000))
        .onConflict((oc) =>
          oc.column('sku').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            category: eb.ref('excluded.category'),
            category_id: eb.ref('excluded.category_id'),
            price_minor: eb.ref('excluded.price_minor'),
            tax_rate_bp: eb.ref('excluded.tax_rate_bp'),
            cost_minor: eb.ref('excluded.cost_minor'),
            supplier: eb.ref('excluded.supplier'),
            supplier_code: eb.ref('excluded.supplier_code'),
            pack_size: eb.ref('excluded.pack_size'),
          })),
        )
        .execute();
    }
    await cdb
      .insertInto('product_provenance')
      .values(
        products.map((p) => ({ source: M5_SOURCE, legacy_id: p.sku, sku: p.sku, file: 'sales_subset_long' })),
      )
      .onConflict((oc) => oc.columns(['source', 'legacy_id']).doNothing())
      .execute();
    await setStoreRegions(trx, new Map(series.map((s) => [s.store, s.state])));
    const suppliersAdded = await addSuppliers(
      trx,
      depts.map((d) => {
        const [cat, dept] = d.split('\u0000') as [string, string];
        return { id: supplierOf(dept), name: `${title(dept)} supplier`, leadDays: M5_LEAD_DAYS[cat] ?? 7 };
      }),
      { keepExisting: true },
    );
    o.onProgress?.('catalog', 1, 1);
    o.onProgress?.('calendar', 0, 1);
    const calendarEvents = await replaceCalendarSource(trx, M5_SOURCE, await readM5Calendar(o.dir));
    o.onProgress?.('calendar', 1, 1);

    const skus = products.map((p) => p.sku);
    const priceRows = await writePrices(trx, data, series, skus, (d, t) => o.onProgress?.('prices', d, t));
    const sales = await writeSales(trx, data, series, stores, skus, fromDay, listPrice, (d, t) =>
      o.onProgress?.('sales', d, t),
    );
    const hourlyRows = (await hasTable(trx, 'sales_hourly'))
      ? await writeHourly(trx, sales.byStoreDay, stores, (d, t) => o.onProgress?.('hourly', d, t))
      : undefined;
    const stock = await writeOpeningStock(trx, registry, data, series, fromDay, (d, t) =>
      o.onProgress?.('stock', d, t),
    );
    return {
      stores: stores.length,
      categories: cats.length + depts.length,
      products: products.length,
      priceRows,
      salesRows: sales.rows,
      units: sales.units,
      hourlyRows,
      calendarEvents,
      suppliersAdded,
      stockMovements: stock.movements,
      stockUnits: stock.units,
      lowStock: stock.low,
      from: sales.from,
      to: sales.to,
    };
  });
}

const supplierOf = (dept: string): string => `${dept} supplier`;

/**
 * M5's calendar as HQ events: event_name_1 then event_name_2 for the whole chain (all M5 stores are in
 * the US), and a SNAP day for region XX wherever snap_XX is 1. Every day of the file, so the days after
 * the last sale (the forecast horizon) carry theirs too.
 */
export async function readM5Calendar(dir: string): Promise<CalendarEvent[]> {
  const events: CalendarEvent[] = [];
  let col: Map<string, number> | undefined;
  for await (const line of createInterface({
    input: openMaybeGz(`${dir}/calendar.csv`),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    const f = line.split(',');
    if (!col) {
      col = new Map(f.map((name, i) => [name.trim(), i]));
      continue;
    }
    const at = (name: string): string => f[col?.get(name) ?? -1]?.trim() ?? '';
    const date = at('date');
    if (!date) continue;
    for (const k of ['1', '2']) {
      const name = at(`event_name_${k}`);
      if (name)
        events.push({ date, name, type: at(`event_type_${k}`) || 'Event', scope: 'chain', scopeIds: [] });
    }
    for (const [c] of col)
      if (c.startsWith('snap_') && at(c) === '1')
        events.push({ date, name: SNAP_TYPE, type: SNAP_TYPE, scope: 'region', scopeIds: [c.slice(5)] });
  }
  return events;
}

/**
 * Opening stock by the rule at OPENING_COVER_DAYS, posted as HQ inventory events dated the last imported
 * day: an opening balance where HQ holds no row for the store × item, else an adjustment to the figure,
 * so a re-import of the same data writes nothing and the projections follow from the log as for any
 * other stock.
 */
async function writeOpeningStock(
  trx: HqDb,
  registry: EventRegistry,
  data: M5Data,
  series: readonly M5Series[],
  fromDay: number,
  onProgress: (done: number, total: number) => void,
): Promise<{ movements: number; units: number; low: number }> {
  const targets = openingStock(series, data.lastDay, fromDay);
  const stores = [...new Set(series.map((s) => s.store))];
  const held = new Map(
    (
      await trx
        .selectFrom('stock_on_hand')
        .select(['store_id', 'sku', 'qty'])
        .where('store_id', 'in', stores)
        .execute()
    ).map((r) => [`${r.store_id}|${r.sku}`, Number(r.qty)]),
  );
  const cost = new Map(
    (
      await catalogDb(trx)
        .selectFrom('products')
        .select(['sku', 'cost_minor'])
        .where('sku', 'in', [...new Set(series.map((s) => s.item))])
        .execute()
    ).map((p) => [p.sku, p.cost_minor]),
  );
  const drafts: LocalEventDraft[] = [];
  let units = 0;
  for (const t of targets) {
    units += t.qty;
    const now = held.get(`${t.store}|${t.item}`);
    const diff = t.qty - (now ?? 0);
    if (diff === 0) continue;
    const unitCostMinor = cost.get(t.item);
    drafts.push(
      now === undefined && diff > 0
        ? {
            storeId: t.store,
            type: INVENTORY_EVENT_TYPES.stockReceived,
            payload: {
              sku: t.item,
              qty: diff,
              reason: 'opening_balance',
              ...(unitCostMinor != null ? { unitCostMinor } : {}),
            },
          }
        : {
            storeId: t.store,
            type: INVENTORY_EVENT_TYPES.stockAdjusted,
            payload: { sku: t.item, qty: diff, reason: 'correction', note: 'M5 import: opening stock' },
          },
    );
  }
  // Late on the last day in every M5 store's zone (UTC−5 to −8), after that day's sales.
  const at = new Date(`${utcMsToIso(data.lastDay * DAY_MS)}T23:00:00Z`);
  const STOCK_CHUNK = 2_000;
  for (let i = 0; i < drafts.length; i += STOCK_CHUNK) {
    await appendHqEvents(trx, registry, drafts.slice(i, i + STOCK_CHUNK), { at });
    onProgress(Math.min(drafts.length, i + STOCK_CHUNK), drafts.length);
  }
  return { movements: drafts.length, units, low: targets.filter((t) => t.low).length };
}

export interface OpeningStock {
  store: string;
  item: string;
  qty: number;
  /** Sold out on purpose (LOW_EVERY). */
  low: boolean;
}

/** Pure: the opening stock rule (see OPENING_COVER_DAYS) for these series, as of `lastDay`. */
export function openingStock(series: readonly M5Series[], lastDay: number, fromDay: number): OpeningStock[] {
  const byStore = new Map<string, M5Series[]>();
  for (const s of series) byStore.set(s.store, [...(byStore.get(s.store) ?? []), s]);
  const out: OpeningStock[] = [];
  for (const store of [...byStore.keys()].sort()) {
    const list = (byStore.get(store) as M5Series[]).sort((a, b) => (a.item < b.item ? -1 : 1));
    list.forEach((s, i) => {
      // Sales the import wrote in the window: none before the series' start or the --days cut.
      const start = Math.max(s.firstDay, fromDay, lastDay - OPENING_RATE_DAYS + 1);
      let sold = 0;
      for (let d = start; d <= lastDay; d++) sold += s.sales[d - s.firstDay] ?? 0;
      const rate = lastDay >= start ? sold / (lastDay - start + 1) : 0;
      const low = i % LOW_EVERY === 0;
      const pack = PACK[s.cat] ?? 1;
      const qty = low ? 0 : Math.max(1, Math.ceil((rate * OPENING_COVER_DAYS) / pack)) * pack;
      out.push({ store, item: s.item, qty, low });
    });
  }
  return out;
}

function lastPrice(data: M5Data, s: M5Series): number {
  const m = data.prices.get(`${s.store}|${s.item}`);
  if (!m) return Number.NaN;
  let wk = -1;
  for (const w of m.keys()) if (w > wk) wk = w;
  return m.get(wk) ?? Number.NaN;
}

async function hasTable(db: HqDb, name: string): Promise<boolean> {
  const r = await sql<{ t: string | null }>`SELECT to_regclass(${name})::text AS t`.execute(db);
  return r.rows[0]?.t != null;
}

/** Store-scoped price rows, one per run of equal weekly prices, replacing earlier M5 store prices. */
async function writePrices(
  trx: HqDb,
  data: M5Data,
  series: readonly M5Series[],
  skus: readonly string[],
  onProgress: (done: number, total: number) => void,
): Promise<number> {
  await catalogDb(trx).deleteFrom('prices').where('scope', '=', 'store').where('sku', 'in', skus).execute();
  // First calendar day of each Walmart week.
  const weekStart = new Map<number, string>();
  data.week.forEach((w, i) => {
    if (!weekStart.has(w)) weekStart.set(w, data.calDates[i] as string);
  });
  const rows: { sku: string[]; store: string[]; price: number[]; from: string[]; to: (string | null)[] } = {
    sku: [],
    store: [],
    price: [],
    from: [],
    to: [],
  };
  for (const s of series) {
    const m = data.prices.get(`${s.store}|${s.item}`);
    if (!m) continue;
    const weeks = [...m.keys()].sort((a, b) => a - b);
    let i = 0;
    while (i < weeks.length) {
      const p = m.get(weeks[i] as number) as number;
      let j = i + 1;
      while (j < weeks.length && m.get(weeks[j] as number) === p) j++;
      const from = weekStart.get(weeks[i] as number);
      if (from) {
        rows.sku.push(s.item);
        rows.store.push(s.store);
        rows.price.push(Math.round(p * 100));
        rows.from.push(from);
        rows.to.push(j < weeks.length ? (weekStart.get(weeks[j] as number) ?? null) : null);
      }
      i = j;
    }
  }
  const n = rows.sku.length;
  for (let i = 0; i < n; i += CHUNK) {
    const e = Math.min(n, i + CHUNK);
    await sql`
      INSERT INTO prices (sku, scope, scope_id, price_minor, effective_from, effective_to)
      SELECT sku, 'store', store, price, f::date::timestamptz, t::date::timestamptz FROM unnest(
        ${rows.sku.slice(i, e)}::text[], ${rows.store.slice(i, e)}::text[], ${rows.price.slice(i, e)}::bigint[],
        ${rows.from.slice(i, e)}::text[], ${rows.to.slice(i, e)}::text[]) AS u(sku, store, price, f, t)
    `.execute(trx);
    onProgress(e, n);
  }
  return n;
}

interface DayTotals {
  units: number;
  net: number;
  gross: number;
  cost: number;
}

async function writeSales(
  trx: HqDb,
  data: M5Data,
  series: readonly M5Series[],
  stores: readonly string[],
  skus: readonly string[],
  fromDay: number,
  listPrice: ReadonlyMap<string, number>,
  onProgress: (done: number, total: number) => void,
): Promise<{ rows: number; units: number; from: string; to: string; byStoreDay: Map<string, DayTotals> }> {
  // Replaces the earlier import's facts only: sales the tills logged for these items stay.
  await takeOutBase(
    trx,
    'sales_daily',
    sql`store_id = ANY(${[...stores]}::text[]) AND sku = ANY(${[...skus]}::text[])`,
  );
  const taxBp = (s: M5Series): number => (s.cat === 'FOODS' ? 0 : 725);
  const byStoreDay = new Map<string, DayTotals>();
  const cols = {
    date: [] as string[],
    store: [] as string[],
    sku: [] as string[],
    qty: [] as number[],
    net: [] as number[],
    tax: [] as number[],
    gross: [] as number[],
  };
  let units = 0;
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  let written = 0;
  let total = 0;
  for (const s of series) for (const q of s.sales) if (q > 0) total++;
  const flush = async (): Promise<void> => {
    if (cols.date.length === 0) return;
    await sql`
      INSERT INTO sales_daily (${baseTargets('sales_daily')})
      SELECT d, st, sk, q, n, t, g, q, q, n, t, g, q FROM unnest(
        ${cols.date}::date[], ${cols.store}::text[], ${cols.sku}::text[], ${cols.qty}::bigint[],
        ${cols.net}::bigint[], ${cols.tax}::bigint[], ${cols.gross}::bigint[]) AS u(d, st, sk, q, n, t, g)
      ${addWithBase('sales_daily')}
    `.execute(trx);
    written += cols.date.length;
    onProgress(written, total);
    for (const a of Object.values(cols)) a.length = 0;
  };
  for (const s of series) {
    const costRatio = COST_RATIO[s.cat] ?? 0.65;
    const fallback = (listPrice.get(s.item) ?? 0) / 100;
    for (let k = 0; k < s.sales.length; k++) {
      const q = s.sales[k] as number;
      const day = s.firstDay + k;
      if (!(q > 0) || day < fromDay) {
        if (q > 0) total--;
        continue;
      }
      const p = priceOn(data, s, day);
      const unitMinor = Math.round((Number.isFinite(p) ? p : fallback) * 100);
      const net = q * unitMinor;
      const tax = Math.round((net * taxBp(s)) / 10_000);
      const date = utcMsToIso(day * DAY_MS);
      cols.date.push(date);
      cols.store.push(s.store);
      cols.sku.push(s.item);
      cols.qty.push(q);
      cols.net.push(net);
      cols.tax.push(tax);
      cols.gross.push(net + tax);
      units += q;
      if (day < minDay) minDay = day;
      if (day > maxDay) maxDay = day;
      const key = `${s.store}|${date}`;
      const t = byStoreDay.get(key) ?? { units: 0, net: 0, gross: 0, cost: 0 };
      t.units += q;
      t.net += net;
      t.gross += net + tax;
      t.cost += Math.round(q * unitMinor * costRatio);
      byStoreDay.set(key, t);
      if (cols.date.length >= CHUNK) await flush();
    }
  }
  await flush();
  const iso = (d: number): string => (Number.isFinite(d) ? utcMsToIso(d * DAY_MS) : '');
  return { rows: written, units, from: iso(minDay), to: iso(maxDay), byStoreDay };
}

/** Splits a whole amount over weights so the parts are whole and add up to it (largest remainder). */
export function spread(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] as number) + 1;
    left--;
  }
  return parts;
}

/** Store-hour facts from the daily totals by HOURLY_PROFILE (about 1.6 units per transaction). */
async function writeHourly(
  trx: HqDb,
  byStoreDay: Map<string, DayTotals>,
  stores: readonly string[],
  onProgress: (done: number, total: number) => void,
): Promise<number> {
  await takeOutBase(trx, 'sales_hourly', sql`store_id = ANY(${[...stores]}::text[])`);
  const weights = HOURLY_PROFILE.map(([, w]) => w);
  const cols = {
    date: [] as string[],
    store: [] as string[],
    hour: [] as number[],
    tx: [] as number[],
    units: [] as number[],
    net: [] as number[],
    gross: [] as number[],
    cost: [] as number[],
  };
  let written = 0;
  const total = byStoreDay.size * HOURLY_PROFILE.length;
  const flush = async (): Promise<void> => {
    if (cols.date.length === 0) return;
    await sql`
      INSERT INTO sales_hourly (${baseTargets('sales_hourly')})
      SELECT d, st, h, tx, u, n, g, c, n, tx, u, n, g, c, n FROM unnest(
        ${cols.date}::date[], ${cols.store}::text[], ${cols.hour}::smallint[], ${cols.tx}::bigint[],
        ${cols.units}::bigint[], ${cols.net}::bigint[], ${cols.gross}::bigint[], ${cols.cost}::bigint[])
        AS x(d, st, h, tx, u, n, g, c)
      ${addWithBase('sales_hourly')}
    `.execute(trx);
    written += cols.date.length;
    onProgress(written, total);
    for (const a of Object.values(cols)) a.length = 0;
  };
  for (const [key, t] of byStoreDay) {
    const [store, date] = key.split('|') as [string, string];
    const u = spread(t.units, weights);
    const tx = spread(Math.ceil(t.units / 1.6), weights);
    const n = spread(t.net, weights);
    const g = spread(t.gross, weights);
    const c = spread(t.cost, weights);
    HOURLY_PROFILE.forEach(([hour], i) => {
      // An hour with no units can still hold a cent of a rounded amount: keep it so totals add up.
      if (u[i] === 0 && n[i] === 0 && g[i] === 0 && c[i] === 0) return;
      cols.date.push(date);
      cols.store.push(store);
      cols.hour.push(hour);
      cols.tx.push((u[i] as number) > 0 ? Math.max(1, tx[i] as number) : (tx[i] as number));
      cols.units.push(u[i] as number);
      cols.net.push(n[i] as number);
      cols.gross.push(g[i] as number);
      cols.cost.push(c[i] as number);
    });
    if (cols.date.length >= CHUNK) await flush();
  }
  await flush();
  return written;
}
