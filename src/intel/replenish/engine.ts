/**
 * Replenishment for many SKU-locations at once, on typed arrays (struct of arrays, row i = one
 * SKU-location; forecasts are row-major n × h). Pure: no I/O, no allocation per item beyond the walkers.
 */
import { exceedProbability, fitDispersion, inflateDispersion } from './distribution.ts';
import { eoq, type LotBounds, lotSize, orderNow, reorderPoint, type ServiceTarget } from './policy.ts';

export interface PolicyParams {
  service: ServiceTarget;
  /** Yearly cost of holding a unit, as a share of its cost (0.25 = 25 % a year). */
  holdingRate: number;
  /** Pairwise correlation of daily forecast errors, which widens multi-day demand (see distribution.ts). */
  errorCorrelation: number;
  /** Days of demand ordered at once when EOQ cannot be computed (no cost or no order cost). */
  fallbackCoverDays: number;
  /** Window for the stock-out probability ("likely to stock out in the next N days"). */
  stockoutDays: number;
  /**
   * What s protects. 'lead+undershoot' (default): demand over the lead time plus the undershoot, how far
   * below s the position already is when a review finds it there (renewal theory: mean (φ_R − 1 + μ_R)/2
   * for review-period demand of mean μ_R and dispersion φ_R). 'lead+review': the textbook sum over lead
   * time + review period, which over-protects, most with short lead times:
   * at a 95 % target it reached 98 % on Poisson demand with a 1-day lead, and 95.7 % (vs 94.8 %) on M5.
   */
  protection: 'lead+undershoot' | 'lead+review';
}

export const defaultPolicy: PolicyParams = {
  service: { measure: 'fill-rate', level: 0.95 },
  holdingRate: 0.25,
  errorCorrelation: 0.1,
  fallbackCoverDays: 14,
  stockoutDays: 7,
  protection: 'lead+undershoot',
};

export interface ReplenishBatch {
  n: number;
  /** Forecast days per row; day 0 is the first day after today. */
  h: number;
  mean: Float64Array;
  p10: Float64Array;
  p90: Float64Array;
  onHand: Float64Array;
  onOrder: Float64Array;
  /** Part of onOrder expected within the stock-out window (counts as available for it). */
  inbound: Float64Array;
  leadDays: Int32Array;
  reviewDays: Int32Array;
  packSize: Int32Array;
  minOrder: Int32Array;
  /** Infinity when the location has no stated capacity. */
  capacity: Float64Array;
  /** Minor units per unit, and per order line. */
  unitCost: Float64Array;
  orderCost: Float64Array;
}

export const FLAG_CAPACITY = 1;
/** Lead time + review ran past the forecast horizon; the tail used the last week's average. */
export const FLAG_EXTRAPOLATED = 2;
/** No cost or order cost: the lot is `fallbackCoverDays` of demand instead of the EOQ. */
export const FLAG_NO_EOQ = 4;

export interface ReplenishResult {
  /** Daily dispersion fitted to the forecast, and protection-period demand (mean, dispersion). */
  phi: Float64Array;
  ltdMean: Float64Array;
  ltdPhi: Float64Array;
  reorderPoint: Float64Array;
  safetyStock: Float64Array;
  eoq: Float64Array;
  lot: Float64Array;
  orderQty: Float64Array;
  daysOfCover: Float64Array;
  stockoutProb: Float64Array;
  flags: Uint8Array;
}

export function emptyBatch(n: number, h: number): ReplenishBatch {
  return {
    n,
    h,
    mean: new Float64Array(n * h),
    p10: new Float64Array(n * h),
    p90: new Float64Array(n * h),
    onHand: new Float64Array(n),
    onOrder: new Float64Array(n),
    inbound: new Float64Array(n),
    leadDays: new Int32Array(n).fill(7),
    reviewDays: new Int32Array(n).fill(1),
    packSize: new Int32Array(n).fill(1),
    minOrder: new Int32Array(n),
    capacity: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
    unitCost: new Float64Array(n),
    orderCost: new Float64Array(n),
  };
}

/** Sum of the forecast mean over days [0, days), continuing past the horizon at the last week's average. */
function windowMean(mean: Float64Array, base: number, h: number, days: number): number {
  let sum = 0;
  const inH = Math.min(days, h);
  for (let t = 0; t < inH; t++) sum += mean[base + t] as number;
  if (days > h && h > 0) {
    let tail = 0;
    const k = Math.min(7, h);
    for (let t = h - k; t < h; t++) tail += mean[base + t] as number;
    sum += (tail / k) * (days - h);
  }
  return sum;
}

/** Days until the forecast mean path uses up `stock` (fractional), Infinity when it never does. */
export function daysOfCover(mean: Float64Array, base: number, h: number, stock: number): number {
  if (stock <= 0) return 0;
  let left = stock;
  for (let t = 0; t < h; t++) {
    const m = mean[base + t] as number;
    if (m >= left) return t + left / m;
    left -= m;
  }
  const avg = h > 0 ? windowMean(mean, base, h, h) / h : 0;
  return avg > 0 ? h + left / avg : Number.POSITIVE_INFINITY;
}

