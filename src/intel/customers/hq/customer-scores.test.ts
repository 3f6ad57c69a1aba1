import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { hqBackends, silentLogger, useHqDb } from '../../../../test/helpers/hq-db.ts';
import { hqCustomerDataPlaces } from '../../../apps/shared/customer-data-places.ts';
import type { HqDb } from '../../../db/index.ts';
import { briefingText, pickActions } from '../../../reports/index.ts';
import { customerScoresPlace } from './erasure-place.ts';
import { linesFromSales, loadCustomerSales } from './hq-lines.ts';
import { loadAtRiskCustomers, loadCustomerPanel, loadSegmentShrinks } from './score-read.ts';
import { runCustomerScores } from './score-refresh.ts';

vi.setConfig({ testTimeout: 180_000 });

const noActions = { atRisk: [], slowMovers: [], deviations: [], terminals: [], currency: 'EUR' };

describe('lines from HQ sales', () => {
  it('turns a sale into lines at the price paid in major units and a return into a cancellation', () => {
    const lines = linesFromSales([
      {
        kind: 'sale',
        id: 'S-1',
        customerId: 'c1',
        storeId: 'S1',
        businessDate: '2026-03-01',
        currency: 'EUR',
        lines: [{ sku: 'MILK', qty: 3, grossMinor: 450 }],
      },
      {
        kind: 'return',
        id: 'R-1',
        customerId: 'c1',
        storeId: 'S1',
        businessDate: '2026-03-02',
        currency: 'EUR',
        lines: [{ sku: 'MILK', qty: 1, grossMinor: 150 }],
      },
      {
        kind: 'sale',
        id: 'S-2',
        customerId: 'c2',
        storeId: 'S2',
        businessDate: '2026-03-01',
        currency: 'JPY',
        lines: [{ sku: 'TEA', qty: 2, grossMinor: 600 }],
      },
    ]);
    expect(lines).toEqual([
      expect.objectContaining({
        invoice: 'S-1',
        customer: 'c1',
        product: 'MILK',
        quantity: 3,
        unitPrice: 1.5,
      }),
      expect.objectContaining({ invoice: 'C' + 'R-1', quantity: -1, unitPrice: 1.5 }),
      expect.objectContaining({ invoice: 'S-2', quantity: 2, unitPrice: 300, store: 'S2' }),
    ]);
    expect(lines[0]?.timeMs).toBe(Date.parse('2026-03-01T12:00:00Z'));
  });
});

