/**
 * The transaction file contract, input side: `invoice,time,customer,product,quantity,unit_price[,store]`
 * (plain or .gz), streamed with csv-parse straight into per-customer histories. A bad row stops the read
 * with its line number and the column at fault; a line at or after the as-of date is refused, so a score
 * can never peek at the window it predicts (the evaluation asks to collect those lines instead).
 */
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { invalid } from '../../core/index.ts';
import { openMaybeGz } from '../forecast/index.ts';
import { HistoryBuilder, type TransactionLine } from './history.ts';

export const LINE_COLUMNS = ['invoice', 'time', 'customer', 'product', 'quantity', 'unit_price'] as const;

const TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO date or date-time (space or T, optional seconds, optional Z or offset; no zone reads as UTC). */
export function parseTime(text: string, line: number): number {
  const m = TIME.exec(text.trim());
  const bad = () =>
    invalid('time', `line ${line}: "${text}" is not a date or date-time (YYYY-MM-DD[ HH:MM[:SS]])`);
  if (!m) throw bad();
  const [y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m.slice(1) as string[];
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(ms);
  if (
    back.getUTCDate() !== Number(d) ||
    back.getUTCMonth() !== Number(mo) - 1 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    throw bad();
  let offset = 0;
  if (zone && zone !== 'Z') {
    const z = zone.replace(':', '');
    offset = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000 * (z[0] === '-' ? -1 : 1);
  }
  return ms + Number(`0.${frac || '0'}`) * 1000 - offset;
}

/** `YYYY-MM-DD` → midnight UTC in ms. */
export function parseAsOf(text: string, field = 'as-of'): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw invalid(field, `"${text}" is not a YYYY-MM-DD date`);
  return parseTime(text, 0);
}

export interface ReadLinesOptions {
  /** Midnight UTC of the as-of day, in ms. */
  asOfMs: number;
  /** refuse (the CLI): a line at or after as-of is an error; collect (the evaluation): kept apart. */
  future?: 'refuse' | 'collect';
  onProgress?: (linesRead: number) => void;
}

export interface ReadLinesResult {
  builder: HistoryBuilder;
  lines: number;
  /** Lines at or after as-of with a customer (only with future: 'collect'). */
  future: TransactionLine[];
}

function number(text: string, column: string, line: number): number {
  const v = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(v)) throw invalid(column, `line ${line}: "${text}" is not a number`);
  return v;
}

/**
 * Streams the file's rows, checked, to `onRow` in file order with their line numbers: the one reader of
 * the contract (customer scores and basket rules both start here), so both report a bad row alike.
 */
export async function readLineRows(
  source: string | Readable,
  /** `timeText`: the time as written, for messages that quote the row. */
  onRow: (row: TransactionLine, line: number, timeText: string) => void,
): Promise<number> {
  const input = typeof source === 'string' ? openMaybeGz(source) : source;
  const parser = input.pipe(parse({ relax_column_count: true, info: true, bom: true }));
  let col: Record<string, number> | undefined;
  let width = 0;
  let lines = 0;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    const line = info.lines;
    if (!col) {
      const names = record.map((h) => h.trim().toLowerCase());
      const missing = LINE_COLUMNS.filter((c) => !names.includes(c));
      if (missing.length > 0)
        throw invalid(
          missing[0] as string,
          `line 1: the header lacks ${missing.join(', ')} (want ${LINE_COLUMNS.join(',')}[,store])`,
        );
      col = Object.fromEntries(names.map((n, i) => [n, i]));
      width = names.length;
      continue;
    }
    if (record.length === 1 && record[0] === '') continue;
    if (record.length !== width)
      throw invalid('row', `line ${line}: ${record.length} fields, the header has ${width}`);
    const field = (name: string) => (record[col?.[name] as number] ?? '').trim();
    const invoice = field('invoice');
    if (invoice === '') throw invalid('invoice', `line ${line}: empty`);
    const timeMs = parseTime(field('time'), line);
    const quantity = number(field('quantity'), 'quantity', line);
    const unitPrice = number(field('unit_price'), 'unit_price', line);
    const customer = field('customer');
    const product = field('product');
    const row: TransactionLine = { invoice, timeMs, customer, product, quantity, unitPrice };
    if (col.store !== undefined) row.store = field('store');
    lines++;
    onRow(row, line, field('time'));
  }
  if (!col) throw invalid('file', 'empty: no header line');
  return lines;
}

export async function readLines(source: string | Readable, opts: ReadLinesOptions): Promise<ReadLinesResult> {
  const builder = new HistoryBuilder();
  const future: TransactionLine[] = [];
  let seen = 0;
  const lines = await readLineRows(source, (row, line, timeText) => {
    seen++;
    if (row.timeMs >= opts.asOfMs) {
      if (opts.future !== 'collect')
        throw invalid(
          'time',
          `line ${line}: ${timeText} is at or after --as-of ${new Date(opts.asOfMs).toISOString().slice(0, 10)} (the file must end before the day scored)`,
        );
      if (row.customer !== '') future.push(row);
    } else builder.add(row);
    if (opts.onProgress && seen % 50_000 === 0) opts.onProgress(seen);
  });
  opts.onProgress?.(lines);
  return { builder, lines, future };
}
