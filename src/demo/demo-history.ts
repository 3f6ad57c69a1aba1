import { type RawBuilder, sql } from 'kysely';
import type { Logger } from 'pino';
import { addUser, countUsers, hashToken, newToken, setTillPin, upsertDistrict } from '../access/index.ts';
import { CLOSED_TYPE, catalogDb, replaceCalendarSource } from '../catalog/hq/index.ts';
import type { Role } from '../contracts/index.ts';
import type { EventEnvelope } from '../core/index.ts';
import { businessDate, newId, seededRandom } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { INVENTORY_EVENT_TYPES } from '../inventory/index.ts';
import { localMoment } from '../pricing/index.ts';
import { addDays } from '../reports/index.ts';
import { SALES_EVENT_TYPES } from '../sales/index.ts';
import { appendHqEvents, insertEvents, projectEvents } from '../sync/hq/index.ts';
import type { EventRegistry } from '../sync/index.ts';
import { addWithBase, BASE_COLUMNS, type BaseTable } from '../sync/index.ts';
import { type DemoCustomersResult, seedDemoCustomers } from './demo-customers.ts';
import {
  type DailyRow,
  DEMO_HISTORY_DAYS,
  type DemoProduct,
  demoClosedDays,
  demoStorePlans,
  generateSales,
  type HourlyRow,
} from './demo-sales.ts';
import { claimSeed } from './seed-claim.ts';

export const DEMO_PASSWORD = 'tally-demo';

export const DEMO_USERS: {
  username: string;
  displayName: string;
  role: Role;
  stores: string[];
  district?: string;
  /** Granted at her stores instead of the legacy role's default (a cashier reads no reports). */
  grantRole?: string;
}[] = [
  { username: 'ana', displayName: 'Ana Weber', role: 'associate', stores: ['S001'], grantRole: 'shift_lead' },
  { username: 'sam', displayName: 'Sam Fischer', role: 'store_manager', stores: ['S001'] },
  { username: 'dana', displayName: 'Dana Schulz', role: 'district_manager', stores: [], district: 'NORD' },
  { username: 'hq', displayName: 'Head Office', role: 'admin', stores: [] },
];

/** The demo's people at the till: their till code and PIN (printed at start; a real chain sets them with `tally users till-pin`). */
export const DEMO_TILL_USERS: readonly { username: string; code: string; pin: string }[] = [
  { username: 'ana', code: '1001', pin: '1111' },
  { username: 'sam', code: '1002', pin: '2222' },
];

const SEEDED_KEY = 'demo_history_seeded';
const CHUNK = 20_000;

export interface DemoHistoryResult {
  seeded: boolean;
  days: number;
  dailyRows: number;
  hourlyRows: number;
  users: number;
  message: string;
  customers?: DemoCustomersResult;
}

/**
 * Inserts sales facts through unnest(): one parameter per column, so 20 000 rows cost one short
 * statement. The values go in as base too (see projection-base.ts), so `tally hq rebuild` keeps them.
 */
