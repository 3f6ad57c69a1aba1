import { allocate, invalid, mulDiv } from '../core/index.ts';
import type { Line, ManualDiscount } from './pricing-input.ts';

/**
 * Cashier discounts. Line discounts act like item-level price cuts: after item promotions, before
 * basket promotions (so a damaged-goods discount also lowers the spend counted towards "spend 50").
 * Basket discounts come last, on what is still payable. Within each group they apply in id order, so
 * the result does not depend on the order the cashier keyed them.
 */

export interface ManualEffect {
  readonly discount: ManualDiscount;
  readonly line: number;
  readonly amount: number;
}

export interface PreparedManual {
  readonly onLines: readonly { readonly m: ManualDiscount; readonly i: number }[];
  readonly onBasket: readonly ManualDiscount[];
}

export const noManual: PreparedManual = { onLines: [], onBasket: [] };

/** Validates cashier discounts, naming the field at fault, and puts them in canonical order. */
export function prepareManual(manual: readonly ManualDiscount[], lines: readonly Line[]): PreparedManual {
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
  const sorted = [...manual].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    onLines: sorted.filter((m) => m.lineId !== undefined).map((m) => ({ m, i: byId.get(m.lineId!)! })),
    onBasket: sorted.filter((m) => m.lineId === undefined),
  };
}

interface Target {
  readonly disc: number[];
  readonly manual: ManualEffect[];
}

const off = (m: ManualDiscount, payable: number): number =>
  m.percentBp !== undefined ? mulDiv(payable, m.percentBp, 10_000) : Math.min(m.amountMinor ?? 0, payable);

/** Line discounts, on the lines `only` allows (null: all). An amount is per line, not per unit. */
export function applyManualOnLines(
  p: PreparedManual,
  lines: readonly Line[],
  s: Target,
  only: Uint8Array | null,
): void {
  for (const { m, i } of p.onLines) {
    if (only !== null && only[i] !== 1) continue;
    const amount = off(m, lines[i]!.listMinor - s.disc[i]!);
    if (amount > 0) {
      s.disc[i] = s.disc[i]! + amount;
      s.manual.push({ discount: m, line: i, amount });
    }
  }
}

/** Basket discounts, spread over the lines in proportion to what each still costs. */
export function applyManualOnBasket(p: PreparedManual, lines: readonly Line[], s: Target): void {
  for (const m of p.onBasket) {
    const nets = lines.map((l) => l.listMinor - s.disc[l.i]!);
    const amount = off(
      m,
      nets.reduce((a, b) => a + b, 0),
    );
    if (amount <= 0) continue;
    allocate(amount, nets).forEach((part, i) => {
      if (part > 0) {
        s.disc[i] = s.disc[i]! + part;
        s.manual.push({ discount: m, line: i, amount: part });
      }
    });
  }
}
