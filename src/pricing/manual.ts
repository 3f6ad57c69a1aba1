import { invalid } from '../core/errors.ts';
import { allocate, mulDiv } from '../core/money.ts';
import type { Line, ManualDiscount } from './cart.ts';

/** A cashier discount's effect on one line. */
export interface ManualEffect {
  readonly discount: ManualDiscount;
  readonly line: number;
  readonly amount: number;
}

/**
 * Applies cashier discounts after promotions, on what is still payable, in id order (so the result
 * does not depend on the order the cashier keyed them). `disc` is updated in place.
 */
export function applyManualDiscounts(
  manual: readonly ManualDiscount[],
  lines: readonly Line[],
  disc: number[],
): ManualEffect[] {
  const byId = new Map(lines.map((l) => [l.src.lineId, l.i]));
  const seen = new Set<string>();
  manual.forEach((m, k) => {
    const f = `manualDiscounts[${k}]`;
    if (typeof m.id !== 'string' || m.id === '') throw invalid(`${f}.id`, 'is required');
    if (seen.has(m.id)) throw invalid(`${f}.id`, `"${m.id}" appears twice`);
    seen.add(m.id);
    if (typeof m.reason !== 'string' || m.reason.trim() === '')
      throw invalid(`${f}.reason`, 'a cashier discount needs a reason');
    if ((m.amountMinor === undefined) === (m.percentBp === undefined))
      throw invalid(`${f}.amountMinor`, 'give exactly one of amountMinor or percentBp');
    if (m.amountMinor !== undefined && (!Number.isSafeInteger(m.amountMinor) || m.amountMinor <= 0))
      throw invalid(`${f}.amountMinor`, 'must be a positive whole number of minor units');
    if (
      m.percentBp !== undefined &&
      (!Number.isInteger(m.percentBp) || m.percentBp < 1 || m.percentBp > 10_000)
    )
      throw invalid(`${f}.percentBp`, 'must be between 1 and 10000 basis points');
    if (m.lineId !== undefined && !byId.has(m.lineId))
      throw invalid(`${f}.lineId`, `no line "${m.lineId}" in the cart`);
  });
  const effects: ManualEffect[] = [];
  const net = (i: number): number => lines[i]!.listMinor - disc[i]!;
  const off = (m: ManualDiscount, payable: number): number =>
    m.percentBp !== undefined ? mulDiv(payable, m.percentBp, 10_000) : Math.min(m.amountMinor ?? 0, payable);
  for (const m of [...manual].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (m.lineId !== undefined) {
      const i = byId.get(m.lineId)!;
      const amount = off(m, net(i));
      if (amount > 0) {
        disc[i] = disc[i]! + amount;
        effects.push({ discount: m, line: i, amount });
      }
      continue;
    }
    const nets = lines.map((l) => net(l.i));
    const amount = off(
      m,
      nets.reduce((a, b) => a + b, 0),
    );
    if (amount <= 0) continue;
    allocate(amount, nets).forEach((part, i) => {
      if (part > 0) {
        disc[i] = disc[i]! + part;
        effects.push({ discount: m, line: i, amount: part });
      }
    });
  }
  return effects;
}