async function bulkInsert<T extends object>(
  db: HqDb,
  table: BaseTable,
  columns: { name: keyof T & string; type: string }[],
  rows: readonly T[],
  upsert?: RawBuilder<unknown> | false,
): Promise<void> {
  const values = BASE_COLUMNS[table] as readonly string[];
  const targets = [...columns.map((c) => c.name), ...values.map((c) => `base_${c}`)].map((c) => sql.ref(c));
  const picks = [...columns.map((c) => c.name), ...values].map((c) => sql.ref(c));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const arrays = columns.map(
      (c) => sql`${part.map((r) => (r as Record<string, unknown>)[c.name])}::${sql.raw(c.type)}[]`,
    );
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(targets)})
      SELECT ${sql.join(picks)} FROM unnest(${sql.join(arrays)})
        AS u(${sql.join(columns.map((c) => sql.ref(c.name)))}) ${upsert || sql``}`.execute(db);
  }
}

const DAILY_COLUMNS: { name: keyof DailyRow & string; type: string }[] = [
  { name: 'business_date', type: 'date' },
  { name: 'store_id', type: 'text' },
  { name: 'sku', type: 'text' },
  { name: 'qty', type: 'int8' },
  { name: 'net_minor', type: 'int8' },
  { name: 'tax_minor', type: 'int8' },
  { name: 'gross_minor', type: 'int8' },
  { name: 'lines', type: 'int8' },
];
const HOURLY_COLUMNS: { name: keyof HourlyRow & string; type: string }[] = [
  { name: 'business_date', type: 'date' },
  { name: 'store_id', type: 'text' },
  { name: 'hour', type: 'int2' },
  { name: 'transactions', type: 'int8' },
  { name: 'units', type: 'int8' },
  { name: 'net_minor', type: 'int8' },
  { name: 'gross_minor', type: 'int8' },
  { name: 'cost_minor', type: 'int8' },
  { name: 'costed_net_minor', type: 'int8' },
];

/** Writes generated history into sales_daily and sales_hourly, adding to any rows already there. */
export async function insertHistory(
  db: HqDb,
  plan: Parameters<typeof generateSales>[0],
  opts: { merge?: boolean } = {},
): Promise<{ dailyRows: number; hourlyRows: number }> {
  if (opts.merge === false && !db.isTransaction)
    // Into empty tables: build the secondary indexes once at the end rather than row by row, in one
    // transaction so a failure leaves the indexes (and the tables) as they were.
    return db.transaction().execute(async (trx) => {
      await sql`DROP INDEX sales_daily_store; DROP INDEX sales_daily_item`.execute(trx);
      const r = await insertHistory(trx, plan, opts);
      await sql`CREATE INDEX sales_daily_store ON sales_daily (store_id, business_date)`.execute(trx);
      await sql`CREATE INDEX sales_daily_item ON sales_daily (store_id, sku, business_date)`.execute(trx);
      return r;
    });
  // Into empty tables a plain insert is a fifth faster than an upsert; merging is for tables in use.
  const merge = opts.merge ?? true;
  let daily: DailyRow[] = [];
  let hourly: HourlyRow[] = [];
  let dailyRows = 0;
  let hourlyRows = 0;
  const flush = async () => {
    await bulkInsert(db, 'sales_daily', DAILY_COLUMNS, daily, merge && addWithBase('sales_daily'));
    await bulkInsert(db, 'sales_hourly', HOURLY_COLUMNS, hourly, merge && addWithBase('sales_hourly'));
    dailyRows += daily.length;
    hourlyRows += hourly.length;
    daily = [];
    hourly = [];
  };
  const pending: { daily: DailyRow[]; hourly: HourlyRow[] }[] = [];
  generateSales(plan, (d, h) => {
    pending.push({ daily: d, hourly: h });
  });
  for (const p of pending) {
    daily.push(...p.daily);
    hourly.push(...p.hourly);
    if (daily.length >= CHUNK) await flush();
  }
  await flush();
  return { dailyRows, hourlyRows };
}

/** Products of the catalog as the generator needs them; demo products get a plausible supplier cost. */
export async function demoProducts(db: HqDb, random: () => number): Promise<DemoProduct[]> {
  const cat = catalogDb(db);
  const rows = await cat
    .selectFrom('products')
    .select(['sku', 'category', 'category_id', 'price_minor', 'tax_rate_bp', 'cost_minor'])
    .orderBy('sku')
    .execute();
  const out: DemoProduct[] = [];
  const costs: { sku: string; cost: number }[] = [];
  for (const r of rows) {
    let cost = r.cost_minor === null ? null : Number(r.cost_minor);
    if (cost === null) {
      // Net price times 55–75 %: a grocery's usual gross margin.
      cost = Math.round(
        ((Number(r.price_minor) * 10_000) / (10_000 + r.tax_rate_bp)) * (0.55 + random() * 0.2),
      );
      costs.push({ sku: r.sku, cost });
    }
    out.push({
      sku: r.sku,
      category: r.category_id ?? (r.category || 'uncategorised'),
      priceMinor: Number(r.price_minor),
      taxRateBp: r.tax_rate_bp,
      costMinor: cost,
    });
  }
  for (const c of costs) {
    const supplier = `Großhandel ${['Nord', 'Süd', 'West'][Number(c.sku) % 3] ?? 'Nord'}`;
    await cat
      .updateTable('products')
      .set({ cost_minor: c.cost, supplier })
      .where('sku', '=', c.sku)
      .where('cost_minor', 'is', null)
      .execute();
  }
  return out;
}

/**
 * The demo's closed days as chain-wide calendar entries of type Closed, from `from` to a year after
 * `today`: history and the coming year alike, so forecasts expect nothing on them. Rewritten on every
 * call (source "demo"), so a demo started again next year has next year's too.
 */
export async function seedDemoCalendar(db: HqDb, from: string, today: string): Promise<number> {
  const events = demoClosedDays(from, addDays(today, 366)).map((d) => ({
    ...d,
    type: CLOSED_TYPE,
    scope: 'chain' as const,
    scopeIds: [],
  }));
  return replaceCalendarSource(db, 'demo', events);
}

/**
 * Seeds the demo chain's past, once: users of every role, a district, more than a year of daily and
 * hourly sales for three stores (shorter for the newer ones), stock that needs attention (items
 * about to run out, items gone negative, items nobody buys), tills with a shift left open, a till
 * behind on syncing and a Z report with a cash difference. A second call does nothing. Draft purchase
 * orders come later, from replenishment over the first forecast (demo-drafts.ts). With `customers`,
 * also the customers of demo-customers.ts. Demo only: a real HQ starts with no users (`tally users add`).
 */
export async function seedDemoHistory(
  db: HqDb,
  registry: EventRegistry,
  opts: {
    days?: number;
    now?: Date;
    logger?: Logger;
    seed?: number;
    /** Customers with purchases, points and consents too (demo-customers.ts); off unless asked. */
    customers?: boolean | { count?: number };
  } = {},
): Promise<DemoHistoryResult> {
  if (!(await claimSeed(db, SEEDED_KEY))) {
    const message = 'demo history already seeded';
    return { seeded: false, days: 0, dailyRows: 0, hourlyRows: 0, users: 0, message };
  }
  const started = Date.now();
  opts.logger?.info('seeding the demo history (first start only; this takes a little while)');
  const now = opts.now ?? new Date();
  const random = seededRandom(opts.seed ?? 11);
  const stores = await db.selectFrom('stores').select(['id', 'time_zone']).orderBy('id').execute();
  const zone = stores[0]?.time_zone ?? 'Europe/Berlin';
  const today = businessDate(now, zone);
  const hour = Number(localMoment(now.toISOString(), zone).time.slice(0, 2));
  const days = opts.days ?? DEMO_HISTORY_DAYS;
  const plan = demoStorePlans(
    stores.map((s) => s.id),
    today,
    days,
  );
  const products = await demoProducts(db, random);
  const stopped = new Set(products.filter((_, i) => i % 37 === 5).map((p) => p.sku));
  const anySales = await db.selectFrom('sales_daily').select('store_id').limit(1).executeTakeFirst();
  const { dailyRows, hourlyRows } = await insertHistory(
    db,
    { products, stores: plan, today, todayHour: hour, seed: opts.seed ?? 7, stoppedSkus: stopped },
    { merge: anySales !== undefined },
  );

  // Customers' sales are till events on top of the facts above, and come before the stock exceptions
  // and the tills' recent shifts, so both are seeded as they would be after such a history.
  const customers = opts.customers
    ? await seedDemoCustomers(db, registry, {
        days,
        now,
        ...(opts.logger ? { logger: opts.logger } : {}),
        ...(typeof opts.customers === 'object' && opts.customers.count
          ? { count: opts.customers.count }
          : {}),
      })
    : undefined;

  // Closed days (no sales above) go on the calendar, so the forecast expects none on them either.
  await seedDemoCalendar(db, addDays(today, -days), today);
  await seedStockTrouble(
    db,
    registry,
    products,
    stores.map((s) => s.id),
    today,
  );
  await seedTills(
    db,
    registry,
    stores.map((s) => s.id),
    now,
    random,
  );
  const users = await seedUsers(
    db,
    stores.map((s) => s.id),
  );
  const message =
    `seeded ${days} days of history (${dailyRows} daily and ${hourlyRows} hourly rows), ${users} users, ` +
    `${customers?.seeded ? `${customers.customers} customers with ${customers.sales} sales, ` : ''}` +
    `tills and stock exceptions in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  return { seeded: true, days, dailyRows, hourlyRows, users, message, ...(customers ? { customers } : {}) };
}

