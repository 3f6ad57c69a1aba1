/**
 * Features of the global model. A row is (series, target day t, forecast origin o = t − k): everything
 * about the series' own sales is read at or before o, everything known ahead (calendar, price, events,
 * SNAP, statics) at t. Training rows draw k at random in 1..H, so one model serves every horizon day and
 * each day of the forecast uses the freshest history it can ("direct, horizon as a feature").
 * Windows are O(1) per row from prefix sums, so building a million rows takes well under a second.
 */
import type { Panel, Series } from '../panel.ts';

/** Per-series prefix sums over the history (NaN days count as absent). */
export interface SeriesPrefix {
  /** sum[t+1] = Σ y over observed days ≤ t. */
  sum: Float64Array;
  sumSq: Float64Array;
  count: Float64Array;
  zeros: Float64Array;
  /** Last day ≤ t with a positive sale, or -1. */
  lastSale: Int32Array;
  /** Price prefix sums (days with a known price). */
  priceSum: Float64Array;
  priceCount: Float64Array;
  priceMax: number;
  priceMean: number;
}

export interface FeatureSpec {
  names: string[];
  categorical: number[];
}

export interface PanelFeatures {
  spec: FeatureSpec;
  /** Codes per static attribute name: series index → code (−1 when absent). */
  staticCodes: Int32Array[];
  staticNames: string[];
  /** Global codes per categorical covariate: series index → (local code → global code). */
  covCatNames: string[];
  covCatMaps: Int32Array[][];
  covNumNames: string[];
  priceName: string | null;
  prefixes: SeriesPrefix[];
  month: Int8Array;
  dayOfMonth: Int8Array;
  horizon: number;
  /** Sales of the series' store (or of the panel): what moves a whole store. */
  groups: GroupLevel[];
}

/** One grouping of the panel's series and the per-member daily mean sales of each group, as prefix sums. */
export interface GroupLevel {
  name: string;
  /** Series index → group index. */
  groupOf: Int32Array;
  /** Per group: prefix sums of the day's total and of the members observed that day. */
  sum: Float64Array[];
  count: Float64Array[];
  /** Per group and day: 1 when the group was closed (see groupLevel). */
  closed: Uint8Array[];
}

const WINDOWS = [7, 14, 28, 56, 112, 364] as const;
const DAYS_CAP = 60;

function prefixOf(s: Series, priceName: string | null): SeriesPrefix {
  const n = s.history.length;
  const sum = new Float64Array(n + 1);
  const sumSq = new Float64Array(n + 1);
  const count = new Float64Array(n + 1);
  const zeros = new Float64Array(n + 1);
  const lastSale = new Int32Array(n);
  const price = priceName ? s.numeric[priceName] : undefined;
  const priceSum = new Float64Array(n + 1);
  const priceCount = new Float64Array(n + 1);
  let last = -1;
  let priceMax = Number.NaN;
  for (let t = 0; t < n; t++) {
    const y = s.history[t] as number;
    const ok = !Number.isNaN(y);
    sum[t + 1] = (sum[t] as number) + (ok ? y : 0);
    sumSq[t + 1] = (sumSq[t] as number) + (ok ? y * y : 0);
    count[t + 1] = (count[t] as number) + (ok ? 1 : 0);
    zeros[t + 1] = (zeros[t] as number) + (ok && y === 0 ? 1 : 0);
    if (ok && y > 0) last = t;
    lastSale[t] = last;
    const p = price ? (price[t] as number) : Number.NaN;
    const pOk = !Number.isNaN(p);
    priceSum[t + 1] = (priceSum[t] as number) + (pOk ? p : 0);
    priceCount[t + 1] = (priceCount[t] as number) + (pOk ? 1 : 0);
    if (pOk && !(p <= priceMax)) priceMax = p;
  }
  const pc = priceCount[n] as number;
  return {
    sum,
    sumSq,
    count,
    zeros,
    lastSale,
    priceSum,
    priceCount,
    priceMax,
    priceMean: pc > 0 ? (priceSum[n] as number) / pc : Number.NaN,
  };
}

/** The code of a level, numbering new levels in order of first sight. */
export function codeOf(levels: Map<string, number>, v: string): number {
  const c = levels.get(v);
  if (c !== undefined) return c;
  levels.set(v, levels.size);
  return levels.size - 1;
}

/**
 * The grouping the group features read: the series' store, or the whole panel when series carry no store.
 * Store totals are dense where single SKUs are mostly zeros, so their momentum and last year's change are
 * readable. Over six M5 windows (bench/forecast-features.ts) store features lowered the GBDT pair's mean
 * WRMSSE from 0.704 to 0.699; adding store × department features as well gained nothing more.
 */
