import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { EventEnvelope } from '../core/event.ts';
import { formatMinor } from '../core/money.ts';
import type { StoreInfo } from '../sync/wire.ts';
import type { SaleCompleted } from './events.ts';

/**
 * Receipts are rendered from the stored sale event alone (plus the store header), so a reprint next
 * week shows exactly what was sold, whatever the catalog says by then.
 */
export type ReceiptStore = Pick<StoreInfo, 'name' | 'address'>;

const pct = (bp: number): string => `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

function row(left: string, right: string, width: number): string {
  const room = width - right.length - 1;
  const l = left.length > room ? `${left.slice(0, Math.max(0, room - 1))}…` : left;
  return `${l}${' '.repeat(Math.max(1, width - l.length - right.length))}${right}`;
}

const center = (s: string, width: number): string =>
  s.length >= width ? s.slice(0, width) : `${' '.repeat(Math.floor((width - s.length) / 2))}${s}`;

/** Local wall-clock time as recorded (occurredAt carries the store's own offset). */
const localTime = (occurredAt: string): string => occurredAt.slice(0, 16).replace('T', ' ');

export function receiptText(
  sale: EventEnvelope<SaleCompleted>,
  store: ReceiptStore | undefined,
  width = 42,
): string {
  const p = sale.payload;
  const m = (n: number): string => formatMinor(n, p.currency);
  const rule = '-'.repeat(width);
  const out: string[] = [];
  if (store) {
    out.push(center(store.name, width));
    for (const line of store.address.split(/\n|, /).filter(Boolean)) out.push(center(line, width));
  }
  out.push(rule);
  for (const l of p.lines) {
    out.push(row(l.name, `${m(l.grossMinor)}`, width));
    out.push(`  ${l.qty} x ${m(l.unitPriceMinor)}  ${l.sku}  tax ${pct(l.taxRateBp)}`);
  }
  out.push(rule);
  out.push(row('TOTAL', `${p.currency} ${m(p.grossMinor)}`, width));
  out.push(row(p.taxInclusive ? 'incl. tax' : 'tax', m(p.taxMinor), width));
  const byRate = new Map<number, { net: number; tax: number }>();
  for (const l of p.lines) {
    const r = byRate.get(l.taxRateBp) ?? { net: 0, tax: 0 };
    r.net += l.netMinor;
    r.tax += l.taxMinor;
    byRate.set(l.taxRateBp, r);
  }
  for (const [rate, r] of [...byRate].sort(([a], [b]) => a - b)) {
    out.push(row(`  ${pct(rate)} on net ${m(r.net)}`, m(r.tax), width));
  }
  out.push(rule);
  let change = 0;
  for (const t of p.tenders) {
    if (t.kind === 'cash') {
      out.push(row('Cash', m(t.tenderedMinor), width));
      change += t.changeMinor;
    } else {
      out.push(row(`Card ${t.brand} ${t.maskedPan.slice(-8)}`, m(t.amountMinor), width));
      out.push(`  auth ${t.approvalCode}`);
    }
  }
  out.push(row('Change', m(change), width));
  out.push(rule);
  out.push(row(`Receipt ${p.receiptNo}`, localTime(sale.occurredAt), width));
  out.push(`Cashier ${p.cashierId}  Till ${sale.terminalId}`);
  return `${out.join('\n')}\n`;
}

/** ESC/POS bytes for a thermal printer: the text receipt, then the receipt number as barcode and QR. */
export function receiptEscPos(
  sale: EventEnvelope<SaleCompleted>,
  store: ReceiptStore | undefined,
  columns = 42,
): Uint8Array {
  const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', columns }).initialize();
  const [first, ...rest] = receiptText(sale, store, columns).trimEnd().split('\n');
  enc
    .bold(true)
    .line(first ?? '')
    .bold(false);
  for (const line of rest) enc.line(line);
  enc
    .newline()
    .align('center')
    .barcode(sale.payload.receiptNo, 'code128', { height: 60, text: 'below' })
    .newline()
    .qrcode(sale.payload.receiptNo, { size: 4 })
    .align('left')
    .cut();
  return enc.encode();
}
