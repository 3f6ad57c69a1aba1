import { describe, expect, it, vi } from 'vitest';
import { hqBackends, silentLogger, withHqDb } from '../../../test/helpers/hq-db.ts';
import { catalogDb } from '../../catalog/hq/catalog-tables.ts';
import { upsertCategories } from '../../catalog/hq/categories.ts';
import { isTallyError } from '../../core/errors.ts';
import type { HqDb } from '../../db/hq-db.ts';
import { refreshHqForecasts } from './hq-refresh.ts';
import { forecastFor, forecastTotals, latestRun } from './hq-store.ts';
import { isoToUtcMs, utcMsToIso } from './panel.ts';

// Each test starts a PGlite and forecasts; on the shared 2-core machine that can pass a minute.
vi.setConfig({ testTimeout: 180_000 });

const DAY = 86_400_000;
const AS_OF = '2026-03-31';
const day = (back: number): string => utcMsToIso(isoToUtcMs(AS_OF) - back * DAY);

/** Two stores, four SKUs in two categories under one parent, 150 days of weekly-shaped sales; one SKU
 * launched 10 days ago in S1, and one stocked in S2 but never sold there. */
async function seed(db: HqDb): Promise<void> {
  for (const id of ['S1', 'S2'])
    await db
      .insertInto('stores')
      .values({ id, name: id, address: '', currency: 'USD', time_zone: 'UTC', tax_inclusive: false })
      .execute();
  await upsertCategories(db, [
    { id: 'food', name: 'Food' },
    { id: 'dairy', name: 'Dairy', parentId: 'food' },
    { id: 'bakery', name: 'Bakery', parentId: 'food' },
  ]);
  const products = [
    { sku: 'MILK', category_id: 'dairy' },
    { sku: 'YOGURT', category_id: 'dairy' },
    { sku: 'BREAD', category_id: 'bakery' },
    { sku: 'BAGEL', category_id: 'bakery' },
  ];
  await catalogDb(db)
    .insertInto('products')
    .values(products.map((p) => ({ ...p, name: p.sku, price_minor: 250, tax_rate_bp: 0, cost_minor: 100 })))
    .execute();
  const rows: { business_date: string; store_id: string; sku: string; qty: number }[] = [];
  const base: Record<string, number> = { MILK: 12, YOGURT: 4, BREAD: 8 };
  for (const store of ['S1', 'S2'])
    for (const [sku, level] of Object.entries(base))
      for (let b = 149; b >= 0; b--) {
        const weekend = new Date(isoToUtcMs(day(b))).getUTCDay() % 6 === 0;
        const q = Math.round(level * (weekend ? 1.5 : 1) + ((b * 7 + sku.length) % 5) - 2);
        if (q > 0) rows.push({ business_date: day(b), store_id: store, sku, qty: q });
      }
  for (let b = 9; b >= 0; b--) rows.push({ business_date: day(b), store_id: 'S1', sku: 'BAGEL', qty: 3 });
  await db
    .insertInto('sales_daily')
    .values(
      rows.map((r) => ({ ...r, net_minor: r.qty * 250, tax_minor: 0, gross_minor: r.qty * 250, lines: 1 })),
    )
    .execute();
  await db.insertInto('stock_on_hand').values({ store_id: 'S2', sku: 'BAGEL', qty: 20 }).execute();
}

const refresh = (db: HqDb, extra: { keepRuns?: number; backtest?: boolean } = {}) =>
  refreshHqForecasts(db, { horizonDays: 14, asOf: AS_OF, logger: silentLogger, threads: 0, ...extra });

