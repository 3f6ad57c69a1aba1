import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sales } from '../../../../test/fixtures/ingest.ts';
import { hqBackends } from '../../../../test/helpers/hq-db.ts';
import { storesWithTill } from '../../../../test/helpers/stores.ts';
import type { AuthenticatedTerminal } from '../../../access/terminals.ts';
import { hqEventRegistry } from '../../../apps/shared/event-registry.ts';
import type { OpenHqDb } from '../../../db/hq-db.ts';
import { stockOnHand } from '../../../inventory/hq/stock-projection.ts';
import { salesDaily } from '../../../sales/hq/facts-projection.ts';
import { ingestBatch, insertEvents } from '../ingest.ts';
import { appendHqEvents } from '../ingest-local.ts';
import { projectEvents, rebuildProjections } from '../ingest-projections.ts';
import { inProcessBackbone } from './in-process.ts';
import { enqueue, outboxDepth } from './outbox.ts';

describe.each(hqBackends())('in-process bus on $name', ({ open }) => {
  let h: OpenHqDb;
  let till: AuthenticatedTerminal;
  beforeEach(async () => {
    h = await open();
    till = await storesWithTill(h.db);
    await appendHqEvents(h.db, hqEventRegistry, [
      {
        storeId: 'S001',
        type: 'stock.received',
        payload: { sku: 'SKU1', qty: 100, reason: 'opening_balance' },
      },
    ]);
    // The first open migrates PGlite's template: slow on a busy machine.
  }, 180_000);
  afterEach(async () => {
    await h.close();
  });
  const qty = async (): Promise<number | undefined> =>
    (await stockOnHand(h.db, { storeId: 'S001', sku: 'SKU1' }))[0]?.qty;

  it('projects what ingest left in the outbox, once, however often it is delivered', async () => {
    const bus = inProcessBackbone(h.db, hqEventRegistry, { pollMs: 0, batch: 7 });
    const events = sales(till, 1, 30);
    await ingestBatch(
      h.db,
      hqEventRegistry,
      till,
      { terminalId: till.terminalId, events },
      { project: 'bus' },
    );
    // Accepted but not yet projected: the opening balance (projected inline by HQ) is all stock knows.
    expect(await qty()).toBe(100);
    expect(await outboxDepth(h.db)).toBe(31);

    await bus.kick();
    expect(await qty()).toBe(70);
    expect(await outboxDepth(h.db)).toBe(0);
    expect((await bus.status()).projected).toBe(30);

    // Redelivered (a bus after a crash between commit and ack): nothing changes.
    expect(await h.db.transaction().execute((trx) => projectEvents(trx, hqEventRegistry, events))).toBe(0);
    await bus.kick();
    expect(await qty()).toBe(70);
    await bus.close();
  });

  it('sets aside an event that cannot be projected and projects the rest', async () => {
    const bus = inProcessBackbone(h.db, hqEventRegistry, { pollMs: 0, batch: 50 });
    const [good1, bad, good2] = sales(till, 1, 3);
    // Stored by an older HQ that did not validate this type's payload: its projection throws.
    const poison = { ...bad!, payload: { lines: 'not lines' } };
    await h.db.transaction().execute(async (trx) => {
      await insertEvents(trx, [good1!, poison, good2!]);
      await enqueue(
        trx,
        [good1!, poison, good2!].map((e) => e.id),
      );
    });
    await bus.kick();
    expect(await qty()).toBe(98);
    const status = await bus.status();
    expect(status.outbox).toBe(1);
    expect(status.lastError).toMatch(/1 event\(s\) fail to project/);
    await bus.settle();
    await bus.close();
  });

  it('a rebuild racing ingest and the bus ends with the numbers of a quiet rebuild', async () => {
    const bus = inProcessBackbone(h.db, hqEventRegistry, { pollMs: 0, batch: 25 });
    await ingestBatch(
      h.db,
      hqEventRegistry,
      till,
      { terminalId: till.terminalId, events: sales(till, 1, 100) },
      { project: 'bus' },
    );
    const more = sales(till, 101, 200);
    await Promise.all([
      rebuildProjections(h.db, hqEventRegistry, { chunkSize: 10, atomic: h.kind === 'postgres' }),
      (async () => {
        for (let i = 0; i < more.length; i += 20) {
          await ingestBatch(
            h.db,
            hqEventRegistry,
            till,
            { terminalId: till.terminalId, events: more.slice(i, i + 20) },
            { project: 'bus' },
          );
          await bus.kick();
        }
      })(),
    ]);
    await bus.settle();
    const live = { stock: await stockOnHand(h.db), sales: await salesDaily(h.db) };
    expect(await qty()).toBe(100 - 200);
    await rebuildProjections(h.db, hqEventRegistry);
    expect({ stock: await stockOnHand(h.db), sales: await salesDaily(h.db) }).toEqual(live);
    await bus.close();
  });
});
