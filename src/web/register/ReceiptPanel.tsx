import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { type ApiError, apiText, request } from './api.ts';
import { formatMoney } from './money.ts';
import type { SaleResult } from './types.ts';
import { FieldError, Kbd, PanelHeader } from './ui.tsx';

/**
 * After the sale: the change to hand back, large, and the receipt as the printer would print it.
 * Reprint asks the till for a copy, marked as such.
 */
export function ReceiptPanel({
  sale,
  reprintRoute,
  onNewSale,
}: {
  sale: SaleResult;
  reprintRoute: boolean;
  onNewSale(): void;
}) {
  const [copy, setCopy] = useState(0);
  const [error, setError] = useState<ApiError>();
  const receipt = useQuery({
    queryKey: ['receipt', sale.saleId, copy],
    queryFn: async () => {
      if (copy > 0 && reprintRoute) {
        const res = await request('POST', `/api/v1/sales/${sale.saleId}/reprint`, {});
        const type = res.headers.get('content-type') ?? '';
        if (type.includes('json')) {
          const body = (await res.json()) as { text?: string; receipt?: string };
          return body.text ?? body.receipt ?? '';
        }
        return await res.text();
      }
      return await apiText(`/api/v1/sales/${sale.saleId}/receipt?format=text${copy > 0 ? '&copy=true' : ''}`);
    },
  });
  useEffect(() => {
    if (receipt.error) setError(receipt.error as ApiError);
  }, [receipt.error]);
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  const cash = sale.tenders.filter((t) => t.kind === 'cash');
  return (
    <section className="panel receipt-panel" aria-label="Receipt">
      <PanelHeader title={`Sale complete · ${sale.receiptNo}`} />
      <div className={`change ${sale.changeMinor > 0 ? '' : 'none'}`}>
        <span>{sale.changeMinor > 0 ? 'Change due' : cash.length ? 'No change' : 'Paid'}</span>
        <output data-testid="change">{formatMoney(sale.changeMinor, sale.currency)}</output>
      </div>
      <pre className="receipt" data-testid="receipt">
        {receipt.data ?? (receipt.isPending ? 'Loading receipt…' : '')}
      </pre>
      <FieldError error={error} />
      <div className="row">
        <button
          type="button"
          className="btn"
          onClick={() => {
            setError(undefined);
            setCopy((c) => c + 1);
          }}
        >
          Reprint
        </button>
        <button type="button" ref={next} className="btn primary" onClick={onNewSale}>
          New sale <Kbd>Enter</Kbd>
        </button>
      </div>
    </section>
  );
}