describe.each(hqBackends())('forecasts stored at HQ on $name', (backend) => {
  it('stores a run with SKU rows and totals that add up, and forecasts new and unsold items', async () => {
    await withHqDb(backend, async ({ db }) => {
      await seed(db);
      const r = await refresh(db);
      const run = await latestRun(db);
      expect(run).toMatchObject({
        id: r.runId,
        status: 'done',
        trainedTo: AS_OF,
        horizonDays: 14,
        series: 8,
      });
      expect(run?.backtest).toMatchObject({ days: 28 });
      expect(Number(run?.backtest.mae)).toBeGreaterThan(0);

      const milk = await forecastFor(db, { level: 'sku', storeId: 'S1', key: 'MILK' });
      expect(milk?.days).toHaveLength(14);
      expect(milk?.days[0]?.date).toBe('2026-04-01');
      expect(milk?.historyDays).toBe(150);
      // About 12–18 a day sold: the forecast and its measured error are in that range.
      const avg = (milk?.days ?? []).reduce((s, d) => s + d.mean, 0) / 14;
      expect(avg).toBeGreaterThan(8);
      expect(avg).toBeLessThan(20);
      expect(milk?.backtestMae).toBeGreaterThan(0);
      expect(milk?.backtestMae).toBeLessThan(6);
      for (const d of milk?.days ?? []) expect(d.p10 <= d.p50 && d.p50 <= d.p90).toBe(true);

      // Category, store and chain means are the sums of their SKUs' means, day by day.
      const sum = async (level: 'sku', storeIds: string[], skus: string[]) => {
        const out = new Map<string, number>();
        for (const s of storeIds)
          for (const k of skus)
            for (const d of (await forecastFor(db, { level, storeId: s, key: k }))?.days ?? [])
              out.set(d.date, (out.get(d.date) ?? 0) + d.mean);
        return out;
      };
      const expectTotal = async (
        q: { level: 'category' | 'store' | 'chain'; storeId: string; key: string },
        parts: Map<string, number>,
      ) => {
        const f = await forecastFor(db, q);
        expect(f?.days).toHaveLength(14);
        for (const d of f?.days ?? []) expect(d.mean).toBeCloseTo(parts.get(d.date) ?? Number.NaN, 6);
      };
      await expectTotal(
        { level: 'category', storeId: 'S1', key: 'dairy' },
        await sum('sku', ['S1'], ['MILK', 'YOGURT']),
      );
      await expectTotal(
        { level: 'category', storeId: 'S1', key: 'food' },
        await sum('sku', ['S1'], ['MILK', 'YOGURT', 'BREAD', 'BAGEL']),
      );
      await expectTotal(
        { level: 'category', storeId: '*', key: 'bakery' },
        await sum('sku', ['S1', 'S2'], ['BREAD', 'BAGEL']),
      );
      await expectTotal(
        { level: 'store', storeId: 'S2', key: '*' },
        await sum('sku', ['S2'], ['MILK', 'YOGURT', 'BREAD', 'BAGEL']),
      );
      await expectTotal(
        { level: 'chain', storeId: '*', key: '*' },
        await sum('sku', ['S1', 'S2'], ['MILK', 'YOGURT', 'BREAD', 'BAGEL']),
      );

      // A total's band is at least as wide as its measured holdout error says.
      const chain = await forecastFor(db, { level: 'chain', storeId: '*', key: '*' });
      const chainMae = chain?.backtestMae ?? 0;
      expect(chainMae).toBeGreaterThan(0);
      for (const d of chain?.days ?? []) {
        expect(d.p90 - d.mean).toBeGreaterThanOrEqual(1.28 * 1.25 * chainMae - 1e-6);
        expect(d.p10).toBeLessThanOrEqual(d.mean);
      }

      // Ten days of history, and none at all: both get a positive forecast from their peers.
      const launched = await forecastFor(db, { level: 'sku', storeId: 'S1', key: 'BAGEL' });
      const unsold = await forecastFor(db, { level: 'sku', storeId: 'S2', key: 'BAGEL' });
      expect(launched?.model).toMatch(/^fallback/);
      expect(launched?.historyDays).toBe(10);
      expect(launched?.days[0]?.mean).toBeGreaterThan(0);
      expect(unsold?.model).toMatch(/^fallback/);
      expect(unsold?.days[0]?.mean).toBeGreaterThan(0);

      const totals = await forecastTotals(db, { storeIds: ['S1'], skus: ['MILK'], days: 7 });
      expect(totals?.from).toBe('2026-04-01');
      expect(totals?.to).toBe('2026-04-07');
      const week = (milk?.days ?? []).slice(0, 7).reduce((s, d) => s + d.mean, 0);
      expect(totals?.rows).toEqual([expect.objectContaining({ storeId: 'S1', sku: 'MILK' })]);
      expect(totals?.rows[0]?.mean).toBeCloseTo(week, 6);
    });
  });

  it('keeps the last runs and deletes older ones with their rows', async () => {
    await withHqDb(backend, async ({ db }) => {
      await seed(db);
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push((await refresh(db, { keepRuns: 3, backtest: false })).runId);
      const runs = await db.selectFrom('forecast_runs').select('id').execute();
      expect(runs.map((r) => r.id).sort()).toEqual(ids.slice(1).sort());
      const orphan = await db
        .selectFrom('forecast_days')
        .select('run_id')
        .where('run_id', '=', ids[0] as string)
        .execute();
      expect(orphan).toHaveLength(0);
      expect((await latestRun(db))?.id).toBe(ids[3]);
    });
  });

  it('refuses a second refresh while one is running, and records a failed one', async () => {
    await withHqDb(backend, async ({ db }) => {
      await seed(db);
      await db
        .insertInto('forecast_runs')
        .values({ id: crypto.randomUUID(), model_version: 'x', horizon_days: 7, status: 'running' })
        .execute();
      const err = await refresh(db).catch((e: unknown) => e);
      expect(isTallyError(err) && err.code === 'conflict').toBe(true);
      await db.deleteFrom('forecast_runs').execute();
      const bad = await refreshHqForecasts(db, {
        horizonDays: 14,
        asOf: 'not-a-date',
        logger: silentLogger,
        threads: 0,
      }).catch((e: unknown) => e);
      expect(isTallyError(bad) && bad.field).toBe('asOf');
      // A refresh that fails once started is recorded as failed, with why.
      const failing = await refreshHqForecasts(db, {
        horizonDays: 14,
        asOf: AS_OF,
        logger: silentLogger,
        threads: 0,
        onProgress: () => {
          throw new Error('disk full');
        },
      }).catch((e: unknown) => e);
      expect(failing).toBeInstanceOf(Error);
      const failed = await db.selectFrom('forecast_runs').select(['status', 'error']).execute();
      expect(failed).toEqual([{ status: 'failed', error: 'disk full' }]);
      expect(await latestRun(db)).toBeUndefined();
    });
  });

  it('blends in the global model once the chain has enough series to learn across', async () => {
    await withHqDb(backend, async ({ db }) => {
      // Eight stores × the three steady SKUs = 24 series, plus the new and unsold ones: over the threshold
      // of 30 once every store sells all four.
      await seed(db);
      const stores = ['S3', 'S4', 'S5', 'S6', 'S7', 'S8'];
      for (const id of stores)
        await db
          .insertInto('stores')
          .values({ id, name: id, address: '', currency: 'USD', time_zone: 'UTC', tax_inclusive: false })
          .execute();
      const rows: { business_date: string; store_id: string; sku: string; qty: number }[] = [];
      for (const store of stores)
        for (const [sku, level] of Object.entries({ MILK: 10, YOGURT: 5, BREAD: 7, BAGEL: 2 }))
          for (let b = 149; b >= 0; b--)
            rows.push({ business_date: day(b), store_id: store, sku, qty: level });
      await db
        .insertInto('sales_daily')
        .values(
          rows.map((r) => ({
            ...r,
            net_minor: r.qty * 250,
            tax_minor: 0,
            gross_minor: r.qty * 250,
            lines: 1,
          })),
        )
        .execute();
      await refresh(db, { backtest: false });
      const run = await latestRun(db);
      expect(run?.series).toBeGreaterThanOrEqual(30);
      expect(run?.modelVersion).toMatch(/^tally\/2 .*global GBDT/);
      const milk = await forecastFor(db, { level: 'sku', storeId: 'S3', key: 'MILK' });
      expect(milk?.model).toMatch(/gbdt/);
      // A flat 10 a day stays about 10 a day.
      for (const d of milk?.days ?? []) expect(Math.abs(d.mean - 10)).toBeLessThan(2);
      const local = await refreshHqForecasts(db, {
        horizonDays: 14,
        asOf: AS_OF,
        logger: silentLogger,
        threads: 0,
        backtest: false,
        global: false,
      });
      expect(local.series).toBe(run?.series);
      expect((await latestRun(db))?.modelVersion).toMatch(/^tally-local\/1/);
    });
  });
});
