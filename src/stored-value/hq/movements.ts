/**
 * A change to a stored-value account, as plain data (sales/hq/stored-value-movements.ts derives them from till events): HQ applies these to its ledger of
 * record. Each movement has a key that is the same every time the event is seen (event id and part,
 * or HQ's authorisation id for an online redemption), which is what makes applying it idempotent.
 */
export type AccountKind = 'gift_card' | 'store_credit';
export type MovementKind = 'issue' | 'load' | 'redeem' | 'refund' | 'reversal';

export interface Movement {
  key: string;
  accountId: string;
  accountKind: AccountKind;
  kind: MovementKind;
  /** Signed: a credit is positive, a redemption negative. */
  amountMinor: number;
  last4: string;
  currency: string;
  codeHash?: string | undefined;
  eventId?: string | undefined;
  terminalId?: string | undefined;
  /** A redemption the till allowed while HQ was unreachable: applied even if it overdraws. */
  offline: boolean;
}