const AS_OF = '2026-03-31';
const DAY = 86_400_000;
const dayBack = (n: number) =>
  new Date(Date.parse(`${AS_OF}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);

let seq = 0;
async function sale(
  db: HqDb,
  customerId: string,
  date: string,
  store: string,
  grossMinor: number,
): Promise<string> {
  const saleId = randomUUID();
  seq++;
  const payload = { saleId, currency: 'EUR', customerId, lines: [{ sku: 'MILK', qty: 2, grossMinor }] };
  await sql`INSERT INTO events (id, terminal_id, seq, store_id, type, schema_version, business_date, occurred_at, payload)
    VALUES (${randomUUID()}, 'T1', ${seq}, ${store}, 'sale.completed', 1, ${date}, ${`${date}T10:00:00Z`},
            ${JSON.stringify(payload)}::jsonb)`.execute(db);
  await sql`INSERT INTO customer_sales (sale_id, customer_id, store_id, at) VALUES (${saleId}, ${customerId}, ${store},
    ${`${date}T10:00:00Z`})`.execute(db);
  return saleId;
}

/** `n` customers over 300 days: regulars every week or two, some who stopped 120 days ago. */
async function seedHistory(db: HqDb, n: number): Promise<string[]> {
  for (const id of ['S1', 'S2'])
    await db
      .insertInto('stores')
      .values({ id, name: id, address: '', currency: 'EUR', time_zone: 'UTC', tax_inclusive: true })
      .execute();
  const ids: string[] = [];
  for (let c = 0; c < n; c++) {
    const id = randomUUID();
    ids.push(id);
    const every = 5 + (c % 20);
    const stop = c % 3 === 0 ? 120 : 0;
    for (let b = 300 - (c % 40); b > stop; b -= every)
      await sale(db, id, dayBack(b), c % 2 ? 'S1' : 'S2', 500 + (c % 7) * 300);
  }
  // One return against the first customer's first sale, on a later day.
  const { rows } = await sql<{
    sale_id: string;
  }>`SELECT sale_id FROM customer_sales WHERE customer_id = ${ids[0]}
    ORDER BY at LIMIT 1`.execute(db);
  const payload = {
    returnId: randomUUID(),
    originalSaleId: rows[0]?.sale_id,
    currency: 'EUR',
    lines: [{ sku: 'MILK', qty: 1, grossMinor: 250 }],
  };
  await sql`INSERT INTO events (id, terminal_id, seq, store_id, type, schema_version, business_date, occurred_at, payload)
    VALUES (${randomUUID()}, 'T1', ${++seq}, 'S2', 'sale.returned', 1, ${dayBack(200)}, ${`${dayBack(200)}T10:00:00Z`},
            ${JSON.stringify(payload)}::jsonb)`.execute(db);
  return ids;
}

describe.each(hqBackends())('customer scores on $name', (backend) => {
  const h = useHqDb(backend.open, { once: true });
  let ids: string[] = [];

  it('says "not enough history" with few customers instead of failing', async () => {
    ids = await seedHistory(h.db, 60);
    const r = await runCustomerScores(h.db, { logger: silentLogger, asOf: AS_OF, minCustomers: 100 });
    expect(r.status).toBe('not_enough_history');
    expect(r.message).toMatch(/not enough history: 60 customers/);
    const panel = await loadCustomerPanel(h.db, 'all');
    expect(panel.run?.status).toBe('not_enough_history');
    expect(panel.segments).toEqual([]);
  });

  it("scores as of the chain's today when no date is given (the nightly's and `customers refresh`'s way)", async () => {
    const r = await runCustomerScores(h.db, {
      logger: silentLogger,
      now: new Date(`${AS_OF}T12:00:00Z`),
      minCustomers: 100,
    });
    expect(r.asOf).toBe(AS_OF);
  });

  it('reads returns of known customers as cancellations', async () => {
    const rows = await loadCustomerSales(h.db, AS_OF);
    const returns = rows.filter((r) => r.kind === 'return');
    expect(returns).toHaveLength(1);
    expect(returns[0]).toMatchObject({ customerId: ids[0], businessDate: dayBack(200) });
    expect(linesFromSales(returns)[0]).toMatchObject({ quantity: -1, unitPrice: 2.5 });
    expect(rows.every((r) => r.businessDate < AS_OF)).toBe(true);
  });

  it('scores every customer with a purchase, in minor units, with last store and date', async () => {
    const r = await runCustomerScores(h.db, { logger: silentLogger, asOf: AS_OF });
    expect(r.status).toBe('done');
    expect(r.customers).toBe(60);
    const { rows } = await sql<{ n: string; bad: string }>`SELECT count(*) AS n,
        count(*) FILTER (WHERE p_active < 0 OR p_active > 1 OR expected_spend_minor < 0) AS bad
      FROM customer_scores WHERE run_id = ${r.runId}`.execute(h.db);
    expect(Number(rows[0]?.n)).toBe(60);
    expect(Number(rows[0]?.bad)).toBe(0);
    const panel = await loadCustomerPanel(h.db, 'all');
    expect(panel.segments.reduce((s, x) => s + x.customers, 0)).toBe(60);
    const s1 = await loadCustomerPanel(h.db, ['S1']);
    expect(s1.segments.reduce((s, x) => s + x.customers, 0)).toBe(30);
    const risk = await loadAtRiskCustomers(h.db, { stores: 'all', limit: 50, withNames: false });
    for (const c of risk.customers) {
      expect(c.name).toBeUndefined();
      expect(c.lastPurchaseDate && c.lastPurchaseDate < AS_OF).toBe(true);
    }
  });

  it('keeps only the newest runs', async () => {
    await runCustomerScores(h.db, { logger: silentLogger, asOf: AS_OF, keepRuns: 2 });
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM customer_score_runs`.execute(h.db);
    expect(Number(rows[0]?.n)).toBe(2);
  });

  it('names a shrunk valuable segment with the former members now at risk', async () => {
    const panel = await loadCustomerPanel(h.db, 'all');
    const prev = panel.previous;
    expect(prev).not.toBeNull();
    // Plant a shrink: in the previous run five of today's at-risk customers were champions.
    const { rows } = await sql<{
      customer_id: string;
    }>`SELECT customer_id::text AS customer_id FROM customer_scores
      WHERE run_id = ${panel.run?.runId} ORDER BY customer_id LIMIT 5`.execute(h.db);
    const moved = rows.map((r) => r.customer_id);
    await sql`UPDATE customer_scores SET segment = 'at risk' WHERE run_id = ${panel.run?.runId}
      AND customer_id = ANY(${moved}::uuid[])`.execute(h.db);
    await sql`UPDATE customer_scores SET segment = 'champions' WHERE run_id = ${prev?.runId}
      AND customer_id = ANY(${moved}::uuid[])`.execute(h.db);
    await sql`UPDATE customer_scores SET segment = 'loyal customers' WHERE segment = 'champions'
      AND run_id = ${panel.run?.runId}`.execute(h.db);
    const shrinks = await loadSegmentShrinks(h.db, 'all');
    const champions = shrinks.find((s) => s.segment === 'champions');
    expect(champions).toMatchObject({ now: 0, atRisk: 5 });
    expect(champions?.before).toBeGreaterThanOrEqual(5);
    const line = briefingText('all stores', AS_OF, pickActions({ ...noActions, segmentShrinks: shrinks }));
    expect(line).toMatch(
      /Champions shrank from \d+ to 0 customers .*invite the 5 at-risk former champions back/,
    );
    const after = await loadCustomerPanel(h.db, 'all');
    expect(after.flows).toContainEqual(
      expect.objectContaining({ from: 'champions', to: 'at risk', customers: 5 }),
    );
  });

  it('erasure removes the customer from every stored run', async () => {
    expect(hqCustomerDataPlaces).toContain(customerScoresPlace);
    const id = ids[1] as string;
    const report = await customerScoresPlace.erase(h.db, id);
    expect(report.removed).toBe(2);
    expect(report.note).toMatch(/at run time/);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM customer_scores
      WHERE customer_id = ${id}`.execute(h.db);
    expect(Number(rows[0]?.n)).toBe(0);
  });
});
