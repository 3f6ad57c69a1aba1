import { row } from './receipt.ts';

/** The customer's points on a receipt: earned, used and the balance as the till knows it. */
export interface ReceiptLoyalty {
  earned: number;
  burned: number;
  balanceAfter: number;
  /** Set when the balance is the till's own (HQ not heard since): printed as "as of". */
  asOf?: string | undefined;
}

export function loyaltyLines(l: ReceiptLoyalty, width: number, when: (iso: string) => string): string[] {
  const out = [row('Points earned', String(l.earned), width)];
  if (l.burned > 0) out.push(row('Points used', String(l.burned), width));
  out.push(
    row(l.asOf ? `Points balance as of ${when(l.asOf)}` : 'Points balance', String(l.balanceAfter), width),
  );
  return out;
}
