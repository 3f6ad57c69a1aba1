/**
 * Replenishment policy replayed on the M5 subset's real daily demand (../shared/data/m5-subset): for each
 * series, day by day over the last 26 weeks, forecast from the demand seen so far (SES on weekday-adjusted
 * demand, refitted weekly), order when the inventory position is at or below the reorder point, receive
 * after the lead time, lose what cannot be served. Prints achieved fill rate against the target and the
 * stock it took. `npx tsx bench/replenish-sim.ts [--quick] [--until YYYY-MM-DD]`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SingleBar } from 'cli-progress';
import { readBenchConfig } from '../src/apps/config.ts';
import { loadM5, priceOn } from '../src/intel/forecast/eval/m5-data.ts';
import { isoToUtcMs } from '../src/intel/forecast/panel.ts';
import { defaultPolicy, type PolicyParams } from '../src/intel/replenish/engine.ts';
import { sesWeekdayForecaster } from '../src/intel/replenish/sim-forecasters.ts';
import { type SimOptions, type SimSeries, simulate } from '../src/intel/replenish/simulate.ts';
import { printTable } from './stats.ts';

const DATA = fileURLToPath(new URL('../../shared/data/m5-subset', import.meta.url));
const TEST_DAYS = 182;
const MIN_HISTORY = 56;

interface Scenario {
  name: string;
  lead: number;
  review: number;
  pack: number;
  orderCost: number;
  policy: PolicyParams;
}

export async function benchReplenishSim(
  opts: { quick?: boolean; until?: string } = {},
): Promise<Record<string, string>[]> {
  const dir = readBenchConfig().m5Dir ?? DATA;
  if (!existsSync(join(dir, 'calendar.csv'))) {
    console.log(`replenish-sim: M5 subset not found at ${dir}; skipped`);
    return [];
  }
  const data = await loadM5(dir);
  // --until ends the simulation earlier (another 26-week window), with the demand after it unseen.
  const untilDay = opts.until ? isoToUtcMs(opts.until) / 86_400_000 : data.lastDay;
  if (!(untilDay <= data.lastDay && untilDay > data.calStart + 400))
    throw new Error(`--until ${opts.until} is outside the data`);
  const days = untilDay - data.calStart + 1;
  const weekday = new Int8Array(days + 400);
  for (let t = 0; t < weekday.length; t++) {
    weekday[t] = (new Date((data.calStart + t) * 86_400_000).getUTCDay() + 6) % 7;
  }
  const start = days - TEST_DAYS;
  const series: SimSeries[] = [];
  for (const s of data.series) {
    const off = s.firstDay - data.calStart;
    if (off > start - MIN_HISTORY) continue;
    const demand = new Float64Array(days).fill(Number.NaN);
    demand.set(s.sales.subarray(0, days - off), off);
    // Cost at 70 % of the shelf price on the first simulated day (M5 has prices, not costs).
    let price = priceOn(data, s, data.calStart + start);
    for (let d = start; Number.isNaN(price) && d > off; d -= 7) price = priceOn(data, s, data.calStart + d);
    series.push({ demand, unitCost: Math.round((Number.isNaN(price) ? 3 : price) * 70) });
  }
  const checkIso = isoToUtcMs(data.calDates[start] as string) / 86_400_000;
  if (checkIso !== data.calStart + start) throw new Error('calendar does not line up with the sales days');

  const at = (level: number, extra: Partial<PolicyParams> = {}): PolicyParams => ({
    ...defaultPolicy,
    ...extra,
    service: { measure: 'fill-rate', level },
  });
  const all: Scenario[] = [
    { name: 'fill 95 %, lead 7', lead: 7, review: 1, pack: 1, orderCost: 100, policy: at(0.95) },
    { name: 'fill 90 %, lead 7', lead: 7, review: 1, pack: 1, orderCost: 100, policy: at(0.9) },
    { name: 'fill 98 %, lead 7', lead: 7, review: 1, pack: 1, orderCost: 100, policy: at(0.98) },
    { name: 'fill 95 %, lead 3', lead: 3, review: 1, pack: 1, orderCost: 100, policy: at(0.95) },
    {
      name: 'fill 95 %, lead 7, weekly review',
      lead: 7,
      review: 7,
      pack: 1,
      orderCost: 100,
      policy: at(0.95),
    },
    { name: 'fill 95 %, lead 7, packs of 6', lead: 7, review: 1, pack: 6, orderCost: 100, policy: at(0.95) },
    {
      name: 'fill 95 %, lead 7, textbook lead+review',
      lead: 7,
      review: 1,
      pack: 1,
      orderCost: 100,
      policy: at(0.95, { protection: 'lead+review' }),
    },
    {
      name: 'fill 95 %, lead 7, ρ = 0',
      lead: 7,
      review: 1,
      pack: 1,
      orderCost: 100,
      policy: at(0.95, { errorCorrelation: 0 }),
    },
  ];
  const scenarios = opts.quick ? all.slice(0, 1) : all;
  const rows: Record<string, string>[] = [];
  for (const sc of scenarios) {
    const o: SimOptions = {
      start,
      end: days - 1,
      warmup: 28,
      leadDays: sc.lead,
      reviewDays: sc.review,
      packSize: sc.pack,
      minOrder: 0,
      orderCost: sc.orderCost,
      horizon: 28,
      policy: sc.policy,
    };
    const bar = new SingleBar({
      format: `  ${sc.name} [{bar}] {value}/{total} days`,
      stream: process.stderr,
    });
    bar.start(TEST_DAYS, 0);
    const t0 = performance.now();
    const fc = sesWeekdayForecaster(series, (t) => weekday[t] as number);
    const r = simulate(series, fc, o, (done) => bar.update(done));
    bar.stop();
    const target = sc.policy.service.level;
    rows.push({
      scenario: sc.name,
      series: String(r.series),
      target: `${(target * 100).toFixed(1)} %`,
      'fill rate': `${(r.fillRate * 100).toFixed(2)} %`,
      'vs target': `${((r.fillRate - target) * 100).toFixed(2)} pt`,
      'median series fill': `${(r.medianSeriesFill * 100).toFixed(1)} %`,
      'avg stock (units)': r.avgStock.toFixed(1),
      'avg stock (days)': r.avgStockDays.toFixed(1),
      'avg stock at cost': `$${(r.avgStockValue / 100).toFixed(2)}`,
      'orders/series/yr': r.ordersPerSeriesYear.toFixed(0),
      seconds: ((performance.now() - t0) / 1000).toFixed(1),
    });
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const u = process.argv.indexOf('--until');
  const until = u > 0 ? process.argv[u + 1] : undefined;
  const rows = await benchReplenishSim({ quick: process.argv.includes('--quick'), until });
  if (rows.length) {
    printTable(
      `Replenishment simulated on M5 real demand, ${TEST_DAYS} days up to ${until ?? 'the end'} (first 28 warm-up), lost sales, cost = 70 % of price, $1 per order line, 25 %/yr holding`,
      rows,
    );
  }
}
