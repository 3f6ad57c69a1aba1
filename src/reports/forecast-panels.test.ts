import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../test/helpers/hq-db.ts';
import { buildHqApp } from '../apps/hq/server.ts';
import { hqEventRegistry } from '../apps/shared/event-registry.ts';
import type { App } from '../apps/shared/http.ts';
import { DASHBOARD_PATHS as P } from '../contracts/dashboard.ts';
import { businessDate } from '../core/clock.ts';
import type { OpenHqDb } from '../db/hq-db.ts';
import { seedDemoDrafts } from '../demo/demo-drafts.ts';
import { seedDemoHistory } from '../demo/demo-history.ts';
import { seedDemoChain } from '../demo/seed.ts';
import { refreshHqForecasts } from '../intel/forecast/hq-refresh.ts';
import { getDraft, listDrafts } from '../intel/replenish/store.ts';
import { addDays } from './common.ts';

const ADMIN = 'admin-secret-for-forecast-panels';
const headers = { authorization: `Bearer ${ADMIN}` };

/** The panels that read stored forecasts, against real runs of HQ's refresh. */
describe.each(hqBackends())('forecast panels on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  const today = businessDate(new Date(), 'Europe/Berlin');
  const yesterday = addDays(today, -1);

  beforeAll(async () => {
    h = await open();
    await seedDemoChain(h.db, hqEventRegistry, { stores: 2, products: 12 });
    await seedDemoHistory(h.db, hqEventRegistry, { days: 100 });
    // Yesterday S001 sold 60 more Dairy units than usual: far outside any band a week-old forecast gave.
    const dairy = await h.db
      .selectFrom('products')
      .select('sku')
      .where('category', '=', 'Dairy')
      .orderBy('sku')
      .executeTakeFirstOrThrow();
    await sql`INSERT INTO sales_daily (business_date, store_id, sku, qty, net_minor, tax_minor, gross_minor, lines)
      VALUES (${yesterday}, 'S001', ${dairy.sku}, 60, 6000, 420, 6420, 60)
      ON CONFLICT (business_date, store_id, sku) DO UPDATE SET qty = sales_daily.qty + 60`.execute(h.db);
    await refreshHqForecasts(h.db, {
      logger: silentLogger,
      asOf: addDays(today, -8),
      horizonDays: 28,
      backtest: false,
      threads: 0,
    });
    await refreshHqForecasts(h.db, { logger: silentLogger, horizonDays: 14, threads: 0 });
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN });
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('draws a SKU forecast with its history, band and error in words', async () => {
    const sku = (await h.db.selectFrom('products').select('sku').orderBy('sku').executeTakeFirstOrThrow())
      .sku;
    const res = await app.inject({ url: `${P.forecast}?store=S001&sku=${sku}`, headers });
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f.series).toMatchObject({ level: 'sku', storeId: 'S001', key: sku });
    expect(f.forecast).toHaveLength(14);
    expect(f.history).toHaveLength(91);
    expect(f.history.at(-1).date).toBe(addDays(f.forecast[0].date, -1));
    for (const d of f.forecast) expect(d.p10 <= d.mean && d.mean <= d.p90).toBe(true);
    // The words carry the stored numbers: the band's ± from the days' p10/p90, the error from the series.
    const half =
      f.forecast
        .slice(0, 7)
        .reduce((s: number, d: { p10: number; p90: number }) => s + (d.p90 - d.p10) / 2, 0) / 7;
    expect(f.trust.bandHalfWidth).toBeCloseTo(half, 2);
    const stored = await h.db
      .selectFrom('forecast_series')
      .select('backtest_mae')
      .where('level', '=', 'sku')
      .where('store_id', '=', 'S001')
      .where('key', '=', sku)
      .orderBy('run_id', 'desc')
      .execute();
    expect(stored.map((r) => Math.round(Number(r.backtest_mae) * 100) / 100)).toContain(
      f.trust.maeUnitsPerDay,
    );
    const shown = (x: number) => String(x < 9.95 ? Math.round(x * 10) / 10 : Math.round(x));
    expect(f.trust.text).toContain(`(p10–p90) ±${shown(f.trust.bandHalfWidth)} unit`);
    expect(f.trust.text).toContain(`(backtest) ${shown(f.trust.maeUnitsPerDay)} unit`);
  });

  it("the chain's category forecast is the stored chain total, not a sum of bands", async () => {
    const f = (await app.inject({ url: `${P.forecast}?category=Dairy`, headers })).json();
    expect(f.series).toMatchObject({ level: 'category', storeId: '*', key: 'Dairy' });
    expect(f.source.query).not.toMatch(/summed/);
  });

  it("drafts the demo's orders by running replenishment over the forecast: each line its own numbers and reason", async () => {
    const first = await seedDemoDrafts(h.db);
    expect(first.lines).toBeGreaterThan(1);
    const lines = (
      await Promise.all((await listDrafts(h.db)).map(async (d) => (await getDraft(h.db, d.id)).lineItems))
    ).flat();
    expect(lines).toHaveLength(first.lines);
    // Different products, different demand: no two lines share a forecast, and each explains its own.
    const demand = lines.map((l) => (l.inputs as { demandMean: number }).demandMean);
    expect(new Set(demand).size).toBeGreaterThan(1);
    expect(new Set(lines.map((l) => l.reason)).size).toBe(lines.length);
    for (const l of lines) {
      const onHand = (l.inputs as { onHand: number }).onHand;
      expect(l.reason).toContain(`On hand ${Number.isInteger(onHand) ? onHand : onHand.toFixed(1)} +`);
      expect(l.reason).toContain(`Ordering ${l.qty} =`);
      expect(l.name).not.toBe(l.sku);
    }
    // Once: a second start drafts nothing more.
    expect((await seedDemoDrafts(h.db)).drafts).toBe(0);
  });

  it('weekly demand comes from the latest run, and the briefing names yesterday’s deviation', async () => {
    const inv = (await app.inject({ url: `${P.inventory}?store=S001`, headers })).json();
    expect(inv.source.query).toMatch(/forecast run/);
    const b = (await app.inject({ url: `${P.briefing}?store=S001`, headers })).json();
    const dev = b.actions.find((a: { kind: string }) => a.kind === 'deviation');
    expect(dev).toMatchObject({ link: '#/insights/forecast?store=S001&category=Dairy' });
    expect(dev.numbers.actual).toBeGreaterThan(dev.numbers.p90);
  });
});
