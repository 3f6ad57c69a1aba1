import { invalid, notFound } from '../core/errors.ts';
import type { CartLine as EngineLine, ManualDiscount } from '../pricing/cart.ts';
import { priceCart as priceWithEngine } from '../pricing/price-cart.ts';
import type { PromotionInput } from '../pricing/promotions/schema.ts';
import type { TaxJurisdictionInput } from '../pricing/tax-schema.ts';
import type { Measure, PriceOverride } from './events.ts';

/**
 * A cart as plain data and the pure functions that change it. The price and tax rate are taken when
 * the item is scanned, so a catalog update mid-sale does not change what the customer was shown.
 * Totals come from the pricing engine, which applies cashier discounts (line and basket) and tax.
 */
export interface CartLine {
  lineNo: number;
  sku: string;
  name: string;
  qty: number;
  /** Price of one unit; for a weighed line, the price per `measure.per` (per kg). */
  unitPriceMinor: number;
  taxRateBp: number;
  measure?: Measure;
  embedded?: 'price' | 'weight';
  priceOverride?: PriceOverride;
}

/** A cashier discount: on one line (`lineNo`) or on the basket; an amount or a percentage (bp). */
export interface CartDiscount {
  id: string;
  lineNo?: number;
  amountMinor?: number;
  percentBp?: number;
  reason: string;
  approvedBy?: string;
}

export interface Cart {
  id: string;
  currency: string;
  taxInclusive: boolean;
  createdAt: string;
  lines: CartLine[];
  discounts?: CartDiscount[];
  customerId?: string;
}

export interface LineDiscountView {
  id: string;
  reason: string;
  amountMinor: number;
  basket: boolean;
  percentBp?: number;
  approvedBy?: string;
}

export interface PricedLine extends CartLine {
  /** Before cashier discounts. */
  listMinor: number;
  discountMinor: number;
  discounts: LineDiscountView[];
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
}

export interface CartView {
  id: string;
  currency: string;
  taxInclusive: boolean;
  createdAt: string;
  customerId?: string;
  lines: PricedLine[];
  discounts: CartDiscount[];
  totals: {
    listMinor: number;
    discountMinor: number;
    netMinor: number;
    taxMinor: number;
    grossMinor: number;
    byRate: { taxRateBp: number; netMinor: number; taxMinor: number }[];
  };
}

export interface SellableProduct {
  sku: string;
  name: string;
  priceMinor: number;
  taxRateBp: number;
}

/** A quantity a person could mean at a till; beyond it a typo, and the maths would leave safe integers. */
export const MAX_QTY = 100_000;
/** 100 kg on one line is a sack of potatoes too many for a scale at a till. */
export const MAX_GRAMS = 100_000;

export function assertQty(qty: number): void {
  if (!Number.isInteger(qty) || qty <= 0) throw invalid('qty', `must be a whole number above 0, got ${qty}`);
  if (qty > MAX_QTY) throw invalid('qty', `must be at most ${MAX_QTY}, got ${qty}`);
}

export function assertGrams(grams: number, field = 'weightGrams'): void {
  if (!Number.isInteger(grams) || grams <= 0)
    throw invalid(field, `must be a whole number of grams above 0, got ${grams}`);
  if (grams > MAX_GRAMS) throw invalid(field, `must be at most ${MAX_GRAMS} g, got ${grams}`);
}

export interface AddOptions {
  /** Weighed: the product's price is per kg and this many grams were weighed. */
  grams?: number;
  /** Price read from an in-store barcode, replacing the catalog's for this line. */
  embeddedPriceMinor?: number;
  embedded?: 'price' | 'weight';
}

const nextLineNo = (cart: Cart): number => cart.lines.reduce((m, l) => Math.max(m, l.lineNo), 0) + 1;

/** Scanning an item already in the cart adds to its line, as cashiers expect (not for weighed items). */
export function addLine(cart: Cart, product: SellableProduct, qty: number, opts: AddOptions = {}): Cart {
  assertQty(qty);
  if (opts.grams !== undefined) assertGrams(opts.grams);
  const unitPriceMinor = opts.embeddedPriceMinor ?? product.priceMinor;
  const plain = opts.grams === undefined && opts.embedded === undefined;
  const existing = plain
    ? cart.lines.find(
        (l) =>
          l.sku === product.sku &&
          l.unitPriceMinor === unitPriceMinor &&
          !l.measure &&
          !l.embedded &&
          !l.priceOverride,
      )
    : undefined;
  if (existing) return changeQty(cart, existing.lineNo, existing.qty + qty);
  // Line numbers stay stable after a removal, so a client holding lineNo 3 still edits the same line.
  const line: CartLine = {
    lineNo: nextLineNo(cart),
    sku: product.sku,
    name: product.name,
    qty,
    unitPriceMinor,
    taxRateBp: product.taxRateBp,
    ...(opts.grams !== undefined ? { measure: { amount: opts.grams, unit: 'g' as const, per: 1000 } } : {}),
    ...(opts.embedded ? { embedded: opts.embedded } : {}),
  };
  return { ...cart, lines: [...cart.lines, line] };
}

export function findLine(cart: Cart, lineNo: number): CartLine {
  const line = cart.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw notFound(`line ${lineNo} of cart ${cart.id}`, 'lineNo');
  return line;
}

export function changeQty(cart: Cart, lineNo: number, qty: number): Cart {
  assertQty(qty);
  findLine(cart, lineNo);
  return { ...cart, lines: cart.lines.map((l) => (l.lineNo === lineNo ? { ...l, qty } : l)) };
}

