import { sql } from 'kysely';
import type { HqDb } from '../db/index.ts';
import type { Deviation } from './briefing.ts';
import { categoryKeySql, num, type StoreSet, storeIn } from './common.ts';

/**
 * Yesterday's sales per store × category against the newest finished forecast that was made before
 * yesterday (so it is a real forecast, not a fit), with the band it gave.
 */
export async function loadDeviations(db: HqDb, stores: StoreSet, yesterday: string): Promise<Deviation[]> {
  const run = await db
    .selectFrom('forecast_runs')
    .select('id')
    .where('status', '=', 'done')
    .where('trained_to', '<', yesterday)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!run) return [];
  const { rows } = await sql<{
    store_id: string;
    key: string;
    name: string | null;
    mean: number;
    p10: number;
    p90: number;
    actual: number | null;
  }>`
    SELECT f.store_id, f.key, c.name, f.mean, f.p10, f.p90, a.qty AS actual
    FROM forecast_days f
    LEFT JOIN categories c ON c.id = f.key
    LEFT JOIN (
      SELECT d.store_id, ${categoryKeySql('p')} AS key, sum(d.qty) AS qty
      FROM sales_daily d LEFT JOIN products p ON p.sku = d.sku
      WHERE d.business_date = ${yesterday} AND ${storeIn('d.store_id', stores)}
      GROUP BY 1, 2
    ) a ON a.store_id = f.store_id AND a.key = f.key
    WHERE f.run_id = ${run.id} AND f.level = 'category' AND f.date = ${yesterday} AND f.store_id <> '*'
      AND ${storeIn('f.store_id', stores)}`.execute(db);
  return rows.map((r) => ({
    storeId: r.store_id,
    key: r.key,
    name: r.name ?? r.key,
    actual: num(r.actual),
    forecast: num(r.mean),
    p10: num(r.p10),
    p90: num(r.p90),
  }));
}
