import { invalid } from '../core/errors.ts';

/** What the cashier enters: cash handed over, or an amount to put on a card. */
export type TenderRequest = { kind: 'cash'; tenderedMinor: number } | { kind: 'card'; amountMinor: number };

export interface TenderPlan {
  /** Amounts to charge through the card reader, in the order given. */
  cards: number[];
  /** The part of the bill cash pays, what was handed over and what goes back. */
  cash: { amountMinor: number; tenderedMinor: number; changeMinor: number } | undefined;
  changeMinor: number;
}

/**
 * Checks tenders against the amount due before any card is charged. Cards are charged first and may
 * not exceed what is due (no cash back); cash covers the rest and may exceed it, giving change.
 * Every refusal names `tenders`, so the screen knows where to point.
 */
export function planTenders(dueMinor: number, tenders: readonly TenderRequest[]): TenderPlan {
  if (tenders.length === 0) throw invalid('tenders', 'at least one tender is needed');
  const cards: number[] = [];
  let tendered: number | undefined;
  for (const t of tenders) {
    const amount = t.kind === 'cash' ? t.tenderedMinor : t.amountMinor;
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw invalid(
        'tenders',
        `a ${t.kind} amount must be a whole number of minor units above 0, got ${amount}`,
      );
    }
    if (t.kind === 'card') cards.push(amount);
    else if (tendered !== undefined) throw invalid('tenders', 'give cash as one tender');
    else tendered = amount;
  }
  const cardTotal = cards.reduce((s, a) => s + a, 0);
  if (cardTotal > dueMinor) {
    throw invalid(
      'tenders',
      `cards total ${cardTotal} but only ${dueMinor} is due; card cash-back is not offered`,
    );
  }
  const cashDue = dueMinor - cardTotal;
  if (tendered === undefined) {
    if (cashDue > 0)
      throw invalid('tenders', `tenders cover ${cardTotal} of ${dueMinor}; ${cashDue} is still due`);
    return { cards, cash: undefined, changeMinor: 0 };
  }
  if (cashDue === 0) throw invalid('tenders', 'the cards already cover the total; no cash is needed');
  if (tendered < cashDue) {
    throw invalid(
      'tenders',
      `tenders cover ${cardTotal + tendered} of ${dueMinor}; ${cashDue - tendered} is still due`,
    );
  }
  const changeMinor = tendered - cashDue;
  return { cards, cash: { amountMinor: cashDue, tenderedMinor: tendered, changeMinor }, changeMinor };
}