/**
 * Demand over the lead time plus the undershoot U of the review-period demand X, as one NB by moments.
 * For integer X: E[U] = (E[X²] − E[X]) / (2·E[X]) = (φ_R − 1 + μ_R)/2; Var(U) ≈ E[U]²/3 (U is roughly
 * uniform on [0, 2·E[U]]).
 */
export function leadPlusUndershoot(
  mean: Float64Array,
  base: number,
  h: number,
  lead: number,
  review: number,
  phi: number,
  rho: number,
): { mean: number; phi: number } {
  const mL = windowMean(mean, base, h, lead);
  const vL = mL * inflateDispersion(phi, lead, rho);
  const mR = windowMean(mean, base, h, review);
  if (!(mR > 0)) return { mean: mL, phi: mL > 0 ? vL / mL : 1 };
  const u = (inflateDispersion(phi, review, rho) - 1 + mR) / 2;
  const m = mL + u;
  return { mean: m, phi: Math.max(1, (vL + (u * u) / 3) / m) };
}

export function replenish(b: ReplenishBatch, p: PolicyParams = defaultPolicy): ReplenishResult {
  const { n, h } = b;
  const r: ReplenishResult = {
    phi: new Float64Array(n),
    ltdMean: new Float64Array(n),
    ltdPhi: new Float64Array(n),
    reorderPoint: new Float64Array(n),
    safetyStock: new Float64Array(n),
    eoq: new Float64Array(n),
    lot: new Float64Array(n),
    orderQty: new Float64Array(n),
    daysOfCover: new Float64Array(n),
    stockoutProb: new Float64Array(n),
    flags: new Uint8Array(n),
  };
  const bounds: LotBounds = { packSize: 1, minOrder: 0, capacity: Number.POSITIVE_INFINITY };
  const unbounded: LotBounds = { packSize: 1, minOrder: 0, capacity: Number.POSITIVE_INFINITY };
  for (let i = 0; i < n; i++) {
    const base = i * h;
    const lead = Math.max(0, b.leadDays[i] as number);
    const review = Math.max(1, b.reviewDays[i] as number);
    const protect = lead + review;
    let flags = protect > h ? FLAG_EXTRAPOLATED : 0;
    const phi = fitDispersion(
      b.mean.subarray(base, base + h),
      b.p10.subarray(base, base + h),
      b.p90.subarray(base, base + h),
      0,
      protect,
    );
    const ltd =
      p.protection === 'lead+review'
        ? {
            mean: windowMean(b.mean, base, h, protect),
            phi: inflateDispersion(phi, protect, p.errorCorrelation),
          }
        : leadPlusUndershoot(b.mean, base, h, lead, review, phi, p.errorCorrelation);
    const daily = h > 0 ? windowMean(b.mean, base, h, h) / h : 0;
    const cost = b.unitCost[i] as number;
    const e = eoq(daily * 365, b.orderCost[i] as number, cost * p.holdingRate);
    if (Number.isNaN(e)) flags |= FLAG_NO_EOQ;
    const base0 = Number.isNaN(e) ? daily * p.fallbackCoverDays : e;
    bounds.packSize = b.packSize[i] as number;
    bounds.minOrder = b.minOrder[i] as number;
    bounds.capacity = b.capacity[i] as number;
    unbounded.packSize = bounds.packSize;
    unbounded.minOrder = bounds.minOrder;
    let lot = lotSize(base0, 0, unbounded);
    let s = reorderPoint(ltd, lot.qty, p.service);
    lot = lotSize(base0, s, bounds);
    if (lot.capacityLimited) {
      flags |= FLAG_CAPACITY;
      s = Math.min(s, reorderPoint(ltd, lot.qty, p.service));
    }
    const ip = (b.onHand[i] as number) + (b.onOrder[i] as number);
    const week = {
      mean: windowMean(b.mean, base, h, p.stockoutDays),
      phi: inflateDispersion(phi, p.stockoutDays, p.errorCorrelation),
    };
    r.phi[i] = phi;
    r.ltdMean[i] = ltd.mean;
    r.ltdPhi[i] = ltd.phi;
    r.reorderPoint[i] = s;
    r.safetyStock[i] = s - ltd.mean;
    r.eoq[i] = e;
    r.lot[i] = lot.qty;
    // No forecast demand, nothing to order: an item nobody buys is not restocked at zero on hand.
    r.orderQty[i] = ltd.mean > 0 ? orderNow(ip, s, lot.qty, bounds) : 0;
    r.daysOfCover[i] = daysOfCover(b.mean, base, h, b.onHand[i] as number);
    r.stockoutProb[i] = exceedProbability(week, (b.onHand[i] as number) + (b.inbound[i] as number));
    r.flags[i] = flags;
  }
  return r;
}
