import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ReturnResult, SaleResult } from '../../contracts/index.ts';
import { type ApiError, api, apiText } from './api.ts';
import { customerText, formatPoints } from './customer-text.ts';
import { useFormat } from './format-context.tsx';
import { ReasonField } from './SmallPanels.tsx';
import { FieldError, Kbd, PanelHeader } from './ui.tsx';

type Variant = { copy: number; gift: boolean };

/**
 * After the sale: the change to hand back, large, and the receipt as the printer prints it. Reprint
 * asks the till for a copy (marked COPY and recorded); a gift receipt leaves the prices out.
 */
export function ReceiptPanel({ sale, onNewSale }: { sale: SaleResult; onNewSale(): void }) {
  const fmt = useFormat();
  const [variant, setVariant] = useState<Variant>({ copy: 0, gift: false });
  const receipt = useQuery({
    queryKey: ['receipt', sale.saleId, variant],
    queryFn: () =>
      apiText(
        `/api/v1/sales/${sale.saleId}/receipt?format=text${variant.copy ? '&copy=true' : ''}${variant.gift ? '&gift=true' : ''}`,
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  const cash = sale.tenders.filter((t) => t.kind === 'cash');
  // Void after payment: everything comes back and the tenders are refunded; a manager approves.
  const [voiding, setVoiding] = useState(false);
  const [reason, setReason] = useState('');
  const [voidError, setVoidError] = useState<ApiError>();
  const [voided, setVoided] = useState<ReturnResult>();
  const voidSale = async () => {
    setVoidError(undefined);
    try {
      setVoided(
        await api<ReturnResult>('POST', `/api/v1/sales/${sale.saleId}/void`, {
          reason,
          refundTo: 'original',
        }),
      );
      setVoiding(false);
    } catch (err) {
      setVoidError(err as ApiError);
    }
  };
  return (
    <section className="panel receipt-panel" aria-label="Receipt">
      <PanelHeader title={`Sale complete · ${sale.receiptNo}`} />
      <div className={`change ${sale.changeMinor > 0 ? '' : 'none'}`}>
        <span>{sale.changeMinor > 0 ? 'Change due' : cash.length ? 'No change' : 'Paid'}</span>
        <output data-testid="change">{fmt.money(sale.changeMinor, sale.currency)}</output>
      </div>
      {sale.loyalty ? <ReceiptPoints points={sale.loyalty} /> : null}
      <pre className="receipt" data-testid="receipt">
        {receipt.data ?? (receipt.isPending ? 'Loading receipt…' : '')}
      </pre>
      <FieldError error={(receipt.error as ApiError | null) ?? undefined} />
      <div className="row">
        <button
          type="button"
          className="btn"
          onClick={() => setVariant((v) => ({ copy: v.copy + 1, gift: false }))}
        >
          Reprint (copy)
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => setVariant((v) => ({ copy: v.copy, gift: true }))}
        >
          Gift receipt
        </button>
        {voided ? null : (
          <button type="button" className="btn" onClick={() => setVoiding((v) => !v)}>
            Void this sale
          </button>
        )}
      </div>
      {voiding ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void voidSale();
          }}
        >
          <ReasonField
            id="void-paid-reason"
            reasons={['Rung up twice', 'Customer changed mind']}
            value={reason}
            onChange={setReason}
            error={voidError}
            autoFocus
          />
          {voidError && voidError.field !== 'reason' ? <FieldError error={voidError} /> : null}
          <button type="submit" className="btn danger">
            Void and refund <Kbd>Enter</Kbd>
          </button>
        </form>
      ) : null}
      {voided ? (
        <p className="warning" data-testid="voided">
          Sale voided: {fmt.money(voided.refundMinor, sale.currency)} refunded (
          {voided.refunds
            .map((r) => `${r.kind.replace('_', ' ')} ${fmt.money(r.amountMinor, sale.currency)}`)
            .join(', ')}
          ).
        </p>
      ) : null}
      <button type="button" ref={next} className="btn primary" onClick={onNewSale}>
        New sale <Kbd>Enter</Kbd>
      </button>
    </section>
  );
}

/** The customer's points on this sale: earned, used and the balance after ("as of" when HQ was away). */
function ReceiptPoints({ points }: { points: NonNullable<SaleResult['loyalty']> }) {
  const fmt = useFormat();
  const t = customerText(fmt.locale);
  const n = (v: number) => formatPoints(v, fmt);
  return (
    <dl className="receipt-points" data-testid="receipt-points" aria-label={t.receiptPoints}>
      <div>
        <dt className="points-label">{t.earned}</dt>
        <dd className="points-value" data-testid="points-earned">
          {n(points.earned)}
        </dd>
      </div>
      <div>
        <dt className="points-label">{t.used}</dt>
        <dd className="points-value" data-testid="points-used">
          {n(points.burned)}
        </dd>
      </div>
      <div>
        <dt className="points-label">{t.balance}</dt>
        <dd className="points-value" data-testid="points-balance">
          {n(points.balanceAfter)}
          {points.asOf ? <small className="muted"> {t.asOf(fmt.dateTime(points.asOf))}</small> : null}
        </dd>
      </div>
      <div>
        <dt className="points-label">{t.tier}</dt>
        <dd className="points-value">{points.tier}</dd>
      </div>
    </dl>
  );
}
