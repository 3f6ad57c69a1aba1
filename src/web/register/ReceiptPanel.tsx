import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { type ApiError, apiText } from './api.ts';
import { formatMoney } from './money.ts';
import type { SaleResult } from './types.ts';
import { FieldError, Kbd, PanelHeader } from './ui.tsx';

type Variant = { copy: number; gift: boolean };

/**
 * After the sale: the change to hand back, large, and the receipt as the printer prints it. Reprint
 * asks the till for a copy (marked COPY and recorded); a gift receipt leaves the prices out.
 */
export function ReceiptPanel({ sale, onNewSale }: { sale: SaleResult; onNewSale(): void }) {
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
      </div>
      <button type="button" ref={next} className="btn primary" onClick={onNewSale}>
        New sale <Kbd>Enter</Kbd>
      </button>
    </section>
  );
}
