/**
 * The demo's customers: registered at the stores' tills with sealed personal fields, buying over the
 * seeded period, and enough of them, differently enough, that HQ's scoring, the duplicate review and the
 * loyalty ledger all have something to show when the dashboard first opens.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../test/helpers/hq-db.ts';
import { hqEventRegistry } from '../apps/shared/event-registry.ts';
import { seededRandom } from '../core/index.ts';
import {
  duplicateQueue,
  listCustomerProfiles,
  loyaltyBalance,
  readLoyaltyProgramme,
} from '../customers/hq/index.ts';
import type { OpenHqDb } from '../db/hq-db.ts';
import { loadAtRiskCustomers, loadCustomerPanel } from '../intel/customers/hq/index.ts';
import { checkEvent } from '../sync/hq/event-checks.ts';
import { type EventRow, rowToEnvelope } from '../sync/hq/index.ts';
import { seedDemoHistory } from './demo-history.ts';
import { checkedDigits, demoPhone, planDemoPeople } from './demo-people.ts';
import { demoStorePlans } from './demo-sales.ts';
import { scoreDemoCustomers } from './demo-scores.ts';
import { planDemoVisits } from './demo-visits.ts';
import { seedDemoChain } from './seed.ts';

describe('the demo customers as planned', () => {
  const today = '2026-12-03';
  const stores = demoStorePlans(['S001', 'S002', 'S003', 'S004', 'S005'], today);
  const products = Array.from({ length: 40 }, (_, i) => ({
    sku: String(100_001 + i),
    category: `c${i % 5}`,
  }));
  const plan = (seed: number) => {
    const random = seededRandom(seed);
    const people = planDemoPeople({ stores, today, count: 300, random });
    return { people, ...planDemoVisits({ people, stores, products, today, random }) };
  };

  it('are the same people buying the same things on every start', () => {
    expect(plan(19)).toEqual(plan(19));
    expect(plan(20).people.map((p) => p.name)).not.toEqual(plan(19).people.map((p) => p.name));
  });

  it('have phones in the 555 range and emails at example.com only', () => {
    const { people } = plan(19);
    expect(people.every((p) => p.phone !== undefined || p.email !== undefined)).toBe(true);
    for (const p of people) {
      if (p.phone) expect(p.phone).toMatch(/^\+49 30 555 0\d{4}$/);
      if (p.email) expect(p.email).toMatch(/^[a-z0-9.]+@example\.com$/);
    }
  });

  it('never gives two customers phone numbers one slip apart', () => {
    const codes = Array.from({ length: 900 }, (_, i) => checkedDigits(i, 4));
    expect(new Set(codes).size).toBe(900);
    const slip = (a: string, b: string) => {
      const diff = [...a].flatMap((c, k) => (c === b[k] ? [] : [k]));
      return (
        diff.length === 1 ||
        (diff.length === 2 &&
          diff[1] === diff[0]! + 1 &&
          a[diff[0]!] === b[diff[1]!] &&
          a[diff[1]!] === b[diff[0]!])
      );
    };
    const slips: string[] = [];
    for (let i = 0; i < codes.length; i++)
      for (let j = i + 1; j < codes.length; j++)
        if (slip(codes[i]!, codes[j]!)) slips.push(`${codes[i]}/${codes[j]}`);
    expect(slips).toEqual([]);
    expect(demoPhone(0)).toBe('+49 30 555 00000');
  });

  it('shop in every pattern: regulars, lapsed, one-off buyers, and a few registered twice', () => {
    const { people, visits } = plan(19);
    const count = new Map<number, number>();
    for (const v of visits) count.set(v.n, (count.get(v.n) ?? 0) + 1);
    const visitsOf = (habit: string) =>
      people.filter((p) => p.habit === habit).map((p) => count.get(p.n) ?? 0);
    expect(Math.max(...visitsOf('one-off'))).toBeLessThanOrEqual(2);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(visitsOf('regular'))).toBeGreaterThan(2 * mean(visitsOf('occasional')));
    const lastVisit = new Map<number, string>();
    for (const v of visits) if (v.date > (lastVisit.get(v.n) ?? '')) lastVisit.set(v.n, v.date);
    const lapsed = people.filter((p) => p.habit === 'lapsing' && lastVisit.has(p.n));
    expect(lapsed.every((p) => lastVisit.get(p.n)! < '2026-09-01')).toBe(true);
    expect(people.filter((p) => p.duplicateOf !== undefined).length).toBeGreaterThanOrEqual(4);
    expect(visits.every((v) => !['12-25', '12-26', '01-01'].includes(v.date.slice(5)))).toBe(true);
  });
});

describe.each(hqBackends().slice(0, 1))('the demo HQ with customers on $name', ({ open }) => {
  let h: OpenHqDb;
  const now = new Date('2026-12-03T15:00:00Z');

  beforeAll(async () => {
    h = await open();
    await seedDemoChain(h.db, hqEventRegistry, { stores: 3, products: 60 });
    await seedDemoHistory(h.db, hqEventRegistry, { days: 300, now, customers: { count: 160 } });
    await scoreDemoCustomers(h.db, { logger: silentLogger, now });
  }, 600_000);
  afterAll(async () => {
    await h?.close();
  });

  it('has customer profiles whose fields HQ opened with the keys the tills handed over', async () => {
    const { total, customers } = await listCustomerProfiles(h.db, {
      limit: 500,
      offset: 0,
      withPersonal: true,
    });
    expect(total).toBeGreaterThanOrEqual(160);
    expect(customers.every((c) => c.personalFieldsReadable && (c.personal?.phone || c.personal?.email))).toBe(
      true,
    );
    expect(customers.filter((c) => c.purchaseCount > 0).length).toBeGreaterThan(150);
    expect(new Set(customers.flatMap((c) => c.storesVisited)).size).toBe(3);
  });

  it('keeps phones and emails out of the event log, sealed in customer.created v2', async () => {
    const { rows } = await sql<{ n: number; clear: number }>`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE payload::text LIKE '%example.com%' OR payload::text LIKE '%+4930555%')::int AS clear
      FROM events WHERE type = 'customer.created' AND schema_version = 2`.execute(h.db);
    expect(rows[0]?.n).toBeGreaterThanOrEqual(160);
    expect(rows[0]?.clear).toBe(0);
  });

  it("writes only events HQ's ingest would accept from a till", async () => {
    const { rows } =
      await sql<EventRow>`SELECT * FROM events WHERE terminal_id LIKE '%-T02' ORDER BY pos`.execute(h.db);
    expect(rows.length).toBeGreaterThan(1000);
    const refused = rows
      .map((r) => checkEvent(rowToEnvelope(r), { registry: hqEventRegistry, now }))
      .filter((c) => !c.ok);
    expect(refused).toEqual([]);
  });

  it('has a score run with several segments and customers at risk', async () => {
    const panel = await loadCustomerPanel(h.db, 'all');
    expect(panel.run?.status).toBe('done');
    expect(panel.previous).not.toBeNull();
    expect(panel.segments.filter((s) => s.customers > 0).length).toBeGreaterThan(1);
    const atRisk = await loadAtRiskCustomers(h.db, { stores: 'all', limit: 20, withNames: false });
    expect(atRisk.customers.length).toBeGreaterThan(0);
  });

  it('lists the customers registered twice in the duplicate review', async () => {
    const queue = await duplicateQueue(h.db);
    expect(queue.length).toBeGreaterThanOrEqual(1);
    expect(queue.some((c) => c.kind === 'exact' && c.reasons.some((r) => r.startsWith('same phone')))).toBe(
      true,
    );
  });

  it('has the loyalty programme on and points on the customers who shopped since it started', async () => {
    expect((await readLoyaltyProgramme(h.db)).enabled).toBe(true);
    const { rows } = await sql<{ customer_id: string }>`
      SELECT customer_id FROM loyalty_accounts ORDER BY balance_points DESC LIMIT 1`.execute(h.db);
    expect(rows[0]).toBeDefined();
    expect((await loyaltyBalance(h.db, rows[0]!.customer_id, now)).balancePoints).toBeGreaterThan(0);
  });
});
