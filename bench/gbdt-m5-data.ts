/**
 * Loads the M5 subset (/work/shared/data/m5-subset) straight into a Panel at a cutoff, with the actuals of
 * the 28 days after it kept apart for scoring. Covariates follow the forecast file contract: `price`
 * (weekly sell price spread over its days), `snap` (of the series' state), `event` and `event_type`
 * (categorical), statics store, item, dept, cat, state.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { readBenchConfig } from '../src/apps/config.ts';
import { codeOf } from '../src/intel/forecast/global/features.ts';
import {
  type CategoricalCovariate,
  dayIndex,
  makeCalendar,
  type Panel,
  type Series,
} from '../src/intel/forecast/panel.ts';

export const M5_DIR = readBenchConfig().m5Dir ?? '/work/shared/data/m5-subset';

export interface M5Raw {
  ids: string[];
  attrs: Record<string, string>[];
  /** Sales per series on the full calendar (NaN before the series starts). */
  sales: Float64Array[];
  /** Price per series and day (NaN when not on sale). */
  price: Float64Array[];
  dates: string[];
  snap: Record<string, Int8Array>;
  event: CategoricalCovariate;
  eventType: CategoricalCovariate;
}

export function m5Available(dir = M5_DIR): boolean {
  return existsSync(join(dir, 'sales_subset_long.csv.gz'));
}

export async function loadM5(dir = M5_DIR): Promise<M5Raw> {
  const calLines = readFileSync(join(dir, 'calendar.csv'), 'utf8').trim().split('\n').slice(1);
  const dates: string[] = [];
  const weekOf: string[] = [];
  const snap: Record<string, Int8Array> = {
    CA: new Int8Array(calLines.length),
    TX: new Int8Array(calLines.length),
    WI: new Int8Array(calLines.length),
  };
  const eventLevels = new Map<string, number>();
  const typeLevels = new Map<string, number>();
  const eventCodes = new Int32Array(calLines.length).fill(-1);
  const typeCodes = new Int32Array(calLines.length).fill(-1);
  calLines.forEach((line, t) => {
    const c = line.split(',');
    dates.push(c[0] as string);
    weekOf.push(c[1] as string);
    if (c[7]) eventCodes[t] = codeOf(eventLevels, c[7]);
    if (c[8]) typeCodes[t] = codeOf(typeLevels, c[8]);
    snap.CA![t] = Number(c[11]);
    snap.TX![t] = Number(c[12]);
    snap.WI![t] = Number(c[13]);
  });
  const nDays = dates.length;
  const cal = makeCalendar(dates[0] as string, dates[nDays - 1] as string);

  const index = new Map<string, number>();
  const ids: string[] = [];
  const attrs: Record<string, string>[] = [];
  const sales: Float64Array[] = [];
  const rl = createInterface({
    input: createReadStream(join(dir, 'sales_subset_long.csv.gz')).pipe(createGunzip()),
  });
  let header = true;
  for await (const line of rl) {
    if (header) {
      header = false;
      continue;
    }
    // id,item_id,dept_id,cat_id,store_id,state_id,date,sales
    const c1 = line.indexOf(',');
    const id = line.slice(0, c1);
    let si = index.get(id);
    if (si === undefined) {
      const c = line.split(',');
      si = ids.length;
      index.set(id, si);
      ids.push(id);
      attrs.push({ item: c[1]!, dept: c[2]!, cat: c[3]!, store: c[4]!, state: c[5]! });
      sales.push(new Float64Array(nDays).fill(Number.NaN));
    }
    const c7 = line.lastIndexOf(',');
    const date = line.slice(c7 - 10, c7);
    const t = dayIndex(cal, date);
    (sales[si] as Float64Array)[t] = Number(line.slice(c7 + 1));
  }

  // Weekly prices → daily.
  const daysOfWeek = new Map<string, number[]>();
  weekOf.forEach((w, t) => {
    const list = daysOfWeek.get(w);
    if (list) list.push(t);
    else daysOfWeek.set(w, [t]);
  });
  const byStoreItem = new Map<string, number>();
  for (const [si, a] of attrs.entries()) byStoreItem.set(`${a.store},${a.item}`, si);
  const price = ids.map(() => new Float64Array(nDays).fill(Number.NaN));
  const priceLines = readFileSync(join(dir, 'sell_prices_subset.csv'), 'utf8').trim().split('\n').slice(1);
  for (const line of priceLines) {
    const [store, item, wk, p] = line.split(',');
    const si = byStoreItem.get(`${store},${item}`);
    if (si === undefined) continue;
    for (const t of daysOfWeek.get(wk as string) ?? []) (price[si] as Float64Array)[t] = Number(p);
  }
  return {
    ids,
    attrs,
    sales,
    price,
    dates,
    snap,
    event: { codes: eventCodes, levels: [...eventLevels.keys()] },
    eventType: { codes: typeCodes, levels: [...typeLevels.keys()] },
  };
}

export interface M5Cut {
  panel: Panel;
  /** actual[si][j]: sales on horizon day j (cutoff + 1 + j). */
  actual: Float64Array[];
  cutoffIndex: number;
}

/** The panel as of `cutoff` (inclusive) with `horizon` days to forecast; `replicate` copies every series. */
export function cutM5(raw: M5Raw, cutoff: string, horizon: number, replicate = 1): M5Cut {
  const c = raw.dates.indexOf(cutoff);
  if (c < 0) throw new Error(`cutoff ${cutoff} not in the calendar`);
  const end = c + horizon;
  const calendar = makeCalendar(raw.dates[0] as string, raw.dates[end] as string);
  const hz = Int32Array.from({ length: horizon }, (_, j) => c + 1 + j);
  const slice = <T extends Int32Array | Float64Array>(a: T) => a.subarray(0, end + 1) as T;
  const event = { codes: slice(raw.event.codes), levels: raw.event.levels };
  const eventType = { codes: slice(raw.eventType.codes), levels: raw.eventType.levels };
  const series: Series[] = [];
  const actual: Float64Array[] = [];
  for (let rep = 0; rep < replicate; rep++) {
    raw.ids.forEach((id, si) => {
      const full = raw.sales[si] as Float64Array;
      const history = new Float64Array(end + 1).fill(Number.NaN);
      history.set(full.subarray(0, c + 1));
      let first = -1;
      for (let t = 0; t <= c; t++) {
        if (!Number.isNaN(history[t] as number)) {
          first = t;
          break;
        }
      }
      const attrs = raw.attrs[si] as Record<string, string>;
      const snapOfState = raw.snap[attrs.state as string] as Int8Array;
      series.push({
        id: rep === 0 ? id : `${id}#${rep}`,
        history,
        first,
        last: first < 0 ? -1 : c,
        horizon: hz,
        numeric: {
          price: slice(raw.price[si] as Float64Array),
          snap: Float64Array.from(snapOfState.subarray(0, end + 1)),
        },
        categorical: { event, event_type: eventType },
        attrs: rep === 0 ? attrs : { ...attrs, item: `${attrs.item}#${rep}` },
      });
      actual.push(full.slice(c + 1, end + 1));
    });
  }
  return { panel: { calendar, series }, actual, cutoffIndex: c };
}
