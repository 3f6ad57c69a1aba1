/**
 * Refreshes the forecasts stored at HQ: builds the panel from sales_daily, measures the engine on the last
 * four weeks it has (a holdout backtest: forecast from four weeks back, compare with what sold), forecasts
 * the horizon, and stores SKU rows with bottom-up category, store and chain totals (means add up exactly)
 * plus each series' backtest error. One run at a time (a unique index allows one 'running' row); the
 * newest `keepRuns` runs stay, older ones go in the same refresh.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { conflict, invalid, isTallyError } from '../../core/index.ts';
import type { ForecastLevel, HqDb } from '../../db/index.ts';
import type { EngineOptions } from './engine.ts';
import { DEFAULT_GLOBAL_WEIGHT, forecastTally, MIN_SERIES_FOR_GLOBAL } from './ensemble.ts';
import { aggregateForecasts } from './hierarchy.ts';
import { defaultAsOf, type HqPanel, type HqSeriesKey, loadHqPanel } from './hq-history.ts';
import { isoToUtcMs, type Panel, type Series, type SeriesForecast } from './panel.ts';
import { DEFAULT_MODELS } from './select.ts';

/** Names what produced a run; bump when the engine or this pipeline changes what it stores. */
export const HQ_MODEL_VERSION = `tally-local/1 (${DEFAULT_MODELS.join(',')}; peer fallback; bottom-up totals)`;
/** A run whose panel was large enough for the global model: local models blended with the GBDT pair. */
export const HQ_GLOBAL_MODEL_VERSION = `tally/2 (${DEFAULT_MODELS.join(',')} + global GBDT pair with store features, weight ${DEFAULT_GLOBAL_WEIGHT}; peer fallback; bottom-up totals)`;
export const BACKTEST_DAYS = 28;
/** A 'running' run older than this was abandoned (the process died); it is marked failed. */
const STALE_MS = 6 * 3_600_000;
const INSERT_CHUNK = 10_000;

export type RefreshStage = 'loading' | 'backtest' | 'forecast' | 'storing';

export interface RefreshOptions {
  horizonDays?: number;
  /** Last day of history; default: the latest day with sales, never today. */
  asOf?: string;
  logger: Logger;
  onProgress?: (stage: RefreshStage, done: number, total: number) => void;
  /** Runs kept after this one is stored (default 3). */
  keepRuns?: number;
  /** Measure the holdout backtest (default true); off, the series get no backtest error. */
  backtest?: boolean;
  /** Worker threads for the engine (default: the engine's, one per core). */
  threads?: number;
  /**
   * Blend in the global GBDT model trained across all series (default true; it needs at least
   * MIN_SERIES_FOR_GLOBAL series). Off: the per-series models alone, about half the time.
   */
  global?: boolean;
  storeIds?: readonly string[];
}

export interface RefreshResult {
  runId: string;
  series: number;
  asOf: string;
  ms: number;
}

/** Holdout errors per SKU series (units per day), NaN when the series had no actual days to compare. */
interface Backtest {
  mae: Float64Array;
  bias: Float64Array;
  /** Per series, the backtest forecast and the actuals on the holdout days (NaN = not listed yet). */
  forecast: Float64Array[];
  actual: Float64Array[];
}

