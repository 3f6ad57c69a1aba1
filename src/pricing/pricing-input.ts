import { invalid, mulDiv } from '../core/index.ts';

/**
 * What the till (or HQ, or the web shop) asks the pricing engine to price. Plain data: everything the
 * engine needs, including the time, comes in here, so the same input prices the same everywhere.
 */

/**
 * A weighed or measured quantity: 1234 g at a price per 1000 g. The line's `qty` then counts packs
 * (usually 1) and `unitPriceMinor` is the price per `per` of `unit`.
 */
export interface Measure {
  readonly amount: number;
  readonly unit: 'g' | 'ml' | 'mm';
  readonly per: number;
}

export interface CartLine {
  readonly lineId: string;
  readonly sku: string;
  /** Whole units (or packs of a measured item). Returns are priced by the sales module, not here. */
  readonly qty: number;
  readonly measure?: Measure;
  readonly unitPriceMinor: number;
  /** The product's category and all its ancestors. */
  readonly categoryIds: readonly string[];
  readonly productGroupIds: readonly string[];
  readonly taxClass: string;
}

export interface Customer {
  readonly id: string;
  readonly loyaltyMember: boolean;
  readonly segments: readonly string[];
  /** An exemption on file (diplomat, reseller, charity): no tax is charged to this customer. */
  readonly taxExempt?: boolean;
}

export interface PromotionUsage {
  /** Uses so far across the chain. */
  readonly total?: number;
  /** Uses so far by the context's customer. */
  readonly customer?: number;
  /** HQ refused this sale a use (the limit was reached): the reason, and the promotion does not apply. */
  readonly refused?: string;
}

export interface PricingContext {
  /** The moment of the sale, an ISO instant with offset ("2026-11-27T17:30:00+01:00" or "…Z"). */
  readonly at: string;
  /** The store's IANA time zone; happy hours and local schedules are read in it. */
  readonly timeZone: string;
  readonly storeId: string;
  readonly zoneIds?: readonly string[];
  readonly channel: string;
  readonly customer?: Customer;
  readonly couponCodes?: readonly string[];
  readonly usage?: Readonly<Record<string, PromotionUsage>>;
}

/**
 * A cashier's discount. With `lineId` it applies to that line (an amount is per line, not per unit);
 * without, to the basket, spread over the lines in proportion to what is still payable. It applies after
 * promotions, on what is left to pay, and goes through the same explanation and tax path.
 */
export interface ManualDiscount {
  readonly id: string;
  readonly reason: string;
  readonly lineId?: string;
  readonly amountMinor?: number;
  readonly percentBp?: number;
}

/** A cart line after validation, in canonical order (by lineId), with its unit price resolved. */
export interface Line {
  readonly i: number;
  readonly inputIndex: number;
  readonly src: CartLine;
  readonly qty: number;
  /** Price of one unit (one pack for measured lines). */
  readonly unitMinor: number;
  readonly listMinor: number;
}

/** Price of one pack of a measured line at `pricePerBase`, rounded once, half away from zero. */
export const measuredUnitMinor = (m: Measure, pricePerBase: number): number =>
  mulDiv(m.amount, pricePerBase, m.per);

const positiveInt = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
const nonNegInt = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

export function canonicalLines(lines: readonly CartLine[]): Line[] {
  const ids = new Set<string>();
  lines.forEach((l, k) => {
    const f = `lines[${k}]`;
    if (typeof l.lineId !== 'string' || l.lineId === '') throw invalid(`${f}.lineId`, 'is required');
    if (ids.has(l.lineId)) throw invalid(`${f}.lineId`, `"${l.lineId}" appears twice in the cart`);
    ids.add(l.lineId);
    if (typeof l.sku !== 'string' || l.sku === '') throw invalid(`${f}.sku`, 'is required');
    if (!positiveInt(l.qty)) throw invalid(`${f}.qty`, `must be a positive whole number, got ${l.qty}`);
    if (!nonNegInt(l.unitPriceMinor))
      throw invalid(
        `${f}.unitPriceMinor`,
        `must be a whole number of minor units ≥ 0, got ${l.unitPriceMinor}`,
      );
    if (typeof l.taxClass !== 'string' || l.taxClass === '') throw invalid(`${f}.taxClass`, 'is required');
    if (l.measure) {
      if (!positiveInt(l.measure.amount))
        throw invalid(`${f}.measure.amount`, 'must be a positive whole number');
      if (!positiveInt(l.measure.per)) throw invalid(`${f}.measure.per`, 'must be a positive whole number');
    }
  });
  // Canonical order makes every tie-break (equal prices, allocation remainders) independent of scan order.
  const order = lines.map((l, k) => ({ l, k })).sort((a, b) => (a.l.lineId < b.l.lineId ? -1 : 1));
  return order.map(({ l, k }, i) => {
    const unitMinor = l.measure ? measuredUnitMinor(l.measure, l.unitPriceMinor) : l.unitPriceMinor;
    const listMinor = unitMinor * l.qty;
    if (!Number.isSafeInteger(listMinor)) throw invalid(`lines[${k}].qty`, 'line amount is too large');
    return { i, inputIndex: k, src: l, qty: l.qty, unitMinor, listMinor };
  });
}
