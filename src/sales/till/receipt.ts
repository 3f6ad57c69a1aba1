import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { type StoreInfo, storeFormat } from '../../contracts/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { formatMinor } from '../../core/index.ts';
import type { SaleCompleted } from '../events.ts';
import { loyaltyLines, type ReceiptLoyalty } from './loyalty-receipt.ts';

/**
 * Receipts are rendered from the stored sale event alone (plus the store header), so a reprint next
 * week shows exactly what was sold, whatever the catalog says by then.
 */
export type ReceiptStore = Pick<StoreInfo, 'name' | 'address'> &
  Partial<Pick<StoreInfo, 'timeZone' | 'locale'>>;

export interface ReceiptOptions {
  /** A reprint: marked COPY at the top and the bottom. */
  copy?: boolean;
  /** A gift receipt: items and quantities without any price, tender or tax. */
  gift?: boolean;
  /** The store's return policy, printed as the footer. */
  footer?: string;
  /** The customer's points on this sale, when a customer earned or spent any. */
  loyalty?: ReceiptLoyalty | undefined;
}

export const pct = (bp: number): string => `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

export function row(left: string, right: string, width: number): string {
  const room = width - right.length - 1;
  const l = left.length > room ? `${left.slice(0, Math.max(0, room - 1))}…` : left;
  return `${l}${' '.repeat(Math.max(1, width - l.length - right.length))}${right}`;
}

export const center = (s: string, width: number): string =>
  s.length >= width ? s.slice(0, width) : `${' '.repeat(Math.floor((width - s.length) / 2))}${s}`;

/** Local wall-clock time as recorded (occurredAt carries the store's own offset). */
export const localTime = (occurredAt: string): string => occurredAt.slice(0, 16).replace('T', ' ');

/** How a slip writes its amounts and its time. */
export interface SlipFormat {
  amount(minor: number): string;
  /** A weighed amount in kg, three decimals: "1,234" in Berlin. */
  kg(grams: number): string;
  when(occurredAt: string): string;
}

/**
 * Amounts and times in the store's locale, as the register screen writes them (contracts/store-format.ts):
 * "1.234,50" and "02.12.2026, 14:05" in Berlin. A store without a time zone (older callers) keeps the
 * plain "1234.50" and "2026-12-02 14:05".
 */
export function slipFormat(store: ReceiptStore | undefined, currency: string): SlipFormat {
  const plainKg = (g: number): string => (g / 1000).toFixed(3);
  if (!store?.timeZone) return { amount: (n) => formatMinor(n, currency), kg: plainKg, when: localTime };
  const f = storeFormat({ timeZone: store.timeZone, locale: store.locale });
  const kg = new Intl.NumberFormat(f.locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  return {
    amount: (n) => f.amount(n, currency),
    kg: (g) => kg.format(g / 1000),
    when: (at) => f.wallDateTime(at),
  };
}

const qtyText = (l: SaleCompleted['lines'][number], fmt: SlipFormat): string =>
  l.measure
    ? `${fmt.kg(l.measure.amount)} kg x ${fmt.amount(l.unitPriceMinor)}/kg`
    : `${l.qty} x ${fmt.amount(l.unitPriceMinor)}`;

export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(line);
  }
  return out;
}

/** The store's name and address, centred: the top of every kind of receipt. */
export const storeHeader = (store: ReceiptStore | undefined, width: number): string[] =>
  store
    ? [
        center(store.name, width),
        ...store.address
          .split(/\n|, /)
          .filter(Boolean)
          .map((l) => center(l, width)),
      ]
    : [];

/** The tax lines under a total: per rate, the net it was charged on and the tax, lowest rate first. */
export function taxByRate(
  lines: readonly { taxRateBp: number; netMinor: number; taxMinor: number }[],
  m: (n: number) => string,
  width: number,
): string[] {
  const byRate = new Map<number, { net: number; tax: number }>();
  for (const l of lines) {
    const r = byRate.get(l.taxRateBp) ?? { net: 0, tax: 0 };
    r.net += l.netMinor;
    r.tax += l.taxMinor;
    byRate.set(l.taxRateBp, r);
  }
  return [...byRate]
    .sort(([a], [b]) => a - b)
    .map(([rate, r]) => row(`  ${pct(rate)} on net ${m(r.net)}`, m(r.tax), width));
}

export function receiptText(
  sale: EventEnvelope<SaleCompleted>,
  store: ReceiptStore | undefined,
  width = 42,
  opts: ReceiptOptions = {},
): string {
  const p = sale.payload;
  const fmt = slipFormat(store, p.currency);
  const m = fmt.amount;
  const rule = '-'.repeat(width);
  const out: string[] = [...storeHeader(store, width)];
  if (opts.copy) out.push(center('*** COPY ***', width));
  if (opts.gift) out.push(center('GIFT RECEIPT', width));
  out.push(rule);
  if (opts.gift) {
    for (const l of p.lines)
      out.push(row(l.name, l.measure ? `${fmt.kg(l.measure.amount)} kg` : `x${l.qty}`, width));
    out.push(rule);
    out.push(row(`Receipt ${p.receiptNo}`, fmt.when(sale.occurredAt), width));
    if (opts.footer) out.push(...wrap(opts.footer, width));
    if (opts.copy) out.push(center('*** COPY ***', width));
    return `${out.join('\n')}\n`;
  }
  for (const l of p.lines) {
    out.push(row(l.name, `${m(l.listMinor ?? l.grossMinor)}`, width));
    out.push(`  ${qtyText(l, fmt)}  ${l.sku}  tax ${pct(l.taxRateBp)}`);
    if (l.priceOverride)
      out.push(`  price changed from ${m(l.priceOverride.fromMinor)}: ${l.priceOverride.reason}`);
    for (const d of l.discounts ?? [])
      out.push(
        row(`  ${d.basket ? 'Basket discount' : 'Discount'}: ${d.reason}`, `-${m(d.amountMinor)}`, width),
      );
  }
  out.push(rule);
  if (p.discountMinor) out.push(row('You saved', m(p.discountMinor), width));
  out.push(row('TOTAL', `${p.currency} ${m(p.grossMinor)}`, width));
  out.push(row(p.taxInclusive ? 'incl. tax' : 'tax', m(p.taxMinor), width));
  out.push(...taxByRate(p.lines, m, width));
  out.push(rule);
  let change = 0;
  if (p.roundingMinor) out.push(row('Cash rounding', m(p.roundingMinor), width));
  for (const t of p.tenders) {
    if (t.kind === 'cash') {
      out.push(row('Cash', m(t.tenderedMinor), width));
      change += t.changeMinor;
    } else if (t.kind === 'card') {
      out.push(row(`Card ${t.brand} ${t.maskedPan.slice(-8)}`, m(t.amountMinor), width));
      out.push(`  auth ${t.approvalCode}`);
    } else if (t.kind === 'exchange_credit') out.push(row('Exchange credit', m(t.amountMinor), width));
    else if (t.kind === 'loyalty_points') out.push(row(`Points ${t.points}`, m(t.amountMinor), width));
    else
      out.push(
        row(
          `${t.kind === 'gift_card' ? 'Gift card' : 'Store credit'} ****${t.last4}`,
          m(t.amountMinor),
          width,
        ),
      );
  }
  out.push(row('Change', m(change), width));
  if (opts.loyalty) out.push(...loyaltyLines(opts.loyalty, width, fmt.when));
  out.push(rule);
  out.push(row(`Receipt ${p.receiptNo}`, fmt.when(sale.occurredAt), width));
  out.push(`Cashier ${p.cashierId}  Till ${sale.terminalId}`);
  if (opts.footer) out.push(...wrap(opts.footer, width));
  if (opts.copy) out.push(center('*** COPY ***', width));
  return `${out.join('\n')}\n`;
}

/** A text receipt as ESC/POS bytes: the first line bold, then `code` as a Code 128 barcode and QR code. */
export function textToEscPos(text: string, code: string, columns = 42): Uint8Array {
  const enc = new ReceiptPrinterEncoder({ language: 'esc-pos', columns }).initialize();
  const [first, ...rest] = text.trimEnd().split('\n');
  enc
    .bold(true)
    .line(first ?? '')
    .bold(false);
  for (const line of rest) enc.line(line);
  enc
    .newline()
    .align('center')
    .barcode(code, 'code128', { height: 60, text: 'below' })
    .newline()
    .qrcode(code, { size: 4 })
    .align('left')
    .cut();
  return enc.encode();
}

/** ESC/POS bytes for a thermal printer: the text receipt, then the receipt number as barcode and QR. */
export const receiptEscPos = (
  sale: EventEnvelope<SaleCompleted>,
  store: ReceiptStore | undefined,
  columns = 42,
  opts: ReceiptOptions = {},
): Uint8Array => textToEscPos(receiptText(sale, store, columns, opts), sale.payload.receiptNo, columns);
