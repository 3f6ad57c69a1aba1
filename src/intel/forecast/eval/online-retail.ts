/**
 * Intermittent-demand check on the UCI Online Retail transactions: daily units per StockCode (sales only,
 * cancellations dropped), the last `horizon` days held out; on the series with more than half zero days
 * in their history, Croston, SBA, TSB and Tally's selection against seasonal naive by mean RMSSE.
 */
import { parse } from 'csv-parse';
import { openMaybeGz } from '../history-csv.ts';
import { crostonForecast, tsbForecast } from '../models/intermittent.ts';
import { seasonalNaive } from '../models/simple.ts';
import { makeCalendar, type Series } from '../panel.ts';
import { defaultSelectOptions, forecastSeries } from '../select.ts';
import { rmsse } from './metrics.ts';

const DAY_MS = 86_400_000;

export interface IntermittentResult {
  series: number;
  mean: Record<string, number>;
  beatsSnaive: Record<string, number>;
}

export async function loadRetailDaily(
  path: string,
): Promise<{ start: number; days: number; byCode: Map<string, Float64Array> }> {
  const raw = new Map<string, Map<number, number>>();
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  const parser = openMaybeGz(path).pipe(parse({ columns: true, relax_quotes: true }));
  for await (const r of parser as AsyncIterable<Record<string, string>>) {
    const qty = Number(r.Quantity);
    if (String(r.InvoiceNo).startsWith('C') || !(qty > 0)) continue;
    const day =
      Date.UTC(
        Number(r.InvoiceDate?.slice(0, 4)),
        Number(r.InvoiceDate?.slice(5, 7)) - 1,
        Number(r.InvoiceDate?.slice(8, 10)),
      ) / DAY_MS;
    if (!Number.isFinite(day)) continue;
    minDay = Math.min(minDay, day);
    maxDay = Math.max(maxDay, day);
    const code = r.StockCode as string;
    let m = raw.get(code);
    if (!m) {
      m = new Map();
      raw.set(code, m);
    }
    m.set(day, (m.get(day) ?? 0) + qty);
  }
  const days = maxDay - minDay + 1;
  const byCode = new Map<string, Float64Array>();
  for (const [code, m] of raw) {
    const a = new Float64Array(days);
    for (const [d, q] of m) a[d - minDay] = q;
    byCode.set(code, a);
  }
  return { start: minDay, days, byCode };
}

export async function intermittentCheck(path: string, horizon: number): Promise<IntermittentResult> {
  process.stderr.write('online-retail: reading transactions\n');
  const { start, days, byCode } = await loadRetailDaily(path);
  const cutoff = days - horizon;
  const calendar = makeCalendar(
    new Date(start * DAY_MS).toISOString().slice(0, 10),
    new Date((start + days - 1) * DAY_MS).toISOString().slice(0, 10),
  );
  const methods = ['seasonal naive', 'Croston', 'SBA', 'TSB', 'Tally'] as const;
  const sums: Record<string, number> = {};
  const wins: Record<string, number> = {};
  for (const m of methods) {
    sums[m] = 0;
    wins[m] = 0;
  }
  let count = 0;
  for (const [code, full] of byCode) {
    let first = 0;
    while (first < cutoff && (full[first] as number) === 0) first++;
    const y = full.slice(first, cutoff);
    if (y.length < 90) continue;
    let zeros = 0;
    for (const v of y) if (v === 0) zeros++;
    if (zeros / y.length <= 0.5 || y.length - zeros < 5) continue;
    const actual = full.subarray(cutoff);
    const history = new Float64Array(days).fill(Number.NaN);
    history.set(y, first);
    const s: Series = {
      id: code,
      history,
      first,
      last: cutoff - 1,
      horizon: Int32Array.from({ length: horizon }, (_, k) => cutoff + k),
      numeric: {},
      categorical: {},
      attrs: {},
    };
    const scores: Record<string, number> = {
      'seasonal naive': rmsse(y, actual, seasonalNaive(y, horizon)),
      Croston: rmsse(y, actual, crostonForecast(y, horizon, 0.1, 'croston')),
      SBA: rmsse(y, actual, crostonForecast(y, horizon, 0.1, 'sba')),
      TSB: rmsse(y, actual, tsbForecast(y, horizon)),
      Tally: rmsse(y, actual, forecastSeries(s, calendar, defaultSelectOptions).mean),
    };
    if (Object.values(scores).some((v) => !Number.isFinite(v))) continue;
    count++;
    for (const m of methods) {
      sums[m] = (sums[m] as number) + (scores[m] as number);
      if ((scores[m] as number) < (scores['seasonal naive'] as number)) wins[m] = (wins[m] as number) + 1;
    }
  }
  const mean: Record<string, number> = {};
  const beatsSnaive: Record<string, number> = {};
  for (const m of methods) {
    mean[m] = (sums[m] as number) / count;
    beatsSnaive[m] = (wins[m] as number) / count;
  }
  console.log(
    `online-retail: ${count} StockCodes with more than half zero days, last ${horizon} days held out (mean RMSSE)`,
  );
  console.table(
    methods.map((m) => ({
      method: m,
      RMSSE: (mean[m] as number).toFixed(3),
      'beats snaive on': `${((beatsSnaive[m] as number) * 100).toFixed(0)}%`,
    })),
  );
  return { series: count, mean, beatsSnaive };
}