/** A line goes with the discounts given on it. */
export function removeLine(cart: Cart, lineNo: number): Cart {
  findLine(cart, lineNo);
  return {
    ...cart,
    lines: cart.lines.filter((l) => l.lineNo !== lineNo),
    discounts: (cart.discounts ?? []).filter((d) => d.lineNo !== lineNo),
  };
}

/** Sets a line's unit price, keeping the catalog price it replaced and why. */
export function overridePrice(
  cart: Cart,
  lineNo: number,
  unitPriceMinor: number,
  o: Omit<PriceOverride, 'fromMinor'>,
): Cart {
  const line = findLine(cart, lineNo);
  if (!Number.isSafeInteger(unitPriceMinor) || unitPriceMinor < 0)
    throw invalid(
      'unitPriceMinor',
      `must be a whole number of minor units, 0 or more, got ${unitPriceMinor}`,
    );
  const fromMinor = line.priceOverride?.fromMinor ?? line.unitPriceMinor;
  return {
    ...cart,
    lines: cart.lines.map((l) =>
      l.lineNo === lineNo ? { ...l, unitPriceMinor, priceOverride: { ...o, fromMinor } } : l,
    ),
  };
}

export function addDiscount(cart: Cart, d: CartDiscount): Cart {
  if (d.lineNo !== undefined) findLine(cart, d.lineNo);
  return { ...cart, discounts: [...(cart.discounts ?? []), d] };
}

export function removeDiscount(cart: Cart, id: string): Cart {
  if (!(cart.discounts ?? []).some((d) => d.id === id)) throw notFound(`discount ${id}`, 'discountId');
  return { ...cart, discounts: (cart.discounts ?? []).filter((d) => d.id !== id) };
}

// The till prices without promotions until the catalog carries them; one array keeps the engine's cache.
const NO_PROMOTIONS: readonly PromotionInput[] = Object.freeze([]) as readonly PromotionInput[];
const jurisdictions = new Map<string, TaxJurisdictionInput>();

/** One tax class per rate in the cart, rounded per line: the figures of the till's per-line tax. */
function jurisdictionFor(rates: readonly number[], inclusive: boolean): TaxJurisdictionInput {
  const key = `${inclusive ? 'i' : 'e'}:${rates.join(',')}`;
  let j = jurisdictions.get(key);
  if (!j) {
    const classes: Record<
      string,
      { exempt: boolean; components: { code: string; name: string; ratePpm: number }[] }
    > = {};
    for (const r of rates) {
      const code = `bp:${r}`;
      classes[code] = { exempt: false, components: [{ code, name: code, ratePpm: r * 100 }] };
    }
    j = { id: 'till', name: 'per-line rates', pricesIncludeTax: inclusive, rounding: 'line', classes };
    if (jurisdictions.size > 1_000) jurisdictions.clear();
    jurisdictions.set(key, j);
  }
  return j;
}

// Zero-padded so the engine's canonical order (by lineId) is the order of line numbers.
const lineId = (lineNo: number): string => String(lineNo).padStart(8, '0');

export function priceCart(cart: Cart): CartView {
  const rates = [...new Set(cart.lines.map((l) => l.taxRateBp))].sort((a, b) => a - b);
  const discounts = cart.discounts ?? [];
  const lines: EngineLine[] = cart.lines.map((l) => ({
    lineId: lineId(l.lineNo),
    sku: l.sku,
    qty: l.qty,
    ...(l.measure ? { measure: l.measure } : {}),
    unitPriceMinor: l.unitPriceMinor,
    categoryIds: [],
    productGroupIds: [],
    taxClass: `bp:${l.taxRateBp}`,
  }));
  const manual: ManualDiscount[] = discounts.map((d) => ({
    id: d.id,
    reason: d.reason,
    ...(d.lineNo !== undefined ? { lineId: lineId(d.lineNo) } : {}),
    ...(d.amountMinor !== undefined ? { amountMinor: d.amountMinor } : {}),
    ...(d.percentBp !== undefined ? { percentBp: d.percentBp } : {}),
  }));
  const r = priceWithEngine({
    currency: cart.currency,
    lines,
    context: { at: cart.createdAt, timeZone: 'UTC', storeId: 'till', channel: 'store' },
    promotions: NO_PROMOTIONS,
    manualDiscounts: manual,
    tax: jurisdictionFor(rates, cart.taxInclusive),
  });
  const byId = new Map(discounts.map((d) => [d.id, d]));
  return {
    id: cart.id,
    currency: cart.currency,
    taxInclusive: cart.taxInclusive,
    createdAt: cart.createdAt,
    ...(cart.customerId ? { customerId: cart.customerId } : {}),
    lines: cart.lines.map((l, i) => {
      const p = r.lines[i]!;
      return {
        ...l,
        listMinor: p.listMinor,
        discountMinor: p.discountMinor,
        discounts: p.discounts
          .filter((d) => d.source === 'manual' && d.amountMinor > 0)
          .map((d) => {
            const src = byId.get(d.id)!;
            return {
              id: d.id,
              reason: src.reason,
              amountMinor: d.amountMinor,
              basket: src.lineNo === undefined,
              ...(src.percentBp !== undefined ? { percentBp: src.percentBp } : {}),
              ...(src.approvedBy ? { approvedBy: src.approvedBy } : {}),
            };
          }),
        netMinor: p.netMinor,
        taxMinor: p.taxMinor,
        grossMinor: p.grossMinor,
      };
    }),
    discounts,
    totals: {
      listMinor: r.listMinor,
      discountMinor: r.discountMinor,
      netMinor: r.netMinor,
      taxMinor: r.taxMinor,
      grossMinor: r.grossMinor,
      byRate: r.taxBreakdown.map((row) => ({
        taxRateBp: row.ratePpm / 100,
        netMinor: row.taxableMinor,
        taxMinor: row.taxMinor,
      })),
    },
  };
}
