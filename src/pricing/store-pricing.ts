import type { PriceCartInput } from './price-cart.ts';
import type { CartLine, Customer, ManualDiscount, Measure, PromotionUsage } from './pricing-input.ts';
import { compilePromotions, type PromotionBook } from './promotions/compile.ts';
import { type PromotionInput, promotionSchema } from './promotions/schema.ts';
import { type TaxJurisdiction, type TaxJurisdictionInput, taxJurisdictionSchema } from './tax-schema.ts';

/**
 * How a store prices a cart from what HQ publishes (products with their categories, promotions, tax
 * jurisdictions). The till and HQ both build the engine's input here, so the same cart at the same
 * moment prices the same on either side.
 */

/** The store's published pricing rules, validated and compiled once per catalog pull. */
export interface StorePricing {
  readonly storeId: string;
  readonly zoneId?: string | undefined;
  readonly timeZone: string;
  readonly promotions: PromotionBook;
  readonly jurisdictions: readonly TaxJurisdiction[];
}

/** A line as the store sells it: a product's rate in basis points and its category path. */
export interface StoreLine {
  readonly lineId: string;
  readonly sku: string;
  readonly qty: number;
  readonly measure?: Measure | undefined;
  readonly unitPriceMinor: number;
  /** The product's category and its ancestors, nearest first. */
  readonly categoryIds?: readonly string[] | undefined;
  readonly productGroupIds?: readonly string[] | undefined;
  /** The product's own rate: used when the store has no jurisdiction, or it has no class for the item. */
  readonly taxRateBp: number;
  /** The class the product is assigned, when the jurisdiction defines it: wins over category and rate. */
  readonly taxClass?: string | undefined;
}

export interface StoreSale {
  readonly currency: string;
  /** Shelf prices include tax: used only when no jurisdiction covers the store. */
  readonly taxInclusive: boolean;
  /** The moment the cart is priced: promotions' schedules and happy hours are read at it. */
  readonly at: string;
  readonly lines: readonly StoreLine[];
  readonly customer?: Customer | undefined;
  readonly couponCodes?: readonly string[] | undefined;
  readonly manualDiscounts?: readonly ManualDiscount[] | undefined;
  /** Promotion uses as HQ answered them (a refused reservation leaves its promotion out). */
  readonly usage?: Readonly<Record<string, PromotionUsage>> | undefined;
}

export interface Dropped {
  readonly index: number;
  readonly id: string | undefined;
  readonly reason: string;
}

/**
 * Validates what HQ sent one definition at a time: a promotion this till cannot read is left out
 * (and reported) rather than stopping every sale.
 */
export function storePricing(input: {
  storeId: string;
  zoneId?: string | undefined;
  timeZone: string;
  promotions: readonly unknown[];
  taxJurisdictions: readonly unknown[];
}): { pricing: StorePricing; dropped: Dropped[] } {
  const dropped: Dropped[] = [];
  const idOf = (x: unknown): string | undefined =>
    typeof x === 'object' && x !== null && typeof (x as { id?: unknown }).id === 'string'
      ? (x as { id: string }).id
      : undefined;
  const promos: PromotionInput[] = [];
  const seen = new Set<string>();
  input.promotions.forEach((p, index) => {
    const r = promotionSchema.safeParse(p);
    if (!r.success) dropped.push({ index, id: idOf(p), reason: r.error.issues[0]?.message ?? 'invalid' });
    else if (seen.has(r.data.id)) dropped.push({ index, id: r.data.id, reason: 'duplicate id' });
    else {
      seen.add(r.data.id);
      promos.push(p as PromotionInput);
    }
  });
  const jurisdictions: TaxJurisdiction[] = [];
  input.taxJurisdictions.forEach((j, index) => {
    const r = taxJurisdictionSchema.safeParse(j);
    if (r.success) jurisdictions.push(r.data);
    else dropped.push({ index, id: idOf(j), reason: r.error.issues[0]?.message ?? 'invalid' });
  });
  let book: PromotionBook;
  try {
    book = compilePromotions(promos);
  } catch {
    // Only list-level rules (a stackable multi-unit kind) can fail here; drop those one by one.
    const ok = promos.filter((p) => {
      try {
        compilePromotions([p]);
        return true;
      } catch {
        dropped.push({ index: -1, id: p.id, reason: 'cannot stack' });
        return false;
      }
    });
    book = compilePromotions(ok);
  }
  return {
    pricing: {
      storeId: input.storeId,
      ...(input.zoneId !== undefined ? { zoneId: input.zoneId } : {}),
      timeZone: input.timeZone,
      promotions: book,
      jurisdictions,
    },
    dropped,
  };
}

/** The jurisdiction governing the store, listed by store first, then by zone; none when not published. */
export function storeJurisdiction(p: StorePricing): TaxJurisdiction | undefined {
  return (
    p.jurisdictions.find((j) => j.storeIds?.includes(p.storeId)) ??
    (p.zoneId === undefined ? undefined : p.jurisdictions.find((j) => j.zoneIds?.includes(p.zoneId!)))
  );
}

