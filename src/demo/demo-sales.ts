import { allocate, seededRandom } from '../core/index.ts';
import { addDays } from '../reports/index.ts';

/**
 * Synthetic sales history for the demo and the benchmarks: per product a base rate (a few fast sellers,
 * many slow ones), per store a size, a weekly shape (Saturday busiest, Sunday quiet), yearly seasons by
 * category (drinks and fruit in summer, coffee and tea in winter, everything before Christmas), a slow
 * trend, closed public holidays, and a few events (a summer heat wave, a promotion week). Deterministic
 * for a seed, so the demo shows the same chain on every machine.
 */
export interface DemoProduct {
  sku: string;
  category: string;
  /** Shelf price incl. VAT and the VAT rate, as the catalog has them. */
  priceMinor: number;
  taxRateBp: number;
  costMinor: number | null;
}

export interface DemoStorePlan {
  storeId: string;
  /** First day with sales (a newer store has a shorter history). */
  from: string;
  /** Relative size: 1 is an average store. */
  size: number;
}

export interface DailyRow {
  business_date: string;
  store_id: string;
  sku: string;
  qty: number;
  net_minor: number;
  tax_minor: number;
  gross_minor: number;
  lines: number;
}

export interface HourlyRow {
  business_date: string;
  store_id: string;
  hour: number;
  transactions: number;
  units: number;
  net_minor: number;
  gross_minor: number;
  cost_minor: number;
  costed_net_minor: number;
}

export const DEMO_HISTORY_DAYS = 420;

/** Each store's first trading day and size: the three first trade the whole history, the newer ones less. */
export function demoStorePlans(
  storeIds: readonly string[],
  today: string,
  days = DEMO_HISTORY_DAYS,
): DemoStorePlan[] {
  const sizes = [1.25, 1, 0.85, 0.9, 0.7];
  const starts = [days, days, days, Math.min(days, 200), Math.min(days, 75)];
  return storeIds.map((storeId, i) => ({
    storeId,
    from: addDays(today, -(starts[i] ?? 120)),
    size: sizes[i] ?? 1,
  }));
}

/** Mon … Sun (ISO weekday order). */
const WEEKLY = [0.9, 0.92, 0.97, 1.05, 1.22, 1.4, 0.45];
/** Opening hours 7–21, busiest after work. */
const HOURLY = [0, 0, 0, 0, 0, 0, 0, 2, 5, 6, 6, 7, 8, 7, 6, 6, 8, 10, 11, 9, 6, 3, 0, 0];
const SEASON: Record<string, { amp: number; peakDay: number }> = {
  Beverages: { amp: 0.35, peakDay: 200 },
  'Fruit & Vegetables': { amp: 0.2, peakDay: 190 },
  'Coffee & Tea': { amp: 0.25, peakDay: 15 },
  Bakery: { amp: 0.08, peakDay: 350 },
  Snacks: { amp: 0.15, peakDay: 355 },
};
/** The days every demo store is shut (German public holidays it closes on), by month-day. */
export const DEMO_CLOSED_DAYS: Readonly<Record<string, string>> = {
  '12-25': 'Christmas Day (closed)',
  '12-26': 'Second Day of Christmas (closed)',
  '01-01': "New Year's Day (closed)",
};
const CLOSED = Object.keys(DEMO_CLOSED_DAYS);

/** The closed days from `from` to `to` (inclusive), each once, as calendar entries name them. */
export function demoClosedDays(from: string, to: string): { date: string; name: string }[] {
  const out: { date: string; name: string }[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++)
    for (const [md, name] of Object.entries(DEMO_CLOSED_DAYS)) {
      const date = `${y}-${md}`;
      if (date >= from && date <= to) out.push({ date, name });
    }
  return out.sort((a, b) => (a.date < b.date ? -1 : 1));
}
/** Units per receipt on average, to derive transactions from units. */
const UNITS_PER_BASKET = 4.2;