function storeKey(series: readonly Series[]): (s: Series) => string {
  const has = series.some((s) => s.attrs.store !== undefined && s.attrs.store !== '');
  return has ? (s) => s.attrs.store ?? '' : () => '';
}

/** Mean units a day over the previous 28 days above which a group's zero day counts as closed. */
const CLOSED_DAY_MIN_UNITS = 10;

function groupLevel(panel: Panel, name: string, key: (s: Series) => string): GroupLevel {
  const ids = new Map<string, number>();
  const groupOf = Int32Array.from(panel.series, (s) => codeOf(ids, key(s)));
  const nDays = panel.calendar.dates.length;
  const daySum = Array.from({ length: ids.size }, () => new Float64Array(nDays));
  const dayCnt = Array.from({ length: ids.size }, () => new Float64Array(nDays));
  panel.series.forEach((s, si) => {
    if (s.first < 0) return;
    const g = groupOf[si] as number;
    const ds = daySum[g] as Float64Array;
    const dc = dayCnt[g] as Float64Array;
    for (let t = s.first; t <= s.last; t++) {
      const y = s.history[t] as number;
      if (Number.isNaN(y)) continue;
      ds[t]! += y;
      dc[t]! += 1;
    }
  });
  // A day on which a busy group sold nothing at all was a closed day (Christmas, a storm, a till outage),
  // not demand: the weekday shape leaves it out, so a Christmas Friday does not make every January
  // Friday look slow. Busy: at least CLOSED_DAY_MIN_UNITS a day over the 28 days before.
  const closed = daySum.map((ds, g) => {
    const dc = dayCnt[g] as Float64Array;
    const out = new Uint8Array(nDays);
    let recent = 0;
    for (let t = 0; t < nDays; t++) {
      if ((dc[t] as number) > 0 && (ds[t] as number) === 0 && recent >= 28 * CLOSED_DAY_MIN_UNITS) out[t] = 1;
      recent += (ds[t] as number) - (t >= 28 ? (ds[t - 28] as number) : 0);
    }
    return out;
  });
  const prefix = (a: Float64Array) => {
    const p = new Float64Array(a.length + 1);
    for (let t = 0; t < a.length; t++) p[t + 1] = (p[t] as number) + (a[t] as number);
    return p;
  };
  return { name, groupOf, sum: daySum.map(prefix), count: dayCnt.map(prefix), closed };
}

/** Per-member mean daily sales of group g over days (a, b] (prefix indices); NaN when nobody was observed. */
function groupMean(gl: GroupLevel, g: number, a: number, b: number): number {
  const sum = gl.sum[g] as Float64Array;
  const cnt = gl.count[g] as Float64Array;
  const hi = Math.min(Math.max(0, b), sum.length - 1);
  const lo = Math.min(Math.max(0, a), hi);
  const n = (cnt[hi] as number) - (cnt[lo] as number);
  return n > 0 ? ((sum[hi] as number) - (sum[lo] as number)) / n : Number.NaN;
}

export interface FeatureOptions {
  /** Add the store features (momentum, last year's change, weekday shape); default true. */
  groups?: boolean;
}

