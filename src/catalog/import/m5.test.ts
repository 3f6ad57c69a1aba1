import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { hqBackends, withHqDb } from '../../../test/helpers/hq-db.ts';
import type { HqDb } from '../../db/hq-db.ts';
import { catalogDb } from '../catalog-schema.ts';
import { importM5, spread } from './m5.ts';

// Each test starts a PGlite and forecasts; on the shared 2-core machine that can pass a minute.
vi.setConfig({ testTimeout: 180_000 });

const MINI = fileURLToPath(new URL('../../../test/fixtures/m5-mini', import.meta.url));

async function counts(db: HqDb) {
  const one = async (q: ReturnType<typeof sql<{ n: number }>>) => Number((await q.execute(db)).rows[0]?.n);
  return {
    stores: await one(sql`SELECT count(*)::int AS n FROM stores`),
    categories: await one(sql`SELECT count(*)::int AS n FROM categories`),
    products: await one(sql`SELECT count(*)::int AS n FROM products`),
    prices: await one(sql`SELECT count(*)::int AS n FROM prices`),
    salesRows: await one(sql`SELECT count(*)::int AS n FROM sales_daily`),
    units: await one(sql`SELECT sum(qty)::int AS n FROM sales_daily`),
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
      const r = await importM5(db, { dir: MINI });
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
      await importM5(db, { dir: MINI });
      expect(await counts(db)).toEqual(first);

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
      const r = await importM5(db, { dir: MINI, stores: 1, days: 14 });
      expect(r).toMatchObject({ stores: 1, products: 4, from: '2011-02-26', to: '2011-03-11' });
      const stores = await db.selectFrom('sales_daily').select('store_id').distinct().execute();
      expect(stores).toEqual([{ store_id: 'CA_1' }]);
      const notM5 = fileURLToPath(new URL('.', import.meta.url));
      await expect(importM5(db, { dir: notM5 })).rejects.toThrow(
        /not the M5 subset.*calendar\.csv.*sell_prices_subset\.csv.*sales_subset_long\.csv\.gz/,
      );
    });
  });
});
