/**
 * Reads the M5 subset (../shared/data/m5-subset) and writes the long history CSV of the forecast contract at
 * a cutoff: `historyDays` observed days up to the cutoff, then `horizon` rows with an empty qty carrying the
 * known price, event and SNAP flag. The actuals after the cutoff stay in memory for scoring.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { invalid } from '../../../core/index.ts';
import { openMaybeGz } from '../history-csv.ts';
import { isoToUtcMs, utcMsToIso } from '../panel.ts';

const DAY_MS = 86_400_000;

export interface M5Series {
  id: string;
  item: string;
  dept: string;
  cat: string;
  store: string;
  state: string;
  /** Daily sales from `firstDate` to the end of the data. */
  firstDay: number;
  sales: Float64Array;
}

export interface M5Data {
  /** Day number (days since epoch) of the first calendar day, and per calendar day: week, event, SNAP by state. */
  calStart: number;
  calDates: string[];
  week: Int32Array;
  event: string[];
  snap: Record<string, Uint8Array>;
  /** price by `${store}|${item}` → by week. */
  prices: Map<string, Map<number, number>>;
  series: M5Series[];
  lastDay: number;
}

async function* lines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: openMaybeGz(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const l of rl) yield l;
}

/** The subset's files are plain (no quoted fields), so a split is enough and much faster than a CSV parser. */
export async function loadM5(dir: string): Promise<M5Data> {
  const cal = (await readFile(join(dir, 'calendar.csv'), 'utf8')).trim().split('\n');
  const head = (cal[0] as string).split(',');
  const ci = (n: string): number => head.indexOf(n);
  const rows = cal.slice(1).map((l) => l.split(','));
  const calDates = rows.map((r) => r[ci('date')] as string);
  const calStart = isoToUtcMs(calDates[0] as string) / DAY_MS;
  const week = Int32Array.from(rows, (r) => Number(r[ci('wm_yr_wk')]));
  const event = rows.map((r) => r[ci('event_name_1')] ?? '');
  const snap: Record<string, Uint8Array> = {};
  for (const st of ['CA', 'TX', 'WI']) snap[st] = Uint8Array.from(rows, (r) => Number(r[ci(`snap_${st}`)]));

  const prices = new Map<string, Map<number, number>>();
  let first = true;
  for await (const l of lines(join(dir, 'sell_prices_subset.csv'))) {
    if (first) {
      first = false;
      continue;
    }
    const [store, item, wk, price] = l.split(',');
    const key = `${store}|${item}`;
    let m = prices.get(key);
    if (!m) {
      m = new Map();
      prices.set(key, m);
    }
    m.set(Number(wk), Number(price));
  }

  const byId = new Map<
    string,
    { meta: Omit<M5Series, 'sales' | 'firstDay'>; days: number[]; qty: number[] }
  >();
  first = true;
  let lastDay = 0;
  for await (const l of lines(join(dir, 'sales_subset_long.csv.gz'))) {
    if (first) {
      first = false;
      continue;
    }
    const [id, item, dept, cat, store, state, date, sales] = l.split(',') as string[];
    let s = byId.get(id as string);
    if (!s) {
      s = {
        meta: {
          id: id as string,
          item: item as string,
          dept: dept as string,
          cat: cat as string,
          store: store as string,
          state: state as string,
        },
        days: [],
        qty: [],
      };
      byId.set(id as string, s);
    }
    const d = isoToUtcMs(date as string) / DAY_MS;
    s.days.push(d);
    s.qty.push(Number(sales));
    if (d > lastDay) lastDay = d;
  }
  const series: M5Series[] = [];
  for (const { meta, days, qty } of byId.values()) {
    let firstDay = Number.POSITIVE_INFINITY;
    for (const d of days) if (d < firstDay) firstDay = d;
    const sales = new Float64Array(lastDay - firstDay + 1);
    for (let i = 0; i < days.length; i++) sales[(days[i] as number) - firstDay] = qty[i] as number;
    series.push({ ...meta, firstDay, sales });
  }
  series.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { calStart, calDates, week, event, snap, prices, series, lastDay };
}

export function priceOn(data: M5Data, s: M5Series, day: number): number {
  const wk = data.week[day - data.calStart];
  return wk === undefined ? Number.NaN : (data.prices.get(`${s.store}|${s.item}`)?.get(wk) ?? Number.NaN);
}

export interface Cut {
  /** Day number of the cutoff (the last observed day). */
  cutoff: number;
  horizon: number;
  /** Per series (same order as data.series): actual sales on the horizon days. */
  actual: Float64Array[];
}

export function makeCut(data: M5Data, cutoffIso: string, horizon: number): Cut {
  const cutoff = isoToUtcMs(cutoffIso) / DAY_MS;
  if (Number.isNaN(cutoff)) throw invalid('cutoff', `"${cutoffIso}" is not a YYYY-MM-DD date`);
  if (cutoff + horizon > data.lastDay) {
    throw invalid(
      'cutoff',
      `needs ${horizon} days of actuals after it; the data ends on ${utcMsToIso(data.lastDay * DAY_MS)}`,
    );
  }
  const actual = data.series.map((s) => {
    const a = new Float64Array(horizon);
    for (let k = 0; k < horizon; k++) {
      const i = cutoff + 1 + k - s.firstDay;
      a[k] = i >= 0 ? (s.sales[i] as number) : 0;
    }
    return a;
  });
  return { cutoff, horizon, actual };
}

/** Writes the contract's long CSV for a cut; series launched after the cutoff get only their future rows. */
export async function writeM5History(
  data: M5Data,
  cut: Cut,
  historyDays: number,
  path: string,
): Promise<void> {
  const out = createWriteStream(path);
  const write = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write('series_id,date,qty,price,event,snap,store,state,item,dept,cat\n');
  const from = cut.cutoff - historyDays + 1;
  for (const s of data.series) {
    let buf = '';
    const statics = `${s.store},${s.state},${s.item},${s.dept},${s.cat}`;
    for (let d = Math.max(from, s.firstDay); d <= cut.cutoff + cut.horizon; d++) {
      const c = d - data.calStart;
      const qty = d <= cut.cutoff ? String(s.sales[d - s.firstDay]) : '';
      const p = priceOn(data, s, d);
      buf += `${s.id},${data.calDates[c]},${qty},${Number.isNaN(p) ? '' : p},${data.event[c] ?? ''},${data.snap[s.state]?.[c] ?? ''},${statics}\n`;
    }
    await write(buf);
  }
  out.end();
  await once(out, 'finish');
}
