/**
 * The demo's stores shut on Christmas, the day after and New Year's Day: no sales in its history, and
 * the seeded calendar says so for the past and the coming year, so HQ's forecast expects nothing then.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../test/helpers/hq-db.ts';
import { hqEventRegistry } from '../apps/shared/event-registry.ts';
import { listCalendarEvents } from '../catalog/hq/index.ts';
import type { OpenHqDb } from '../db/hq-db.ts';
import { refreshHqForecasts } from '../intel/forecast/hq-refresh.ts';
import { seedDemoHistory } from './demo-history.ts';
import { demoClosedDays } from './demo-sales.ts';
import { seedDemoChain } from './seed.ts';

describe.each(hqBackends().slice(0, 1))('the demo calendar on $name', ({ open }) => {
  let h: OpenHqDb;
  // Mid-December: Christmas is inside the forecast's four weeks, last Christmas inside the history.
  const now = new Date('2026-12-10T15:00:00Z');

  beforeAll(async () => {
    h = await open();
    await seedDemoChain(h.db, hqEventRegistry, { stores: 2, products: 8 });
    await seedDemoHistory(h.db, hqEventRegistry, { days: 400, now });
    await refreshHqForecasts(h.db, {
      logger: silentLogger,
      asOf: '2026-12-09',
      horizonDays: 28,
      backtest: false,
      threads: 0,
    });
  }, 600_000);
  afterAll(async () => {
    await h?.close();
  });

  it('lists the closed days of the history and of the coming year, chain-wide', async () => {
    const closed = (await listCalendarEvents(h.db)).filter((e) => e.type === 'Closed');
    expect(closed.map((e) => e.date)).toEqual([
      '2025-12-25',
      '2025-12-26',
      '2026-01-01',
      '2026-12-25',
      '2026-12-26',
      '2027-01-01',
    ]);
    expect(closed.every((e) => e.scope === 'chain' && e.source === 'demo')).toBe(true);
    expect(closed[0]?.name).toBe('Christmas Day (closed)');
  });

  it('has no sales in the history on a closed day', async () => {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sales_daily
      WHERE business_date IN ('2025-12-25', '2025-12-26', '2026-01-01')`.execute(h.db);
    expect(r.rows[0]?.n).toBe(0);
  });

  it('forecasts nothing on Christmas and the day after, and the usual on Christmas Eve', async () => {
    const day = async (date: string) =>
      (
        await sql<{ level: string; mean: number; p90: number }>`
          SELECT level, mean, p90 FROM forecast_days WHERE date = ${date}::date`.execute(h.db)
      ).rows;
    for (const date of ['2026-12-25', '2026-12-26']) {
      const rows = await day(date);
      expect(rows.length, date).toBeGreaterThan(8);
      expect(
        rows.every((r) => r.mean === 0 && r.p90 === 0),
        date,
      ).toBe(true);
    }
    const eve = await day('2026-12-24');
    const chain = eve.find((r) => r.level === 'chain');
    expect(chain?.mean).toBeGreaterThan(1);
  });

  it('names each closed day once a year, whatever the range', () => {
    expect(demoClosedDays('2026-12-26', '2027-01-01')).toEqual([
      { date: '2026-12-26', name: 'Second Day of Christmas (closed)' },
      { date: '2027-01-01', name: "New Year's Day (closed)" },
    ]);
  });
});