export async function refreshHqForecasts(db: HqDb, o: RefreshOptions): Promise<RefreshResult> {
  const t0 = performance.now();
  const log = o.logger.child({ module: 'forecast-refresh' });
  const horizonDays = o.horizonDays ?? 90;
  // Bad options and an HQ without sales fail before a run is recorded: nothing was attempted.
  if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > 730)
    throw invalid('horizonDays', `expected a whole number of days from 1 to 730, got ${horizonDays}`);
  if (o.asOf !== undefined && Number.isNaN(isoToUtcMs(o.asOf)))
    throw invalid('asOf', `"${o.asOf}" is not a YYYY-MM-DD date`);
  const asOf = o.asOf ?? (await defaultAsOf(db));
  if (asOf === undefined)
    throw invalid('sales_daily', 'HQ has no sales yet; sync tills or run `tally import m5` first');
  const runId = await startRun(db, horizonDays);
  const global = o.global !== false;
  try {
    o.onProgress?.('loading', 0, 1);
    const hp = await loadHqPanel(db, {
      horizonDays,
      asOf,
      ...(o.storeIds ? { storeIds: o.storeIds } : {}),
    });
    const { panel, keys } = hp;
    o.onProgress?.('loading', 1, 1);
    log.info({ runId, series: panel.series.length, asOf: hp.asOf }, 'forecast refresh: panel loaded');
    const engine: EngineOptions & { global: boolean } = {
      global,
      ...(o.threads === undefined ? {} : { threads: o.threads }),
    };
    const bt =
      o.backtest === false || panel.series.length === 0
        ? undefined
        : await backtest(panel, hp.asOfIndex, {
            ...engine,
            onProgress: (d, t) => o.onProgress?.('backtest', d, t),
          });
    const result =
      panel.series.length === 0
        ? { forecasts: [] as SeriesForecast[] }
        : await forecastTally(panel, { ...engine, onProgress: (d, t) => o.onProgress?.('forecast', d, t) });
    const rows = buildRows(panel, keys, shutDays(hp, result.forecasts), bt, (idx, t) =>
      idx.every((i) => hp.closed((keys[i] as HqSeriesKey).storeId, t)),
    );
    await storeRows(db, runId, rows, (d, t) => o.onProgress?.('storing', d, t));
    let trainedFrom: string | null = null;
    for (const k of keys) {
      if (k.historyDays === 0) continue;
      const d = panel.calendar.dates[hp.asOfIndex - k.historyDays + 1] as string;
      if (trainedFrom === null || d < trainedFrom) trainedFrom = d;
    }
    await db
      .updateTable('forecast_runs')
      .set({
        status: 'done',
        model_version:
          global && panel.series.length >= MIN_SERIES_FOR_GLOBAL ? HQ_GLOBAL_MODEL_VERSION : HQ_MODEL_VERSION,
        finished_at: new Date(),
        series: panel.series.length,
        trained_from: trainedFrom,
        trained_to: hp.asOf,
        backtest: JSON.stringify(summarise(result.forecasts, bt, rows.chainBacktest)),
      })
      .where('id', '=', runId)
      .execute();
    const pruned = await pruneRuns(db, o.keepRuns ?? 3);
    const ms = Math.round(performance.now() - t0);
    log.info({ runId, series: panel.series.length, pruned, ms }, 'forecast refresh done');
    return { runId, series: panel.series.length, asOf: hp.asOf, ms };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db
      .updateTable('forecast_runs')
      .set({ status: 'failed', finished_at: new Date(), error: message })
      .where('id', '=', runId)
      .execute()
      .catch(() => undefined);
    // A refusal the caller can act on is a warning; anything else is an error worth a stack.
    if (isTallyError(err)) log.warn({ runId, err: message }, 'forecast refresh failed');
    else log.error({ runId, err }, 'forecast refresh failed');
    throw err;
  }
}

/**
 * On a day the calendar has the store shut, nothing sells: the forecast and its band are 0 there
 * (models see weekdays and seasons, not that the doors are locked). Totals follow, being sums.
 */
function shutDays(hp: HqPanel, forecasts: readonly SeriesForecast[]): SeriesForecast[] {
  return forecasts.map((f, i) => {
    const storeId = (hp.keys[i] as HqSeriesKey).storeId;
    const shut = [...f.horizon].flatMap((t, j) => (hp.closed(storeId, t) ? [j] : []));
    if (shut.length === 0) return f;
    const zeroed = (a: Float64Array) => {
      const out = Float64Array.from(a);
      for (const j of shut) out[j] = 0;
      return out;
    };
    return { ...f, mean: zeroed(f.mean), p10: zeroed(f.p10), p50: zeroed(f.p50), p90: zeroed(f.p90) };
  });
}

