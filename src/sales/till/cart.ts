import { invalid, notFound } from '../../core/index.ts';
import type {
  AppliedPromotion,
  Customer,
  LineDiscount,
  ManualDiscount,
  PromotionKind,
} from '../../pricing/index.ts';
import {
  type CouponOutcome,
  priceCart as priceWithEngine,
  type StorePricing,
  storePriceInput,
} from '../../pricing/index.ts';
import type { Measure, PriceOverride } from '../events.ts';

/**
 * A cart as plain data and the pure functions that change it. The price and tax rate are taken when
 * the item is scanned, so a catalog update mid-sale does not change what the customer was shown.
 * Totals come from the pricing engine: the store's promotions (best combination), cashier discounts
 * (line and basket), coupons, and tax by the store's jurisdiction (see src/pricing/store-pricing.ts).
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
  /** The product's category and its ancestors, nearest first, and its product groups, kept from the scan. */
  categoryIds?: string[];
  productGroupIds?: string[];
  /** The product's assigned tax class, kept from the scan (the priced view's `taxClass` is the one charged). */
  productTaxClass?: string;
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
  /** Coupon codes presented at the till, upper-cased. */
  couponCodes?: string[];
  /** Limited promotions HQ refused this cart at checkout (promotion-uses.ts): priced without them. */
  refusedPromotions?: RefusedPromotion[];
}

/** A promotion HQ would not give this cart a use of, and what the cashier was told. */
export interface RefusedPromotion {
  promotionId: string;
  message: string;
}

/** A discount on a line: a promotion's (reason is its name) or a cashier's. */
export interface LineDiscountView {
  id: string;
  reason: string;
  amountMinor: number;
  basket: boolean;
  percentBp?: number;
  approvedBy?: string;
  source?: 'promotion' | 'manual';
  promotionId?: string;
  promotionKind?: PromotionKind;
  couponCode?: string;
}

export interface LineTaxView {
  code: string;
  name: string;
  ratePpm: number;
  taxMinor: number;
}

export interface PricedLine extends CartLine {
  /** Parts per million of all tax components charged on the line (exact; taxRateBp is rounded). */
  taxRatePpm: number;
  taxClass: string;
  tax: LineTaxView[];
  /** Before promotions and cashier discounts. */
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
  /** The moment the promotions and prices were read at. */
  pricedAt: string;
  customerId?: string;
  lines: PricedLine[];
  discounts: CartDiscount[];
  couponCodes: string[];
  /** Each presented coupon: applied, or why not. */
  coupons: CouponOutcome[];
  /** Limited promotions left out because HQ refused a use (fully redeemed, code used). */
  refusedPromotions?: RefusedPromotion[];
  promotions: AppliedPromotion[];
  /** The store's published jurisdiction the cart is taxed under; absent when taxed by product rates. */
  taxJurisdictionId?: string;
  totals: {
    listMinor: number;
    discountMinor: number;
    netMinor: number;
    taxMinor: number;
    grossMinor: number;
    byRate: {
      taxRateBp: number;
      ratePpm: number;
      code: string;
      name: string;
      exempt: boolean;
      netMinor: number;
      taxMinor: number;
    }[];
  };
}