export function preparePanel(panel: Panel, horizon: number, fo: FeatureOptions = {}): PanelFeatures {
  const series = panel.series;
  const first = series[0];
  const staticNames = [...new Set(series.flatMap((s) => Object.keys(s.attrs)))].sort();
  const staticCodes = staticNames.map((name) => {
    const levels = new Map<string, number>();
    return Int32Array.from(series, (s) => {
      const v = s.attrs[name];
      if (v === undefined || v === '') return -1;
      return codeOf(levels, v);
    });
  });
  const covCatNames = first ? Object.keys(first.categorical).sort() : [];
  const covCatMaps = covCatNames.map((name) => {
    const global = new Map<string, number>();
    return series.map((s) => {
      const cov = s.categorical[name];
      if (!cov) return new Int32Array(0);
      return Int32Array.from(cov.levels, (lv) => {
        return codeOf(global, lv);
      });
    });
  });
  const covNumNames = first ? Object.keys(first.numeric).sort() : [];
  const priceName = covNumNames.find((n) => /price/i.test(n)) ?? null;
  const nDays = panel.calendar.dates.length;
  const month = new Int8Array(nDays);
  const dayOfMonth = new Int8Array(nDays);
  panel.calendar.dates.forEach((d, t) => {
    month[t] = Number(d.slice(5, 7));
    dayOfMonth[t] = Number(d.slice(8, 10));
  });

  const names: string[] = [];
  const categorical: number[] = [];
  const add = (name: string, cat = false) => {
    if (cat) categorical.push(names.length);
    names.push(name);
  };
  add('k');
  add('weekday', true);
  add('month');
  add('day_of_month');
  for (const n of staticNames) add(`static_${n}`, true);
  for (const n of covCatNames) {
    add(`${n}`, true);
    add(`${n}_days_to_next`);
    add(`${n}_days_since`);
  }
  for (const n of covNumNames) add(n);
  if (priceName) {
    add('price_rel_mean');
    add('price_rel_max');
    add('price_rel_28d');
    add('price_change_7d');
  }
  add('days_since_first');
  add('days_since_sale');
  add('last_value');
  for (const w of WINDOWS) add(`mean_${w}`);
  add('std_28');
  add('zero_share_28');
  add('same_weekday_mean_4');
  add('same_weekday_mean_8');
  add('weekday_ratio_8');
  add('trend_7_56');
  add('year_ago_week_mean');
  const groups = fo.groups === false ? [] : [groupLevel(panel, 'store', storeKey(series))];
  for (const g of groups) {
    add(`${g.name}_ratio_7_28`);
    add(`${g.name}_ratio_28_364`);
    add(`${g.name}_last_year_change`);
    add(`${g.name}_weekday_ratio_8`);
  }
  return {
    spec: { names, categorical },
    staticCodes,
    staticNames,
    covCatNames,
    covCatMaps,
    covNumNames,
    priceName,
    prefixes: series.map((s) => prefixOf(s, priceName)),
    month,
    dayOfMonth,
    horizon,
    groups,
  };
}

/** Mean of observed values over days (a, b] (prefix indices), NaN when none observed. */
function windowMean(p: SeriesPrefix, a: number, b: number): number {
  const lo = Math.max(0, a);
  const hi = Math.max(lo, b);
  const n = (p.count[hi] as number) - (p.count[lo] as number);
  return n > 0 ? ((p.sum[hi] as number) - (p.sum[lo] as number)) / n : Number.NaN;
}

interface EventDistance {
  next: Uint8Array;
  since: Uint8Array;
}

// Series usually share one codes array per covariate; compute the distances once per array.
const distanceCache = new WeakMap<Int32Array, EventDistance>();

/** Days until the next and since the last non-empty code, per day, capped at DAYS_CAP. */
function eventDistance(codes: Int32Array): EventDistance {
  const hit = distanceCache.get(codes);
  if (hit) return hit;
  const n = codes.length;
  const next = new Uint8Array(n);
  const since = new Uint8Array(n);
  let d = DAYS_CAP;
  for (let t = n - 1; t >= 0; t--) {
    d = (codes[t] as number) >= 0 ? 0 : Math.min(DAYS_CAP, d + 1);
    next[t] = d;
  }
  d = DAYS_CAP;
  for (let t = 0; t < n; t++) {
    d = (codes[t] as number) >= 0 ? 0 : Math.min(DAYS_CAP, d + 1);
    since[t] = d;
  }
  const out = { next, since };
  distanceCache.set(codes, out);
  return out;
}

/**
 * Writes the features of (series si, target t, origin o) into `out` at row `row` (column-major:
 * out[f][row]). `o` may lie before the series' first observation (a launch): history features are NaN then.
 */
