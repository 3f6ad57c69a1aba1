import { sql } from 'kysely';
import type { PaceFigures, PaceResponse, PaceTotals } from '../contracts/index.ts';
import type { HqDb } from '../db/index.ts';
import { addDays, describeStores, num, type StoreSet, source, storeIn } from './common.ts';
import { reportsDb } from './reports-tables.ts';

/** The same weekday a week and 52 weeks before: weekday patterns matter more than the calendar date. */
export const compareDates = (date: string): { lastWeek: string; lastYear: string } => ({
  lastWeek: addDays(date, -7),
  lastYear: addDays(date, -364),
});

export interface HourRow {
  business_date: string;
  hour: number;
  transactions: number;
  units: number;
  net_minor: number;
  cost_minor: number;
  costed_net_minor: number;
}

const zero = (): PaceFigures => ({ revenueMinor: 0, units: 0, transactions: 0 });

/**
 * Pure: hour rows of the three days into the pace answer. Revenue is net of tax; the average basket
 * is revenue per transaction; margin is net minus supplier cost over the lines whose cost is known.
 */
export function shapePace(
  date: string,
  rows: readonly HourRow[],
): Pick<PaceResponse, 'date' | 'compare' | 'hours' | 'totals'> {
  const compare = compareDates(date);
  const dayOf = new Map([
    [date, 'today'],
    [compare.lastWeek, 'lastWeek'],
    [compare.lastYear, 'lastYear'],
  ] as const);
  const hours = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    today: zero(),
    lastWeek: zero(),
    lastYear: zero(),
  }));
  const margin = { today: 0, lastWeek: 0, lastYear: 0 };
  for (const r of rows) {
    const day = dayOf.get(r.business_date);
    const h = hours[r.hour];
    if (!day || !h) continue;
    const f = h[day];
    f.revenueMinor += num(r.net_minor);
    f.units += num(r.units);
    f.transactions += num(r.transactions);
    margin[day] += num(r.costed_net_minor) - num(r.cost_minor);
  }
  const total = (day: 'today' | 'lastWeek' | 'lastYear'): PaceTotals => {
    const t = zero();
    for (const h of hours) {
      t.revenueMinor += h[day].revenueMinor;
      t.units += h[day].units;
      t.transactions += h[day].transactions;
    }
    return {
      ...t,
      avgBasketMinor: t.transactions > 0 ? Math.round(t.revenueMinor / t.transactions) : 0,
      marginMinor: margin[day],
    };
  };
  return {
    date,
    compare,
    hours,
    totals: { today: total('today'), lastWeek: total('lastWeek'), lastYear: total('lastYear') },
  };
}

export async function loadPace(
  db: HqDb,
  q: { date: string; stores: StoreSet; storeId: string | null; currency: string },
): Promise<PaceResponse> {
  const { lastWeek, lastYear } = compareDates(q.date);
  const { rows } = await sql<HourRow>`
    SELECT business_date, hour, sum(transactions) AS transactions, sum(units) AS units,
      sum(net_minor) AS net_minor, sum(cost_minor) AS cost_minor, sum(costed_net_minor) AS costed_net_minor
    FROM sales_hourly
    WHERE business_date IN (${q.date}, ${lastWeek}, ${lastYear}) AND ${storeIn('store_id', q.stores)}
    GROUP BY business_date, hour`.execute(reportsDb(db));
  return {
    ...shapePace(q.date, rows),
    storeId: q.storeId,
    currency: q.currency,
    source: source(
      ['sales_hourly'],
      `sum of sales_hourly (net of tax; margin = net − supplier cost where known) by hour for ${describeStores(q.stores)} on ${q.date}, ${lastWeek} and ${lastYear}`,
    ),
  };
}
