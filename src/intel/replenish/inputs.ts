/**
 * What the engine needs to know about each SKU-location besides its forecast. On hand, cost, supplier,
 * lead time and pack size will come from inventory, catalog and purchasing tables other modules are
 * still building; until then this small type and its defaults are the seam, so the engine stays pure and
 * the wiring is one function.
 */
import { invalid } from '../../core/index.ts';
import { emptyBatch, type ReplenishBatch } from './engine.ts';

export interface ReplenishInput {
  /** Forecast series this row reads (the forecast file's series_id). */
  seriesId: string;
  storeId: string;
  sku: string;
  onHand: number;
  onOrder?: number;
  /** Part of onOrder due within the stock-out window (default 0: nothing counted on). */
  inbound?: number;
  unitCostMinor?: number;
  supplierId?: string;
  leadDays?: number;
  reviewDays?: number;
  packSize?: number;
  minOrder?: number;
  /** Most units the location holds; absent = unbounded. */
  capacity?: number;
  orderCostMinor?: number;
  /** ISO date of the last sale, for dead stock; absent = unknown (never listed as dead). */
  lastSaleDate?: string;
}

export const inputDefaults = {
  onOrder: 0,
  inbound: 0,
  unitCostMinor: 0,
  supplierId: 'unassigned',
  leadDays: 7,
  reviewDays: 1,
  packSize: 1,
  minOrder: 0,
  capacity: Number.POSITIVE_INFINITY,
  /** A line on an order that goes out anyway costs little: 1.00 in minor units of a 2-decimal currency. */
  orderCostMinor: 100,
} as const;

/** A daily forecast for one series: what `tally forecast` writes and the forecast module returns. */
export interface ForecastRows {
  model: string;
  /** ISO dates of the forecast days, ascending, starting the day after today. */
  dates: readonly string[];
  mean: ArrayLike<number>;
  p10: ArrayLike<number>;
  p90: ArrayLike<number>;
}

export interface Resolved extends Required<Omit<ReplenishInput, 'lastSaleDate'>> {
  lastSaleDate: string | undefined;
  forecast: ForecastRows | undefined;
}

const nonNeg = (v: number | undefined, field: string, row: string): number | undefined => {
  if (v === undefined) return undefined;
  if (!Number.isFinite(v) || v < 0) throw invalid(field, `must be a non-negative number (row ${row})`);
  return v;
};

/**
 * Fills defaults and lays inputs and forecasts out as one batch of `h` days. A row without a forecast
 * gets zero demand (it is listed, never ordered) and is marked so the caller can say so.
 */
export function toBatch(
  inputs: readonly ReplenishInput[],
  forecasts: ReadonlyMap<string, ForecastRows>,
  h: number,
): { batch: ReplenishBatch; rows: Resolved[] } {
  const n = inputs.length;
  const b = emptyBatch(n, h);
  const rows: Resolved[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = inputs[i] as ReplenishInput;
    const tag = `${x.storeId}/${x.sku}`;
    const pack = nonNeg(x.packSize, 'packSize', tag) ?? inputDefaults.packSize;
    if (!Number.isInteger(pack) || pack < 1)
      throw invalid('packSize', `must be a whole number ≥ 1 (row ${tag})`);
    const r: Resolved = {
      seriesId: x.seriesId,
      storeId: x.storeId,
      sku: x.sku,
      onHand: x.onHand,
      onOrder: nonNeg(x.onOrder, 'onOrder', tag) ?? inputDefaults.onOrder,
      inbound: nonNeg(x.inbound, 'inbound', tag) ?? inputDefaults.inbound,
      unitCostMinor: nonNeg(x.unitCostMinor, 'unitCostMinor', tag) ?? inputDefaults.unitCostMinor,
      supplierId: x.supplierId || inputDefaults.supplierId,
      leadDays: nonNeg(x.leadDays, 'leadDays', tag) ?? inputDefaults.leadDays,
      reviewDays: Math.max(1, nonNeg(x.reviewDays, 'reviewDays', tag) ?? inputDefaults.reviewDays),
      packSize: pack,
      minOrder: nonNeg(x.minOrder, 'minOrder', tag) ?? inputDefaults.minOrder,
      capacity: nonNeg(x.capacity, 'capacity', tag) ?? inputDefaults.capacity,
      orderCostMinor: nonNeg(x.orderCostMinor, 'orderCostMinor', tag) ?? inputDefaults.orderCostMinor,
      lastSaleDate: x.lastSaleDate,
      forecast: forecasts.get(x.seriesId),
    };
    if (!Number.isFinite(r.onHand)) throw invalid('onHand', `must be a number (row ${tag})`);
    rows[i] = r;
    b.onHand[i] = r.onHand;
    b.onOrder[i] = r.onOrder;
    b.inbound[i] = Math.min(r.inbound, r.onOrder);
    b.leadDays[i] = Math.round(r.leadDays);
    b.reviewDays[i] = Math.round(r.reviewDays);
    b.packSize[i] = r.packSize;
    b.minOrder[i] = Math.ceil(r.minOrder);
    b.capacity[i] = r.capacity;
    b.unitCost[i] = r.unitCostMinor;
    b.orderCost[i] = r.orderCostMinor;
    const f = r.forecast;
    if (f) {
      const k = Math.min(h, f.mean.length);
      for (let t = 0; t < k; t++) {
        b.mean[i * h + t] = Math.max(0, f.mean[t] as number);
        b.p10[i * h + t] = f.p10[t] as number;
        b.p90[i * h + t] = f.p90[t] as number;
      }
    }
  }
  return { batch: b, rows };
}
