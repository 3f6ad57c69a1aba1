import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { saleEvent, sales } from '../../../test/fixtures/ingest.ts';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { tillsSendingTo } from '../../../test/helpers/ingest.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import type { EventEnvelope } from '../../core/event.ts';
import { listConflicts } from './conflicts.ts';
import { storeSyncFigures } from './figures.ts';
import { syncDb } from './sync-tables.ts';

/**
 * The sync protocol's promise when a till and HQ disagree: HQ never overwrites what it holds, never
 * drops what it refuses, and says `conflict` for every event the till must not pass.
 */
describe.each(hqBackends())('conflicts on $name', ({ open }) => {
  const h = useHqDb(open, {
    once: true,
    seed: async (db) => {
      await createStore(db, berlinStore('S001'));
    },
  });
  const { newTill, send } = tillsSendingTo(() => h.db, 'T');

  it('a till restored from a backup gets a conflict for every reused seq, and HQ lists both sales', async () => {
    const till = await newTill();
    const sent = sales(till, 1, 6);
    await send(till, sent);
    // The backup was taken after seq 3: the till sells again as seq 4, 5, 6 and 7.
    const after = sales(till, 4, 7, 'SKU2');
    const r = await send(till, after);
    expect(r.accepted).toBe(1);
    expect(r.rejected.map((x) => [x.seq, x.kind])).toEqual([
      [4, 'conflict'],
      [5, 'conflict'],
      [6, 'conflict'],
    ]);
    // HQ does hold seqs 1..7 (the old 4..6): heldUpTo keeps its meaning, the conflicts say the rest.
    expect(r.heldUpTo).toBe(7);

    const listed = await listConflicts(h.db, { terminalId: till.terminalId });
    expect(listed.map((c) => c.seq).sort()).toEqual([4, 5, 6]);
    for (const c of listed) {
      expect(c.held).toMatchObject({ id: sent[c.seq - 1]!.id, seq: c.seq });
      expect(c.refused).toMatchObject({
        id: after[c.seq - 4]!.id,
        seq: c.seq,
        payload: after[c.seq - 4]!.payload,
      });
      expect(c.timesSeen).toBe(1);
    }
    const [figures] = await storeSyncFigures(h.db, { storeId: 'S001' });
    expect(figures?.conflicts).toBeGreaterThanOrEqual(3);
  });

  it('the same conflicting sale sent again counts again on its row instead of adding one', async () => {
    const till = await newTill();
    await send(till, sales(till, 1, 2));
    const impostor = [saleEvent(till, 2, [{ sku: 'SKU9', qty: 5, unitPriceMinor: 100, taxRateBp: 700 }])];
    await send(till, impostor);
    const again = await send(till, impostor);
    expect(again.rejected).toEqual([expect.objectContaining({ id: impostor[0]!.id, kind: 'conflict' })]);
    const listed = await listConflicts(h.db, { terminalId: till.terminalId });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ seq: 2, timesSeen: 2 });
  });

  it('a sale resent under its id with a different total is a conflict, the identical resend a duplicate', async () => {
    const till = await newTill();
    const [original] = sales(till, 1, 1);
    await send(till, [original!]);
    // Keys in another order and the time written with an offset: the same content.
    const same: EventEnvelope = {
      ...original!,
      payload: Object.fromEntries(Object.entries(original!.payload).reverse()),
      occurredAt: '2026-03-02T11:00:00.000+01:00',
    };
    expect(await send(till, [same])).toMatchObject({ accepted: 0, duplicates: 1, rejected: [] });

    const changed = structuredClone(original!);
    changed.payload.cashierId = 'c2';
    const r = await send(till, [changed]);
    expect(r).toMatchObject({ accepted: 0, duplicates: 0 });
    expect(r.rejected).toEqual([
      { id: original!.id, seq: 1, kind: 'conflict', reason: expect.stringMatching(/different content/) },
    ]);
    const [c] = await listConflicts(h.db, { terminalId: till.terminalId });
    expect(c?.held).toMatchObject({ payload: { cashierId: 'c1' } });
    expect(c?.refused).toMatchObject({ payload: { cashierId: 'c2' } });
  });

  it('an event stored before content hashes existed is still a duplicate when resent unchanged', async () => {
    const till = await newTill();
    const [old, other] = sales(till, 1, 2);
    await send(till, [old!, other!]);
    await syncDb(h.db)
      .updateTable('events')
      .set({ content_hash: null })
      .where('terminal_id', '=', till.terminalId)
      .execute();
    expect(await send(till, [old!])).toMatchObject({ duplicates: 1, rejected: [] });
    const changed = { ...other!, payload: { ...other!.payload, receiptNo: 'forged' } };
    expect((await send(till, [changed])).rejected).toEqual([expect.objectContaining({ kind: 'conflict' })]);
  });

  it('whatever point a till rolls back to, every reused seq is a conflict and every new one is held', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        async (sentCount, backTo, newCount) => {
          const till = await newTill();
          const rollback = Math.min(backTo, sentCount - 1);
          await send(till, sales(till, 1, sentCount));
          const r = await send(till, sales(till, rollback + 1, rollback + newCount, 'SKU3'));
          const reused = Array.from(
            { length: Math.min(sentCount, rollback + newCount) - rollback },
            (_, i) => rollback + 1 + i,
          );
          expect(r.rejected.filter((x) => x.kind === 'conflict').map((x) => x.seq)).toEqual(reused);
          expect(r.accepted).toBe(newCount - reused.length);
          expect(r.heldUpTo).toBe(Math.max(sentCount, rollback + newCount));
          const listed = await listConflicts(h.db, { terminalId: till.terminalId });
          expect(listed.map((c) => c.seq).sort((a, b) => a - b)).toEqual(reused);
        },
      ),
      { numRuns: 12 },
    );
  });
});