const combinedPpm = (j: TaxJurisdiction, cls: string): number =>
  j.classes[cls]!.components.reduce((s, c) => s + c.ratePpm, 0);

/**
 * The tax class of an item: the class the product is assigned, when the jurisdiction has it; else a
 * class named after its category (nearest first), which carries category rates and exemptions; else
 * the class whose combined rate is the product's own rate ("standard" first); else none, and the
 * product's rate is used as its own class.
 */
export function taxClassOf(
  j: TaxJurisdiction,
  categoryIds: readonly string[],
  taxRateBp: number,
  assigned?: string,
): string | undefined {
  if (assigned !== undefined && Object.hasOwn(j.classes, assigned)) return assigned;
  for (const c of categoryIds) if (Object.hasOwn(j.classes, c)) return c;
  const ppm = taxRateBp * 100;
  const keys = Object.keys(j.classes).sort((a, b) =>
    a === 'standard' ? -1 : b === 'standard' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return keys.find((k) => !j.classes[k]!.exempt && combinedPpm(j, k) === ppm);
}

const bpClass = (bp: number): string => `bp:${bp}`;
const bpRule = (bp: number) => ({
  exempt: false,
  components: [{ code: bpClass(bp), name: `${bp / 100} %`, ratePpm: bp * 100 }],
});

// Derived jurisdictions are cached so the engine's own cache (by object identity) keeps working.
const derived = new WeakMap<object, Map<string, TaxJurisdictionInput>>();
const synthesized = new Map<string, TaxJurisdictionInput>();

function withRateClasses(j: TaxJurisdiction, rates: readonly number[]): TaxJurisdictionInput {
  if (rates.length === 0) return j;
  let m = derived.get(j);
  if (!m) {
    m = new Map();
    derived.set(j, m);
  }
  const key = rates.join(',');
  let out = m.get(key);
  if (!out) {
    const classes = { ...j.classes };
    for (const r of rates) classes[bpClass(r)] = bpRule(r);
    out = { ...j, classes };
    if (m.size > 1_000) m.clear();
    m.set(key, out);
  }
  return out;
}

/** One class per rate, rounded per line: how a store without a published jurisdiction taxes. */
function rateJurisdiction(rates: readonly number[], inclusive: boolean): TaxJurisdictionInput {
  const key = `${inclusive ? 'i' : 'e'}:${rates.join(',')}`;
  let j = synthesized.get(key);
  if (!j) {
    j = {
      id: 'product-rates',
      name: 'product rates',
      pricesIncludeTax: inclusive,
      rounding: 'line',
      classes: Object.fromEntries(rates.map((r) => [bpClass(r), bpRule(r)])),
    };
    if (synthesized.size > 1_000) synthesized.clear();
    synthesized.set(key, j);
  }
  return j;
}

const sortedUnique = (xs: readonly number[]): number[] => [...new Set(xs)].sort((a, b) => a - b);

/** The engine's input for a store's cart: lines with their tax classes, the store's rules and the context. */
export function storePriceInput(pricing: StorePricing | undefined, sale: StoreSale): PriceCartInput {
  const j = pricing ? storeJurisdiction(pricing) : undefined;
  const classes = sale.lines.map((l) =>
    j ? taxClassOf(j, l.categoryIds ?? [], l.taxRateBp, l.taxClass) : undefined,
  );
  const fallbackRates = sortedUnique(
    sale.lines.filter((_, i) => classes[i] === undefined).map((l) => l.taxRateBp),
  );
  const tax = j ? withRateClasses(j, fallbackRates) : rateJurisdiction(fallbackRates, sale.taxInclusive);
  const lines: CartLine[] = sale.lines.map((l, i) => ({
    lineId: l.lineId,
    sku: l.sku,
    qty: l.qty,
    ...(l.measure ? { measure: l.measure } : {}),
    unitPriceMinor: l.unitPriceMinor,
    categoryIds: l.categoryIds ?? [],
    productGroupIds: l.productGroupIds ?? [],
    taxClass: classes[i] ?? bpClass(l.taxRateBp),
  }));
  return {
    currency: sale.currency,
    lines,
    context: {
      at: sale.at,
      timeZone: pricing?.timeZone ?? 'UTC',
      storeId: pricing?.storeId ?? 'till',
      ...(pricing?.zoneId !== undefined ? { zoneIds: [pricing.zoneId] } : {}),
      channel: 'store',
      ...(sale.customer ? { customer: sale.customer } : {}),
      ...(sale.couponCodes && sale.couponCodes.length > 0 ? { couponCodes: sale.couponCodes } : {}),
      ...(sale.usage ? { usage: sale.usage } : {}),
    },
    promotions: pricing?.promotions ?? NO_PROMOTIONS,
    ...(sale.manualDiscounts && sale.manualDiscounts.length > 0
      ? { manualDiscounts: sale.manualDiscounts }
      : {}),
    tax,
  };
}

// One frozen empty list so the engine's compile cache (by array identity) hits every time.
const NO_PROMOTIONS: readonly PromotionInput[] = Object.freeze([]) as readonly PromotionInput[];
