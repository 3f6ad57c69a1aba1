/**
 * What the return and exchange panels share about money going back to the customer: where it can go,
 * and the notice that shows a new store-credit voucher's code (once: the till keeps only its hash).
 */
export type RefundTo = 'original' | 'cash' | 'store_credit';

export const REFUND_TO: readonly { value: RefundTo; label: string }[] = [
  { value: 'original', label: 'Original tender' },
  { value: 'cash', label: 'Cash' },
  { value: 'store_credit', label: 'Store credit' },
];

export function StoreCreditNotice({ code }: { code: string | undefined }) {
  return code ? (
    <p className="warning">
      Store credit voucher <strong data-testid="store-credit-code">{code}</strong>: shown once, print or write
      it down for the customer.
    </p>
  ) : null;
}