/** A few fast sellers nearly gone, two items below zero: what the inventory panel is for. */
async function seedStockTrouble(
  db: HqDb,
  registry: EventRegistry,
  products: DemoProduct[],
  storeIds: string[],
  today: string,
): Promise<void> {
  const { rows: fast } = await sql<{ store_id: string; sku: string; sold: number; on_hand: number }>`
    SELECT d.store_id, d.sku, sum(d.qty) AS sold, max(s.qty) AS on_hand
    FROM sales_daily d JOIN stock_on_hand s ON s.store_id = d.store_id AND s.sku = d.sku
    WHERE d.business_date >= ${addDays(today, -28)} AND d.store_id IN (${sql.join(storeIds.slice(0, 3))})
    GROUP BY d.store_id, d.sku ORDER BY sum(d.qty) DESC LIMIT 12`.execute(db);
  const drafts: { storeId: string; type: string; payload: Record<string, unknown> }[] = [];
  fast.forEach((r, i) => {
    // Leave 1–4 units of a week's worth of demand: at risk this week.
    const target = 1 + (i % 4);
    const delta = target - Number(r.on_hand);
    if (delta !== 0)
      drafts.push({
        storeId: r.store_id,
        type: INVENTORY_EVENT_TYPES.stockAdjusted,
        payload: {
          sku: r.sku,
          qty: delta,
          reason: 'correction',
          note: 'demo: shelf count after a busy week',
        },
      });
  });
  const negatives = [
    { storeId: storeIds[0], sku: products[40]?.sku, below: 3 },
    { storeId: storeIds[2] ?? storeIds[0], sku: products[77]?.sku, below: 5 },
  ];
  for (const n of negatives) {
    if (!n.storeId || !n.sku) continue;
    const s = await db
      .selectFrom('stock_on_hand')
      .select('qty')
      .where('store_id', '=', n.storeId)
      .where('sku', '=', n.sku)
      .executeTakeFirst();
    drafts.push({
      storeId: n.storeId,
      type: INVENTORY_EVENT_TYPES.stockAdjusted,
      payload: {
        sku: n.sku,
        qty: -(Number(s?.qty ?? 0) + n.below),
        reason: 'data_entry',
        note: 'demo: sold before the delivery was booked',
      },
    });
  }
  await appendHqEvents(db, registry, drafts);
}

