import { sql } from 'kysely';
import type { ForecastResponse, SeriesLevel } from '../contracts/index.ts';
import { TallyError } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { addDays, categoryKeySql, describeStores, num, type StoreSet, source, storeIn } from './common.ts';
import { latestDoneRun } from './demand.ts';

/** Days of the forecast the band's width is averaged over: the week a manager acts on. */
export const BAND_DAYS = 7;

/** A units-a-day figure as the panel writes it: one decimal under 10, whole units above. */
export const unitsText = (x: number): string => {
  const shown = x < 9.95 ? Math.round(x * 10) / 10 : Math.round(x);
  return `${shown} unit${shown === 1 ? '' : 's'} a day`;
};

/** Half the p10–p90 width, averaged over the first `BAND_DAYS` forecast days: the "±" of the band drawn. */
export function bandHalfWidth(days: readonly { p10: number; p90: number }[]): number | null {
  const week = days.slice(0, BAND_DAYS);
  if (week.length === 0) return null;
  return week.reduce((s, d) => s + (d.p90 - d.p10) / 2, 0) / week.length;
}

/**
 * The forecast's two measures of uncertainty in words, each named for what it is: the 80 % range the
 * chart shades (p10–p90 of the stored forecast, its half-width averaged over the next week) and the
 * mean absolute error the model made over the last 28 days in its holdout backtest. They are different
 * numbers on purpose; neither is rounded into the other. `summed`: several stores' series added up, so
 * both are upper bounds.
 */
export function trustText(maeUnitsPerDay: number | null, halfWidth: number | null, summed = false): string {
  const atMost = summed ? 'at most ' : '';
  const band =
    halfWidth === null || !Number.isFinite(halfWidth)
      ? ''
      : `80 % likely range (p10–p90) ±${atMost}${unitsText(halfWidth)} on average over the next ${BAND_DAYS} days`;
  const error =
    maeUnitsPerDay === null || !Number.isFinite(maeUnitsPerDay)
      ? 'too little history to measure how far off it usually is'
      : `mean absolute error over the last 28 days (backtest) ${atMost}${unitsText(maeUnitsPerDay)}`;
  return band ? `${band}; ${error}` : error;
}

export interface ForecastAsk {
  /** Explicit store asked for, if any; `stores` is what the query covers (checked against scope already). */
  storeId?: string;
  stores: StoreSet;
  sku?: string;
  category?: string;
}

/** Which stored series answer a question: level, key, and whether store rows are summed. */
export function seriesFor(a: ForecastAsk): { level: SeriesLevel; key: string; storeRows: StoreSet | '*' } {
  const storeRows: StoreSet | '*' = a.storeId ? [a.storeId] : a.stores;
  if (a.sku) return { level: 'sku', key: a.sku, storeRows };
  // The refresh stores chain-wide category totals under store '*', with their own error and band.
  if (a.category)
    return {
      level: 'category',
      key: a.category,
      storeRows: a.storeId || a.stores !== 'all' ? storeRows : '*',
    };
  if (!a.storeId && a.stores === 'all') return { level: 'chain', key: '*', storeRows: '*' };
  return { level: 'store', key: '*', storeRows };
}

export const HISTORY_DAYS = 91;

/**
 * The forecast chart's data: history (units a day, zero-filled) and the stored forecast with its band.
 * Several stores' series are summed: the means add up exactly; the summed quantiles are a wider band than
 * the true one (errors partly cancel), which the source line says.
 */
