import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { hqBackends, withHqDb } from '../../test/helpers/hq-db.ts';
import { hqEventRegistry } from '../apps/shared/event-registry.ts';
import { listCalendarEvents, storeRegions } from '../catalog/hq/calendar.ts';
import { catalogDb } from '../catalog/hq/catalog-tables.ts';
import { listSuppliers, setSupplier } from '../catalog/suppliers.ts';
import type { HqDb } from '../db/hq-db.ts';
import { importM5, spread } from './m5-import.ts';

// Each test starts a PGlite and forecasts; on the shared 2-core machine that can pass a minute.
vi.setConfig({ testTimeout: 180_000 });

const MINI = fileURLToPath(new URL('../../test/fixtures/m5-mini', import.meta.url));

async function counts(db: HqDb) {
  const one = async (q: ReturnType<typeof sql<{ n: number }>>) => Number((await q.execute(db)).rows[0]?.n);
  return {
    stores: await one(sql`SELECT count(*)::int AS n FROM stores`),
    categories: await one(sql`SELECT count(*)::int AS n FROM categories`),
    products: await one(sql`SELECT count(*)::int AS n FROM products`),
    prices: await one(sql`SELECT count(*)::int AS n FROM prices`),
    salesRows: await one(sql`SELECT count(*)::int AS n FROM sales_daily`),
    units: await one(sql`SELECT sum(qty)::int AS n FROM sales_daily`),
    calendar: await one(sql`SELECT count(*)::int AS n FROM calendar_events`),
    suppliers: await one(sql`SELECT count(*)::int AS n FROM suppliers`),
    stockUnits: await one(sql`SELECT sum(qty)::int AS n FROM stock_on_hand`),
    events: await one(sql`SELECT count(*)::int AS n FROM events`),
  };
}

