/**
 * Reorder point and order quantity for one SKU-location: an (s, Q) policy reviewed every R days.
 * When the inventory position (on hand + on order) is at or below s, order enough lots of Q to lift it
 * above s. s covers the demand over lead time + review period at a target service level.
 *
 * Service levels:
 * - 'fill-rate' (default, β): the share of demand served from stock. Expected units short per
 *   replenishment cycle are G(s) − G(s+Q), with G the loss function E[(D − x)⁺] of the protection-period
 *   demand D, so β = 1 − (G(s) − G(s+Q)) / Q; s is the smallest that reaches the target.
 * - 'cycle' (α): the probability of no stock-out in a cycle; s is the α-quantile of D.
 */
import { CountWalker, NORMAL_ABOVE, normalLoss, normalQuantile, type PeriodDemand } from './distribution.ts';

export type ServiceMeasure = 'fill-rate' | 'cycle';

export interface ServiceTarget {
  measure: ServiceMeasure;
  /** 0 < level < 1, e.g. 0.95. */
  level: number;
}

/** Fill rate of an (s, Q) policy for integer count demand: 1 − (G(s) − G(s+Q)) / Q. */
export function fillRateCount(d: PeriodDemand, s: number, q: number): number {
  if (!(d.mean > 0)) return 1;
  const w1 = new CountWalker(d.mean, d.phi);
  while (w1.k < s) w1.next();
  const w2 = new CountWalker(d.mean, d.phi);
  while (w2.k < s + q && w2.cdf < 1 - 1e-13) w2.next();
  const g2 = w2.k < s + q ? 0 : w2.loss;
  return 1 - (w1.loss - g2) / q;
}

/**
 * Smallest integer s ≥ 0 meeting the target for NB protection-period demand (normal above NORMAL_ABOVE).
 * Two walkers move together, one at s and one at s + Q, so the search is one pass over the distribution.
 */
export function reorderPoint(d: PeriodDemand, q: number, target: ServiceTarget): number {
  if (!(d.mean > 0)) return 0;
  if (d.mean > NORMAL_ABOVE) {
    const sd = Math.sqrt(d.phi * d.mean);
    return Math.max(0, Math.ceil(reorderPointNormal(d.mean, sd, q, target) - 0.5));
  }
  const w = new CountWalker(d.mean, d.phi);
  if (target.measure === 'cycle') {
    while (w.cdf < target.level) w.next();
    return w.k;
  }
  const allowed = (1 - target.level) * q;
  const ahead = new CountWalker(d.mean, d.phi);
  // `ahead` walks Q steps in front; once its tail is negligible G(s+Q) is taken as 0.
  let aheadDone = false;
  for (let i = 0; i < q && !aheadDone; i++) {
    if (ahead.cdf >= 1 - 1e-13) aheadDone = true;
    else ahead.next();
  }
  for (;;) {
    const short = w.loss - (aheadDone ? 0 : ahead.loss);
    if (short <= allowed || w.cdf >= 1 - 1e-13) return w.k;
    w.next();
    if (!aheadDone) {
      if (ahead.cdf >= 1 - 1e-13) aheadDone = true;
      else ahead.next();
    }
  }
}

/**
 * The textbook continuous version for normal demand N(mean, sd²): cycle service s = mean + z_α·sd; fill
 * rate solves sd·[L(z) − L(z + Q/sd)] = (1 − β)·Q for z by bisection, s = mean + z·sd.
 */
export function reorderPointNormal(mean: number, sd: number, q: number, target: ServiceTarget): number {
  if (!(sd > 0)) return mean;
  if (target.measure === 'cycle') return mean + normalQuantile(target.level) * sd;
  const allowed = ((1 - target.level) * q) / sd;
  const short = (z: number): number => normalLoss(z) - normalLoss(z + q / sd);
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (short(mid) > allowed) lo = mid;
    else hi = mid;
  }
  return mean + hi * sd;
}

/** Economic order quantity √(2·A·K / h): A units a year, K per order, h to hold a unit a year. */
export function eoq(annualDemand: number, orderCost: number, holdingCostPerUnitYear: number): number {
  if (!(annualDemand > 0) || !(orderCost > 0) || !(holdingCostPerUnitYear > 0)) return Number.NaN;
  return Math.sqrt((2 * annualDemand * orderCost) / holdingCostPerUnitYear);
}

export interface LotBounds {
  packSize: number;
  minOrder: number;
  /** Most units the location can hold (shelf + backroom); Infinity when unbounded. */
  capacity: number;
}

export interface Lot {
  qty: number;
  /** The capacity cut it below what EOQ, the minimum order or the pack asked for. */
  capacityLimited: boolean;
}

/**
 * The lot size: at least the EOQ (or `fallback` when EOQ is unknown), the minimum order and one unit,
 * rounded up to whole packs; then cut so that s + Q fits in the capacity, in whole packs, never below
 * one pack (a location that cannot hold one pack above s still needs something to sell).
 */
export function lotSize(base: number, s: number, b: LotBounds): Lot {
  const pack = Math.max(1, Math.floor(b.packSize));
  let q = Math.max(1, Math.ceil(base - 1e-9), Math.ceil(b.minOrder));
  q = Math.ceil(q / pack) * pack;
  if (Number.isFinite(b.capacity)) {
    const room = Math.floor((b.capacity - s) / pack) * pack;
    if (q > room) return { qty: Math.max(pack, room), capacityLimited: true };
  }
  return { qty: q, capacityLimited: false };
}

/**
 * What to order now at inventory position `ip`: nothing above s; else the fewest lots of Q that lift the
 * position above s, cut to whole packs that fit in the capacity.
 */
export function orderNow(ip: number, s: number, q: number, b: LotBounds): number {
  if (ip > s) return 0;
  let qty = Math.ceil((s - ip + 1) / q) * q;
  if (Number.isFinite(b.capacity)) {
    const pack = Math.max(1, Math.floor(b.packSize));
    qty = Math.min(qty, Math.max(0, Math.floor((b.capacity - ip) / pack) * pack));
  }
  return qty;
}
