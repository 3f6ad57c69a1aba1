/**
 * Replays the policy on a demand history, day by day, with lost sales: each morning the orders due
 * arrive, the day's demand is served from stock (what is missing is lost), and every review day the
 * policy runs on a forecast made from the demand seen so far. An order placed at the end of day t is on
 * the shelf at the start of day t + lead + 1, which is why the policy protects lead + review days.
 */
import { emptyBatch, type PolicyParams, replenish } from './engine.ts';

/** Fills the forecast for days t+1 … t+h of series `i`, given demand up to and including day t. */
export interface SimForecaster {
  readonly name: string;
  forecast(i: number, t: number, h: number, mean: Float64Array, p10: Float64Array, p90: Float64Array): void;
}

export interface SimSeries {
  /** Daily demand on a shared day index (0 … days−1); NaN before the item was listed. */
  demand: Float64Array;
  /** Minor units per unit. */
  unitCost: number;
}

export interface SimOptions {
  /** First simulated day; days before are history only. */
  start: number;
  end: number;
  /** Days at the start not counted in the figures (the opening stock is a guess). */
  warmup: number;
  leadDays: number;
  reviewDays: number;
  packSize: number;
  minOrder: number;
  orderCost: number;
  horizon: number;
  policy: PolicyParams;
}

export interface SimResult {
  series: number;
  days: number;
  demand: number;
  served: number;
  /** Served / demanded, over all series (unit-weighted), and the median of the per-series fill rates. */
  fillRate: number;
  medianSeriesFill: number;
  /** Mean units on hand at the end of a day, per series, and as days of the mean daily demand. */
  avgStock: number;
  avgStockDays: number;
  avgStockValue: number;
  ordersPerSeriesYear: number;
}

export function simulate(
  series: readonly SimSeries[],
  fc: SimForecaster,
  o: SimOptions,
  onDay?: (done: number, total: number) => void,
): SimResult {
  const n = series.length;
  const h = o.horizon;
  const batch = emptyBatch(n, h);
  batch.leadDays.fill(o.leadDays);
  batch.reviewDays.fill(o.reviewDays);
  batch.packSize.fill(o.packSize);
  batch.minOrder.fill(o.minOrder);
  batch.orderCost.fill(o.orderCost);
  for (let i = 0; i < n; i++) batch.unitCost[i] = (series[i] as SimSeries).unitCost;

  const onHand = new Float64Array(n);
  // Arrivals by day offset (ring over lead + 2 days) per series.
  const ring = o.leadDays + 2;
  const pipeline = new Float64Array(n * ring);
  const onOrder = new Float64Array(n);
  const demandSum = new Float64Array(n);
  const servedSum = new Float64Array(n);
  let stockSum = 0;
  let stockValue = 0;
  let stockDays = 0;
  let orders = 0;
  const mean = new Float64Array(h);
  const p10 = new Float64Array(h);
  const p90 = new Float64Array(h);

  const plan = (t: number, first: boolean): void => {
    for (let i = 0; i < n; i++) {
      fc.forecast(i, t, h, mean, p10, p90);
      batch.mean.set(mean, i * h);
      batch.p10.set(p10, i * h);
      batch.p90.set(p90, i * h);
      batch.onHand[i] = onHand[i] as number;
      batch.onOrder[i] = onOrder[i] as number;
    }
    const r = replenish(batch, o.policy);
    for (let i = 0; i < n; i++) {
      if (first) {
        // Opening stock: the top of the policy's range, as if a lot had just arrived.
        onHand[i] = (r.reorderPoint[i] as number) + (r.lot[i] as number);
        continue;
      }
      const q = r.orderQty[i] as number;
      if (q > 0) {
        const slot = i * ring + ((t + o.leadDays + 1) % ring);
        pipeline[slot] = (pipeline[slot] as number) + q;
        onOrder[i] = (onOrder[i] as number) + q;
        if (t >= o.start + o.warmup) orders++;
      }
    }
  };

  plan(o.start - 1, true);
  const total = o.end - o.start + 1;
  for (let t = o.start; t <= o.end; t++) {
    const counted = t >= o.start + o.warmup;
    for (let i = 0; i < n; i++) {
      const slot = i * ring + (t % ring);
      const arriving = pipeline[slot] as number;
      if (arriving > 0) {
        onHand[i] = (onHand[i] as number) + arriving;
        onOrder[i] = (onOrder[i] as number) - arriving;
        pipeline[slot] = 0;
      }
      const d = (series[i] as SimSeries).demand[t] as number;
      const dem = Number.isNaN(d) ? 0 : d;
      const served = Math.min(onHand[i] as number, dem);
      onHand[i] = (onHand[i] as number) - served;
      if (counted) {
        demandSum[i] = (demandSum[i] as number) + dem;
        servedSum[i] = (servedSum[i] as number) + served;
        stockSum += onHand[i] as number;
        stockValue += (onHand[i] as number) * (series[i] as SimSeries).unitCost;
      }
    }
    if ((t - o.start) % o.reviewDays === o.reviewDays - 1 || o.reviewDays === 1) plan(t, false);
    onDay?.(t - o.start + 1, total);
  }

  const countedDays = Math.max(1, total - o.warmup);
  let dem = 0;
  let srv = 0;
  const fills: number[] = [];
  for (let i = 0; i < n; i++) {
    dem += demandSum[i] as number;
    srv += servedSum[i] as number;
    if ((demandSum[i] as number) > 0) fills.push((servedSum[i] as number) / (demandSum[i] as number));
  }
  fills.sort((a, b) => a - b);
  const dailyDemand = dem / (n * countedDays);
  stockDays = dailyDemand > 0 ? stockSum / (n * countedDays) / dailyDemand : Number.NaN;
  return {
    series: n,
    days: countedDays,
    demand: dem,
    served: srv,
    fillRate: dem > 0 ? srv / dem : 1,
    medianSeriesFill: fills.length ? (fills[fills.length >> 1] as number) : Number.NaN,
    avgStock: stockSum / (n * countedDays),
    avgStockDays: stockDays,
    avgStockValue: stockValue / (n * countedDays),
    ordersPerSeriesYear: (orders / n) * (365 / countedDays),
  };
}
