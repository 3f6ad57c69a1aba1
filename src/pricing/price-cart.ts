import { formatMinor, invalid } from '../core/index.ts';
import { localMoment } from './local-time.ts';
import { prepareManual } from './manual.ts';
import {
  type CartLine,
  canonicalLines,
  type ManualDiscount,
  type Measure,
  type PricingContext,
} from './pricing-input.ts';
import { applyCandidate, type Candidate, freshState } from './promotions/apply-kinds.ts';
import { bestCombination, type SearchOptions, type SearchStats } from './promotions/combine.ts';
import { compilePromotions, isPromotionBook, type PromotionBook, toCandidate } from './promotions/compile.ts';
import { ineligibleReason } from './promotions/eligibility.ts';
import { type AppliedPromotion, explain, type LineDiscount } from './promotions/explain.ts';
import type { PromotionInput } from './promotions/schema.ts';
import { fieldPath } from './promotions/schema.ts';
import { computeTax, type LineTax, type TaxRow } from './tax-engine.ts';
import { type TaxJurisdiction, type TaxJurisdictionInput, taxJurisdictionSchema } from './tax-schema.ts';

export interface PriceCartInput {
  readonly currency: string;
  readonly lines: readonly CartLine[];
  readonly context: PricingContext;
  /** Definitions as received (validated here, cached by array identity) or a compiled book. */
  readonly promotions: readonly PromotionInput[] | PromotionBook;
  readonly manualDiscounts?: readonly ManualDiscount[];
  readonly tax: TaxJurisdictionInput;
  readonly search?: SearchOptions;
}

export interface PricedLine {
  readonly lineId: string;
  readonly sku: string;
  readonly qty: number;
  readonly measure?: Measure;
  readonly unitPriceMinor: number;
  /** qty × unit price (for a measured line, the weighed price), before any discount. */
  readonly listMinor: number;
  readonly discounts: LineDiscount[];
  readonly discountMinor: number;
  /** listMinor − discountMinor: the line's price after discounts, in shelf-price terms. */
  readonly amountMinor: number;
  readonly netMinor: number;
  readonly taxMinor: number;
  readonly grossMinor: number;
  readonly taxBreakdown: LineTax[];
}

export interface CouponOutcome {
  readonly code: string;
  readonly applied: boolean;
  readonly promotionId?: string;
  /** Why a presented coupon did nothing, in words for the cashier. */
  readonly reason?: string;
}

export interface PricedCart {
  readonly currency: string;
  readonly pricesIncludeTax: boolean;
  /** In the order the lines were given. */
  readonly lines: PricedLine[];
  readonly listMinor: number;
  readonly discountMinor: number;
  readonly netMinor: number;
  readonly taxMinor: number;
  readonly grossMinor: number;
  /** What the customer pays: the gross. */
  readonly totalMinor: number;
  readonly taxBreakdown: TaxRow[];
  readonly promotions: AppliedPromotion[];
  readonly coupons: CouponOutcome[];
  /** Promotions and cashier discounts together, for "You saved 3.20". */
  readonly savingsMinor: number;
  readonly savingsText: string | null;
  readonly search: SearchStats;
}

const jurisdictionCache = new WeakMap<object, TaxJurisdiction>();

function jurisdiction(input: TaxJurisdictionInput): TaxJurisdiction {
  const hit = jurisdictionCache.get(input);
  if (hit) return hit;
  const r = taxJurisdictionSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw invalid(fieldPath('tax', issue.path), issue.message);
  }
  jurisdictionCache.set(input, r.data);
  return r.data;
}

/**
 * Prices a cart: promotions (best valid combination), cashier discounts, then tax. Pure: the same input
 * gives the same result on every till and at HQ, whatever the order of its lines.
 */