/** Claims the single 'running' slot; an abandoned run (older than STALE_MS) is marked failed first. */
async function startRun(db: HqDb, horizonDays: number): Promise<string> {
  await db
    .updateTable('forecast_runs')
    .set({
      status: 'failed',
      finished_at: new Date(),
      error: 'abandoned: the refresh stopped without finishing',
    })
    .where('status', '=', 'running')
    .where('started_at', '<', new Date(Date.now() - STALE_MS))
    .execute();
  const id = randomUUID();
  try {
    await db
      .insertInto('forecast_runs')
      .values({ id, model_version: HQ_MODEL_VERSION, horizon_days: horizonDays, status: 'running' })
      .execute();
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
    const running = await db
      .selectFrom('forecast_runs')
      .select(['id', 'started_at'])
      .where('status', '=', 'running')
      .executeTakeFirst();
    throw conflict(
      `a forecast refresh is already running (run ${running?.id}, started ${running?.started_at.toISOString()}); wait for it to finish`,
      'forecast_runs',
    );
  }
  return id;
}

/** Is a refresh running now (and not abandoned)? The nightly job skips its turn when one is. */
export async function refreshRunning(db: HqDb): Promise<boolean> {
  const r = await db
    .selectFrom('forecast_runs')
    .select('id')
    .where('status', '=', 'running')
    .where('started_at', '>=', new Date(Date.now() - STALE_MS))
    .executeTakeFirst();
  return r !== undefined;
}

async function pruneRuns(db: HqDb, keep: number): Promise<number> {
  const keepIds = db
    .selectFrom('forecast_runs')
    .select('id')
    .orderBy('started_at', 'desc')
    .limit(Math.max(1, keep));
  const r = await db
    .deleteFrom('forecast_runs')
    .where('status', '!=', 'running')
    .where('id', 'not in', keepIds)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Forecasts from BACKTEST_DAYS before the as-of day and compares with what sold on those days. */
async function backtest(
  panel: Panel,
  asOfIndex: number,
  engine: EngineOptions & { global: boolean },
): Promise<Backtest> {
  const cut = asOfIndex - BACKTEST_DAYS;
  const horizon = Int32Array.from({ length: BACKTEST_DAYS }, (_, j) => cut + 1 + j);
  // The engine reads history only between first and last, so the arrays are shared, not copied.
  const series: Series[] = panel.series.map((s) =>
    s.first >= 0 && s.first <= cut ? { ...s, last: cut, horizon } : { ...s, first: -1, last: -1, horizon },
  );
  const r = await forecastTally({ calendar: panel.calendar, series }, engine);
  const n = panel.series.length;
  const mae = new Float64Array(n).fill(Number.NaN);
  const bias = new Float64Array(n).fill(Number.NaN);
  const actual: Float64Array[] = [];
  const forecast: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const s = panel.series[i] as Series;
    const f = r.forecasts[i] as SeriesForecast;
    const a = Float64Array.from(horizon, (t) =>
      s.first >= 0 && t >= s.first ? (s.history[t] as number) : Number.NaN,
    );
    actual.push(a);
    forecast.push(f.mean);
    let abs = 0;
    let sum = 0;
    let days = 0;
    for (let j = 0; j < BACKTEST_DAYS; j++) {
      const y = a[j] as number;
      if (Number.isNaN(y)) continue;
      const e = (f.mean[j] as number) - y;
      abs += Math.abs(e);
      sum += e;
      days++;
    }
    if (days > 0) {
      mae[i] = abs / days;
      bias[i] = sum / days;
    }
  }
  return { mae, bias, forecast, actual };
}

interface SeriesRow {
  level: ForecastLevel;
  storeId: string;
  key: string;
  model: string;
  mae: number;
  bias: number;
  historyDays: number;
}

interface Rows {
  series: SeriesRow[];
  days: {
    level: ForecastLevel[];
    storeId: string[];
    key: string[];
    date: string[];
    mean: number[];
    p10: number[];
    p50: number[];
    p90: number[];
  };
  chainBacktest: { mae: number; bias: number } | undefined;
}

/** Where each SKU series counts in the hierarchy: (level, store, key) groups it belongs to. */
function groupsOf(k: HqSeriesKey): [ForecastLevel, string, string][] {
  const out: [ForecastLevel, string, string][] = [
    ['store', k.storeId, '*'],
    ['chain', '*', '*'],
  ];
  const path = k.categoryPath.includes(k.category) ? k.categoryPath : [...k.categoryPath, k.category];
  for (const c of path) out.push(['category', k.storeId, c], ['category', '*', c]);
  return out;
}

