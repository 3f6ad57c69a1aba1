/**
 * Reads of the forecasts stored at HQ (migration 0007): the latest finished run, one series' days with how
 * far to trust it, and demand totals over the next days for many store × SKU pairs at once.
 */
import { sql } from 'kysely';
import { invalid } from '../../core/index.ts';
import type { ForecastLevel, HqDb } from '../../db/index.ts';
import { isoToUtcMs, utcMsToIso } from './panel.ts';

export interface ForecastRun {
  id: string;
  modelVersion: string;
  trainedFrom: string | null;
  trainedTo: string | null;
  horizonDays: number;
  series: number;
  status: 'running' | 'done' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  /** Holdout summary, e.g. {days: 28, mae, bias, wape, chainMae, rmsse, models}. */
  backtest: Record<string, unknown>;
}

export interface ForecastDay {
  date: string;
  mean: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface SeriesForecastInfo {
  run: ForecastRun;
  level: ForecastLevel;
  storeId: string;
  key: string;
  model: string;
  /** Mean absolute daily error on the last four weeks of history (units a day); null when not measured. */
  backtestMae: number | null;
  /** Mean daily (forecast − actual) on the same days: positive = over-forecast. */
  backtestBias: number | null;
  historyDays: number;
  days: ForecastDay[];
}

type RunRow = {
  id: string;
  model_version: string;
  trained_from: string | null;
  trained_to: string | null;
  horizon_days: number;
  series: number;
  status: 'running' | 'done' | 'failed';
  started_at: Date;
  finished_at: Date | null;
  backtest: Record<string, unknown>;
};

const toRun = (r: RunRow): ForecastRun => ({
  id: r.id,
  modelVersion: r.model_version,
  trainedFrom: r.trained_from,
  trainedTo: r.trained_to,
  horizonDays: r.horizon_days,
  series: r.series,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  backtest: r.backtest,
});

const RUN_COLUMNS = [
  'id',
  'model_version',
  'trained_from',
  'trained_to',
  'horizon_days',
  'series',
  'status',
  'started_at',
  'finished_at',
  'backtest',
] as const;

/** The newest finished run, or undefined when no refresh has finished yet. */
export async function latestRun(db: HqDb): Promise<ForecastRun | undefined> {
  const r = await db
    .selectFrom('forecast_runs')
    .select(RUN_COLUMNS)
    .where('status', '=', 'done')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toRun(r) : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function runById(db: HqDb, id: string): Promise<ForecastRun | undefined> {
  if (!UUID.test(id)) throw invalid('runId', `"${id}" is not a run id (a UUID)`);
  const r = await db.selectFrom('forecast_runs').select(RUN_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r ? toRun(r) : undefined;
}

/** Every run still kept, newest first (finished, failed and the one running, if any). */
export async function listRuns(db: HqDb): Promise<ForecastRun[]> {
  const rows = await db
    .selectFrom('forecast_runs')
    .select(RUN_COLUMNS)
    .orderBy('started_at', 'desc')
    .execute();
  return rows.map(toRun);
}

/**
 * One series of the latest run (or of `runId`): level 'sku' (storeId, key = SKU), 'category' (storeId or
 * '*' for the chain, key = category id), 'store' (key '*') or 'chain' ('*', '*'). Undefined when there is
 * no finished run or the run has no such series.
 */
export async function forecastFor(
  db: HqDb,
  q: { level: ForecastLevel; storeId: string; key: string; runId?: string },
): Promise<SeriesForecastInfo | undefined> {
  if (q.level === 'chain' && (q.storeId !== '*' || q.key !== '*'))
    throw invalid('storeId', "the chain series is storeId '*' and key '*'");
  const runInfo = q.runId ? await runById(db, q.runId) : await latestRun(db);
  if (!runInfo) return undefined;
  const s = await db
    .selectFrom('forecast_series')
    .selectAll()
    .where('run_id', '=', runInfo.id)
    .where('level', '=', q.level)
    .where('store_id', '=', q.storeId)
    .where('key', '=', q.key)
    .executeTakeFirst();
  if (!s) return undefined;
  const days = await db
    .selectFrom('forecast_days')
    .select(['date', 'mean', 'p10', 'p50', 'p90'])
    .where('run_id', '=', runInfo.id)
    .where('level', '=', q.level)
    .where('store_id', '=', q.storeId)
    .where('key', '=', q.key)
    .orderBy('date')
    .execute();
  return {
    run: runInfo,
    level: s.level,
    storeId: s.store_id,
    key: s.key,
    model: s.model,
    backtestMae: s.backtest_mae,
    backtestBias: s.backtest_bias,
    historyDays: s.history_days,
    days,
  };
}

export interface DemandTotal {
  storeId: string;
  sku: string;
  /** Sums over the window's days; p10/p90 are the sums of the daily quantiles (a wide, safe band). */
  mean: number;
  p10: number;
  p90: number;
}

export interface ForecastTotals {
  run: ForecastRun;
  /** The window summed: the first `days` forecast days of the run. */
  from: string;
  to: string;
  rows: DemandTotal[];
  byStore: { storeId: string; mean: number }[];
}

/**
 * Expected demand over the next `days` forecast days (default 7) per store × SKU, for the stores given
 * (and only `skus` when given), from the latest run. Undefined when no run has finished.
 */
export async function forecastTotals(
  db: HqDb,
  q: { storeIds: readonly string[]; skus?: readonly string[]; days?: number; runId?: string },
): Promise<ForecastTotals | undefined> {
  const days = q.days ?? 7;
  if (!Number.isInteger(days) || days < 1) throw invalid('days', 'must be a whole number ≥ 1');
  const run = q.runId ? await runById(db, q.runId) : await latestRun(db);
  if (!run) return undefined;
  const window = await db
    .selectFrom('forecast_days')
    .select([sql<string>`min(date)`.as('from')])
    .where('run_id', '=', run.id)
    .where('level', '=', 'chain')
    .executeTakeFirst();
  if (!window?.from || q.storeIds.length === 0 || q.skus?.length === 0)
    return { run, from: window?.from ?? '', to: window?.from ?? '', rows: [], byStore: [] };
  const to = utcMsToIso(isoToUtcMs(window.from) + (days - 1) * 86_400_000);
  let query = db
    .selectFrom('forecast_days')
    .select([
      'store_id',
      'key',
      sql<number>`sum(mean)`.as('mean'),
      sql<number>`sum(p10)`.as('p10'),
      sql<number>`sum(p90)`.as('p90'),
    ])
    .where('run_id', '=', run.id)
    .where('level', '=', 'sku')
    .where('store_id', 'in', q.storeIds)
    .where('date', '>=', window.from)
    .where('date', '<=', to)
    .groupBy(['store_id', 'key'])
    .orderBy('store_id')
    .orderBy('key');
  if (q.skus) query = query.where('key', 'in', q.skus);
  const rows = (await query.execute()).map((r) => ({
    storeId: r.store_id,
    sku: r.key,
    mean: Number(r.mean),
    p10: Number(r.p10),
    p90: Number(r.p90),
  }));
  const byStore = new Map<string, number>();
  for (const r of rows) byStore.set(r.storeId, (byStore.get(r.storeId) ?? 0) + r.mean);
  return {
    run,
    from: window.from,
    to: to,
    rows,
    byStore: [...byStore].map(([storeId, mean]) => ({ storeId, mean })),
  };
}

/** The backtest error in words a manager understands. */
export function trustInWords(mae: number | null): string {
  if (mae === null || !Number.isFinite(mae)) return 'not measured yet: too little history to check';
  const r = mae < 1 ? Math.round(mae * 10) / 10 : Math.round(mae);
  return `usually within ±${r} unit${r === 1 ? '' : 's'} a day`;
}
