import type { EventEnvelope } from '../../core/index.ts';
import type { GiftCardSold, SaleCompleted, SaleReturned } from '../events.ts';
import {
  center,
  pct,
  type ReceiptStore,
  row,
  slipFormat,
  storeHeader,
  taxByRate,
  textToEscPos,
  wrap,
} from './receipt.ts';

/**
 * Receipts for money going back (a refund or an exchange's return half) and for gift cards sold or
 * topped up. Like sale receipts they are rendered from the stored events alone; a card or voucher
 * shows only its last 4 digits.
 */
export interface SlipOptions {
  footer?: string;
  copy?: boolean;
}

const masked = (last4: string): string => `**** **** **** ${last4}`;

export function returnReceiptText(
  ret: EventEnvelope<SaleReturned>,
  original: SaleCompleted | undefined,
  store: ReceiptStore | undefined,
  width = 42,
  opts: SlipOptions = {},
): string {
  const p = ret.payload;
  const fmt = slipFormat(store, p.currency);
  const m = fmt.amount;
  const rule = '-'.repeat(width);
  const out: string[] = [...storeHeader(store, width)];
  if (opts.copy) out.push(center('*** COPY ***', width));
  out.push(
    center(p.postVoid ? 'SALE VOIDED - REFUND' : p.exchangeId ? 'EXCHANGE - RETURN' : 'REFUND', width),
  );
  out.push(rule);
  if (p.originalReceiptNo) out.push(`Original receipt ${p.originalReceiptNo}`);
  else out.push('Returned without a receipt');
  out.push(`Reason: ${p.reason}`);
  out.push(rule);
  for (const l of p.lines) {
    const sold = original?.lines.find((o) => o.lineNo === l.originalLineNo);
    out.push(row(sold?.name ?? l.sku, `-${m(l.grossMinor)}`, width));
    // The price paid per unit: after discounts and promotions, as charged on the original sale.
    const unit = sold?.measure ? undefined : Math.round(l.grossMinor / l.qty);
    out.push(
      `  ${l.qty} x ${unit === undefined ? 'weighed' : m(unit)} paid  ${l.sku}  tax ${pct(l.taxRateBp)}`,
    );
  }
  out.push(rule);
  out.push(row('REFUND TOTAL', `${p.currency} ${m(p.totals.grossMinor)}`, width));
  out.push(row('incl. tax', m(p.totals.taxMinor), width));
  out.push(...taxByRate(p.lines, m, width));
  out.push(rule);
  out.push('Refunded to');
  for (const f of p.refunds) {
    if (f.kind === 'card') out.push(row(`  Card ${f.maskedPan.slice(-8)}`, m(f.amountMinor), width));
    else if (f.kind === 'cash') out.push(row('  Cash', m(f.amountMinor), width));
    else if (f.kind === 'exchange') out.push(row('  Exchange (new items)', m(f.amountMinor), width));
    else if (f.kind === 'loyalty_points') out.push(row(`  Points ${f.points}`, m(f.amountMinor), width));
    else
      out.push(
        row(
          `  ${f.kind === 'gift_card' ? 'Gift card' : 'Store credit'} ${masked(f.last4)}`,
          m(f.amountMinor),
          width,
        ),
      );
  }
  for (const f of p.failedRefunds ?? [])
    out.push(`  Card ${f.maskedPan.slice(-8)} refused ${m(f.amountMinor)}: paid back as above`);
  out.push(rule);
  out.push(row(`Return ${p.returnId.slice(-12)}`, fmt.when(ret.occurredAt), width));
  out.push(`Cashier ${p.cashierId}  Till ${ret.terminalId}`);
  if (p.approvedBy) out.push(`Approved by ${p.approvedBy}`);
  if (opts.footer) out.push(...wrap(opts.footer, width));
  if (opts.copy) out.push(center('*** COPY ***', width));
  return `${out.join('\n')}\n`;
}

export const returnReceiptEscPos = (
  ret: EventEnvelope<SaleReturned>,
  original: SaleCompleted | undefined,
  store: ReceiptStore | undefined,
  columns = 42,
  opts: SlipOptions = {},
): Uint8Array =>
  // The barcode carries the original receipt number, so the refund slip finds the sale again.
  textToEscPos(
    returnReceiptText(ret, original, store, columns, opts),
    ret.payload.originalReceiptNo ?? ret.payload.returnId,
    columns,
  );

export function giftCardReceiptText(
  e: EventEnvelope<GiftCardSold>,
  store: ReceiptStore | undefined,
  width = 42,
  opts: SlipOptions = {},
): string {
  const p = e.payload;
  const fmt = slipFormat(store, p.currency);
  const m = fmt.amount;
  const rule = '-'.repeat(width);
  const issued = e.type === 'giftcard.issued';
  const out: string[] = [...storeHeader(store, width)];
  if (opts.copy) out.push(center('*** COPY ***', width));
  out.push(center(issued ? 'GIFT CARD' : 'GIFT CARD TOP-UP', width));
  out.push(rule);
  out.push(row('Card', masked(p.last4), width));
  out.push(row(issued ? 'Value' : 'Loaded', m(p.amountMinor), width));
  out.push(rule);
  let change = 0;
  for (const t of p.tenders) {
    if (t.kind === 'cash') {
      out.push(row('Cash', m(t.tenderedMinor), width));
      change += t.changeMinor;
    } else out.push(row(`Card ${t.brand} ${t.maskedPan.slice(-8)}`, m(t.amountMinor), width));
  }
  out.push(row('Change', m(change), width));
  out.push(rule);
  out.push(row('NEW BALANCE', `${p.currency} ${m(p.balanceMinor)}`, width));
  out.push(rule);
  out.push(row(`Till ${e.terminalId} #${e.seq}`, fmt.when(e.occurredAt), width));
  out.push(`Cashier ${p.cashierId}`);
  out.push(...wrap('Keep this card safe: it is as good as cash. Balance at any of our stores.', width));
  if (opts.copy) out.push(center('*** COPY ***', width));
  return `${out.join('\n')}\n`;
}

export const giftCardReceiptEscPos = (
  e: EventEnvelope<GiftCardSold>,
  store: ReceiptStore | undefined,
  columns = 42,
  opts: SlipOptions = {},
): Uint8Array =>
  textToEscPos(giftCardReceiptText(e, store, columns, opts), `${e.terminalId}-${e.seq}`, columns);