export interface SellableProduct {
  sku: string;
  name: string;
  priceMinor: number;
  taxRateBp: number;
  categoryIds?: string[] | undefined;
  productGroupIds?: string[] | undefined;
  taxClass?: string | undefined;
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
    ...(product.categoryIds?.length ? { categoryIds: [...product.categoryIds] } : {}),
    ...(product.productGroupIds?.length ? { productGroupIds: [...product.productGroupIds] } : {}),
    ...(product.taxClass ? { productTaxClass: product.taxClass } : {}),
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

/** Presents a coupon code (case-insensitive); whether it applies is the engine's to say. */
export function addCoupon(cart: Cart, code: string): Cart {
  const c = typeof code === 'string' ? code.trim().toUpperCase() : '';
  if (c === '' || c.length > 64) throw invalid('code', 'type or scan the coupon code (1–64 characters)');
  const codes = cart.couponCodes ?? [];
  return codes.includes(c) ? cart : { ...cart, couponCodes: [...codes, c] };
}

export function removeCoupon(cart: Cart, code: string): Cart {
  const c = String(code).trim().toUpperCase();
  const codes = cart.couponCodes ?? [];
  if (!codes.includes(c)) throw notFound(`coupon ${c} on cart ${cart.id}`, 'code');
  return { ...cart, couponCodes: codes.filter((x) => x !== c) };
}

export function removeDiscount(cart: Cart, id: string): Cart {
  if (!(cart.discounts ?? []).some((d) => d.id === id)) throw notFound(`discount ${id}`, 'discountId');
  return { ...cart, discounts: (cart.discounts ?? []).filter((d) => d.id !== id) };
}

// Zero-padded so the engine's canonical order (by lineId) is the order of line numbers.
const lineId = (lineNo: number): string => String(lineNo).padStart(8, '0');

/** What a cart is priced against besides its own lines: the store's rules, the moment, the customer. */
export interface CartPricing {
  /** The store's promotions and tax jurisdictions; without them, the products' own rates and no promotions. */
  pricing?: StorePricing | undefined;
  /** The moment of pricing (the sale time at checkout); default the cart's creation. */
  at?: string | undefined;
  customer?: Customer | undefined;
}

const ratePpmOf = (tax: readonly { ratePpm: number }[]): number => tax.reduce((s, t) => s + t.ratePpm, 0);

export function priceCart(cart: Cart, env: CartPricing = {}): CartView {
  const discounts = cart.discounts ?? [];
  const at = env.at ?? cart.createdAt;
  const input = storePriceInput(env.pricing, {
    currency: cart.currency,
    taxInclusive: cart.taxInclusive,
    at,
    lines: cart.lines.map((l) => ({
      lineId: lineId(l.lineNo),
      sku: l.sku,
      qty: l.qty,
      measure: l.measure,
      unitPriceMinor: l.unitPriceMinor,
      categoryIds: l.categoryIds,
      productGroupIds: l.productGroupIds,
      taxRateBp: l.taxRateBp,
      taxClass: l.productTaxClass,
    })),
    customer: env.customer,
    couponCodes: cart.couponCodes,
    ...(cart.refusedPromotions?.length
      ? {
          usage: Object.fromEntries(
            cart.refusedPromotions.map((r) => [r.promotionId, { refused: r.message }]),
          ),
        }
      : {}),
    manualDiscounts: discounts.map(
      (d): ManualDiscount => ({
        id: d.id,
        reason: d.reason,
        ...(d.lineNo !== undefined ? { lineId: lineId(d.lineNo) } : {}),
        ...(d.amountMinor !== undefined ? { amountMinor: d.amountMinor } : {}),
        ...(d.percentBp !== undefined ? { percentBp: d.percentBp } : {}),
      }),
    ),
  });
  const r = priceWithEngine(input);
  const byId = new Map(discounts.map((d) => [d.id, d]));
  const kinds = new Map(r.promotions.map((p) => [p.promotionId, p.kind]));
  const view = (d: LineDiscount): LineDiscountView => {
    if (d.source === 'promotion') {
      const kind = kinds.get(d.id);
      return {
        id: d.id,
        reason: d.name,
        amountMinor: d.amountMinor,
        basket: kind === 'spendThreshold' || kind === 'basketOff',
        source: 'promotion',
        promotionId: d.id,
        ...(kind ? { promotionKind: kind } : {}),
        ...(d.couponCode ? { couponCode: d.couponCode } : {}),
      };
    }
    const src = byId.get(d.id)!;
    return {
      id: d.id,
      reason: src.reason,
      amountMinor: d.amountMinor,
      basket: src.lineNo === undefined,
      source: 'manual',
      ...(src.percentBp !== undefined ? { percentBp: src.percentBp } : {}),
      ...(src.approvedBy ? { approvedBy: src.approvedBy } : {}),
    };
  };
  return {
    id: cart.id,
    currency: cart.currency,
    taxInclusive: r.pricesIncludeTax,
    createdAt: cart.createdAt,
    pricedAt: at,
    ...(input.tax.id !== 'product-rates' ? { taxJurisdictionId: input.tax.id } : {}),
    ...(cart.customerId ? { customerId: cart.customerId } : {}),
    lines: cart.lines.map((l, i) => {
      const p = r.lines[i]!;
      const ppm = ratePpmOf(p.taxBreakdown);
      return {
        ...l,
        // The rate the store's jurisdiction charged (a category may be reduced or exempt), in bp for
        // readers that predate ppm; taxRatePpm is exact.
        taxRateBp: Math.round(ppm / 100),
        taxRatePpm: ppm,
        taxClass: input.lines[i]!.taxClass,
        tax: p.taxBreakdown.map((t) => ({
          code: t.code,
          name: t.name,
          ratePpm: t.ratePpm,
          taxMinor: t.taxMinor,
        })),
        listMinor: p.listMinor,
        discountMinor: p.discountMinor,
        discounts: p.discounts.filter((d) => d.amountMinor > 0).map(view),
        netMinor: p.netMinor,
        taxMinor: p.taxMinor,
        grossMinor: p.grossMinor,
      };
    }),
    discounts,
    couponCodes: cart.couponCodes ?? [],
    coupons: r.coupons,
    ...(cart.refusedPromotions?.length ? { refusedPromotions: cart.refusedPromotions } : {}),
    promotions: r.promotions,
    totals: {
      listMinor: r.listMinor,
      discountMinor: r.discountMinor,
      netMinor: r.netMinor,
      taxMinor: r.taxMinor,
      grossMinor: r.grossMinor,
      byRate: r.taxBreakdown.map((row) => ({
        taxRateBp: Math.round(row.ratePpm / 100),
        ratePpm: row.ratePpm,
        code: row.code,
        name: row.name,
        exempt: row.exempt,
        netMinor: row.taxableMinor,
        taxMinor: row.taxMinor,
      })),
    },
  };
}
