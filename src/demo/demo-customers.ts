import { sql } from 'kysely';
import type { Logger } from 'pino';
import { enrollTerminal } from '../access/index.ts';
import { catalogDb } from '../catalog/hq/index.ts';
import { DEFAULT_LOYALTY_PROGRAMME } from '../contracts/index.ts';
import { businessDate, type EventEnvelope, seededId, seededRandom } from '../core/index.ts';
import { readLoyaltyProgramme, storeCustomerKey, writeLoyaltyProgramme } from '../customers/hq/index.ts';
import { newDataKey } from '../customers/index.ts';
import type { HqDb } from '../db/index.ts';
import { addDays } from '../reports/index.ts';
import { SALES_EVENT_TYPES } from '../sales/index.ts';
import { insertEvents, projectEvents } from '../sync/hq/index.ts';
import type { EventRegistry } from '../sync/index.ts';
import {
  consentEvent,
  createdEvent,
  type DemoCustomerIds,
  type DemoEventDraft,
  type DemoPoints,
  type DemoProductInfo,
  saleEvents,
} from './demo-customer-events.ts';
import { type DemoPerson, planDemoPeople } from './demo-people.ts';
import { demoStorePlans } from './demo-sales.ts';
import { type DemoVisit, planDemoVisits } from './demo-visits.ts';
import { claimSeed } from './seed-claim.ts';

/**
 * The demo's customers, once: a few hundred people registered at the stores' tills over the seeded
 * period, with their purchases, points and consent changes, written as those tills write them (sealed
 * customer.created v2, sale.completed with the customer, loyalty.sale_points) and stored and projected
 * by HQ as ingest does; each data key reaches HQ beside the log (storeCustomerKey, what the till's key
 * hand-over route calls). Nothing is written to
 * a customer table directly: the profile, loyalty and score tables are what HQ makes of the events.
 * seedDemoHistory calls it (option `customers`) after the sales facts and before the tills' recent
 * shifts, so each till's events stay in time order.
 */

const SEEDED_KEY = 'demo_customers_seeded';
const CHUNK = 1_000;
/** How long ago the demo's loyalty programme started. */
const LOYALTY_WEEKS = 8;
/** A customer never takes a store's last units of a product (the stock panel's exceptions stay as seeded). */
const KEEP_ON_HAND = 12;

export interface DemoCustomersResult {
  seeded: boolean;
  customers: number;
  duplicates: number;
  sales: number;
  events: number;
  message: string;
}

/** The till each store's customer history is rung up on: Kasse 2 (the demo enrolls S001-T01 itself). */
export const demoCustomerTill = (storeId: string): string => `${storeId}-T02`;

async function products(db: HqDb): Promise<DemoProductInfo[]> {
  const rows = await catalogDb(db)
    .selectFrom('products')
    .select(['sku', 'name', 'category', 'category_id', 'price_minor', 'tax_rate_bp'])
    .orderBy('sku')
    .execute();
  return rows.map((r) => ({
    sku: r.sku,
    name: r.name,
    priceMinor: Number(r.price_minor),
    taxRateBp: r.tax_rate_bp,
    categoryId: r.category_id ?? (r.category || null),
  }));
}

/** Drops lines that would take a store's stock of a product below KEEP_ON_HAND, in time order. */
async function withinStock(db: HqDb, visits: readonly DemoVisit[]): Promise<DemoVisit[]> {
  const { rows } = await sql<{ store_id: string; sku: string; qty: number }>`
    SELECT store_id, sku, qty FROM stock_on_hand`.execute(db);
  const left = new Map(rows.map((r) => [`${r.store_id}|${r.sku}`, Number(r.qty) - KEEP_ON_HAND]));
  const out: DemoVisit[] = [];
  for (const v of visits) {
    const lines = v.lines.filter((l) => {
      const k = `${v.storeId}|${l.sku}`;
      const n = left.get(k) ?? 0;
      if (n < l.qty) return false;
      left.set(k, n - l.qty);
      return true;
    });
    if (lines.length > 0) out.push({ ...v, lines });
  }
  return out;
}