function buildRows(
  panel: Panel,
  keys: readonly HqSeriesKey[],
  forecasts: readonly SeriesForecast[],
  bt: Backtest | undefined,
  /** Whether every member's store is shut on day t: a total's widened band is 0 there too. */
  allShut: (idx: readonly number[], t: number) => boolean = () => false,
): Rows {
  const rows: Rows = {
    series: [],
    days: { level: [], storeId: [], key: [], date: [], mean: [], p10: [], p50: [], p90: [] },
    chainBacktest: undefined,
  };
  const { dates } = panel.calendar;
  const pushDays = (
    level: ForecastLevel,
    storeId: string,
    key: string,
    f: { horizon: Int32Array; mean: Float64Array; p10: Float64Array; p50: Float64Array; p90: Float64Array },
  ): void => {
    const d = rows.days;
    for (let j = 0; j < f.horizon.length; j++) {
      d.level.push(level);
      d.storeId.push(storeId);
      d.key.push(key);
      d.date.push(dates[f.horizon[j] as number] as string);
      d.mean.push(f.mean[j] as number);
      d.p10.push(f.p10[j] as number);
      d.p50.push(f.p50[j] as number);
      d.p90.push(f.p90[j] as number);
    }
  };
  forecasts.forEach((f, i) => {
    const k = keys[i] as HqSeriesKey;
    rows.series.push({
      level: 'sku',
      storeId: k.storeId,
      key: k.sku,
      model: f.model,
      mae: bt?.mae[i] ?? Number.NaN,
      bias: bt?.bias[i] ?? Number.NaN,
      historyDays: k.historyDays,
    });
    pushDays('sku', k.storeId, k.sku, f);
  });

  // Each group's members, then bottom-up totals (hierarchy.ts) and the totals' own holdout error.
  const members = new Map<string, { level: ForecastLevel; storeId: string; key: string; idx: number[] }>();
  keys.forEach((k, i) => {
    for (const [level, storeId, key] of groupsOf(k)) {
      const id = `${level}\u0000${storeId}\u0000${key}`;
      let g = members.get(id);
      if (!g) {
        g = { level, storeId, key, idx: [] };
        members.set(id, g);
      }
      g.idx.push(i);
    }
  });
  for (const g of members.values()) {
    const sub = g.idx.map((i) => panel.series[i] as Series);
    const [total] = aggregateForecasts(
      sub,
      g.idx.map((i) => forecasts[i] as SeriesForecast),
      () => 'all',
    );
    if (!total) continue;
    const err = bt ? groupError(bt, g.idx) : { mae: Number.NaN, bias: Number.NaN };
    let historyDays = 0;
    for (const i of g.idx) historyDays = Math.max(historyDays, (keys[i] as HqSeriesKey).historyDays);
    rows.series.push({ ...g, model: 'bottom-up', mae: err.mae, bias: err.bias, historyDays });
    const wide = widen(total, err.mae);
    for (let j = 0; j < wide.horizon.length; j++)
      if (allShut(g.idx, wide.horizon[j] as number))
        for (const a of [wide.mean, wide.p10, wide.p50, wide.p90]) a[j] = 0;
    pushDays(g.level, g.storeId, g.key, wide);
    if (g.level === 'chain') rows.chainBacktest = err;
  }
  return rows;
}

const Z90 = 1.2815515655446004;

/**
 * Summed bands treat members' errors as independent, which they are not (a slow week is slow for every
 * item), so a total's band can be far narrower than its measured error. The band is widened to at least
 * what the holdout error implies (σ ≈ 1.25 · MAE for normal errors), never narrowed.
 */
function widen<T extends { mean: Float64Array; p10: Float64Array; p90: Float64Array }>(t: T, mae: number): T {
  if (!(mae > 0)) return t;
  const half = Z90 * 1.2533 * mae;
  return {
    ...t,
    p10: t.p10.map((v, j) => Math.max(0, Math.min(v, (t.mean[j] as number) - half))),
    p90: t.p90.map((v, j) => Math.max(v, (t.mean[j] as number) + half)),
  };
}