describe('spread', () => {
  it('splits a whole amount into whole parts that add up to it', () => {
    expect(spread(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(spread(0, [3, 5])).toEqual([0, 0]);
    const parts = spread(12_345, [3, 5, 7, 8, 9, 8]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(12_345);
  });
});

describe.each(hqBackends())('tally import m5 on $name', (backend) => {
  it('loads stores, categories, products, prices and daily sales, and a second import changes no count', async () => {
    await withHqDb(backend, async ({ db }) => {
      const r = await importM5(db, hqEventRegistry, { dir: MINI });
      expect(r).toMatchObject({
        stores: 2,
        categories: 7,
        products: 4,
        salesRows: 169,
        units: 485,
        from: '2011-01-29',
        to: '2011-03-11',
      });
      const first = await counts(db);
      expect(first).toMatchObject({ stores: 2, categories: 7, products: 4, salesRows: 169, units: 485 });
      // A lead time set by hand survives a re-import, which writes no stock and no calendar twice.
      await setSupplier(db, 'FOODS_1 supplier', { leadDays: 5 });
      const again = await importM5(db, hqEventRegistry, { dir: MINI });
      expect(again).toMatchObject({ stockMovements: 0, suppliersAdded: 0, calendarEvents: r.calendarEvents });
      expect(await counts(db)).toEqual(first);

      // The calendar: the fixture's one event for the whole chain, SNAP days per state, stores in states.
      const calendar = await listCalendarEvents(db);
      expect(calendar.filter((e) => e.type !== 'SNAP')).toEqual([
        {
          date: '2011-02-06',
          name: 'SuperBowl',
          type: 'Sporting',
          scope: 'chain',
          scopeIds: [],
          source: 'm5',
        },
      ]);
      expect(calendar).toContainEqual({
        date: '2011-02-01',
        name: 'SNAP',
        type: 'SNAP',
        scope: 'region',
        scopeIds: ['TX'],
        source: 'm5',
      });
      expect(r.calendarEvents).toBe(calendar.length);
      expect(Object.fromEntries(await storeRegions(db))).toEqual({ CA_1: 'CA', TX_1: 'TX' });
      // One supplier per department, at the stated lead time per category.
      const suppliers = await listSuppliers(db);
      expect(suppliers.map((s) => [s.id, s.leadDays])).toEqual([
        ['FOODS_1 supplier', 5],
        ['FOODS_2 supplier', 2],
        ['HOBBIES_1 supplier', 7],
        ['HOUSEHOLD_1 supplier', 4],
      ]);
      // Opening stock: three weeks of the last four weeks' sales in whole cases; the first item of each
      // store has sold out.
      const stock = await db
        .selectFrom('stock_on_hand')
        .select(['store_id', 'sku', 'qty'])
        .orderBy('store_id')
        .orderBy('sku')
        .execute();
      expect(stock.map((s) => [s.store_id, s.sku, Number(s.qty)])).toEqual([
        ['CA_1', 'FOODS_2_002', 24],
        ['CA_1', 'HOBBIES_1_003', 5],
        ['CA_1', 'HOUSEHOLD_1_004', 30],
        ['TX_1', 'HOUSEHOLD_1_004', 24],
      ]);
      expect(r).toMatchObject({ stockMovements: 4, stockUnits: 83, lowStock: 2 });

      const store = await db
        .selectFrom('stores')
        .selectAll()
        .where('id', '=', 'CA_1')
        .executeTakeFirstOrThrow();
      expect(store).toMatchObject({
        name: 'Walmart CA 1 (California)',
        currency: 'USD',
        time_zone: 'America/Los_Angeles',
      });
      const milk = await catalogDb(db)
        .selectFrom('products')
        .select(['category_id', 'price_minor', 'cost_minor', 'supplier', 'pack_size'])
        .where('sku', '=', 'FOODS_1_001')
        .executeTakeFirstOrThrow();
      // Latest weekly price (2.28 after the cut in week 4); cost at the grocery margin.
      expect(milk).toMatchObject({
        category_id: 'FOODS_1',
        price_minor: 228,
        cost_minor: 164,
        pack_size: 12,
      });
      const dept = await catalogDb(db)
        .selectFrom('categories')
        .selectAll()
        .where('id', '=', 'FOODS_1')
        .executeTakeFirst();
      expect(dept?.parent_id).toBe('FOODS');
      // A price change becomes a new store price row; the current one is open-ended.
      const caPrices = await catalogDb(db)
        .selectFrom('prices')
        .select(['price_minor', 'effective_to'])
        .where('sku', '=', 'FOODS_1_001')
        .where('scope_id', '=', 'CA_1')
        .orderBy('effective_from')
        .execute();
      expect(caPrices.map((p) => [Number(p.price_minor), p.effective_to === null])).toEqual([
        [248, false],
        [228, true],
      ]);
      // The item launched on day 21 in TX_1 starts there; money is quantity × that week's price.
      const launched = await db
        .selectFrom('sales_daily')
        .select([sql<string>`min(business_date)`.as('first')])
        .where('store_id', '=', 'TX_1')
        .where('sku', '=', 'HOUSEHOLD_1_004')
        .executeTakeFirstOrThrow();
      expect(launched.first).toBe('2011-02-18');
      const day = await db
        .selectFrom('sales_daily')
        .selectAll()
        .where('store_id', '=', 'CA_1')
        .where('sku', '=', 'FOODS_1_001')
        .where('business_date', '=', '2011-01-29')
        .executeTakeFirstOrThrow();
      expect(day).toMatchObject({ qty: 3, net_minor: 3 * 248, tax_minor: 0, gross_minor: 3 * 248 });

      const hourly = await sql<{ t: string | null }>`SELECT to_regclass('sales_hourly')::text AS t`.execute(
        db,
      );
      if (hourly.rows[0]?.t) {
        expect(r.hourlyRows).toBeGreaterThan(0);
        // Every store-day's hours add up to its daily units and net.
        const mismatch = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM (
            SELECT store_id, business_date, sum(qty) AS u, sum(net_minor) AS m FROM sales_daily GROUP BY 1, 2
          ) d FULL JOIN (
            SELECT store_id, business_date, sum(units) AS u, sum(net_minor) AS m FROM sales_hourly GROUP BY 1, 2
          ) h USING (store_id, business_date)
          WHERE d.u IS DISTINCT FROM h.u OR d.m IS DISTINCT FROM h.m`.execute(db);
        expect(mismatch.rows[0]?.n).toBe(0);
      } else {
        expect(r.hourlyRows).toBeUndefined();
      }
    });
  });

  it('limits stores and days, and refuses a folder that is not the M5 subset', async () => {
    await withHqDb(backend, async ({ db }) => {
      const r = await importM5(db, hqEventRegistry, { dir: MINI, stores: 1, days: 14 });
      expect(r).toMatchObject({ stores: 1, products: 4, from: '2011-02-26', to: '2011-03-11' });
      const stores = await db.selectFrom('sales_daily').select('store_id').distinct().execute();
      expect(stores).toEqual([{ store_id: 'CA_1' }]);
      const notM5 = fileURLToPath(new URL('.', import.meta.url));
      await expect(importM5(db, hqEventRegistry, { dir: notM5 })).rejects.toThrow(
        /not the M5 subset.*calendar\.csv.*sell_prices_subset\.csv.*sales_subset_long\.csv\.gz/,
      );
    });
  });
});
