import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { saleEvent } from '../../../test/fixtures/ingest.ts';
import { hqBackends, withHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore, storesWithTill } from '../../../test/helpers/stores.ts';
import { enrollTerminal } from '../../access/terminals.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import type { HqDb } from '../../db/hq-db.ts';
import { insertHistory } from '../../demo/demo-history.ts';
import { importM5 } from '../../demo/m5-import.ts';
import { addDays } from '../../reports/common.ts';
import { hq0011SalesBase } from '../../reports/hq/migrations/0011_sales_base.ts';
import { eventRulesSchema, setHqEventRules } from './event-rules-config.ts';
import { ingestBatch } from './ingest.ts';
import { rebuildProjections } from './ingest-projections.ts';

// Each test starts a PGlite and imports; on the shared 2-core machine that can take a while.
vi.setConfig({ testTimeout: 180_000 });
// M5's history ends in 2011 and the till sales below land on its days: this chain's HQ accepts business
// dates that old (the default window refuses them as a wrong till clock).
setHqEventRules(eventRulesSchema.parse({ dates: { daysBack: 36_500 } }));

const MINI = fileURLToPath(new URL('../../../test/fixtures/m5-mini', import.meta.url));

/** What a retailer reads: daily and hourly sales and stock, row by row. */
async function figures(db: HqDb) {
  const daily = await sql<Record<string, unknown>>`
    SELECT business_date::text AS d, store_id, sku, qty::int, net_minor::int, tax_minor::int, gross_minor::int,
      lines::int FROM sales_daily ORDER BY 1, 2, 3`.execute(db);
  const hourly = await sql<Record<string, unknown>>`
    SELECT business_date::text AS d, store_id, hour, transactions::int, units::int, net_minor::int,
      gross_minor::int, cost_minor::int, costed_net_minor::int FROM sales_hourly ORDER BY 1, 2, 3`.execute(
    db,
  );
  const stock = await sql<Record<string, unknown>>`
    SELECT store_id, sku, qty::int FROM stock_on_hand ORDER BY 1, 2`.execute(db);
  return { daily: daily.rows, hourly: hourly.rows, stock: stock.rows };
}

const unitsOn = async (db: HqDb, date: string, store: string, sku: string): Promise<number> =>
  Number(
    (
      await sql<{ q: number }>`SELECT qty::int AS q FROM sales_daily
        WHERE business_date = ${date} AND store_id = ${store} AND sku = ${sku}`.execute(db)
    ).rows[0]?.q ?? 0,
  );

describe.each(hqBackends())('tally hq rebuild keeps imported history on $name', (backend) => {
  it('keeps M5 daily and hourly sales and opening stock, and till sales on the same day add on top', async () => {
    await withHqDb(backend, async ({ db }) => {
      await importM5(db, hqEventRegistry, { dir: MINI });
      const imported = await figures(db);
      expect(imported.daily).toHaveLength(169);
      expect(imported.hourly.length).toBeGreaterThan(0);
      expect(imported.stock.length).toBeGreaterThan(0);
      const m5Units = await unitsOn(db, '2011-03-11', 'CA_1', 'FOODS_1_001');

      await rebuildProjections(db, hqEventRegistry, { atomic: false });
      expect(await figures(db)).toEqual(imported);

      // A till in CA_1 sells on the last imported day (a row shared with M5) and on a later day.
      const till = await enrollTerminal(db, { storeId: 'CA_1', terminalId: 'CA_1-T01' });
      const line = { sku: 'FOODS_1_001', qty: 2, unitPriceMinor: 300, taxRateBp: 0 };
      await ingestBatch(db, hqEventRegistry, till, {
        terminalId: till.terminalId,
        events: [
          saleEvent(till, 1, [line], { businessDate: '2011-03-11', occurredAt: '2011-03-11T18:00:00.000Z' }),
          saleEvent(till, 2, [line], { businessDate: '2011-03-12', occurredAt: '2011-03-12T18:00:00.000Z' }),
        ],
      });
      expect(await unitsOn(db, '2011-03-11', 'CA_1', 'FOODS_1_001')).toBe(m5Units + 2);
      const withSales = await figures(db);

      await rebuildProjections(db, hqEventRegistry, { atomic: false });
      expect(await figures(db)).toEqual(withSales);
      await rebuildProjections(db, hqEventRegistry);
      expect(await figures(db)).toEqual(withSales);

      // Re-importing replaces M5's part only: the till's sales stay, nothing is counted twice. (It also
      // resets stock to the opening figure by an adjustment event, which a rebuild replays like any other.)
      await importM5(db, hqEventRegistry, { dir: MINI });
      const reimported = await figures(db);
      expect({ ...reimported, stock: [] }).toEqual({ ...withSales, stock: [] });
      await rebuildProjections(db, hqEventRegistry);
      expect(await figures(db)).toEqual(reimported);
    });
  });

  it("keeps the demo's seeded daily and hourly history", async () => {
    await withHqDb(backend, async ({ db }) => {
      await createStore(db, berlinStore('S001'));
      const today = '2026-03-02';
      const products = ['A', 'B', 'C'].map((sku) => ({
        sku,
        category: 'food',
        priceMinor: 250,
        taxRateBp: 700,
        costMinor: 150,
      }));
      await insertHistory(
        db,
        {
          products,
          stores: [{ storeId: 'S001', from: addDays(today, -14), size: 1 }],
          today,
          todayHour: 12,
          seed: 3,
        },
        { merge: false },
      );
      const seeded = await figures(db);
      expect(seeded.daily.length).toBeGreaterThan(10);
      expect(seeded.hourly.length).toBeGreaterThan(10);

      await rebuildProjections(db, hqEventRegistry, { atomic: false });
      expect(await figures(db)).toEqual(seeded);
    });
  });

  it('after the upgrade to migration 0011, keeps older imported rows on store-days the log has no sale for', async () => {
    await withHqDb(backend, async ({ db }) => {
      const till = await storesWithTill(db);
      await ingestBatch(db, hqEventRegistry, till, {
        terminalId: till.terminalId,
        events: [saleEvent(till, 1, [{ sku: 'A', qty: 3, unitPriceMinor: 119, taxRateBp: 1900 }])],
      });
      // Written by an import before base_* existed: the columns are dropped and added again around it.
      await sql.raw(hq0011SalesBase.down!).execute(db);
      await sql`INSERT INTO sales_daily (business_date, store_id, sku, qty, net_minor, tax_minor, gross_minor, lines)
        VALUES ('2025-01-01', 'S001', 'A', 7, 700, 133, 833, 7)`.execute(db);
      await sql`INSERT INTO sales_hourly (business_date, store_id, hour, transactions, units, net_minor,
        gross_minor, cost_minor, costed_net_minor) VALUES ('2025-01-01', 'S001', 10, 4, 7, 700, 833, 400, 700)`.execute(
        db,
      );
      await sql.raw(hq0011SalesBase.up).execute(db);
      const before = await figures(db);
      expect(before.daily.map((r) => [r.d, r.qty])).toEqual([
        ['2025-01-01', 7],
        ['2026-03-02', 3],
      ]);

      await rebuildProjections(db, hqEventRegistry);
      expect(await figures(db)).toEqual(before);
    });
  });
});
