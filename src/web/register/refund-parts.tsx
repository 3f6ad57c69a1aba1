import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { ReturnResult, TerminalInfo } from '../../contracts/index.ts';
import { useFormat } from './format-context.tsx';

/**
 * What the return and exchange panels share about money going back to the customer: where it can go,
 * and the notice that shows a new store-credit voucher's code (once: the till keeps only its hash) with
 * a Print button for the customer's voucher slip.
 */
export type RefundTo = 'original' | 'cash' | 'store_credit';

export const REFUND_TO: readonly { value: RefundTo; label: string }[] = [
  { value: 'original', label: 'Original tender' },
  { value: 'cash', label: 'Cash' },
  { value: 'store_credit', label: 'Store credit' },
];

/** The value put on the new voucher: what of the refund went to store credit. */
export const storeCreditMinor = (done: Pick<ReturnResult, 'refunds'>): number =>
  done.refunds.filter((r) => r.kind === 'store_credit').reduce((s, r) => s + r.amountMinor, 0);

export function StoreCreditNotice({
  code,
  amountMinor,
  currency,
  issuedAt,
}: {
  code: string | undefined;
  amountMinor: number;
  currency: string;
  /** When the voucher was issued; the slip prints it. */
  issuedAt?: Date;
}) {
  const [printing, setPrinting] = useState(false);
  if (!code) return null;
  return (
    <div className="warning voucher-notice">
      <p>
        Store credit voucher <strong data-testid="store-credit-code">{code}</strong>: shown once, print it or
        write it down for the customer.
      </p>
      <button type="button" className="btn" onClick={() => setPrinting(true)}>
        Print voucher
      </button>
      {printing ? (
        <VoucherSlip
          code={code}
          amountMinor={amountMinor}
          currency={currency}
          issuedAt={issuedAt ?? new Date()}
          onClose={() => setPrinting(false)}
        />
      ) : null}
    </div>
  );
}

/**
 * The voucher slip, rendered in the browser from what the screen already holds: the code never goes
 * back to the till (which stores only its hash) nor into any log. It opens the browser's print dialog;
 * the print style sheet prints the slip alone.
 */
function VoucherSlip({
  code,
  amountMinor,
  currency,
  issuedAt,
  onClose,
}: {
  code: string;
  amountMinor: number;
  currency: string;
  issuedAt: Date;
  onClose(): void;
}) {
  const fmt = useFormat();
  const terminal = useQueryClient().getQueryData<TerminalInfo>(['terminal']);
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    done.current?.focus();
    document.documentElement.classList.add('printing-slip');
    // After the slip has painted, so the dialog prints it rather than the screen behind it.
    const t = setTimeout(() => window.print(), 50);
    return () => {
      clearTimeout(t);
      document.documentElement.classList.remove('printing-slip');
    };
  }, []);
  // Outside the app's root, so the print style sheet can print the slip and hide everything else.
  return createPortal(
    <div className="overlay print-overlay">
      <section className="modal slip-modal" aria-label="Voucher slip">
        <div className="voucher-slip" data-testid="voucher-slip">
          <p className="slip-store">{terminal?.store?.name ?? ''}</p>
          {terminal?.store?.address ? <p className="slip-address">{terminal.store.address}</p> : null}
          <p className="slip-title">STORE CREDIT VOUCHER</p>
          <p className="slip-amount">{fmt.money(amountMinor, currency)}</p>
          <p className="slip-code" data-testid="voucher-slip-code">
            {code}
          </p>
          <p>
            {fmt.date(issuedAt)} {fmt.time(issuedAt)}
            {terminal ? ` · Till ${terminal.terminalId}` : ''}
          </p>
          <p>Present this code to pay. Keep it safe: it is as good as cash.</p>
        </div>
        <div className="row no-print">
          <button type="button" className="btn primary" onClick={() => window.print()}>
            Print again
          </button>
          <button type="button" className="btn" onClick={onClose} ref={done}>
            Done
          </button>
        </div>
      </section>
    </div>,
    document.body,
  );
}
