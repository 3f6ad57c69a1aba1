/**
 * A small HQ for replenishment tests: one store, COFFEE selling about 10 a day with 3 left, TEA about 2
 * a day with 400 left, 120 days of sales. Shared by the HQ-input and on-order tests.
 */
import { catalogDb } from '../../catalog/catalog-tables.ts';
import type { HqDb } from '../../db/hq-db.ts';
import { isoToUtcMs, utcMsToIso } from '../forecast/panel.ts';

export const AS_OF = '2026-03-31';
const day = (back: number): string => utcMsToIso(isoToUtcMs(AS_OF) - back * 86_400_000);

/** One store selling about 10 COFFEE and 2 TEA a day for 120 days; COFFEE has 3 left, TEA 400. */
export async function seed(db: HqDb): Promise<void> {
  await db
    .insertInto('stores')
    .values({ id: 'S1', name: 'S1', address: '', currency: 'EUR', time_zone: 'UTC', tax_inclusive: true })
    .execute();
  await catalogDb(db)
    .insertInto('products')
    .values([
      {
        sku: 'COFFEE',
        name: 'Coffee',
        price_minor: 500,
        tax_rate_bp: 0,
        cost_minor: 300,
        supplier: 'Beans Ltd',
        pack_size: 6,
      },
      { sku: 'TEA', name: 'Tea', price_minor: 300, tax_rate_bp: 0, cost_minor: 120, supplier: 'Leaf & Co' },
    ])
    .execute();
  const rows: { business_date: string; sku: string; qty: number }[] = [];
  for (let b = 119; b >= 0; b--) {
    rows.push({ business_date: day(b), sku: 'COFFEE', qty: 8 + (b % 5) });
    if (b % 2 === 0) rows.push({ business_date: day(b), sku: 'TEA', qty: 4 });
  }
  await db
    .insertInto('sales_daily')
    .values(rows.map((r) => ({ ...r, store_id: 'S1', net_minor: 0, tax_minor: 0, gross_minor: 0, lines: 1 })))
    .execute();
  await db
    .insertInto('stock_on_hand')
    .values([
      { store_id: 'S1', sku: 'COFFEE', qty: 3 },
      { store_id: 'S1', sku: 'TEA', qty: 400 },
      { store_id: 'S1', sku: 'SPOONS', qty: 50 },
    ])
    .execute();
}
