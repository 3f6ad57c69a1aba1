/**
 * `tally replenish` without the database: forecast file + inputs file → plan, lists and draft orders.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isoToUtcMs } from '../forecast/index.ts';
import { buildDrafts, type DraftOrder } from './drafts.ts';
import { type PolicyParams, replenish } from './engine.ts';
import { readForecastFile, readInputsFile, writeCsv } from './files.ts';
import { toBatch } from './inputs.ts';
import { buildLists, defaultListOptions, type ListOptions, type Lists } from './lists.ts';

export interface RunFilesOptions {
  forecast: string;
  inputs: string;
  /** Plan CSV (one row per input); optional. */
  out?: string;
  /** Folder for stockout-risk.csv, slow-movers.csv, dead-stock.csv; optional. */
  lists?: string;
  policy: PolicyParams;
  listOptions?: ListOptions;
  model?: string;
}

export interface RunFilesResult {
  rows: number;
  withoutForecast: number;
  drafts: DraftOrder[];
  lists: Lists;
}

const DAY = 86_400_000;

export async function runReplenishFiles(o: RunFilesOptions): Promise<RunFilesResult> {
  const forecasts = await readForecastFile(o.forecast, o.model);
  const inputs = await readInputsFile(o.inputs);
  let h = 0;
  let firstDate = '';
  for (const f of forecasts.values()) {
    h = Math.max(h, f.dates.length);
    if (!firstDate || (f.dates[0] as string) < firstDate) firstDate = f.dates[0] as string;
  }
  const { batch, rows } = toBatch(inputs, forecasts, Math.max(1, h));
  const result = replenish(batch, o.policy);
  // "Today" is the day before the first forecast day.
  const today = firstDate ? isoToUtcMs(firstDate) / DAY - 1 : Math.floor(Date.now() / DAY);
  const since = Int32Array.from(rows, (r) =>
    r.lastSaleDate ? Math.max(0, Math.round(today - isoToUtcMs(r.lastSaleDate) / DAY)) : -1,
  );
  const lists = buildLists(batch, result, since, o.policy.stockoutDays, o.listOptions ?? defaultListOptions);
  const drafts = buildDrafts(rows, batch, result, o.policy);

  if (o.out) {
    await writeCsv(
      o.out,
      [
        'series_id',
        'store',
        'sku',
        'supplier',
        'on_hand',
        'on_order',
        'lead_time_demand',
        'reorder_point',
        'safety_stock',
        'eoq',
        'lot',
        'order_qty',
        'days_of_cover',
        'stockout_prob_7d',
        'forecast',
      ],
      rows.map((r, i) => [
        r.seriesId,
        r.storeId,
        r.sku,
        r.supplierId,
        r.onHand,
        r.onOrder,
        result.ltdMean[i] as number,
        result.reorderPoint[i] as number,
        result.safetyStock[i] as number,
        result.eoq[i] as number,
        result.lot[i] as number,
        result.orderQty[i] as number,
        result.daysOfCover[i] as number,
        result.stockoutProb[i] as number,
        r.forecast ? r.forecast.model : 'none',
      ]),
    );
  }
  if (o.lists) {
    await mkdir(o.lists, { recursive: true });
    const id = (i: number) => {
      const r = rows[i];
      return [r?.storeId ?? '', r?.sku ?? '', r?.supplierId ?? ''];
    };
    await writeCsv(
      join(o.lists, 'stockout-risk.csv'),
      ['store', 'sku', 'supplier', 'probability', 'days_of_cover', 'short_value_minor'],
      lists.stockouts.map((s) => [...id(s.row), s.probability, s.daysOfCover, s.shortValueMinor]),
    );
    for (const [file, list] of [
      ['slow-movers.csv', lists.slow],
      ['dead-stock.csv', lists.dead],
    ] as const) {
      await writeCsv(
        join(o.lists, file),
        ['store', 'sku', 'supplier', 'on_hand', 'weeks_of_cover', 'days_since_sale', 'value_minor'],
        list.map((s) => [
          ...id(s.row),
          s.onHand,
          s.weeksOfCover,
          s.daysSinceSale < 0 ? '' : s.daysSinceSale,
          s.valueMinor,
        ]),
      );
    }
  }
  return { rows: rows.length, withoutForecast: rows.filter((r) => !r.forecast).length, drafts, lists };
}
