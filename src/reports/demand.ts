import { sql } from 'kysely';
import type { HqDb } from '../db/index.ts';
import { addDays, num, type StoreSet, storeIn } from './common.ts';

export interface LatestRun {
  id: string;
  modelVersion: string;
  trainedTo: string | null;
  finishedAt: Date | null;
}

/** The newest finished forecast run, if any (runs still going or failed are not shown). */
export async function latestDoneRun(db: HqDb): Promise<LatestRun | undefined> {
  const r = await db
    .selectFrom('forecast_runs')
    .select(['id', 'model_version', 'trained_to', 'finished_at'])
    .where('status', '=', 'done')
    .orderBy('finished_at', 'desc')
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r
    ? { id: r.id, modelVersion: r.model_version, trainedTo: r.trained_to, finishedAt: r.finished_at }
    : undefined;
}

export interface WeekDemand {
  /** store|sku → expected units over the next 7 days. */
  bySeries: Map<string, number>;
  /** Where it came from: the forecast run, or the last 28 days' rate when no run exists. */
  basis: { kind: 'forecast'; runId: string; from: string } | { kind: 'run_rate'; from: string };
}

export const seriesKey = (storeId: string, sku: string): string => `${storeId}|${sku}`;

/**
 * Expected demand this week per store × SKU: the latest forecast's 7 days from today (or from its first
 * day, if it was trained after today); without any forecast run, the last 28 days' daily rate × 7, so the
 * panel still says something true on a fresh HQ.
 */
export async function weekDemand(
  db: HqDb,
  stores: StoreSet,
  today: string,
  /** Units of the 28 days before today, when the caller has them already (saves a scan). */
  last28?: ReadonlyMap<string, { units28d: number }>,
): Promise<WeekDemand> {
  const run = await latestDoneRun(db);
  const bySeries = new Map<string, number>();
  if (run) {
    const first = run.trainedTo && run.trainedTo >= today ? addDays(run.trainedTo, 1) : today;
    const { rows } = await sql<{ store_id: string; key: string; qty: number }>`
      SELECT store_id, key, sum(mean) AS qty FROM forecast_days
      WHERE run_id = ${run.id} AND level = 'sku' AND store_id <> '*' AND date >= ${first} AND date < ${addDays(first, 7)}
        AND ${storeIn('store_id', stores)}
      GROUP BY store_id, key`.execute(db);
    for (const r of rows) bySeries.set(seriesKey(r.store_id, r.key), num(r.qty));
    return { bySeries, basis: { kind: 'forecast', runId: run.id, from: first } };
  }
  const from = addDays(today, -28);
  if (last28) {
    for (const [key, v] of last28) bySeries.set(key, Math.max(0, (v.units28d / 28) * 7));
    return { bySeries, basis: { kind: 'run_rate', from } };
  }
  const { rows } = await sql<{ store_id: string; sku: string; qty: number }>`
    SELECT store_id, sku, sum(qty) AS qty FROM sales_daily
    WHERE business_date >= ${from} AND business_date < ${today} AND ${storeIn('store_id', stores)}
    GROUP BY store_id, sku`.execute(db);
  for (const r of rows) bySeries.set(seriesKey(r.store_id, r.sku), Math.max(0, (num(r.qty) / 28) * 7));
  return { bySeries, basis: { kind: 'run_rate', from } };
}
