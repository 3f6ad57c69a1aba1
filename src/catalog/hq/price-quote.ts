import type { CatalogSnapshot } from '../../contracts/index.ts';
import { invalid, notFound } from '../../core/index.ts';
import type { Customer } from '../../pricing/index.ts';
import {
  type PricedCart,
  priceCart,
  type StoreLine,
  storePriceInput,
  storePricing,
} from '../../pricing/index.ts';
import { type PriceEntry, priceInForce } from '../pricebook.ts';

/**
 * HQ's price for a cart at a store, from the same catalog snapshot the store's tills hold: prices in
 * force at the moment, the published promotions and the store's tax jurisdiction. A till that rang up
 * the same items at the same moment charged exactly this.
 */
export interface QuoteLine {
  sku: string;
  qty?: number;
  /** For items sold by weight: grams on the scale (the price is per kg). */
  grams?: number;
}

export interface QuoteRequest {
  lines: readonly QuoteLine[];
  /** ISO instant with offset. */
  at: string;
  customer?: Customer;
  couponCodes?: readonly string[];
}

const lineId = (n: number): string => String(n).padStart(8, '0');

export function quoteFromSnapshot(snap: CatalogSnapshot, req: QuoteRequest): PricedCart {
  const bySku = new Map(snap.products.map((p) => [p.sku, p]));
  const entries = new Map<string, PriceEntry[]>();
  for (const e of snap.prices ?? []) {
    const list = entries.get(e.sku) ?? [];
    list.push({ ...e, effectiveTo: e.effectiveTo ?? null });
    entries.set(e.sku, list);
  }
  const where = { storeId: snap.store.storeId, zoneId: snap.zoneId };
  const lines: StoreLine[] = req.lines.map((l, i) => {
    const p = bySku.get(l.sku);
    if (!p?.active) throw notFound(`product ${l.sku}`, `lines[${i}].sku`);
    const price = priceInForce(entries.get(l.sku) ?? [], l.sku, where, req.at)?.priceMinor ?? p.priceMinor;
    const weighed = p.unit === 'kg' || p.unit === 'l';
    if (weighed && l.grams === undefined) throw invalid(`lines[${i}].grams`, `${p.name} is sold by weight`);
    return {
      lineId: lineId(i + 1),
      sku: p.sku,
      qty: l.qty ?? 1,
      ...(l.grams !== undefined ? { measure: { amount: l.grams, unit: 'g' as const, per: 1000 } } : {}),
      unitPriceMinor: price,
      categoryIds: p.categoryIds,
      productGroupIds: p.productGroupIds,
      taxRateBp: p.taxRateBp,
      taxClass: p.taxClass,
    };
  });
  const { pricing } = storePricing({
    storeId: snap.store.storeId,
    zoneId: snap.zoneId,
    timeZone: snap.store.timeZone,
    promotions: snap.promotions ?? [],
    taxJurisdictions: snap.taxJurisdictions ?? [],
  });
  return priceCart(
    storePriceInput(pricing, {
      currency: snap.store.currency,
      taxInclusive: snap.store.taxInclusive,
      at: req.at,
      lines,
      customer: req.customer,
      couponCodes: req.couponCodes,
    }),
  );
}
