/**
 * The port between the register and whatever reads the card (a payment terminal, a processor's SDK,
 * the simulator). The card is read on the provider's side: the till sends an amount and receives a
 * token and a masked number, so no full card number ever reaches the till's memory, ledger or API.
 */
export interface AuthorizeRequest {
  amountMinor: number;
  currency: string;
  /** The till's reference for the attempt (the cart id), echoed on the processor's report. */
  reference: string;
}

export type AuthorizeResult =
  | {
      status: 'approved';
      approvalCode: string;
      /** The processor's handle for later refunds; meaningless outside that processor. */
      token: string;
      maskedPan: string;
      brand: string;
    }
  | { status: 'declined'; reason: string }
  | { status: 'timeout' };

export type RefundResult = { status: 'refunded'; refundId: string } | { status: 'failed'; reason: string };

export interface PaymentProvider {
  /** Written on each card tender, so a refund goes back through the same processor. */
  readonly name: string;
  authorize(req: AuthorizeRequest): Promise<AuthorizeResult>;
  refund(token: string, amountMinor: number): Promise<RefundResult>;
}
