/**
 * The port between the register and whatever reads the card (a payment terminal, a processor's SDK,
 * the simulator). The card is read on the provider's side: the till sends an amount and receives a
 * token and a masked number, so no full card number ever reaches the till's memory, ledger or API.
 *
 * Like a real terminal's API, every authorisation carries an idempotency key: asking twice with one key
 * charges once and answers the first result. `lookup` asks what became of a key (after a timeout or a
 * crash), and `reverse` voids an approval that no sale will use.
 */
export interface AuthorizeRequest {
  amountMinor: number;
  currency: string;
  /** The till's reference for the attempt (the cart id), echoed on the processor's report. */
  reference: string;
  /** Same key, same charge: a retried request never charges the card a second time. */
  idempotencyKey: string;
}

export interface Approval {
  approvalCode: string;
  /** The processor's handle for later refunds; meaningless outside that processor. */
  token: string;
  maskedPan: string;
  brand: string;
}

export type AuthorizeResult =
  | ({ status: 'approved' } & Approval)
  | { status: 'declined'; reason: string }
  | { status: 'timeout' };

/**
 * What the processor knows of an idempotency key. `not_found`: it never charged under that key, so
 * nothing was taken. `approved` and `reversed` include the amount the processor holds for the key.
 */
export type LookupResult =
  | ({ status: 'approved'; amountMinor: number } & Approval)
  | { status: 'reversed'; amountMinor: number }
  | { status: 'declined'; reason: string }
  | { status: 'not_found' };

/** `reversed` also when it already was: voiding twice is harmless, like on a real terminal. */
export type ReverseResult =
  | { status: 'reversed' }
  | { status: 'not_found' }
  | { status: 'failed'; reason: string };

export type RefundResult = { status: 'refunded'; refundId: string } | { status: 'failed'; reason: string };

export interface PaymentProvider {
  /** Written on each card tender, so a refund goes back through the same processor. */
  readonly name: string;
  authorize(req: AuthorizeRequest): Promise<AuthorizeResult>;
  /** What became of the authorisation with this key; throws (or never answers) when unreachable. */
  lookup(idempotencyKey: string): Promise<LookupResult>;
  /** Voids the authorisation with this key in full (before it is settled); throws when unreachable. */
  reverse(idempotencyKey: string): Promise<ReverseResult>;
  refund(token: string, amountMinor: number): Promise<RefundResult>;
}