export async function seedDemoCustomers(
  db: HqDb,
  registry: EventRegistry,
  opts: { count?: number; days?: number; now?: Date; seed?: number; logger?: Logger } = {},
): Promise<DemoCustomersResult> {
  if (!(await claimSeed(db, SEEDED_KEY)))
    return {
      seeded: false,
      customers: 0,
      duplicates: 0,
      sales: 0,
      events: 0,
      message: 'demo customers already seeded',
    };
  const started = Date.now();
  const now = opts.now ?? new Date();
  const random = seededRandom(opts.seed ?? 19);
  const stores = await db.selectFrom('stores').select(['id', 'time_zone']).orderBy('id').execute();
  const zone = stores[0]?.time_zone ?? 'Europe/Berlin';
  const today = businessDate(now, zone);
  const plans = demoStorePlans(
    stores.map((s) => s.id),
    today,
    opts.days,
  );
  const catalog = await products(db);
  const bySku = new Map(catalog.map((p) => [p.sku, p]));
  const people = planDemoPeople({ stores: plans, today, count: opts.count ?? 320, random });
  const planned = planDemoVisits({
    people,
    stores: plans,
    products: catalog.map((p) => ({ sku: p.sku, category: p.categoryId ?? '' })),
    today,
    random,
  });
  const visits = await withinStock(
    db,
    [...planned.visits].sort((a, b) => a.date.localeCompare(b.date) || a.minute - b.minute || a.n - b.n),
  );

  // The demo's loyalty programme (the default one, switched on) started LOYALTY_WEEKS ago: sales since
  // then earn points, so customers have balances and movements to show without a points event on every
  // sale of the year (HQ applies those one by one, the slowest part of the seed).
  let programme = await readLoyaltyProgramme(db);
  if (!programme.enabled)
    programme = await writeLoyaltyProgramme(db, { ...DEFAULT_LOYALTY_PROGRAMME, enabled: true });

  const ids = new Map<number, DemoCustomerIds>();
  const drafts: DemoEventDraft[] = [];
  for (const p of people) {
    const at = Date.parse(`${p.registeredOn}T12:00:00Z`);
    const c = { customerId: seededId(at, random), key: newDataKey() };
    ids.set(p.n, c);
    drafts.push(createdEvent(p, c, zone));
  }
  const points = new Map<number, DemoPoints>();
  const shifts = new Map<string, string>();
  for (const v of visits) {
    const at = Date.parse(`${v.date}T12:00:00Z`);
    const shiftKey = `${v.storeId}|${v.date}`;
    let shiftId = shifts.get(shiftKey);
    if (!shiftId) {
      shiftId = seededId(at, random);
      shifts.set(shiftKey, shiftId);
    }
    let pts = points.get(v.n);
    if (!pts) {
      pts = { balance: 0, spends: [] };
      points.set(v.n, pts);
    }
    drafts.push(
      ...saleEvents(
        v,
        ids.get(v.n)!.customerId,
        bySku,
        { saleId: seededId(at, random), shiftId, random },
        { timeZone: zone, programme, points: pts, loyaltyFrom: addDays(today, -7 * LOYALTY_WEEKS) },
      ),
    );
  }
  for (const c of planned.consents) drafts.push(consentEvent(c, ids.get(c.n)!.customerId, zone));

  const events = await sendThroughTills(db, registry, drafts, random);
  // The tills' key hand-over: each key beside the log, after its event (HQ opens the profile then).
  for (const p of people) {
    const c = ids.get(p.n)!;
    await storeCustomerKey(db, c.customerId, c.key, demoCustomerTill(p.storeId));
  }
  const duplicates = people.filter((p: DemoPerson) => p.duplicateOf !== undefined).length;
  const message =
    `seeded ${people.length} customers (${duplicates} registered twice), ${visits.length} sales and ` +
    `${events} events in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  opts.logger?.info({ customers: people.length, sales: visits.length, events }, 'demo customers seeded');
  return { seeded: true, customers: people.length, duplicates, sales: visits.length, events, message };
}

/**
 * Each store's Kasse 2 holds its events in time order, numbered from 1; HQ stores and projects them in
 * chunks, as ingest does with what it accepted (and as seedDemoHistory does with the tills' shifts).
 * Not through the outbox: a running demo HQ's bus would go over every one again. The till is enrolled
 * here if the chain does not have it yet, and marked as holding everything it sent.
 */
async function sendThroughTills(
  db: HqDb,
  registry: EventRegistry,
  drafts: readonly DemoEventDraft[],
  random: () => number,
): Promise<number> {
  const byStore = new Map<string, DemoEventDraft[]>();
  for (const d of drafts) {
    const list = byStore.get(d.storeId);
    if (list) list.push(d);
    else byStore.set(d.storeId, [d]);
  }
  let sent = 0;
  for (const [storeId, list] of [...byStore].sort(([a], [b]) => a.localeCompare(b))) {
    const terminalId = demoCustomerTill(storeId);
    const known = await db
      .selectFrom('terminals')
      .select('id')
      .where('id', '=', terminalId)
      .executeTakeFirst();
    if (!known) await enrollTerminal(db, { storeId, terminalId, name: 'Kasse 2' });
    list.sort((a, b) => a.at - b.at);
    const events: EventEnvelope[] = list.map((d, i) => {
      const seq = i + 1;
      const payload =
        d.type === SALES_EVENT_TYPES.saleCompleted
          ? { ...d.payload, receiptNo: `${terminalId}-${String(seq).padStart(6, '0')}` }
          : d.payload;
      return {
        id: seededId(d.at, random),
        type: d.type,
        schemaVersion: d.schemaVersion,
        storeId,
        terminalId,
        seq,
        businessDate: d.businessDate,
        occurredAt: new Date(d.at).toISOString(),
        payload,
      };
    });
    for (let i = 0; i < events.length; i += CHUNK) {
      const chunk = events.slice(i, i + CHUNK);
      await db.transaction().execute(async (trx) => {
        await insertEvents(trx, chunk);
        await projectEvents(trx, registry, chunk);
      });
    }
    await db
      .updateTable('terminals')
      .set({ max_seq: events.length, held_up_to: events.length, last_seen_at: new Date() })
      .where('id', '=', terminalId)
      .execute();
    sent += events.length;
  }
  return sent;
}
