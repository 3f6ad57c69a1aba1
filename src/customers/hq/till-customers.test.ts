import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { storesWithTill } from '../../../test/helpers/stores.ts';
import { appendToHqLog } from '../../apps/shared/event-registry.ts';
import type { TillCustomersDelta } from '../../contracts/index.ts';
import type { HqDb } from '../../db/index.ts';
import {
  changeConsentAtHq,
  createCustomerAtHq,
  customerForTill,
  eraseCustomer,
  publishCustomerSegments,
  tillCustomerChanges,
} from './index.ts';

const AT = new Date('2026-03-02T10:00:00Z');

async function customer(db: HqDb, storeId: string, n: number): Promise<string> {
  return createCustomerAtHq(db, appendToHqLog, { storeId, email: `c${n}@example.org` }, AT);
}

/** Every page after `since` until HQ says there is no more: what a till takes in one pull round. */
async function pullAll(db: HqDb, storeId: string, since: string | undefined, limit = 1_000) {
  const pages: TillCustomersDelta[] = [];
  let cursor = since;
  for (;;) {
    const page = await tillCustomerChanges(db, storeId, cursor, { limit });
    pages.push(page);
    cursor = page.cursor;
    if (!page.more) return { pages, cursor, changes: pages.flatMap((p) => p.changes) };
  }
}

describe.each(hqBackends())("the store's changed customers for its tills on $name", ({ open }) => {
  const h = useHqDb(open);

  it('sends a store its own customers who moved segment or changed consent, and nobody twice', async () => {
    await storesWithTill(h.db, ['S001', 'S002']);
    const [a, b, c] = [
      await customer(h.db, 'S001', 1),
      await customer(h.db, 'S001', 2),
      await customer(h.db, 'S002', 3),
    ];
    const first = await pullAll(h.db, 'S001', undefined);
    // A registration alone changes nothing a till does not already have.
    expect(first.pages[0]!.full).toBe(true);
    expect(first.changes).toEqual([]);

    const run1 = [
      { customerId: a, segment: 'at risk' },
      { customerId: b, segment: 'champions' },
      { customerId: c, segment: 'at risk' },
    ];
    expect(await publishCustomerSegments(h.db, run1, '2026-03-01')).toBe(3);
    const second = await pullAll(h.db, 'S001', first.cursor);
    expect(second.pages[0]!.full).toBe(false);
    expect(Object.fromEntries(second.changes.map((x) => [x.customerId, x.segment]))).toEqual({
      [a]: 'at risk',
      [b]: 'champions',
    });
    // A till of another store looking A up gets the segment with the rest.
    expect((await customerForTill(h.db, 'email', 'c1@example.org'))?.segment).toBe('at risk');

    // The next night nobody moved: nothing is written and no till hears anything.
    expect(await publishCustomerSegments(h.db, run1, '2026-03-02')).toBe(0);
    const quiet = await pullAll(h.db, 'S001', second.cursor);
    expect(quiet.changes).toEqual([]);

    // Then A is lost and B gives email consent at HQ: each is sent once, with its current state.
    await publishCustomerSegments(
      h.db,
      [
        { customerId: a, segment: 'lost' },
        { customerId: b, segment: 'champions' },
      ],
      '2026-03-03',
    );
    await changeConsentAtHq(
      h.db,
      appendToHqLog,
      { customerId: b, purpose: 'marketing_email', granted: true, actor: 'hq-admin' },
      new Date('2026-03-03T09:00:00Z'),
    );
    const third = await pullAll(h.db, 'S001', quiet.cursor);
    expect(third.changes.map((x) => x.customerId).sort()).toEqual([a, b].sort());
    const bNow = third.changes.find((x) => x.customerId === b)!;
    expect(bNow.segment).toBe('champions');
    expect(bNow.consents).toContainEqual({
      purpose: 'marketing_email',
      granted: true,
      at: '2026-03-03T09:00:00.000Z',
    });
    // A purpose never changed since registration is dated at the registration.
    expect(bNow.consents).toContainEqual({ purpose: 'analytics', granted: false, at: AT.toISOString() });
    expect(third.changes.find((x) => x.customerId === a)!.segment).toBe('lost');

    // Another store's till sees only its customer; a cursor of another database starts over.
    expect((await pullAll(h.db, 'S002', first.cursor)).changes.map((x) => x.customerId)).toEqual([c]);
    const foreign = await tillCustomerChanges(h.db, 'S001', 'ffff.3');
    expect(foreign.full).toBe(true);
  });

  it('an erased customer leaves the list and gets no segment back from a later run', async () => {
    await storesWithTill(h.db, ['S001']);
    const a = await customer(h.db, 'S001', 1);
    await publishCustomerSegments(h.db, [{ customerId: a, segment: 'at risk' }], '2026-03-01');
    await eraseCustomer(h.db, appendToHqLog, a);
    expect(await publishCustomerSegments(h.db, [{ customerId: a, segment: 'lost' }], '2026-03-02')).toBe(0);
    expect((await pullAll(h.db, 'S001', undefined)).changes).toEqual([]);
  });

  it('pages of any size add up to the current segment of every customer of the store (property)', async () => {
    await storesWithTill(h.db, ['S001', 'S002']);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await customer(h.db, i < 4 ? 'S001' : 'S002', i));
    const segment = fc.constantFrom('at risk', 'champions', 'lost', 'new customers');
    const till = new Map<string, string | null>();
    let cursor: string | undefined;
    let day = 1;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), segment), { maxLength: 6 }),
        fc.integer({ min: 1, max: 4 }),
        async (moves, limit) => {
          const asOf = `2026-04-${String(day++).padStart(2, '0')}`;
          const latest = new Map(moves.map(([i, s]) => [ids[i]!, s]));
          await publishCustomerSegments(
            h.db,
            [...latest].map(([customerId, s]) => ({ customerId, segment: s })),
            asOf,
          );
          const round = await pullAll(h.db, 'S001', cursor, limit);
          for (const p of round.pages) expect(p.changes.length).toBeLessThanOrEqual(limit);
          for (const ch of round.changes) till.set(ch.customerId, ch.segment);
          cursor = round.cursor;
          const { rows } = await sql<{ id: string; segment: string }>`
            SELECT customer_id::text AS id, segment FROM customer_segments`.execute(h.db);
          const hq = new Map(rows.map((r) => [r.id, r.segment]));
          for (const id of ids.slice(0, 4)) expect(till.get(id) ?? null).toBe(hq.get(id) ?? null);
          for (const id of ids.slice(4)) expect(till.has(id)).toBe(false);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