export async function loadForecast(db: HqDb, a: ForecastAsk): Promise<ForecastResponse> {
  const run = await latestDoneRun(db);
  if (!run)
    throw new TallyError(
      'not_found',
      'no forecast yet: no forecast run has finished; run `tally forecast refresh` (HQ also refreshes nightly)',
    );
  const s = seriesFor(a);
  const rowsIn =
    s.storeRows === '*'
      ? sql<boolean>`store_id = '*'`
      : sql<boolean>`store_id <> '*' AND ${storeIn('store_id', s.storeRows)}`;
  const { rows: days } = await sql<{ date: string; mean: number; p10: number; p50: number; p90: number }>`
    SELECT date, sum(mean) AS mean, sum(p10) AS p10, sum(p50) AS p50, sum(p90) AS p90 FROM forecast_days
    WHERE run_id = ${run.id} AND level = ${s.level} AND key = ${s.key} AND ${rowsIn}
    GROUP BY date ORDER BY date`.execute(db);
  const { rows: series } = await sql<{ model: string; mae: number | null; n: number }>`
    SELECT string_agg(DISTINCT model, ', ') AS model, sum(backtest_mae) AS mae, count(*) AS n FROM forecast_series
    WHERE run_id = ${run.id} AND level = ${s.level} AND key = ${s.key} AND ${rowsIn}`.execute(db);
  const info = series[0];
  if (days.length === 0 || !info || num(info.n) === 0)
    throw new TallyError(
      'not_found',
      `no forecast for ${s.level} ${s.key} in ${describeStores(a.storeId ? [a.storeId] : a.stores)}: the latest run ` +
        'has no such series (new items get one at the next refresh)',
      a.sku ? 'sku' : a.category ? 'category' : 'store',
    );
  const first = days[0]?.date ?? addDays(run.trainedTo ?? '1970-01-01', 1);
  const historyFrom = addDays(first, -HISTORY_DAYS);
  const salesIn = a.storeId ? storeIn('d.store_id', [a.storeId]) : storeIn('d.store_id', a.stores);
  const match = a.sku
    ? sql<boolean>`d.sku = ${a.sku}`
    : a.category
      ? sql<boolean>`${categoryKeySql('p')} = ${a.category}`
      : sql<boolean>`true`;
  const { rows: hist } = await sql<{ date: string; qty: number }>`
    SELECT d.business_date AS date, sum(d.qty) AS qty FROM sales_daily d LEFT JOIN products p ON p.sku = d.sku
    WHERE d.business_date >= ${historyFrom} AND d.business_date < ${first} AND ${salesIn} AND ${match}
    GROUP BY d.business_date`.execute(db);
  const byDate = new Map(hist.map((h) => [h.date, Math.max(0, num(h.qty))]));
  const history = Array.from({ length: HISTORY_DAYS }, (_, i) => {
    const date = addDays(historyFrom, i);
    return { date, qty: byDate.get(date) ?? 0 };
  });
  const mae = info.mae === null ? null : num(info.mae);
  const summed = num(info.n) > 1;
  const half = bandHalfWidth(days.map((d) => ({ p10: num(d.p10), p90: num(d.p90) })));
  return {
    series: {
      level: s.level,
      storeId: a.storeId ?? (s.storeRows === '*' || a.stores === 'all' ? '*' : a.stores.join(',')),
      key: s.key,
      name: await seriesName(db, s.level, s.key, a.storeId),
    },
    history,
    forecast: days.map((d) => ({
      date: d.date,
      mean: num(d.mean),
      p10: num(d.p10),
      p50: num(d.p50),
      p90: num(d.p90),
    })),
    trust: {
      model: info.model,
      maeUnitsPerDay: mae === null ? null : Math.round(mae * 100) / 100,
      bandHalfWidth: half === null ? null : Math.round(half * 100) / 100,
      text: trustText(mae, half, summed),
    },
    run: { id: run.id, finishedAt: run.finishedAt?.toISOString() ?? null, trainedTo: run.trainedTo },
    source: source(
      ['forecast_runs', 'forecast_series', 'forecast_days', 'sales_daily'],
      `forecast_days of run ${run.id} (${run.modelVersion}, trained to ${run.trainedTo ?? '?'}), level ${s.level}, key ${s.key}, ` +
        `${describeStores(a.storeId ? [a.storeId] : a.stores)}${summed ? ` (${num(info.n)} series summed; band is an upper bound)` : ''}; ` +
        `history = sum of sales_daily qty for the ${HISTORY_DAYS} days before; ` +
        `± = mean of (p90 − p10) / 2 over the first ${BAND_DAYS} forecast days; error = forecast_series.backtest_mae`,
      run.finishedAt ?? new Date(),
    ),
  };
}

async function seriesName(db: HqDb, level: SeriesLevel, key: string, storeId?: string): Promise<string> {
  if (level === 'sku') {
    const p = await db.selectFrom('products').select('name').where('sku', '=', key).executeTakeFirst();
    return p?.name ?? key;
  }
  if (level === 'category') {
    const { rows } = await sql<{ name: string }>`SELECT name FROM categories WHERE id = ${key}`.execute(db);
    return rows[0]?.name ?? key;
  }
  if (level === 'store' && storeId) {
    const s = await db.selectFrom('stores').select('name').where('id', '=', storeId).executeTakeFirst();
    return s?.name ?? storeId;
  }
  return level === 'chain' ? 'All stores' : 'Your stores';
}
