import { describe, expect, it, vi } from 'vitest';
import { hqBackends, silentLogger, withHqDb } from '../../../test/helpers/hq-db.ts';
import { catalogDb } from '../../catalog/catalog-schema.ts';
import { isTallyError } from '../../core/errors.ts';
import type { HqDb } from '../../db/hq-db.ts';
import { refreshHqForecasts } from '../forecast/hq-refresh.ts';
import { isoToUtcMs, utcMsToIso } from '../forecast/panel.ts';
import { defaultPolicy } from './engine.ts';
import { readHqInputs, replenishFromHq } from './hq-inputs.ts';
import { getDraft, saveDrafts } from './store.ts';

// Each test starts a PGlite and forecasts; on the shared 2-core machine that can pass a minute.
vi.setConfig({ testTimeout: 180_000 });

const AS_OF = '2026-03-31';
const day = (back: number): string => utcMsToIso(isoToUtcMs(AS_OF) - back * 86_400_000);

/** One store selling about 10 COFFEE and 2 TEA a day for 120 days; COFFEE has 3 left, TEA 400. */
async function seed(db: HqDb): Promise<void> {
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

describe.each(hqBackends())('replenishment from HQ tables on $name', (backend) => {
  it('drafts an order for the SKU about to run out, from the stored forecast, stock and catalog', async () => {
    await withHqDb(backend, async ({ db }) => {
      await seed(db);
      const none = await readHqInputs(db).catch((e: unknown) => e);
      expect(isTallyError(none) && none.code).toBe('not_found');

      const run = await refreshHqForecasts(db, {
        horizonDays: 28,
        asOf: AS_OF,
        logger: silentLogger,
        threads: 0,
        backtest: false,
      });
      const hq = await readHqInputs(db, { leadDaysBySupplier: { 'Beans Ltd': 3 } });
      expect(hq.run.id).toBe(run.runId);
      expect(hq.today).toBe(AS_OF);
      const coffee = hq.inputs.find((i) => i.sku === 'COFFEE');
      expect(coffee).toMatchObject({
        storeId: 'S1',
        onHand: 3,
        unitCostMinor: 300,
        supplierId: 'Beans Ltd',
        packSize: 6,
        leadDays: 3,
        lastSaleDate: AS_OF,
      });
      expect(hq.forecasts.get('S1|COFFEE')?.dates[0]).toBe('2026-04-01');
      // Stock with no sales history gets a row (listed, never ordered without a forecast of demand).
      expect(hq.inputs.map((i) => i.sku).sort()).toEqual(['COFFEE', 'SPOONS', 'TEA']);

      const r = await replenishFromHq(db, { policy: defaultPolicy, leadDaysBySupplier: { 'Beans Ltd': 3 } });
      expect(r.lists.stockouts.map((s) => r.rows[s.row]?.sku)).toContain('COFFEE');
      expect(r.drafts.map((d) => d.supplierId)).toEqual(['Beans Ltd']);
      const line = r.drafts[0]?.lines[0];
      expect(line).toMatchObject({ storeId: 'S1', sku: 'COFFEE', unitCostMinor: 300 });
      expect((line?.qty ?? 0) % 6).toBe(0);
      expect(line?.qty).toBeGreaterThan(20);
      expect(line?.inputs.model).toContain(run.runId.slice(0, 8));

      const saved = await saveDrafts(db, r.drafts, { actor: 'test', policy: defaultPolicy });
      const draft = await getDraft(db, saved.ids[0] as string);
      expect(draft.status).toBe('draft');
      expect(draft.lineItems).toHaveLength(1);
    });
  });
});
