import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { AS_OF, seed } from '../../../test/fixtures/replenish-seed.ts';
import { hqBackends, silentLogger, withHqDb } from '../../../test/helpers/hq-db.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { addSuppliers } from '../../catalog/suppliers.ts';
import { isTallyError } from '../../core/errors.ts';
import { importM5 } from '../../demo/m5-import.ts';
import { refreshHqForecasts } from '../forecast/hq-refresh.ts';
import { defaultPolicy } from './engine.ts';
import { readHqInputs, replenishFromHq } from './hq-inputs.ts';
import { getDraft, saveDrafts } from './store.ts';

// Each test starts a PGlite and forecasts; on the shared 2-core machine that can pass a minute.
vi.setConfig({ testTimeout: 180_000 });

const MINI = fileURLToPath(new URL('../../../test/fixtures/m5-mini', import.meta.url));

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

  it("takes each supplier's lead time, review period and minimum order from the suppliers table", async () => {
    await withHqDb(backend, async ({ db }) => {
      await seed(db);
      // Leaf & Co has no row: it keeps the defaults.
      await addSuppliers(db, [
        { id: 'Beans Ltd', name: 'Beans Ltd', leadDays: 4, reviewDays: 7, minOrder: 24 },
      ]);
      await refreshHqForecasts(db, {
        horizonDays: 28,
        asOf: AS_OF,
        logger: silentLogger,
        threads: 0,
        backtest: false,
      });
      const bySku = async (o: Parameters<typeof readHqInputs>[1]) =>
        new Map((await readHqInputs(db, o)).inputs.map((i) => [i.sku, i]));
      const fromTable = await bySku({});
      expect(fromTable.get('COFFEE')).toMatchObject({ leadDays: 4, reviewDays: 7, minOrder: 24 });
      expect(fromTable.get('TEA')?.leadDays).toBeUndefined();
      // --lead-days overrides every supplier's; a per-supplier override beats it.
      expect((await bySku({ leadDays: 10 })).get('COFFEE')?.leadDays).toBe(10);
      expect(
        (await bySku({ leadDays: 10, leadDaysBySupplier: { 'Beans Ltd': 2 } })).get('COFFEE')?.leadDays,
      ).toBe(2);

      const r = await replenishFromHq(db, { policy: defaultPolicy });
      const line = r.drafts.find((d) => d.supplierId === 'Beans Ltd')?.lines[0];
      expect(line?.qty).toBeGreaterThanOrEqual(24);
      expect(line?.inputs).toMatchObject({ leadDays: 4, reviewDays: 7 });
    });
  });

  it('after an M5 import orders the items it left sold out, not every imported item', async () => {
    await withHqDb(backend, async ({ db }) => {
      const imported = await importM5(db, hqEventRegistry, { dir: MINI });
      await refreshHqForecasts(db, { horizonDays: 28, logger: silentLogger, threads: 0, backtest: false });
      const r = await replenishFromHq(db, { policy: defaultPolicy });
      const ordered = r.drafts.flatMap((d) => d.lines.map((l) => `${l.storeId} ${l.sku}`)).sort();
      // The import leaves the first item of each store sold out: those are at risk and ordered.
      expect(imported.lowStock).toBe(2);
      expect(ordered).toEqual(expect.arrayContaining(['CA_1 FOODS_1_001', 'TX_1 FOODS_1_001']));
      expect(ordered.length).toBeLessThan(r.rows.length);
      // Three weeks of sales on the shelf against a 4-day lead time: nothing to order yet.
      expect(ordered).not.toContain('CA_1 HOUSEHOLD_1_004');
      const atRisk = r.lists.stockouts.map((s) => `${r.rows[s.row]?.storeId} ${r.rows[s.row]?.sku}`);
      expect(atRisk).toEqual(expect.arrayContaining(['CA_1 FOODS_1_001', 'TX_1 FOODS_1_001']));
      // Lead times come from the import's department suppliers.
      expect(r.rows.find((x) => x.sku === 'HOBBIES_1_003')?.leadDays).toBe(7);
    });
  });
});