/** Two tills in every store but S001 (whose till the demo enrolls itself), with their shifts. */
async function seedTills(
  db: HqDb,
  registry: EventRegistry,
  storeIds: string[],
  now: Date,
  random: () => number,
): Promise<void> {
  const stores = await db.selectFrom('stores').select(['id', 'time_zone']).execute();
  const zoneOf = new Map(stores.map((s) => [s.id, s.time_zone]));
  const events: EventEnvelope[] = [];
  let z = 40;
  for (const storeId of storeIds.slice(1)) {
    for (let t = 1; t <= 2; t++) {
      const id = `${storeId}-T0${t}`;
      const behind = storeId === storeIds[2] && t === 1;
      const lastSeen = new Date(now.getTime() - (behind ? 47 * 60_000 : Math.floor(random() * 120_000)));
      await db
        .insertInto('terminals')
        .values({
          id,
          store_id: storeId,
          name: `Kasse ${t}`,
          token_hash: hashToken(newToken()),
          last_seen_at: lastSeen,
          outbox_pending: behind ? 57 : 0,
          outbox_oldest_age_s: behind ? 2.3 * 3600 - 47 * 60 : 0,
          outbox_reported_at: lastSeen,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      // After the events the till already wrote (the demo's customer history, when seeded first).
      const prior = await db
        .selectFrom('terminals')
        .select('max_seq')
        .where('id', '=', id)
        .executeTakeFirst();
      let seq = Number(prior?.max_seq ?? 0);
      const at = (d: Date, type: string, payload: Record<string, unknown>) =>
        events.push({
          id: newId(),
          type,
          schemaVersion: 1,
          storeId,
          terminalId: id,
          seq: ++seq,
          businessDate: businessDate(d, zoneOf.get(storeId) ?? 'UTC'),
          occurredAt: d.toISOString(),
          payload,
        });
      // Yesterday's shift, opened and closed with its Z report; today's still open on till 1.
      const shift = newId();
      const open = new Date(now.getTime() - 30 * 3600_000);
      const close = new Date(now.getTime() - 20 * 3600_000);
      at(open, SALES_EVENT_TYPES.shiftOpened, {
        shiftId: shift,
        cashierId: `k${t}`,
        openingFloatMinor: 15_000,
        currency: 'EUR',
      });
      const expected = 15_000 + 180_000 + Math.floor(random() * 50_000);
      const difference = storeId === storeIds[1] && t === 2 ? -1_250 : 0;
      at(close, SALES_EVENT_TYPES.shiftClosed, {
        shiftId: shift,
        cashierId: `k${t}`,
        currency: 'EUR',
        openingFloatMinor: 15_000,
        salesCount: 180 + Math.floor(random() * 60),
        grossMinor: expected * 2,
        cashSalesMinor: expected - 15_000,
        cardSalesMinor: expected,
        expectedCashMinor: expected,
        countedCashMinor: expected + difference,
        differenceMinor: difference,
        zNumber: ++z,
      });
      if (t === 1)
        at(new Date(now.getTime() - 3 * 3600_000), SALES_EVENT_TYPES.shiftOpened, {
          shiftId: newId(),
          cashierId: 'k1',
          openingFloatMinor: 15_000,
          currency: 'EUR',
        });
      await db.updateTable('terminals').set({ max_seq: seq, held_up_to: seq }).where('id', '=', id).execute();
    }
  }
  await db.transaction().execute(async (trx) => {
    await insertEvents(trx, events);
    await projectEvents(trx, registry, events);
  });
}

async function seedUsers(db: HqDb, storeIds: string[]): Promise<number> {
  if ((await countUsers(db)) > 0) return 0;
  await upsertDistrict(db, { id: 'NORD', name: 'District Nord', stores: storeIds.slice(0, 2) });
  for (const u of DEMO_USERS)
    await addUser(db, {
      username: u.username,
      displayName: u.displayName,
      password: DEMO_PASSWORD,
      ...(u.grantRole
        ? {
            grants: u.stores
              .filter((s) => storeIds.includes(s))
              .map((id) => ({ role: u.grantRole as string, scope: { kind: 'store' as const, id } })),
          }
        : { role: u.role, stores: u.stores.filter((s) => storeIds.includes(s)), districtId: u.district }),
    });
  for (const t of DEMO_TILL_USERS) await setTillPin(db, { username: t.username, code: t.code, pin: t.pin });
  return DEMO_USERS.length;
}