/** MAE and bias of a group's daily total over the holdout (days no member was listed yet are skipped). */
function groupError(bt: Backtest, idx: readonly number[]): { mae: number; bias: number } {
  let abs = 0;
  let sum = 0;
  let days = 0;
  for (let j = 0; j < BACKTEST_DAYS; j++) {
    let f = 0;
    let y = 0;
    let listed = false;
    for (const i of idx) {
      const a = (bt.actual[i] as Float64Array)[j] as number;
      if (Number.isNaN(a)) continue;
      listed = true;
      y += a;
      f += (bt.forecast[i] as Float64Array)[j] as number;
    }
    if (!listed) continue;
    abs += Math.abs(f - y);
    sum += f - y;
    days++;
  }
  return days > 0 ? { mae: abs / days, bias: sum / days } : { mae: Number.NaN, bias: Number.NaN };
}

function summarise(
  forecasts: readonly SeriesForecast[],
  bt: Backtest | undefined,
  chain: { mae: number; bias: number } | undefined,
): Record<string, unknown> {
  const models: Record<string, number> = {};
  let rmsse = 0;
  let scored = 0;
  for (const f of forecasts) {
    const m = f.model.startsWith('fallback') ? 'fallback' : f.model;
    models[m] = (models[m] ?? 0) + 1;
    if (Number.isFinite(f.backtestError)) {
      rmsse += f.backtestError;
      scored++;
    }
  }
  const out: Record<string, unknown> = { models, rmsse: scored > 0 ? rmsse / scored : null };
  if (!bt) return out;
  let abs = 0;
  let bias = 0;
  let actual = 0;
  let n = 0;
  for (let i = 0; i < bt.mae.length; i++) {
    const m = bt.mae[i] as number;
    if (Number.isNaN(m)) continue;
    abs += m;
    bias += bt.bias[i] as number;
    const a = bt.actual[i] as Float64Array;
    for (const v of a) if (!Number.isNaN(v)) actual += v;
    n++;
  }
  const days = BACKTEST_DAYS;
  return {
    ...out,
    days,
    // Mean over SKU series of their mean absolute daily error (units), and the total error as a share.
    mae: n > 0 ? abs / n : null,
    bias: n > 0 ? bias / n : null,
    wape: actual > 0 ? (abs * days) / actual : null,
    chainMae: chain && Number.isFinite(chain.mae) ? chain.mae : null,
  };
}

async function storeRows(
  db: HqDb,
  runId: string,
  rows: Rows,
  onProgress: (done: number, total: number) => void,
): Promise<void> {
  const s = rows.series;
  const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);
  for (let i = 0; i < s.length; i += INSERT_CHUNK) {
    const c = s.slice(i, i + INSERT_CHUNK);
    await sql`
      INSERT INTO forecast_series (run_id, level, store_id, key, model, backtest_mae, backtest_bias, history_days)
      SELECT ${runId}::uuid, * FROM unnest(
        ${c.map((r) => r.level)}::text[], ${c.map((r) => r.storeId)}::text[], ${c.map((r) => r.key)}::text[],
        ${c.map((r) => r.model)}::text[], ${c.map((r) => fin(r.mae))}::float8[],
        ${c.map((r) => fin(r.bias))}::float8[], ${c.map((r) => r.historyDays)}::int[])
    `.execute(db);
  }
  const d = rows.days;
  const total = d.level.length;
  for (let i = 0; i < total; i += INSERT_CHUNK) {
    const e = Math.min(total, i + INSERT_CHUNK);
    await sql`
      INSERT INTO forecast_days (run_id, level, store_id, key, date, mean, p10, p50, p90)
      SELECT ${runId}::uuid, * FROM unnest(
        ${d.level.slice(i, e)}::text[], ${d.storeId.slice(i, e)}::text[], ${d.key.slice(i, e)}::text[],
        ${d.date.slice(i, e)}::date[], ${d.mean.slice(i, e)}::float8[], ${d.p10.slice(i, e)}::float8[],
        ${d.p50.slice(i, e)}::float8[], ${d.p90.slice(i, e)}::float8[])
    `.execute(db);
    onProgress(e, total);
  }
}
