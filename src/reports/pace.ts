import { sql } from 'kysely';
import type { PaceFigures, PaceResponse, PaceTotals } from '../contracts/index.ts';
import type { HqDb } from '../db/index.ts';
import { localMoment } from '../pricing/index.ts';
import { addDays, describeStores, num, type StoreSet, source, storeIn } from './common.ts';
import { reportsDb } from './reports-tables.ts';

/** The same weekday a week and 52 weeks before: weekday patterns matter more than the calendar date. */
export const compareDates = (date: string): { lastWeek: string; lastYear: string } => ({
  lastWeek: addDays(date, -7),
  lastYear: addDays(date, -364),
});

export interface HourRow {
  business_date: string;
  store_id: string;
  hour: number;
  transactions: number;
  units: number;
  net_minor: number;
  cost_minor: number;
  costed_net_minor: number;
}

/**
 * How far into its day a store is when the pace is asked: minutes since local midnight when the day
 * asked is the store's today, null when the day is over (or not begun), so whole days compare.
 */
export function minutesIntoDay(date: string, now: Date, timeZone: string): number | null {
  const local = localMoment(now.toISOString(), timeZone);
  if (local.date !== date) return null;
  const [h, m] = local.time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** "06:00" from minutes since midnight. */
export const clockText = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Share of an hour's sales that fell before a cut-off: whole hours before it count fully, the hour the
 * cut-off falls in counts for the minutes elapsed (sales spread evenly within an hour; sales_hourly
 * knows no finer time), later hours not at all.
 */
export function shareBefore(hour: number, cutoff: number | null): number {
  if (cutoff === null) return 1;
  return Math.min(1, Math.max(0, (cutoff - hour * 60) / 60));
}

const zero = (): PaceFigures => ({ revenueMinor: 0, units: 0, transactions: 0 });
type Day = 'today' | 'lastWeek' | 'lastYear';
interface Acc extends PaceFigures {
  margin: number;
}
const acc = (): Acc => ({ ...zero(), margin: 0 });

function totalsOf(a: Acc): PaceTotals {
  const transactions = Math.round(a.transactions);
  const revenueMinor = Math.round(a.revenueMinor);
  return {
    revenueMinor,
    units: Math.round(a.units * 10) / 10,
    transactions,
    avgBasketMinor: transactions > 0 ? Math.round(revenueMinor / transactions) : 0,
    marginMinor: Math.round(a.margin),
  };
}

/**
 * Pure: hour rows of the three days into the pace answer. The hours carry each day whole (the chart
 * shows last week's full day as the shape to expect). The totals compare like with like: when the day
 * asked is still going, last week's and last year's totals count only their sales up to the same local
 * time in each store (`cutoffs`, minutes since local midnight; null = whole day); `wholeDay` keeps their
 * full days. Revenue is net of tax; the average basket is revenue per transaction; margin is net minus
 * supplier cost over the lines whose cost is known.
 */
export function shapePace(
  date: string,
  rows: readonly HourRow[],
  cutoffOf: (storeId: string) => number | null = () => null,
  through: number | null = null,
): Pick<PaceResponse, 'date' | 'compare' | 'hours' | 'totals' | 'wholeDay'> {
  const compare = compareDates(date);
  const dayOf = new Map<string, Day>([
    [date, 'today'],
    [compare.lastWeek, 'lastWeek'],
    [compare.lastYear, 'lastYear'],
  ]);
  const hours = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    today: zero(),
    lastWeek: zero(),
    lastYear: zero(),
  }));
  const sameTime = { today: acc(), lastWeek: acc(), lastYear: acc() };
  const whole = { today: acc(), lastWeek: acc(), lastYear: acc() };
  for (const r of rows) {
    const day = dayOf.get(r.business_date);
    const h = hours[r.hour];
    if (!day || !h) continue;
    const f = {
      revenueMinor: num(r.net_minor),
      units: num(r.units),
      transactions: num(r.transactions),
      margin: num(r.costed_net_minor) - num(r.cost_minor),
    };
    h[day].revenueMinor += f.revenueMinor;
    h[day].units += f.units;
    h[day].transactions += f.transactions;
    // Today counts whole: whatever HQ holds of it happened before now.
    const share = day === 'today' ? 1 : shareBefore(r.hour, cutoffOf(r.store_id));
    for (const [into, w] of [
      [whole[day], 1],
      [sameTime[day], share],
    ] as const) {
      into.revenueMinor += f.revenueMinor * w;
      into.units += f.units * w;
      into.transactions += f.transactions * w;
      into.margin += f.margin * w;
    }
  }
  return {
    date,
    compare: { ...compare, through: through === null ? null : clockText(through) },
    hours,
    totals: {
      today: totalsOf(sameTime.today),
      lastWeek: totalsOf(sameTime.lastWeek),
      lastYear: totalsOf(sameTime.lastYear),
    },
    wholeDay: { lastWeek: totalsOf(whole.lastWeek), lastYear: totalsOf(whole.lastYear) },
  };
}

export interface PaceAsk {
  date: string;
  stores: StoreSet;
  storeId: string | null;
  currency: string;
  /** Every store the answer may cover, with its zone: each is cut at its own local time. */
  zones: readonly { id: string; timeZone: string }[];
  now: Date;
}

export async function loadPace(db: HqDb, q: PaceAsk): Promise<PaceResponse> {
  const { lastWeek, lastYear } = compareDates(q.date);
  const { rows } = await sql<HourRow>`
    SELECT business_date, store_id, hour, sum(transactions) AS transactions, sum(units) AS units,
      sum(net_minor) AS net_minor, sum(cost_minor) AS cost_minor, sum(costed_net_minor) AS costed_net_minor
    FROM sales_hourly
    WHERE business_date IN (${q.date}, ${lastWeek}, ${lastYear}) AND ${storeIn('store_id', q.stores)}
    GROUP BY business_date, store_id, hour`.execute(reportsDb(db));
  const cutoffs = new Map(q.zones.map((z) => [z.id, minutesIntoDay(q.date, q.now, z.timeZone)]));
  const focus = q.zones.find((z) => z.id === q.storeId) ?? q.zones[0];
  const through = focus ? minutesIntoDay(q.date, q.now, focus.timeZone) : null;
  const shaped = shapePace(q.date, rows, (id) => cutoffs.get(id) ?? null, through);
  const cut =
    through === null
      ? 'whole days'
      : `totals of ${lastWeek} and ${lastYear} up to the same local time (${clockText(through)}${
          new Set(q.zones.map((z) => z.timeZone)).size > 1 ? ', each store in its own zone' : ''
        }; the hour in progress pro rata)`;
  return {
    ...shaped,
    storeId: q.storeId,
    currency: q.currency,
    source: source(
      ['sales_hourly'],
      `sum of sales_hourly (net of tax; margin = net − supplier cost where known) by hour for ${describeStores(q.stores)} on ${q.date}, ${lastWeek} and ${lastYear}; ${cut}`,
    ),
  };
}
