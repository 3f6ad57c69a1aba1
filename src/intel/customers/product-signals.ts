/**
 * What a customer's products say about coming back: for each product, the share of its purchases (up to
 * `lag` days before the cutoff, so every label has ended) that the same customer followed with another
 * purchase within `lag` days, smoothed toward the share over all products. Wholesalers' staples are
 * rebought; a one-off gift is not. Only invoices before the cutoff are read, so the training rows and the
 * rows scored at as-of see the same kind of evidence.
 */
import type { CustomerHistory } from './history.ts';

export interface ProductSignals {
  /** Smoothed repurchase share per product code (NaN when no product has a finished label yet). */
  rate: Float64Array;
  /** Purchases of each product before the cutoff (any customer). */
  popularity: Float64Array;
}

/** Pseudo-purchases at the overall share: a product needs tens of purchases to move far from it. */
const PRIOR_WEIGHT = 20;

export function productSignals(
  histories: readonly CustomerHistory[],
  cutoff: number,
  lag: number,
): ProductSignals {
  let nProducts = 0;
  for (const h of histories)
    for (const inv of h.invoices) for (const p of inv.products) if (p >= nProducts) nProducts = p + 1;
  const n = new Float64Array(nProducts);
  const k = new Float64Array(nProducts);
  const popularity = new Float64Array(nProducts);
  let allN = 0;
  let allK = 0;
  for (const h of histories) {
    const inv = h.invoices;
    for (let i = 0; i < inv.length; i++) {
      const a = inv[i]!;
      if (a.day >= cutoff) break;
      if (a.cancel) continue;
      for (const p of a.products) popularity[p]!++;
      if (a.day > cutoff - lag) continue;
      // Bought again: a purchase on a later calendar day, within `lag` days.
      const nextDay = Math.floor(a.day) + 1;
      let again = 0;
      for (let j = i + 1; j < inv.length; j++) {
        const b = inv[j]!;
        if (b.day >= a.day + lag) break;
        if (!b.cancel && b.day >= nextDay) {
          again = 1;
          break;
        }
      }
      allN++;
      allK += again;
      for (const p of a.products) {
        n[p]!++;
        k[p]! += again;
      }
    }
  }
  const prior = allN > 0 ? allK / allN : Number.NaN;
  const rate = new Float64Array(nProducts);
  for (let p = 0; p < nProducts; p++) rate[p] = (k[p]! + PRIOR_WEIGHT * prior) / (n[p]! + PRIOR_WEIGHT);
  return { rate, popularity };
}

/** Per customer: mean and max of their products' rates, the mean on their last invoice, mean log popularity. */
export function customerProductFeatures(
  h: CustomerHistory,
  cutoff: number,
  s: ProductSignals,
  seen: Int32Array,
  stamp: number,
): [number, number, number, number] {
  let sum = 0;
  let max = Number.NaN;
  let count = 0;
  let pop = 0;
  let last: number[] | undefined;
  for (const inv of h.invoices) {
    if (inv.day >= cutoff) break;
    if (inv.cancel || inv.products.length === 0) continue;
    last = inv.products;
    for (const p of inv.products) {
      if (seen[p] === stamp) continue;
      seen[p] = stamp;
      const r = s.rate[p] as number;
      sum += r;
      if (!(r <= max)) max = r;
      pop += Math.log1p(s.popularity[p] as number);
      count++;
    }
  }
  if (count === 0 || !last) return [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  const lastMean = last.reduce((a, p) => a + (s.rate[p] as number), 0) / last.length;
  return [sum / count, max, lastMean, pop / count];
}
