import type { ManualEffect } from '../manual.ts';
import type { Line } from '../pricing-input.ts';
import type { Candidate, Entry } from './apply-kinds.ts';
import type { PromotionKind } from './schema.ts';

/**
 * Turns the engine's unit accounting into what a receipt and a cashier need: each line's discounts
 * with the promotion that gave them, and the list of promotions applied.
 */

export interface LineDiscount {
  readonly source: 'promotion' | 'manual';
  /** The promotion id, or the manual discount's id. */
  readonly id: string;
  /** The promotion's name, or the cashier's reason. */
  readonly name: string;
  readonly amountMinor: number;
  /**
   * Units of this line the promotion used. A unit that only qualified another (the "buy" in buy one
   * get one) shows with amountMinor 0, so the cashier can see why it took no other offer.
   */
  readonly units: number;
  readonly couponCode?: string;
}

export interface AppliedPromotion {
  readonly promotionId: string;
  readonly name: string;
  readonly kind: PromotionKind;
  readonly amountMinor: number;
  readonly lineIds: string[];
  readonly couponCode?: string;
}

export function explain(
  lines: readonly Line[],
  entries: readonly Entry[],
  candidates: ReadonlyMap<number, Candidate>,
  manual: readonly ManualEffect[],
  couponFor: (c: Candidate) => string | undefined,
): { perLine: LineDiscount[][]; applied: AppliedPromotion[] } {
  const merged = new Map<string, { rank: number; line: number; amount: number; units: number }>();
  // Application order (canonical, so deterministic) reads like the receipt: the item deal, then the bonus.
  const seq = new Map<number, number>();
  for (const e of entries) {
    if (!seq.has(e.rank)) seq.set(e.rank, seq.size);
    const key = `${e.rank}:${e.line}`;
    const m = merged.get(key);
    if (m) {
      m.amount += e.amount;
      m.units += e.units;
    } else merged.set(key, { ...e });
  }
  const perLine: LineDiscount[][] = lines.map(() => []);
  const applied = new Map<number, { amount: number; lines: Set<number> }>();
  const sorted = [...merged.values()].sort((a, b) => seq.get(a.rank)! - seq.get(b.rank)! || a.line - b.line);
  const totals = new Map<number, number>();
  for (const m of sorted) totals.set(m.rank, (totals.get(m.rank) ?? 0) + m.amount);
  for (const m of sorted) {
    // A promotion that ended up giving nothing is not shown, not even its qualifying units.
    if ((totals.get(m.rank) ?? 0) === 0) continue;
    const c = candidates.get(m.rank)!;
    const code = couponFor(c);
    perLine[m.line]!.push({
      source: 'promotion',
      id: c.p.id,
      name: c.p.name,
      amountMinor: m.amount,
      units: m.units,
      ...(code ? { couponCode: code } : {}),
    });
    const a = applied.get(m.rank) ?? { amount: 0, lines: new Set<number>() };
    a.amount += m.amount;
    a.lines.add(m.line);
    applied.set(m.rank, a);
  }
  for (const e of manual) {
    perLine[e.line]!.push({
      source: 'manual',
      id: e.discount.id,
      name: e.discount.reason,
      amountMinor: e.amount,
      units: lines[e.line]!.qty,
    });
  }
  const list: AppliedPromotion[] = [...applied]
    .sort((a, b) => seq.get(a[0])! - seq.get(b[0])!)
    .map(([rank, a]) => {
      const c = candidates.get(rank)!;
      const code = couponFor(c);
      return {
        promotionId: c.p.id,
        name: c.p.name,
        kind: c.p.kind,
        amountMinor: a.amount,
        lineIds: [...a.lines].sort((x, y) => x - y).map((i) => lines[i]!.src.lineId),
        ...(code ? { couponCode: code } : {}),
      };
    });
  return { perLine, applied: list };
}
