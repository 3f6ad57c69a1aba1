/**
 * Draft purchase orders from a replenishment run: one per supplier, a line per SKU-location to order,
 * each line carrying the numbers it came from and a sentence a manager can check them by.
 */
import {
  FLAG_CAPACITY,
  FLAG_EXTRAPOLATED,
  FLAG_NO_EOQ,
  type PolicyParams,
  type ReplenishBatch,
  type ReplenishResult,
} from './engine.ts';
import type { Resolved } from './inputs.ts';

export type DraftLineInputs = {
  model: string;
  forecastFrom: string | null;
  forecastTo: string | null;
  serviceMeasure: string;
  serviceLevel: number;
  leadDays: number;
  reviewDays: number;
  onHand: number;
  onOrder: number;
  packSize: number;
  minOrder: number;
  capacity: number | null;
  unitCostMinor: number;
  orderCostMinor: number;
  /** Protection-period demand: mean and dispersion index (variance / mean). */
  demandMean: number;
  demandDispersion: number;
  reorderPoint: number;
  safetyStock: number;
  eoq: number | null;
  lot: number;
  stockoutProb7: number;
  daysOfCover: number | null;
};

export interface DraftLine {
  storeId: string;
  sku: string;
  seriesId: string;
  qty: number;
  unitCostMinor: number;
  inputs: DraftLineInputs;
  reason: string;
}

export interface DraftOrder {
  supplierId: string;
  lines: DraftLine[];
  totalMinor: number;
}

const cmp = (a: string, c: string): number => (a < c ? -1 : a > c ? 1 : 0);
const pct = (x: number): string => `${(x * 100).toFixed(x >= 0.995 ? 1 : 0)} %`;
const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));

function lotReason(inp: DraftLineInputs, flags: number, fallbackDays: number): string {
  const parts: string[] = [];
  if (flags & FLAG_NO_EOQ) parts.push(`${fallbackDays} days of demand (no cost to compute an EOQ)`);
  else parts.push(`EOQ ${num(inp.eoq ?? 0)}`);
  if (inp.minOrder > 1) parts.push(`minimum order ${inp.minOrder}`);
  if (inp.packSize > 1) parts.push(`rounded up to packs of ${inp.packSize}`);
  if (flags & FLAG_CAPACITY) parts.push(`cut to fit a capacity of ${inp.capacity}`);
  return parts.join(', ');
}

export function explain(inp: DraftLineInputs, qty: number, flags: number, fallbackDays: number): string {
  const ip = inp.onHand + inp.onOrder;
  const measure = inp.serviceMeasure === 'cycle' ? 'chance of no stock-out per cycle' : 'fill rate';
  let s =
    `On hand ${num(inp.onHand)} + on order ${num(inp.onOrder)} = ${num(ip)} is at or below the reorder point ` +
    `${inp.reorderPoint}: demand to cover until an order placed now arrives (${inp.leadDays}-day lead time, ` +
    `reviewed ${inp.reviewDays === 1 ? 'daily' : `every ${inp.reviewDays} days`}) is forecast at ` +
    `${inp.demandMean.toFixed(1)}, and ` +
    `${num(inp.safetyStock)} of safety stock holds a ${pct(inp.serviceLevel)} ${measure}. ` +
    `Ordering ${qty} = ${qty / inp.lot} × lot of ${inp.lot} (${lotReason(inp, flags, fallbackDays)}).`;
  if (flags & FLAG_EXTRAPOLATED) s += ' The lead time runs past the forecast; its last week was carried on.';
  if (inp.stockoutProb7 >= 0.5) s += ` ${pct(inp.stockoutProb7)} chance of running out within 7 days.`;
  return s;
}

/** Rows with something to order, grouped by supplier (suppliers and lines in a stable order). */
export function buildDrafts(
  rows: readonly Resolved[],
  b: ReplenishBatch,
  r: ReplenishResult,
  policy: PolicyParams,
): DraftOrder[] {
  const bySupplier = new Map<string, DraftLine[]>();
  for (let i = 0; i < rows.length; i++) {
    const qty = r.orderQty[i] as number;
    if (!(qty > 0)) continue;
    const x = rows[i] as Resolved;
    const f = x.forecast;
    const e = r.eoq[i] as number;
    const cover = r.daysOfCover[i] as number;
    const inputs: DraftLineInputs = {
      model: f?.model ?? 'none',
      forecastFrom: f?.dates[0] ?? null,
      forecastTo: f ? (f.dates[Math.min(b.h, f.dates.length) - 1] ?? null) : null,
      serviceMeasure: policy.service.measure,
      serviceLevel: policy.service.level,
      leadDays: b.leadDays[i] as number,
      reviewDays: b.reviewDays[i] as number,
      onHand: x.onHand,
      onOrder: x.onOrder,
      packSize: x.packSize,
      minOrder: x.minOrder,
      capacity: Number.isFinite(x.capacity) ? x.capacity : null,
      unitCostMinor: x.unitCostMinor,
      orderCostMinor: x.orderCostMinor,
      demandMean: Math.round((r.ltdMean[i] as number) * 100) / 100,
      demandDispersion: Math.round((r.ltdPhi[i] as number) * 100) / 100,
      reorderPoint: r.reorderPoint[i] as number,
      safetyStock: Math.round((r.safetyStock[i] as number) * 100) / 100,
      eoq: Number.isNaN(e) ? null : Math.round(e * 10) / 10,
      lot: r.lot[i] as number,
      stockoutProb7: Math.round((r.stockoutProb[i] as number) * 1000) / 1000,
      daysOfCover: Number.isFinite(cover) ? Math.round(cover * 10) / 10 : null,
    };
    const line: DraftLine = {
      storeId: x.storeId,
      sku: x.sku,
      seriesId: x.seriesId,
      qty,
      unitCostMinor: x.unitCostMinor,
      inputs,
      reason: explain(inputs, qty, r.flags[i] as number, policy.fallbackCoverDays),
    };
    const list = bySupplier.get(x.supplierId);
    if (list) list.push(line);
    else bySupplier.set(x.supplierId, [line]);
  }
  return [...bySupplier.entries()]
    .sort(([a], [c]) => cmp(a, c))
    .map(([supplierId, lines]) => {
      lines.sort((a, c) => cmp(a.storeId, c.storeId) || cmp(a.sku, c.sku));
      return { supplierId, lines, totalMinor: lines.reduce((s, l) => s + l.qty * l.unitCostMinor, 0) };
    });
}
