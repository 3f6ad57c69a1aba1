import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { hqBackends, withHqDb } from '../../../test/helpers/hq-db.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { addCalendarEvents, calendarDb } from '../../catalog/hq/calendar.ts';
import { importM5 } from '../../demo/m5-import.ts';
import { loadHqPanel } from './hq-history.ts';
import { dayIndex, type Series } from './panel.ts';

// Each test starts a PGlite; on the shared 2-core machine that can take a while.
vi.setConfig({ testTimeout: 180_000 });

const MINI = fileURLToPath(new URL('../../../test/fixtures/m5-mini', import.meta.url));

const eventOn = (s: Series, t: number): string | undefined => {
  const e = s.categorical.event;
  const code = e?.codes[t] ?? -1;
  return code < 0 ? undefined : e?.levels[code];
};

describe.each(hqBackends())('HQ history panel on $name', (backend) => {
  it("carries the calendar's events and SNAP days into history and horizon, per store", async () => {
    await withHqDb(backend, async ({ db }) => {
      await importM5(db, hqEventRegistry, { dir: MINI });
      // History ends 2011-03-11: one event for CA_1 alone and a CA-only SNAP day, both in the horizon.
      await addCalendarEvents(db, [
        {
          date: '2011-03-15',
          name: 'Store anniversary',
          type: 'Cultural',
          scope: 'stores',
          scopeIds: ['CA_1'],
        },
        { date: '2011-03-14', name: 'SNAP', type: 'SNAP', scope: 'region', scopeIds: ['CA'] },
        { date: '2011-03-16', name: 'Chain sale', type: 'Event', scope: 'chain', scopeIds: [] },
      ]);
      const hp = await loadHqPanel(db, { horizonDays: 7, historyDays: 42 });
      expect(hp.asOf).toBe('2011-03-11');
      const cal = hp.panel.calendar;
      const ca = hp.panel.series.find((s) => s.id === 'CA_1|FOODS_1_001') as Series;
      const tx = hp.panel.series.find((s) => s.id === 'TX_1|FOODS_1_001') as Series;
      const anniversary = dayIndex(cal, '2011-03-15');
      expect([...ca.horizon]).toContain(anniversary);
      expect(eventOn(ca, anniversary)).toBe('Store anniversary');
      expect(eventOn(tx, anniversary)).toBeUndefined();
      expect(eventOn(tx, dayIndex(cal, '2011-03-16'))).toBe('Chain sale');
      // The imported M5 event, in history, for both stores.
      expect(eventOn(ca, dayIndex(cal, '2011-02-06'))).toBe('SuperBowl');
      expect(eventOn(tx, dayIndex(cal, '2011-02-06'))).toBe('SuperBowl');
      expect(eventOn(ca, dayIndex(cal, '2011-02-07'))).toBeUndefined();
      // SNAP by the store's state: the fixture's days for every state, the added one for California only.
      expect(ca.numeric.snap?.[dayIndex(cal, '2011-02-01')]).toBe(1);
      expect(tx.numeric.snap?.[dayIndex(cal, '2011-02-01')]).toBe(1);
      expect(ca.numeric.snap?.[dayIndex(cal, '2011-03-14')]).toBe(1);
      expect(tx.numeric.snap?.[dayIndex(cal, '2011-03-14')]).toBe(0);

      // Without a calendar the panel has no calendar covariates, as before.
      await calendarDb(db).deleteFrom('calendar_events').execute();
      const bare = await loadHqPanel(db, { horizonDays: 7, historyDays: 42 });
      expect(Object.keys(bare.panel.series[0]?.categorical ?? {})).toEqual([]);
      expect(Object.keys(bare.panel.series[0]?.numeric ?? {})).toEqual(['price']);
    });
  });

  it("reads prices in each store's own currency units, not in hundredths", async () => {
    await withHqDb(backend, async ({ db }) => {
      await importM5(db, hqEventRegistry, { dir: MINI });
      const priceOf = async () =>
        (await loadHqPanel(db, { horizonDays: 7, historyDays: 42 })).panel.series.find(
          (s) => s.id === 'CA_1|FOODS_1_001',
        )?.numeric.price as Float64Array;
      const inDollars = await priceOf();
      // The same minor amounts in a currency without decimals (yen) are a hundred times the units.
      await db.updateTable('stores').set({ currency: 'JPY' }).where('id', '=', 'CA_1').execute();
      const inYen = await priceOf();
      const known = [...inDollars.keys()].filter((t) => !Number.isNaN(inDollars[t] as number));
      expect(known.length).toBeGreaterThan(0);
      for (const t of known) expect(inYen[t]).toBeCloseTo((inDollars[t] as number) * 100, 6);
    });
  });
});
