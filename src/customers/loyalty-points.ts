import type { LoyaltyProgramme, LoyaltyTier } from '../contracts/index.ts';
import { allocate, minorDigits } from '../core/index.ts';

/**
 * Loyalty arithmetic as pure functions (property-tested in loyalty-points.test.ts).
 *
 * Earn: points are earned on net spend (after discounts, before tax), never on gift card or store
 * credit lines, nor on the part of the sale paid with points. Each line weighs its net times its
 * category's multiplier (a line in several categories: 0 if any excludes it, else the highest); the sale's
 * points are floor(Σ weight × pointsPerUnit × tier multiplier / one currency unit) — rounded down once, on
 * the whole sale, so a basket of cheap items earns what one line of the same total would. The points are
 * then spread over the lines by weight (largest remainder), which is what a return takes back.
 */
export interface EarnLine {
  lineNo: number;
  netMinor: number;
  qty: number;
  categoryIds?: readonly string[] | undefined;
  /** A gift card or store credit sold as a line: earns nothing. */
  storedValue?: boolean | undefined;
}

export interface EarnInput {
  lines: readonly EarnLine[];
  currency: string;
  storeId: string;
  tierMultiplierBp: number;
  /** What the sale's gross was and what points paid of it: that share earns nothing. */
  grossMinor: number;
  paidWithPointsMinor: number;
}

export interface Earned {
  points: number;
  /** Per line, in the order given; sums to `points`. */
  linePoints: number[];
  /** The spend the points were earned on (what counts toward the tier). */
  eligibleNetMinor: number;
}

const BP = 10_000n;

export function categoryMultiplierBp(
  programme: LoyaltyProgramme,
  categoryIds: readonly string[] = [],
): number {
  const rates = categoryIds.flatMap((c) => {
    const r = programme.categories[c];
    return r === undefined ? [] : [r];
  });
  if (rates.length === 0) return 10_000;
  return rates.includes(0) ? 0 : Math.max(...rates);
}

export function storeEarnRate(programme: LoyaltyProgramme, storeId: string): number {
  const s = programme.stores[storeId];
  if (!programme.enabled || s?.enabled === false) return 0;
  return s?.pointsPerUnit ?? programme.pointsPerUnit;
}

export function earnPoints(programme: LoyaltyProgramme, input: EarnInput): Earned {
  const rate = storeEarnRate(programme, input.storeId);
  const weights = input.lines.map((l) =>
    l.storedValue || l.netMinor <= 0
      ? 0n
      : BigInt(l.netMinor) * BigInt(categoryMultiplierBp(programme, l.categoryIds)),
  );
  const eligible = input.lines.reduce((s, l, i) => s + (weights[i]! > 0n ? l.netMinor : 0), 0);
  const paidShare =
    input.grossMinor > 0
      ? BigInt(Math.max(0, input.grossMinor - Math.max(0, input.paidWithPointsMinor)))
      : 0n;
  const gross = BigInt(Math.max(1, input.grossMinor));
  const weighted = weights.reduce((s, w) => s + w, 0n);
  const unit = 10n ** BigInt(minorDigits(input.currency));
  const num = weighted * BigInt(rate) * BigInt(Math.max(0, input.tierMultiplierBp)) * paidShare;
  const den = BP * BP * unit * gross;
  const points = rate === 0 || weighted === 0n ? 0 : Number(num / den);
  const linePoints = points === 0 ? weights.map(() => 0) : allocate(points, weights.map(Number));
  const eligibleNetMinor = Number((BigInt(eligible) * paidShare) / gross);
  return { points, linePoints, eligibleNetMinor };
}

/**
 * Points a return takes back: of each returned line, its points × (units returned so far, this return
 * included) / units sold, rounded down, less what earlier returns of that line took. Returning every
 * unit takes back exactly the line's points; never more, whatever the order of partial returns.
 */
export interface ReturnedLine {
  linePoints: number;
  qtySold: number;
  qtyReturnedBefore: number;
  qtyReturnedNow: number;
}

export function pointsToReverse(lines: readonly ReturnedLine[]): number {
  let total = 0;
  for (const l of lines) {
    if (l.qtySold <= 0 || l.linePoints <= 0) continue;
    const before = Math.min(l.qtySold, Math.max(0, l.qtyReturnedBefore));
    const after = Math.min(l.qtySold, before + Math.max(0, l.qtyReturnedNow));
    total += Math.floor((l.linePoints * after) / l.qtySold) - Math.floor((l.linePoints * before) / l.qtySold);
  }
  return total;
}

/** What `points` pay, in minor units: rounded down, so points never buy more than they are worth. */
export function pointsValueMinor(programme: LoyaltyProgramme, points: number, currency: string): number {
  const unit = 10 ** minorDigits(currency);
  return Math.floor((Math.max(0, points) * unit) / programme.redeemPointsPerUnit);
}

/** The points needed to pay `amountMinor`: rounded up, for the same reason. */
export function pointsForValue(programme: LoyaltyProgramme, amountMinor: number, currency: string): number {
  const unit = 10 ** minorDigits(currency);
  return Math.ceil((Math.max(0, amountMinor) * programme.redeemPointsPerUnit) / unit);
}

/** The tier a 12-month spend earns: the highest whose threshold it reaches. */
export function tierFor(tiers: readonly LoyaltyTier[], spendMinor: number): LoyaltyTier {
  let t = tiers[0]!;
  for (const x of tiers) if (spendMinor >= x.minSpendMinor) t = x;
  return t;
}

/** The spend that counts toward a tier on `day`: movements of the 365 days up to and including it. */
export function twelveMonthSpend(spends: readonly { at: string; spendMinor: number }[], now: Date): number {
  const from = now.getTime() - 365 * 86_400_000;
  return spends.reduce((s, x) => {
    const t = Date.parse(x.at);
    return t > from && t <= now.getTime() ? s + x.spendMinor : s;
  }, 0);
}
