import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sales } from '../../../test/fixtures/ingest.ts';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { tillsSendingTo } from '../../../test/helpers/ingest.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import type { EventEnvelope } from '../../core/event.ts';
import { newId } from '../../core/ids.ts';
import { storeSyncFigures } from './figures.ts';
import { listQuarantine } from './quarantine.ts';

/**
 * One bad event never blocks a till: whatever text or value an event carries, HQ stores the good
 * events of its batch, quarantines the bad one (listed, seq held) and takes the next batch.
 */
const HOSTILE = ['\u0000', '\ud800', '\udfff', 'a\u0000b', '\ud83d', '\u0000\ud800'];

/** A string that PostgreSQL's jsonb cannot take: arbitrary text with NUL or a lone surrogate in it. */
const hostileText = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom(...HOSTILE), fc.string({ maxLength: 20 }))
  .map(([a, bad, b]) => `${a}${bad}${b}`);

/** Where a till could put such text: a field of a sale, or any key or value of an event HQ does not know. */
const spoil = fc.oneof(
  fc.record({ where: fc.constantFrom('cashierId', 'receiptNo', 'lineName', 'newKey'), text: hostileText }),
  fc.record({ where: fc.constant('unknownType' as const), text: hostileText, asKey: fc.boolean() }),
);

type SpoilT = { where: string; text: string; asKey?: boolean };

function spoiled(good: EventEnvelope, how: SpoilT): EventEnvelope {
  const e = structuredClone(good);
  const p = e.payload as Record<string, unknown> & { lines: { name: string }[] };
  if (how.where === 'cashierId') p.cashierId = how.text;
  else if (how.where === 'receiptNo') p.receiptNo = how.text;
  else if (how.where === 'lineName') p.lines[0]!.name = how.text;
  else if (how.where === 'newKey') p[how.text] = 1;
  else {
    e.type = 'loyalty.points_adjusted';
    e.payload = how.asKey ? { [how.text]: 'x' } : { note: how.text, nested: [{ deep: how.text }] };
  }
  return e;
}

describe.each(hqBackends())('quarantine on $name', ({ open }) => {
  const h = useHqDb(open, {
    once: true,
    seed: async (db) => {
      await createStore(db, berlinStore('S001'));
    },
  });
  const { newTill, send } = tillsSendingTo(() => h.db, 'Q');

  it('a NUL in a cashier id quarantines that sale; the sales around it and every later batch arrive', async () => {
    const till = await newTill();
    const [s1, s2, s3] = sales(till, 1, 3);
    const bad = spoiled(s2!, { where: 'cashierId', text: 'c\u00001' });
    const r = await send(till, [s1!, bad, s3!]);
    expect(r).toMatchObject({ accepted: 2, duplicates: 0, heldUpTo: 3, gaps: [] });
    expect(r.rejected).toEqual([
      { id: bad.id, seq: 2, kind: 'quarantined', reason: expect.stringMatching(/cashierId|payload/) },
    ]);
    expect(await send(till, sales(till, 4, 6))).toMatchObject({ accepted: 3, rejected: [], heldUpTo: 6 });
    // The till lost the answer and sends the bad one again: still held, still said.
    expect((await send(till, [bad])).rejected).toEqual([expect.objectContaining({ kind: 'quarantined' })]);

    const listed = await listQuarantine(h.db, { terminalId: till.terminalId });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      eventId: bad.id,
      seq: 2,
      event: { payload: { cashierId: 'c\u00001' } },
    });
    const [figures] = await storeSyncFigures(h.db, { storeId: 'S001' });
    expect(figures?.quarantined).toBeGreaterThanOrEqual(1);
  });

  it('a lone surrogate in an event type HQ does not know is quarantined, not a 500', async () => {
    const till = await newTill();
    const [s1] = sales(till, 1, 1);
    const odd = spoiled(s1!, { where: 'unknownType', text: 'Ren\ud800e', asKey: false });
    const r = await send(till, [{ ...odd, id: newId(), seq: 1 }]);
    expect(r).toMatchObject({
      accepted: 0,
      heldUpTo: 1,
      rejected: [expect.objectContaining({ kind: 'quarantined' })],
    });
  });

  it('an envelope with extreme numbers and dates never fails its batch: stored or quarantined, seq held', async () => {
    const extremeEnvelope = fc.record({
      schemaVersion: fc.oneof(fc.constantFrom(1, 2 ** 31, Number.MAX_SAFE_INTEGER), fc.integer({ min: 1 })),
      businessDate: fc.constantFrom('0000-01-01', '0001-01-01', '9999-12-31', '2026-02-28'),
      occurredAt: fc.constantFrom(
        '0000-01-01T00:00:00Z',
        '9999-12-31T23:59:59.999+14:00',
        '2026-03-02T10:00:00Z',
      ),
      type: fc.constantFrom('sale.completed', 'loyalty.points_adjusted', 'stock.counted'),
    });
    await fc.assert(
      fc.asyncProperty(extremeEnvelope, async (odd) => {
        const till = await newTill();
        const batch: EventEnvelope[] = sales(till, 1, 3);
        batch[1] = { ...batch[1]!, ...odd };
        const r = await send(till, batch);
        expect(r.heldUpTo).toBe(3);
        expect(r.accepted + r.rejected.filter((x) => x.kind === 'quarantined').length).toBe(3);
        expect(await send(till, sales(till, 4, 4))).toMatchObject({ accepted: 1, heldUpTo: 4 });
      }),
      { numRuns: 20 },
    );
  });

  it('whatever hostile text one event carries, its batch is stored but for it and the next batch is taken', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), spoil, async (at, how) => {
        const till = await newTill();
        const batch: EventEnvelope[] = sales(till, 1, 5);
        const bad = spoiled(batch[at]!, how as SpoilT);
        batch[at] = bad;
        const r = await send(till, batch);
        // A key the schema does not know may be stripped (then the sale itself is fine) or refused.
        const quarantined = [expect.objectContaining({ id: bad.id, kind: 'quarantined' })];
        if (how.where === 'newKey' && r.rejected.length === 0) expect(r.accepted).toBe(5);
        else {
          expect(r.accepted).toBe(4);
          expect(r.rejected).toEqual(quarantined);
        }
        expect(r.heldUpTo).toBe(5);
        expect(await send(till, sales(till, 6, 7))).toMatchObject({ accepted: 2, rejected: [], heldUpTo: 7 });
      }),
      { numRuns: 25 },
    );
  });
});
