/**
 * The UCI Online Retail file (InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,
 * Country) rewritten to the transaction line contract, streamed: the customer id loses its float's ".0",
 * the country becomes the store column.
 */

import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { createGzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { invalid } from '../../core/index.ts';
import { openMaybeGz } from '../forecast/index.ts';
import { parseTime } from './lines-csv.ts';

const WANT = ['InvoiceNo', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];

export function onlineRetailRow(r: Record<string, string>): string[] {
  const id = (r.CustomerID ?? '').trim();
  const customer = id === '' ? '' : id.replace(/\.0+$/, '');
  return [
    (r.InvoiceNo ?? '').trim(),
    (r.InvoiceDate ?? '').trim(),
    customer,
    (r.StockCode ?? '').trim(),
    (r.Quantity ?? '').trim(),
    (r.UnitPrice ?? '').trim(),
    (r.Country ?? '').trim(),
  ];
}

/**
 * Writes `out` (gzip when it ends in .gz) through a temporary file; returns the number of lines written.
 * `beforeMs` keeps only the lines before that instant (a file to score at that as-of).
 */
export async function convertOnlineRetail(input: string, out: string, beforeMs?: number): Promise<number> {
  const tmp = `${out}.tmp-${process.pid}`;
  const file = createWriteStream(tmp);
  const sink = out.endsWith('.gz') ? createGzip() : null;
  if (sink) sink.pipe(file);
  const target = sink ?? file;
  let n = 0;
  let seen = 0;
  try {
    const parser = openMaybeGz(input).pipe(parse({ columns: true, relax_quotes: true, bom: true }));
    const write = async (text: string) => {
      if (!target.write(text)) await once(target, 'drain');
    };
    await write('invoice,time,customer,product,quantity,unit_price,store\n');
    let buf: string[][] = [];
    for await (const r of parser as AsyncIterable<Record<string, string>>) {
      if (seen === 0) {
        const missing = WANT.filter((c) => !(c in r));
        if (missing.length > 0)
          throw invalid(
            missing[0] as string,
            `line 1: not an Online Retail header (lacks ${missing.join(', ')})`,
          );
      }
      seen++;
      const row = onlineRetailRow(r);
      if (beforeMs !== undefined && parseTime(row[1] as string, seen + 1) >= beforeMs) continue;
      buf.push(row);
      n++;
      if (buf.length === 5000) {
        await write(stringify(buf));
        buf = [];
      }
    }
    if (buf.length) await write(stringify(buf));
    target.end();
    await once(file, 'close');
    renameSync(tmp, out);
    return n;
  } catch (e) {
    file.destroy();
    rmSync(tmp, { force: true });
    throw e;
  }
}
