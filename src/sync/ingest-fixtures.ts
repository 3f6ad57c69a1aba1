import type { EventEnvelope } from '../core/event.ts';
import { newId } from '../core/ids.ts';
import { lineAmounts } from '../pricing/tax.ts';
import type { SaleCompleted, SaleReturned } from '../sales/events.ts';

/** Test fixtures: sale events as a till would write them, with correct per-line tax. */
export interface FixtureLine {
  sku: string;
  qty: number;
  unitPriceMinor: number;
  taxRateBp: number;
}

export function saleEvent(
  t: { terminalId: string; storeId: string },
  seq: number,
  lines: readonly FixtureLine[],
  opts: { businessDate?: string; occurredAt?: string; id?: string } = {},
): EventEnvelope<SaleCompleted> {
  const priced = lines.map((l, i) => {
    const a = lineAmounts(l, { inclusive: true });
    return { lineNo: i + 1, name: `Item ${l.sku}`, ...l, ...a };
  });
  const sum = (k: 'netMinor' | 'taxMinor' | 'grossMinor'): number => priced.reduce((s, l) => s + l[k], 0);
  const grossMinor = sum('grossMinor');
  return {
    id: opts.id ?? newId(),
    type: 'sale.completed',
    schemaVersion: 1,
    storeId: t.storeId,
    terminalId: t.terminalId,
    seq,
    // A sale dated by its moment alone falls on that day, as a till's would.
    businessDate: opts.businessDate ?? opts.occurredAt?.slice(0, 10) ?? '2026-03-02',
    occurredAt: opts.occurredAt ?? '2026-03-02T10:00:00.000Z',
    payload: {
      saleId: newId(),
      receiptNo: `${t.terminalId}-${seq}`,
      shiftId: '0195a000-0000-7000-8000-000000000001',
      cashierId: 'c1',
      currency: 'EUR',
      taxInclusive: true,
      lines: priced,
      netMinor: sum('netMinor'),
      taxMinor: sum('taxMinor'),
      grossMinor,
      tenders: [{ kind: 'cash', amountMinor: grossMinor, tenderedMinor: grossMinor, changeMinor: 0 }],
    },
  };
}

/** Sales with seq from..to, each selling `qty` of one sku at 1.19 incl. 19 % VAT. */
export const sales = (
  t: { terminalId: string; storeId: string },
  from: number,
  to: number,
  sku = 'SKU1',
  qty = 1,
): EventEnvelope<SaleCompleted>[] =>
  Array.from({ length: to - from + 1 }, (_, i) =>
    saleEvent(t, from + i, [{ sku, qty, unitPriceMinor: 119, taxRateBp: 1900 }]),
  );

/** A return of `qty` units of line `lineNo` of `sale`, refunded in cash at the price paid. */
export function returnEvent(
  sale: EventEnvelope<SaleCompleted>,
  seq: number,
  lineNo: number,
  qty: number,
  opts: { businessDate?: string } = {},
): EventEnvelope<SaleReturned> {
  const line = sale.payload.lines.find((l) => l.lineNo === lineNo)!;
  const share = (x: number): number => Math.round((x * qty) / line.qty);
  const grossMinor = share(line.grossMinor);
  const taxMinor = share(line.taxMinor);
  return {
    ...sale,
    id: newId(),
    type: 'sale.returned',
    seq,
    businessDate: opts.businessDate ?? sale.businessDate,
    payload: {
      returnId: newId(),
      originalSaleId: sale.payload.saleId,
      originalReceiptNo: sale.payload.receiptNo,
      shiftId: sale.payload.shiftId,
      cashierId: sale.payload.cashierId,
      currency: sale.payload.currency,
      lines: [
        {
          originalLineNo: lineNo,
          sku: line.sku,
          qty,
          taxRateBp: line.taxRateBp,
          netMinor: grossMinor - taxMinor,
          taxMinor,
          grossMinor,
        },
      ],
      totals: { netMinor: grossMinor - taxMinor, taxMinor, grossMinor },
      refunds: [{ kind: 'cash', amountMinor: grossMinor }],
      reason: 'changed mind',
    },
  };
}
