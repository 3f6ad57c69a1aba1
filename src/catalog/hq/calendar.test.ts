import { describe, expect, it, vi } from 'vitest';
import { hqBackends, withHqDb } from '../../../test/helpers/hq-db.ts';
import type { HqDb } from '../../db/hq-db.ts';
import { addCalendarEvents, listCalendarEvents, setStoreRegions, storeCalendars } from './calendar.ts';

// Each test starts a PGlite; on the shared 2-core machine that can take a while.
vi.setConfig({ testTimeout: 180_000 });

async function stores(db: HqDb, ids: string[]): Promise<void> {
  await db
    .insertInto('stores')
    .values(
      ids.map((id) => ({
        id,
        name: id,
        address: '',
        currency: 'USD',
        time_zone: 'UTC',
        tax_inclusive: false,
      })),
    )
    .execute();
}

describe.each(hqBackends())('calendar on $name', (backend) => {
  it('adds an event once, refuses unknown stores and bad dates, and shows each store its own days', async () => {
    await withHqDb(backend, async ({ db }) => {
      await stores(db, ['S1', 'S2', 'S3']);
      await setStoreRegions(
        db,
        new Map([
          ['S1', 'CA'],
          ['S2', 'TX'],
        ]),
      );
      const eve = {
        date: '2026-12-24',
        name: 'Christmas Eve',
        type: 'Religious',
        scope: 'chain',
        scopeIds: [],
      } as const;
      await addCalendarEvents(db, [eve]);
      // The same event again only takes the new type.
      await addCalendarEvents(db, [{ ...eve, type: 'National' }]);
      await addCalendarEvents(db, [
        { date: '2026-12-01', name: 'SNAP', type: 'SNAP', scope: 'region', scopeIds: ['CA'] },
        { date: '2026-12-05', name: 'Street fair', type: 'Event', scope: 'stores', scopeIds: ['S2', 'S3'] },
      ]);
      const listed = await listCalendarEvents(db, { from: '2026-12-02' });
      expect(listed.map((e) => [e.date, e.name, e.type])).toEqual([
        ['2026-12-05', 'Street fair', 'Event'],
        ['2026-12-24', 'Christmas Eve', 'National'],
      ]);

      await expect(
        addCalendarEvents(db, [{ ...eve, scope: 'stores', scopeIds: ['S1', 'NOPE'] }]),
      ).rejects.toThrow(/no store NOPE/);
      await expect(addCalendarEvents(db, [{ ...eve, date: '2026-02-30' }])).rejects.toThrow(
        /not a YYYY-MM-DD/,
      );
      await expect(setStoreRegions(db, new Map([['NOPE', 'CA']]))).rejects.toThrow(/no store NOPE/);

      const seen = await storeCalendars(db, ['S1', 'S2', 'S3'], '2026-12-01', '2026-12-31');
      expect(Object.fromEntries(seen.get('S1') ?? [])).toEqual({
        '2026-12-01': { snap: true },
        '2026-12-24': { event: 'Christmas Eve' },
      });
      expect(Object.fromEntries(seen.get('S3') ?? [])).toEqual({
        '2026-12-05': { event: 'Street fair' },
        '2026-12-24': { event: 'Christmas Eve' },
      });
    });
  });
});