export function priceCart(input: PriceCartInput): PricedCart {
  const ctx = input.context;
  if (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency))
    throw invalid('currency', 'must be an ISO 4217 code such as EUR');
  if (typeof ctx.storeId !== 'string' || ctx.storeId === '') throw invalid('context.storeId', 'is required');
  if (typeof ctx.channel !== 'string' || ctx.channel === '') throw invalid('context.channel', 'is required');
  const tax = jurisdiction(input.tax);
  const lines = canonicalLines(input.lines);
  const now = localMoment(ctx.at, ctx.timeZone);
  const book = isPromotionBook(input.promotions) ? input.promotions : compilePromotions(input.promotions);
  const presented = [...new Set((ctx.couponCodes ?? []).map((c) => c.trim().toUpperCase()))].sort();
  const couponSet = new Set(presented);

  // Candidates: in scope, and worth something on this cart on their own (nothing can do better later).
  const candidates: Candidate[] = [];
  const standalone = new Map<number, number>();
  const reasons = new Map<string, string>();
  for (const cp of book.promotions) {
    const why = ineligibleReason(cp.p, ctx, now, couponSet);
    if (why) {
      reasons.set(cp.p.id, why);
      continue;
    }
    const c = toCandidate(cp, lines);
    if (c.touch.length === 0) {
      reasons.set(cp.p.id, 'nothing in the cart qualifies');
      continue;
    }
    const s = freshState(lines);
    applyCandidate(c, lines, s, null, false);
    const saving = s.disc.reduce((a, b) => a + b, 0);
    if (saving <= 0) {
      reasons.set(cp.p.id, 'nothing in the cart qualifies');
      continue;
    }
    candidates.push(c);
    standalone.set(c.rank, saving);
  }

  const manual = prepareManual(input.manualDiscounts ?? [], lines);
  const { state, stats } = bestCombination(lines, candidates, standalone, input.search, manual);
  const disc = state.disc;

  const couponFor = (c: Candidate): string | undefined =>
    c.p.couponCodes?.map((x) => x.toUpperCase()).find((x) => couponSet.has(x));
  const byRank = new Map(candidates.map((c) => [c.rank, c]));
  const { perLine, applied } = explain(lines, state.entries, byRank, state.manual, couponFor);

  lines.forEach((l) => {
    if (!Object.hasOwn(tax.classes, l.src.taxClass))
      throw invalid(
        `lines[${l.inputIndex}].taxClass`,
        `no rule for tax class "${l.src.taxClass}" in ${tax.name}`,
      );
  });
  const totals = computeTax(
    lines.map((l) => ({
      lineId: l.src.lineId,
      taxClass: l.src.taxClass,
      amountMinor: l.listMinor - disc[l.i]!,
    })),
    tax,
    { customerExempt: ctx.customer?.taxExempt === true },
  );
  const taxed = totals.lines;

  const priced: PricedLine[] = new Array(lines.length);
  for (const l of lines) {
    const t = taxed[l.i]!;
    const d = disc[l.i]!;
    priced[l.inputIndex] = {
      lineId: l.src.lineId,
      sku: l.src.sku,
      qty: l.qty,
      ...(l.src.measure ? { measure: l.src.measure } : {}),
      unitPriceMinor: l.src.unitPriceMinor,
      listMinor: l.listMinor,
      discounts: perLine[l.i]!,
      discountMinor: d,
      amountMinor: l.listMinor - d,
      netMinor: t.netMinor,
      taxMinor: t.taxMinor,
      grossMinor: t.grossMinor,
      taxBreakdown: t.breakdown,
    };
  }
  const sum = (f: (l: PricedLine) => number): number => priced.reduce((s, l) => s + f(l), 0);
  const savings = sum((l) => l.discountMinor);

  const appliedIds = new Map(applied.map((a) => [a.promotionId, a]));
  const coupons: CouponOutcome[] = presented.map((code) => {
    const owners = book.promotions.filter((cp) => cp.p.couponCodes?.some((x) => x.toUpperCase() === code));
    if (owners.length === 0) return { code, applied: false, reason: 'unknown coupon code' };
    const used = owners.find((cp) => appliedIds.has(cp.p.id));
    if (used) return { code, applied: true, promotionId: used.p.id };
    const first = owners[0]!.p;
    const reason = reasons.get(first.id) ?? 'a better combination of offers applied';
    return { code, applied: false, promotionId: first.id, reason };
  });

  return {
    currency: input.currency,
    pricesIncludeTax: tax.pricesIncludeTax,
    lines: priced,
    listMinor: sum((l) => l.listMinor),
    discountMinor: savings,
    netMinor: totals.netMinor,
    taxMinor: totals.taxMinor,
    grossMinor: totals.grossMinor,
    totalMinor: totals.grossMinor,
    taxBreakdown: totals.breakdown,
    promotions: applied,
    coupons,
    savingsMinor: savings,
    savingsText: savings > 0 ? `You saved ${formatMinor(savings, input.currency)}` : null,
    search: stats,
  };
}