export function fillRow(
  pf: PanelFeatures,
  panel: Panel,
  si: number,
  t: number,
  o: number,
  out: Float32Array[],
  row: number,
): void {
  const s = panel.series[si] as Series;
  const p = pf.prefixes[si] as SeriesPrefix;
  let f = 0;
  const put = (v: number) => {
    (out[f++] as Float32Array)[row] = v;
  };
  put(t - o);
  put(panel.calendar.weekday[t] as number);
  put(pf.month[t] as number);
  put(pf.dayOfMonth[t] as number);
  for (const codes of pf.staticCodes) put(codes[si] as number);
  for (let c = 0; c < pf.covCatNames.length; c++) {
    const cov = s.categorical[pf.covCatNames[c] as string];
    if (!cov) {
      put(-1);
      put(DAYS_CAP);
      put(DAYS_CAP);
      continue;
    }
    const local = cov.codes[t] as number;
    put(local >= 0 ? ((pf.covCatMaps[c] as Int32Array[])[si]?.[local] ?? -1) : -1);
    const dist = eventDistance(cov.codes);
    put(dist.next[t] as number);
    put(dist.since[t] as number);
  }
  for (const name of pf.covNumNames) put(s.numeric[name]?.[t] ?? Number.NaN);
  if (pf.priceName) {
    const price = s.numeric[pf.priceName]?.[t] ?? Number.NaN;
    put(price / p.priceMean);
    put(price / p.priceMax);
    const lo = Math.max(0, t - 28);
    const n28 = (p.priceCount[t] as number) - (p.priceCount[lo] as number);
    put(n28 > 0 ? price / (((p.priceSum[t] as number) - (p.priceSum[lo] as number)) / n28) : Number.NaN);
    const prev = t >= 7 ? (s.numeric[pf.priceName]?.[t - 7] ?? Number.NaN) : Number.NaN;
    put(price / prev - 1);
  }
  const seen = s.first >= 0 && s.first <= o;
  const end = o + 1;
  put(seen ? t - s.first : Number.NaN);
  put(seen && (p.lastSale[o] as number) >= 0 ? o - (p.lastSale[o] as number) : Number.NaN);
  put(seen ? (s.history[o] as number) : Number.NaN);
  let m7 = Number.NaN;
  let m56 = Number.NaN;
  for (const w of WINDOWS) {
    const m = seen ? windowMean(p, end - w, end) : Number.NaN;
    if (w === 7) m7 = m;
    if (w === 56) m56 = m;
    put(m);
  }
  if (seen) {
    const lo = Math.max(0, end - 28);
    const n = (p.count[end] as number) - (p.count[lo] as number);
    const mean = n > 0 ? ((p.sum[end] as number) - (p.sum[lo] as number)) / n : Number.NaN;
    const sq = n > 0 ? ((p.sumSq[end] as number) - (p.sumSq[lo] as number)) / n : Number.NaN;
    put(Math.sqrt(Math.max(0, sq - mean * mean)));
    put(n > 0 ? ((p.zeros[end] as number) - (p.zeros[lo] as number)) / n : Number.NaN);
  } else {
    put(Number.NaN);
    put(Number.NaN);
  }
  // Same weekday as t, going back in whole weeks from the last such day at or before o.
  const back = Math.ceil((t - o) / 7) * 7;
  let s4 = 0;
  let n4 = 0;
  let s8 = 0;
  let n8 = 0;
  if (seen) {
    for (let j = 0; j < 8; j++) {
      const d = t - back - 7 * j;
      if (d < 0) break;
      const y = s.history[d] as number;
      if (Number.isNaN(y)) continue;
      if (j < 4) {
        s4 += y;
        n4++;
      }
      s8 += y;
      n8++;
    }
  }
  const sw8 = n8 > 0 ? s8 / n8 : Number.NaN;
  put(n4 > 0 ? s4 / n4 : Number.NaN);
  put(sw8);
  put(m56 > 0 ? sw8 / m56 : Number.NaN);
  put(m56 > 0 ? m7 / m56 : Number.NaN);
  // Last year's week around the same day (t−364 keeps the weekday; known for any k ≤ 28).
  put(seen && t - 367 >= 0 && t - 361 <= o ? windowMean(p, t - 368, t - 361) : Number.NaN);
  // Groups are read up to the origin like the series itself; last year's change runs from the 28 days
  // before the origin a year ago to the target's week a year ago.
  for (const gl of pf.groups) {
    const g = gl.groupOf[si] as number;
    const m7 = groupMean(gl, g, end - 7, end);
    const m28 = groupMean(gl, g, end - 28, end);
    const m364 = groupMean(gl, g, end - 364, end);
    put(m28 > 0 ? m7 / m28 : Number.NaN);
    put(m364 > 0 ? m28 / m364 : Number.NaN);
    const before = groupMean(gl, g, end - 364 - 28, end - 364);
    put(end - 392 >= 0 && before > 0 ? groupMean(gl, g, t - 368, t - 361) / before : Number.NaN);
    let sw = 0;
    let nw = 0;
    for (let j = 0; j < 8; j++) {
      const d = t - back - 7 * j;
      if (d < 0) break;
      if ((gl.closed[g] as Uint8Array)[d]) continue;
      const v = groupMean(gl, g, d, d + 1);
      if (Number.isNaN(v)) continue;
      sw += v;
      nw++;
    }
    const m56 = groupMean(gl, g, end - 56, end);
    put(nw > 0 && m56 > 0 ? sw / nw / m56 : Number.NaN);
  }
}

export function allocColumns(nFeatures: number, nRows: number): Float32Array[] {
  return Array.from({ length: nFeatures }, () => new Float32Array(nRows));
}
