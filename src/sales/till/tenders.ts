import { invalid } from '../../core/index.ts';

/** What the cashier enters: cash handed over, an amount for a card, a gift card or store credit. */
export type TenderRequest =
  | { kind: 'cash'; tenderedMinor: number }
  | { kind: 'card'; amountMinor: number }
  | { kind: 'gift_card' | 'store_credit'; code: string; amountMinor: number }
  /** The cart's customer's points; checkout puts in `amountMinor`, their value at the programme's rate. */
  | { kind: 'loyalty_points'; points: number; amountMinor?: number };

/** Points to burn, with the value checkout gave them and their place in the request. */
export interface PointsRequest {
  points: number;
  amountMinor: number;
  index: number;
}

export interface StoredValueRequest {
  kind: 'gift_card' | 'store_credit';
  code: string;
  amountMinor: number;
  /** Position in the request, so an error names `tenders[i]`. */
  index: number;
}

export interface TenderPlan {
  /** Amounts to charge through the card reader, in the order given. */
  cards: number[];
  /** Gift cards and store credit to debit, in the order given. */
  stored: StoredValueRequest[];
  /** Loyalty points to burn (one tender at most). */
  points?: PointsRequest | undefined;
  /** The part of the bill cash pays (after rounding), what was handed over and what goes back. */
  cash: { amountMinor: number; tenderedMinor: number; changeMinor: number } | undefined;
  changeMinor: number;
  /** Cash rounding: what cash pays minus what was due in cash (0 without cash or rounding). */
  roundingMinor: number;
}

/**
 * Rounds an amount to a multiple of the smallest coin, half up (Swiss rounding: 0.02 → 0.00,
 * 0.03 → 0.05, 0.025 does not arise with 5-rappen steps).
 */
export function roundToStep(amountMinor: number, step: number): number {
  if (step <= 1) return amountMinor;
  return Math.floor((amountMinor + Math.floor(step / 2)) / step) * step;
}

/**
 * Checks tenders against the amount due before anything is charged. Cards, gift cards and store
 * credit come first and may not exceed what is due (no cash back, no change from a card); cash covers
 * the rest, rounded to the smallest coin when the currency asks for it, and may exceed it, giving
 * change. Every refusal names `tenders` (or the tender at fault), so the screen knows where to point.
 */
export function planTenders(
  dueMinor: number,
  tenders: readonly TenderRequest[],
  opts: { cashStepMinor?: number } = {},
): TenderPlan {
  if (!Array.isArray(tenders) || tenders.length === 0)
    throw invalid('tenders', 'at least one tender is needed');
  const cards: number[] = [];
  const stored: StoredValueRequest[] = [];
  let tendered: number | undefined;
  let points: PointsRequest | undefined;
  tenders.forEach((t, i) => {
    if (t.kind === 'loyalty_points') {
      if (points) throw invalid('tenders', 'give loyalty points as one tender');
      if (!Number.isSafeInteger(t.points) || t.points <= 0)
        throw invalid(`tenders[${i}].points`, `must be a whole number of points above 0, got ${t.points}`);
      if (!Number.isSafeInteger(t.amountMinor) || (t.amountMinor ?? 0) <= 0)
        throw invalid(
          `tenders[${i}].points`,
          `${t.points} points are worth nothing at this programme's point value`,
        );
      points = { points: t.points, amountMinor: t.amountMinor!, index: i };
      return;
    }
    const amount = t.kind === 'cash' ? t.tenderedMinor : t.amountMinor;
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw invalid(
        'tenders',
        `a ${t.kind} amount must be a whole number of minor units above 0, got ${amount}`,
      );
    }
    if (t.kind === 'card') cards.push(amount);
    else if (t.kind === 'gift_card' || t.kind === 'store_credit') {
      if (typeof t.code !== 'string' || t.code.trim() === '')
        throw invalid(`tenders[${i}].code`, `a ${t.kind} tender needs the card or voucher code`);
      stored.push({ kind: t.kind, code: t.code, amountMinor: amount, index: i });
    } else if (t.kind === 'cash') {
      if (tendered !== undefined) throw invalid('tenders', 'give cash as one tender');
      tendered = amount;
    } else throw invalid('tenders', `unknown tender kind ${String((t as { kind: unknown }).kind)}`);
  });
  const nonCash =
    cards.reduce((s, a) => s + a, 0) +
    stored.reduce((s, a) => s + a.amountMinor, 0) +
    (points?.amountMinor ?? 0);
  if (nonCash > dueMinor) {
    throw invalid(
      'tenders',
      `cards, gift cards and store credit total ${nonCash} but only ${dueMinor} is due; no change or cash-back is given on them`,
    );
  }
  const cashDue = dueMinor - nonCash;
  if (tendered === undefined) {
    if (cashDue > 0)
      throw invalid('tenders', `tenders cover ${nonCash} of ${dueMinor}; ${cashDue} is still due`);
    return { cards, stored, points, cash: undefined, changeMinor: 0, roundingMinor: 0 };
  }
  if (cashDue === 0) throw invalid('tenders', 'the other tenders already cover the total; no cash is needed');
  const roundedDue = roundToStep(cashDue, opts.cashStepMinor ?? 1);
  if (tendered < roundedDue) {
    throw invalid(
      'tenders',
      `tenders cover ${nonCash + tendered} of ${nonCash + roundedDue}; ${roundedDue - tendered} is still due`,
    );
  }
  const changeMinor = tendered - roundedDue;
  return {
    cards,
    stored,
    points,
    cash: { amountMinor: roundedDue, tenderedMinor: tendered, changeMinor },
    changeMinor,
    roundingMinor: roundedDue - cashDue,
  };
}
