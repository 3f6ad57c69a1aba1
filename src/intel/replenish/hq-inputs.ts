/**
 * Replenishment from HQ's own tables instead of files: the latest stored forecast run (SKU level), stock
 * available and in transit from the inventory projection, what approved purchase orders still have to
 * deliver (on-order-store.ts: counted until received or cancelled), cost, supplier and pack size from the catalog,
 * the last sale from sales_daily, lead time, review period and minimum order line from the suppliers
 * table. The caller's overrides win over the table; a supplier without a row gets the defaults (7 days'
 * lead, reviewed daily). "Today" is the run's last day of history, so lists and drafts match the forecast
 * they use.
 */
import { catalogDb } from '../../catalog/hq/index.ts';
import { listSuppliers } from '../../catalog/index.ts';
import { invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { availability } from '../../inventory/hq/index.ts';
import { type ForecastRun, isoToUtcMs, latestRun, runById } from '../forecast/index.ts';
import { buildDrafts, type DraftOrder } from './drafts.ts';
import { type PolicyParams, replenish } from './engine.ts';
import { type ForecastRows, type ReplenishInput, type Resolved, toBatch } from './inputs.ts';
import { buildLists, defaultListOptions, type ListOptions, type Lists } from './lists.ts';
import { onOrderFromDrafts, settleDeliveries } from './on-order-store.ts';

const DAY_MS = 86_400_000;
/** Forecast days read per SKU-location: lead + review time beyond this uses the last week's average. */
export const HQ_FORECAST_DAYS = 56;

export interface HqInputsOptions {
  storeIds?: readonly string[];
  /** A given run instead of the latest finished one. */
  runId?: string;
  /** Lead time in days per supplier, then for every supplier: both override the suppliers table. */
  leadDaysBySupplier?: Readonly<Record<string, number>>;
  leadDays?: number;
  /** Days between orders for every supplier, overriding the suppliers table. */
  reviewDays?: number;
  forecastDays?: number;
}

export interface HqInputs {
  run: ForecastRun;
  /** The run's last day of history: replenishment is decided as of this day. */
  today: string;
  inputs: ReplenishInput[];
  forecasts: Map<string, ForecastRows>;
}

export const seriesIdOf = (storeId: string, sku: string): string => `${storeId}|${sku}`;

export async function readHqInputs(db: HqDb, o: HqInputsOptions = {}): Promise<HqInputs> {
  const run = o.runId ? await runById(db, o.runId) : await latestRun(db);
  if (run?.status !== 'done')
    throw notFound(
      o.runId
        ? `finished forecast run ${o.runId}`
        : 'a finished forecast run (run `tally forecast refresh` first)',
      'forecast',
    );
  if (!run.trainedTo) throw invalid('forecast', `run ${run.id} has no training window`);
  const days = Math.min(o.forecastDays ?? HQ_FORECAST_DAYS, run.horizonDays);
  const stores = o.storeIds;
  if (stores?.length === 0) throw invalid('stores', 'name at least one store');

  let fq = db
    .selectFrom('forecast_days')
    .select(['store_id', 'key', 'date', 'mean', 'p10', 'p90'])
    .where('run_id', '=', run.id)
    .where('level', '=', 'sku')
    .where('date', '<=', isoAfter(run.trainedTo, days));
  if (stores) fq = fq.where('store_id', 'in', stores);
  const fseries = await db
    .selectFrom('forecast_series')
    .select(['store_id', 'key', 'model'])
    .where('run_id', '=', run.id)
    .where('level', '=', 'sku')
    .execute();
  const modelOf = new Map(fseries.map((s) => [seriesIdOf(s.store_id, s.key), s.model]));
  const forecasts = new Map<
    string,
    { model: string; dates: string[]; mean: number[]; p10: number[]; p90: number[] }
  >();
  for (const r of await fq.orderBy('store_id').orderBy('key').orderBy('date').execute()) {
    const id = seriesIdOf(r.store_id, r.key);
    let f = forecasts.get(id);
    if (!f) {
      f = {
        model: `${modelOf.get(id) ?? 'tally'} (run ${run.id.slice(0, 8)})`,
        dates: [],
        mean: [],
        p10: [],
        p90: [],
      };
      forecasts.set(id, f);
    }
    f.dates.push(r.date);
    f.mean.push(r.mean);
    f.p10.push(r.p10);
    f.p90.push(r.p90);
  }

  const stock = await availability(
    db,
    stores ? { storeIds: stores, limit: 10_000_000 } : { limit: 10_000_000 },
  );
  const stockBy = new Map(stock.map((s) => [seriesIdOf(s.storeId, s.sku), s]));
  // Deliveries first, so what has arrived counts once: on hand, no longer on order.
  await settleDeliveries(db);
  const ordered = await onOrderFromDrafts(db, stores);
  const keys = new Map<string, { storeId: string; sku: string }>();
  for (const id of forecasts.keys()) {
    const [storeId, sku] = id.split('|') as [string, string];
    keys.set(id, { storeId, sku });
  }
  for (const s of stock) keys.set(seriesIdOf(s.storeId, s.sku), { storeId: s.storeId, sku: s.sku });
  for (const id of ordered.keys()) {
    const [storeId, sku] = id.split('|') as [string, string];
    keys.set(id, { storeId, sku });
  }

  const skus = [...new Set([...keys.values()].map((k) => k.sku))];
  const products = skus.length
    ? await catalogDb(db)
        .selectFrom('products')
        .select(['sku', 'cost_minor', 'supplier', 'pack_size'])
        .where('sku', 'in', skus)
        .execute()
    : [];
  const productBy = new Map(products.map((p) => [p.sku, p]));
  const terms = new Map(
    (await listSuppliers(db, [...new Set(products.flatMap((p) => (p.supplier ? [p.supplier] : [])))])).map(
      (s) => [s.id, s],
    ),
  );
  let lq = db
    .selectFrom('sales_daily')
    .select(['store_id', 'sku', (eb) => eb.fn.max('business_date').as('last')])
    .where('qty', '>', 0)
    .where('business_date', '<=', run.trainedTo)
    .groupBy(['store_id', 'sku']);
  if (stores) lq = lq.where('store_id', 'in', stores);
  const lastSale = new Map((await lq.execute()).map((r) => [seriesIdOf(r.store_id, r.sku), String(r.last)]));

  const inputs: ReplenishInput[] = [];
  for (const [id, k] of [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const s = stockBy.get(id);
    const p = productBy.get(k.sku);
    const supplier = p?.supplier ?? undefined;
    const cost = p?.cost_minor ?? s?.avgCostMinor ?? undefined;
    const t = supplier ? terms.get(supplier) : undefined;
    const lead = (supplier ? o.leadDaysBySupplier?.[supplier] : undefined) ?? o.leadDays ?? t?.leadDays;
    const review = o.reviewDays ?? t?.reviewDays;
    const last = lastSale.get(id);
    inputs.push({
      seriesId: id,
      storeId: k.storeId,
      sku: k.sku,
      // What can be sold: on hand less live reservations; a negative count means none.
      onHand: Math.max(0, s?.available ?? 0),
      // Inventory position: in transit between stores plus what suppliers still owe on approved orders.
      onOrder: Math.max(0, s?.inTransitIn ?? 0) + (ordered.get(id) ?? 0),
      inbound: Math.max(0, s?.inTransitIn ?? 0),
      ...(cost !== undefined && cost !== null ? { unitCostMinor: Number(cost) } : {}),
      ...(supplier ? { supplierId: supplier } : {}),
      ...(p?.pack_size ? { packSize: p.pack_size } : {}),
      ...(lead !== undefined ? { leadDays: lead } : {}),
      ...(review !== undefined ? { reviewDays: review } : {}),
      ...(t?.minOrder !== undefined ? { minOrder: t.minOrder } : {}),
      ...(last ? { lastSaleDate: last } : {}),
    });
  }
  return { run, today: run.trainedTo, inputs, forecasts };
}

const isoAfter = (iso: string, days: number): string =>
  new Date(isoToUtcMs(iso) + days * DAY_MS).toISOString().slice(0, 10);

export interface HqReplenishResult {
  run: ForecastRun;
  today: string;
  rows: Resolved[];
  withoutForecast: number;
  drafts: DraftOrder[];
  lists: Lists;
}

/** Plan, lists and draft orders from HQ's tables; the drafts are returned, saving them is the caller's. */
export async function replenishFromHq(
  db: HqDb,
  o: HqInputsOptions & { policy: PolicyParams; listOptions?: ListOptions },
): Promise<HqReplenishResult> {
  const { run, today, inputs, forecasts } = await readHqInputs(db, o);
  let h = 1;
  for (const f of forecasts.values()) h = Math.max(h, f.dates.length);
  const { batch, rows } = toBatch(inputs, forecasts, h);
  const result = replenish(batch, o.policy);
  const todayDay = isoToUtcMs(today) / DAY_MS;
  const since = Int32Array.from(rows, (r) =>
    r.lastSaleDate ? Math.max(0, Math.round(todayDay - isoToUtcMs(r.lastSaleDate) / DAY_MS)) : -1,
  );
  const lists = buildLists(batch, result, since, o.policy.stockoutDays, o.listOptions ?? defaultListOptions);
  const drafts = buildDrafts(rows, batch, result, o.policy);
  return { run, today, rows, withoutForecast: rows.filter((r) => !r.forecast).length, drafts, lists };
}
