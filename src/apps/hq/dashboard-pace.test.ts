import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { DASHBOARD_PATHS as P, paceResponse } from '../../contracts/dashboard.ts';
import { fixedClock } from '../../core/clock.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'admin-secret-for-pace-tests';
const headers = { authorization: `Bearer ${ADMIN}` };

/**
 * The pace tiles at 6 a.m.: a Tuesday whose early hours run ahead of last Tuesday's, where the whole of
 * last Tuesday (open until 20:00) dwarfs any morning. HQ's clock is fixed at 06:00 in Berlin.
 */
describe.each(hqBackends())('sales pace at 06:00 on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  const today = '2026-03-03';
  const lastWeek = '2026-02-24';

  const hour = (date: string, storeId: string, hr: number, tx: number, net: number) =>
    sql`INSERT INTO sales_hourly (business_date, store_id, hour, transactions, units, net_minor, gross_minor, cost_minor, costed_net_minor)
      VALUES (${date}, ${storeId}, ${hr}, ${tx}, ${tx * 2}, ${net}, ${net}, 0, 0)`.execute(h.db);

  beforeAll(async () => {
    h = await open();
    const store = { currency: 'EUR', taxInclusive: true, address: 'Hauptstraße 1' };
    await createStore(h.db, { ...store, storeId: 'S001', name: 'Berlin', timeZone: 'Europe/Berlin' });
    await createStore(h.db, { ...store, storeId: 'S009', name: 'London', timeZone: 'Europe/London' });
    await hour(today, 'S001', 5, 10, 5_000);
    await hour(lastWeek, 'S001', 5, 8, 4_000);
    for (let hr = 7; hr <= 20; hr++) await hour(lastWeek, 'S001', hr, 30, 14_300);
    // London is at 05:00 when Berlin is at 06:00: its 05:00 hour has not begun there.
    await hour(lastWeek, 'S009', 4, 1, 700);
    await hour(lastWeek, 'S009', 5, 1, 900);
    const clock = fixedClock('2026-03-03T05:00:00Z'); // 06:00 in Berlin, 05:00 in London
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN, clock });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('compares today so far with last Tuesday up to 06:00, not with its whole day', async () => {
    const res = await app.inject({ url: `${P.pace}?store=S001`, headers });
    expect(res.statusCode).toBe(200);
    const pace = paceResponse.parse(res.json());
    expect(pace.date).toBe(today);
    expect(pace.compare).toEqual({ lastWeek, lastYear: '2025-03-04', through: '06:00' });
    expect(pace.totals.today.revenueMinor).toBe(5_000);
    expect(pace.totals.lastWeek).toMatchObject({ revenueMinor: 4_000, transactions: 8 });
    // Ahead by a quarter; against the whole day (what the tile used to say) it read −98 %.
    const change = (a: number, b: number) => Math.round((a / b - 1) * 100);
    expect(change(pace.totals.today.revenueMinor, pace.totals.lastWeek.revenueMinor)).toBe(25);
    expect(change(pace.totals.today.revenueMinor, pace.wholeDay.lastWeek.revenueMinor)).toBe(-98);
    expect(pace.source.query).toMatch(/up to the same local time \(06:00/);
  });

  it('cuts each store of a chain at its own local time', async () => {
    const pace = paceResponse.parse((await app.inject({ url: P.pace, headers })).json());
    // Berlin's hour 5 (4 000) and London's hour 4 (700); London's hour 5 is still to come there.
    expect(pace.totals.lastWeek.revenueMinor).toBe(4_700);
    expect(pace.source.query).toMatch(/each store in its own zone/);
  });

  it('compares whole days for a day that is over', async () => {
    const pace = paceResponse.parse(
      (await app.inject({ url: `${P.pace}?store=S001&date=${'2026-03-02'}`, headers })).json(),
    );
    expect(pace.compare.through).toBeNull();
    const past = paceResponse.parse(
      (await app.inject({ url: `${P.pace}?store=S001&date=${'2026-03-03'}`, headers })).json(),
    );
    expect(past.compare.through).toBe('06:00');
  });
});
