import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { returnEvent, saleEvent, sales } from '../../../test/fixtures/ingest.ts';
import { hqBackends } from '../../../test/helpers/hq-db.ts';
import { berlinStore as store } from '../../../test/helpers/stores.ts';
import type { AuthenticatedTerminal } from '../../access/terminals.ts';
import { enrollTerminal } from '../../access/terminals.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import { stockOnHand } from '../../inventory/hq/stock-projection.ts';
import { salesDaily } from '../../sales/hq/facts-projection.ts';
import { ingestBatch } from './ingest.ts';
import { appendHqEvents } from './ingest-local.ts';
import { rebuildProjections } from './ingest-projections.ts';

describe.each(hqBackends())('ingest on $name', ({ open }) => {
  let h: OpenHqDb;
  let till: AuthenticatedTerminal;
  let other: AuthenticatedTerminal;
  const eventCount = async (): Promise<number> =>
    Number(
      (
        await h.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeEach(async () => {
    h = await open();
    await createStore(h.db, store('S001'));
    await createStore(h.db, store('S002'));
    till = await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-T01' });
    other = await enrollTerminal(h.db, { storeId: 'S002', terminalId: 'S002-T01' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('stores a batch sent twice once, acknowledging the second as duplicates', async () => {
    const batch = { terminalId: till.terminalId, events: sales(till, 1, 5) };
    const first = await ingestBatch(h.db, hqEventRegistry, till, batch);
    const second = await ingestBatch(h.db, hqEventRegistry, till, batch);
    expect(first).toEqual({ accepted: 5, duplicates: 0, rejected: [], heldUpTo: 5, gaps: [] });
    expect(second).toEqual({ accepted: 0, duplicates: 5, rejected: [], heldUpTo: 5, gaps: [] });
    expect(await eventCount()).toBe(5);
    expect(await stockOnHand(h.db, { storeId: 'S001' })).toEqual([{ storeId: 'S001', sku: 'SKU1', qty: -5 }]);
  });

  it('reports a gap until the missing events arrive, whatever the order', async () => {
    const all = sales(till, 1, 6);
    const [e1, e2, e3, e4, e5, e6] = all as [
      (typeof all)[0],
      (typeof all)[0],
      (typeof all)[0],
      (typeof all)[0],
      (typeof all)[0],
      (typeof all)[0],
    ];
    const r1 = await ingestBatch(h.db, hqEventRegistry, till, {
      terminalId: till.terminalId,
      events: [e1, e2, e5],
    });
    expect(r1).toMatchObject({ accepted: 3, heldUpTo: 2, gaps: [{ from: 3, to: 4 }] });
    const r2 = await ingestBatch(h.db, hqEventRegistry, till, {
      terminalId: till.terminalId,
      events: [e6, e4],
    });
    expect(r2).toMatchObject({ accepted: 2, heldUpTo: 2, gaps: [{ from: 3, to: 3 }] });
    const r3 = await ingestBatch(h.db, hqEventRegistry, till, { terminalId: till.terminalId, events: [e3] });
    expect(r3).toEqual({ accepted: 1, duplicates: 0, rejected: [], heldUpTo: 6, gaps: [] });
  });

  it('never overwrites: the same seq under a different id is rejected with a reason', async () => {
    await ingestBatch(h.db, hqEventRegistry, till, {
      terminalId: till.terminalId,
      events: sales(till, 1, 2),
    });
    const impostor = saleEvent(till, 2, [{ sku: 'SKU9', qty: 50, unitPriceMinor: 100, taxRateBp: 700 }]);
    const r = await ingestBatch(h.db, hqEventRegistry, till, {
      terminalId: till.terminalId,
      events: [impostor],
    });
    expect(r.accepted).toBe(0);
    expect(r.rejected).toEqual([
      { id: impostor.id, seq: 2, reason: expect.stringMatching(/different event id/), kind: 'conflict' },
    ]);
    expect(await stockOnHand(h.db, { sku: 'SKU9' })).toEqual([]);
    expect(await eventCount()).toBe(2);
  });

  it('refuses a whole batch that speaks for another terminal or store, writing nothing', async () => {
    const mine = sales(till, 1, 3);
    const theirs = sales(other, 4, 4)[0]!;
    await expect(
      ingestBatch(h.db, hqEventRegistry, till, {
        terminalId: till.terminalId,
        events: [...mine, { ...theirs, terminalId: 'S002-T01' }],
      }),
    ).rejects.toMatchObject({ status: 403, field: 'events.3.terminalId' });
    await expect(
      ingestBatch(h.db, hqEventRegistry, till, {
        terminalId: till.terminalId,
        events: [...mine, { ...mine[0]!, seq: 4, id: theirs.id, storeId: 'S002' }],
      }),
    ).rejects.toMatchObject({ status: 403, field: 'events.3.storeId' });
    await expect(
      ingestBatch(h.db, hqEventRegistry, till, { terminalId: 'S002-T01', events: sales(other, 1, 1) }),
    ).rejects.toMatchObject({
      status: 403,
      field: 'terminalId',
    });
    expect(await eventCount()).toBe(0);
  });

  it('refuses a batch whose envelope is malformed naming the field, writing nothing', async () => {
    const good = sales(till, 1, 2);
    const badSeq = { ...good[1]!, seq: 0 };
    await expect(
      ingestBatch(h.db, hqEventRegistry, till, { terminalId: till.terminalId, events: [good[0]!, badSeq] }),
    ).rejects.toMatchObject({ status: 400, field: 'events.1.seq' });
    expect(await eventCount()).toBe(0);
  });

  it('a sale line with a negative quantity is quarantined, and the sale beside it is stored', async () => {
    const good = sales(till, 1, 1);
    const badLine = saleEvent(till, 2, [{ sku: 'A', qty: 1, unitPriceMinor: 100, taxRateBp: 1900 }]);
    (badLine.payload.lines[0] as { qty: number }).qty = -1;
    const r = await ingestBatch(h.db, hqEventRegistry, till, {
      terminalId: till.terminalId,
      events: [good[0]!, badLine],
    });
    expect(r).toMatchObject({ accepted: 1, heldUpTo: 2 });
    expect(r.rejected).toEqual([
      {
        id: badLine.id,
        seq: 2,
        kind: 'quarantined',
        reason: expect.stringMatching(/^payload\.lines\.0\.qty: /),
      },
    ]);
    expect(await eventCount()).toBe(1);
  });

  it('stores a batch delivered twice at the same moment once', async () => {
    const batch = { terminalId: till.terminalId, events: sales(till, 1, 50, 'SKU1', 2) };
    const results = await Promise.all([
      ingestBatch(h.db, hqEventRegistry, till, batch),
      ingestBatch(h.db, hqEventRegistry, till, batch),
      ingestBatch(h.db, hqEventRegistry, till, { ...batch, events: batch.events.slice(10, 30) }),
    ]);
    expect(results.reduce((s, r) => s + r.accepted, 0)).toBe(50);
    expect(await eventCount()).toBe(50);
    expect(await stockOnHand(h.db, { storeId: 'S001', sku: 'SKU1' })).toEqual([
      { storeId: 'S001', sku: 'SKU1', qty: -100 },
    ]);
  });

  it('projects stock and daily sales, and a rebuild from the log gives the same numbers', async () => {
    await appendHqEvents(h.db, hqEventRegistry, [
      { storeId: 'S001', type: 'stock.received', payload: { sku: 'A', qty: 100, reason: 'opening_balance' } },
      { storeId: 'S001', type: 'stock.received', payload: { sku: 'B', qty: 40, reason: 'opening_balance' } },
      { storeId: 'S002', type: 'stock.received', payload: { sku: 'A', qty: 10, reason: 'opening_balance' } },
    ]);
    const a = { sku: 'A', unitPriceMinor: 249, taxRateBp: 700 };
    const b = { sku: 'B', unitPriceMinor: 1190, taxRateBp: 1900 };
    await ingestBatch(h.db, hqEventRegistry, till, {
      terminalId: till.terminalId,
      events: [
        saleEvent(till, 1, [
          { ...a, qty: 3 },
          { ...b, qty: 1 },
        ]),
        saleEvent(till, 2, [{ ...a, qty: 2 }]),
        saleEvent(till, 3, [{ ...b, qty: 2 }], { businessDate: '2026-03-03' }),
      ],
    });
    await ingestBatch(h.db, hqEventRegistry, other, {
      terminalId: other.terminalId,
      events: [saleEvent(other, 1, [{ ...a, qty: 4 }])],
    });

    const stock = await stockOnHand(h.db);
    expect(stock).toEqual([
      { storeId: 'S001', sku: 'A', qty: 95 },
      { storeId: 'S001', sku: 'B', qty: 37 },
      { storeId: 'S002', sku: 'A', qty: 6 },
    ]);
    const facts = await salesDaily(h.db, { storeId: 'S001' });
    expect(facts).toEqual([
      // 3 × 2.49 = 7.47 (tax 0.49) and 2 × 2.49 = 4.98 (tax 0.33), 7 % included
      {
        businessDate: '2026-03-02',
        storeId: 'S001',
        sku: 'A',
        qty: 5,
        netMinor: 1163,
        taxMinor: 82,
        grossMinor: 1245,
        lines: 2,
      },
      {
        businessDate: '2026-03-02',
        storeId: 'S001',
        sku: 'B',
        qty: 1,
        netMinor: 1000,
        taxMinor: 190,
        grossMinor: 1190,
        lines: 1,
      },
      {
        businessDate: '2026-03-03',
        storeId: 'S001',
        sku: 'B',
        qty: 2,
        netMinor: 2000,
        taxMinor: 380,
        grossMinor: 2380,
        lines: 1,
      },
    ]);

    const allFacts = await salesDaily(h.db);
    const progress: number[] = [];
    const r = await rebuildProjections(h.db, hqEventRegistry, {
      chunkSize: 2,
      onProgress: (p) => progress.push(p.done),
    });
    expect(r).toEqual({ done: 7, total: 7, skipped: [] });
    expect(progress).toEqual([0, 2, 4, 6, 7]);
    expect(await stockOnHand(h.db)).toEqual(stock);
    expect(await salesDaily(h.db)).toEqual(allFacts);
  });

  it('puts returned items back on hand and nets them out of the day they were returned', async () => {
    await appendHqEvents(h.db, hqEventRegistry, [
      { storeId: 'S001', type: 'stock.received', payload: { sku: 'A', qty: 10, reason: 'opening_balance' } },
    ]);
    const sale = saleEvent(till, 1, [{ sku: 'A', qty: 3, unitPriceMinor: 249, taxRateBp: 700 }]);
    const ret = returnEvent(sale, 2, 1, 2, { businessDate: '2026-03-04' });
    await ingestBatch(h.db, hqEventRegistry, till, { terminalId: till.terminalId, events: [sale, ret] });

    expect(await stockOnHand(h.db, { storeId: 'S001', sku: 'A' })).toEqual([
      { storeId: 'S001', sku: 'A', qty: 9 },
    ]);
    const facts = await salesDaily(h.db, { storeId: 'S001' });
    expect(facts.map((f) => [f.businessDate, f.qty, f.grossMinor])).toEqual([
      ['2026-03-02', 3, 747],
      ['2026-03-04', -2, -498],
    ]);
    await rebuildProjections(h.db, hqEventRegistry);
    expect(await stockOnHand(h.db, { storeId: 'S001', sku: 'A' })).toEqual([
      { storeId: 'S001', sku: 'A', qty: 9 },
    ]);
    expect(await salesDaily(h.db, { storeId: 'S001' })).toEqual(facts);
  });

  it('ingests 500 events in one batch', async () => {
    const r = await ingestBatch(h.db, hqEventRegistry, till, {
      terminalId: till.terminalId,
      events: sales(till, 1, 500),
    });
    expect(r).toMatchObject({ accepted: 500, heldUpTo: 500, gaps: [] });
  });
});
