/**
 * The replenishment command's files: the forecast file of `tally forecast`
 * (`series_id,date,mean,p10,p50,p90`), an inputs file (one row per SKU-location), and the plan and
 * lists it writes. A bad row fails the run with its line number; outputs are written whole or not at all.
 */
import { createReadStream } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse';
import { invalid } from '../../core/index.ts';
import { isoToUtcMs } from '../forecast/index.ts';
import type { ForecastRows, ReplenishInput } from './inputs.ts';

async function* records(
  path: string,
  required: readonly string[],
): AsyncGenerator<[Record<string, string>, number]> {
  const parser = parse({ columns: true, skip_empty_lines: true, trim: true });
  // A missing or unreadable file fails the run with a one-line reason instead of an unhandled stream error.
  createReadStream(path)
    .on('error', (e: NodeJS.ErrnoException) =>
      parser.destroy(invalid(path, e.code === 'ENOENT' ? 'no such file' : e.message)),
    )
    .pipe(parser);
  let line = 1;
  for await (const rec of parser as AsyncIterable<Record<string, string>>) {
    line++;
    if (line === 2) {
      const missing = required.filter((c) => !(c in rec));
      if (missing.length) throw invalid(path, `missing column(s) ${missing.join(', ')}`);
    }
    yield [rec, line];
  }
}

const number = (v: string | undefined, col: string, line: number, path: string): number => {
  const n = Number(v);
  if (v === undefined || v === '' || !Number.isFinite(n))
    throw invalid(col, `"${v ?? ''}" is not a number (${path}:${line})`);
  return n;
};
const optional = (v: string | undefined, col: string, line: number, path: string): number | undefined =>
  v === undefined || v === '' ? undefined : number(v, col, line, path);

/** Reads the forecast file into one series per id, days in date order. */
export async function readForecastFile(
  path: string,
  model = 'tally forecast',
): Promise<Map<string, ForecastRows>> {
  const acc = new Map<string, { dates: string[]; mean: number[]; p10: number[]; p90: number[] }>();
  for await (const [r, line] of records(path, ['series_id', 'date', 'mean', 'p10', 'p90'])) {
    const id = r.series_id as string;
    const date = r.date as string;
    if (Number.isNaN(isoToUtcMs(date)))
      throw invalid('date', `"${date}" is not a YYYY-MM-DD date (${path}:${line})`);
    let s = acc.get(id);
    if (!s) {
      s = { dates: [], mean: [], p10: [], p90: [] };
      acc.set(id, s);
    }
    const last = s.dates.at(-1);
    if (last !== undefined && date <= last)
      throw invalid('date', `dates of ${id} are not ascending (${path}:${line})`);
    s.dates.push(date);
    s.mean.push(number(r.mean, 'mean', line, path));
    s.p10.push(number(r.p10, 'p10', line, path));
    s.p90.push(number(r.p90, 'p90', line, path));
  }
  const out = new Map<string, ForecastRows>();
  for (const [id, s] of acc) {
    out.set(id, {
      model,
      dates: s.dates,
      mean: Float64Array.from(s.mean),
      p10: Float64Array.from(s.p10),
      p90: Float64Array.from(s.p90),
    });
  }
  return out;
}

/**
 * Inputs file: series_id, store, sku, on_hand required; optional on_order, inbound, unit_cost_minor,
 * supplier, lead_days, review_days, pack_size, min_order, capacity, order_cost_minor, last_sale_date.
 */
export async function readInputsFile(path: string): Promise<ReplenishInput[]> {
  const out: ReplenishInput[] = [];
  for await (const [r, line] of records(path, ['series_id', 'store', 'sku', 'on_hand'])) {
    const o = (c: string): number | undefined => optional(r[c], c, line, path);
    const last = r.last_sale_date || undefined;
    if (last && Number.isNaN(isoToUtcMs(last)))
      throw invalid('last_sale_date', `"${last}" is not a date (${path}:${line})`);
    out.push({
      seriesId: r.series_id as string,
      storeId: r.store as string,
      sku: r.sku as string,
      onHand: number(r.on_hand, 'on_hand', line, path),
      onOrder: o('on_order'),
      inbound: o('inbound'),
      unitCostMinor: o('unit_cost_minor'),
      supplierId: r.supplier || undefined,
      leadDays: o('lead_days'),
      reviewDays: o('review_days'),
      packSize: o('pack_size'),
      minOrder: o('min_order'),
      capacity: o('capacity'),
      orderCostMinor: o('order_cost_minor'),
      lastSaleDate: last,
    });
  }
  return out;
}

const field = (v: string | number): string => {
  const s =
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : Number.isFinite(v) ? v.toFixed(3) : '') : v;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** Writes a CSV beside its target and renames it into place, so a failure leaves no partial file. */
export async function writeCsv(
  path: string,
  header: readonly string[],
  rows: Iterable<readonly (string | number)[]>,
) {
  const tmp = join(dirname(path), `.${process.pid}-${Date.now()}.tmp`);
  const parts = [header.join(',')];
  for (const r of rows) parts.push(r.map(field).join(','));
  try {
    await writeFile(tmp, `${parts.join('\n')}\n`);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