const dayOfYear = (date: string): number => {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Math.floor((t - Date.parse(`${date.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000);
};
const isoWeekday = (date: string): number => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;

function poisson(lambda: number, random: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) {
    // Normal approximation: exact enough for fast sellers and much cheaper.
    const u = Math.max(1e-12, random());
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
  }
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= random();
  } while (p > l);
  return k - 1;
}

/** The demand multiplier of a category on a day (weekday × season × trend × events); 0 when closed. */
export function dayFactor(category: string, date: string, today: string): number {
  if (CLOSED.includes(date.slice(5))) return 0;
  const doy = dayOfYear(date);
  const s = SEASON[category];
  const season = s ? 1 + s.amp * Math.cos((2 * Math.PI * (doy - s.peakDay)) / 365) : 1;
  const xmas = date.slice(5) >= '12-10' && date.slice(5) <= '12-23' ? 1.35 : 1;
  const yearsBack = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / (365 * 86_400_000);
  const trend = 1 - 0.05 * yearsBack;
  // A heat wave in the second half of July: drinks fly.
  const heat = category === 'Beverages' && date.slice(5) >= '07-15' && date.slice(5) <= '07-24' ? 1.8 : 1;
  // A promotion week on snacks in the first week of October.
  const promo = category === 'Snacks' && date.slice(5) >= '10-01' && date.slice(5) <= '10-07' ? 1.6 : 1;
  return (WEEKLY[isoWeekday(date)] ?? 1) * season * xmas * trend * heat * promo;
}

export interface GenerateOptions {
  products: readonly DemoProduct[];
  stores: readonly DemoStorePlan[];
  /** Last full day is the day before `today`; today gets the hours before `todayHour` (local). */
  today: string;
  todayHour: number;
  seed?: number;
  /** SKUs that stopped selling this many days ago (dead stock on the shelf). */
  stoppedSkus?: ReadonlySet<string>;
  stoppedDaysAgo?: number;
}

/** Calls `sink` once per store-day with that day's rows, so callers can insert in bounded chunks. */
export function generateSales(
  o: GenerateOptions,
  sink: (daily: DailyRow[], hourly: HourlyRow[]) => void,
): void {
  const random = seededRandom(o.seed ?? 7);
  // Rates: lognormal-ish, most items sell a unit or two a day, a few sell dozens.
  const rate = new Map(
    o.products.map((p) => {
      const u = seededRandom(hash(p.sku))();
      return [p.sku, Math.max(0.05, Math.exp(-1.2 + 3.6 * u * u))];
    }),
  );
  const stopFrom = addDays(o.today, -(o.stoppedDaysAgo ?? 150));
  const elapsed = HOURLY.slice(0, o.todayHour).reduce((s, w) => s + w, 0) / HOURLY.reduce((s, w) => s + w, 0);
  for (const store of o.stores) {
    for (let date = store.from; date <= o.today; date = addDays(date, 1)) {
      const isToday = date === o.today;
      if (isToday && elapsed === 0) continue;
      const daily: DailyRow[] = [];
      let units = 0;
      let net = 0;
      let gross = 0;
      let cost = 0;
      let costedNet = 0;
      for (const p of o.products) {
        if (o.stoppedSkus?.has(p.sku) && date >= stopFrom) continue;
        const lambda =
          (rate.get(p.sku) ?? 0) *
          store.size *
          dayFactor(p.category, date, o.today) *
          (isToday ? elapsed : 1);
        const qty = poisson(lambda, random);
        if (qty === 0) continue;
        const grossMinor = qty * p.priceMinor;
        const netMinor = Math.round((grossMinor * 10_000) / (10_000 + p.taxRateBp));
        daily.push({
          business_date: date,
          store_id: store.storeId,
          sku: p.sku,
          qty,
          net_minor: netMinor,
          tax_minor: grossMinor - netMinor,
          gross_minor: grossMinor,
          lines: Math.max(1, Math.round(qty * 0.85)),
        });
        units += qty;
        net += netMinor;
        gross += grossMinor;
        if (p.costMinor !== null) {
          cost += qty * p.costMinor;
          costedNet += netMinor;
        }
      }
      if (daily.length === 0) continue;
      const weights = HOURLY.map((w, h) => (isToday && h >= o.todayHour ? 0 : w));
      const split = (total: number) => allocate(total, weights);
      const tx = split(Math.max(1, Math.round(units / UNITS_PER_BASKET)));
      const [u, n, g, c, cn] = [split(units), split(net), split(gross), split(cost), split(costedNet)];
      const hourly: HourlyRow[] = [];
      for (let h = 0; h < 24; h++) {
        if ((weights[h] ?? 0) === 0) continue;
        hourly.push({
          business_date: date,
          store_id: store.storeId,
          hour: h,
          transactions: tx[h] ?? 0,
          units: u[h] ?? 0,
          net_minor: n[h] ?? 0,
          gross_minor: g[h] ?? 0,
          cost_minor: c[h] ?? 0,
          costed_net_minor: cn[h] ?? 0,
        });
      }
      sink(daily, hourly);
    }
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
