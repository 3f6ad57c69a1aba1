import { describe, expect, it } from 'vitest';
import { returnEvent, saleEvent } from '../../../test/fixtures/ingest.ts';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { enrollTerminal, listAudit, verifyAuditChain } from '../../access/index.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { newId } from '../../core/index.ts';
import { ingestBatch, rebuildProjections } from '../../sync/hq/index.ts';
import { applyProjections } from '../../sync/hq/ingest-projections.ts';

/**
 * A till's privileged actions land in HQ's audit log once each: delivered twice, replayed by a
 * rebuild, or applied again behind the projections' own bookkeeping, the log gains nothing more, and
 * its chain still verifies.
 */
const NOW = '2026-03-02T12:00:00Z';

describe.each(hqBackends())('till actions in the audit log on $name', ({ open }) => {
  const h = useHqDb(open, {
    seed: async (db) => {
      await createStore(db, berlinStore('S001'));
    },
  });

  it('records a manager-approved refund and a failed sign-in once each, however often they arrive', async () => {
    const till = await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-C001' });
    const t = { storeId: 'S001', terminalId: till.terminalId };
    const sale: EventEnvelope = {
      ...saleEvent(t, 1, [{ sku: 'SKU1', qty: 2, unitPriceMinor: 500, taxRateBp: 1900 }]),
      actor: 'ana',
    };
    const refund: EventEnvelope = {
      ...returnEvent(sale as Parameters<typeof returnEvent>[0], 2, 1, 1),
      actor: 'ana',
      approver: 'sam',
      occurredAt: '2026-03-02T10:05:00.000Z',
    };
    const failed: EventEnvelope = {
      id: newId(),
      type: 'auth.sign_in_failed',
      schemaVersion: 1,
      storeId: 'S001',
      terminalId: t.terminalId,
      seq: 3,
      businessDate: '2026-03-02',
      occurredAt: '2026-03-02T10:06:00.000Z',
      payload: { code: '1001', reason: 'wrong_pin' },
    };
    const events = [sale, refund, failed];
    for (let i = 0; i < 2; i++) {
      const r = await ingestBatch(
        h.db,
        hqEventRegistry,
        till,
        { terminalId: t.terminalId, events },
        {
          now: new Date(NOW),
        },
      );
      expect(r.rejected).toEqual([]);
    }
    await rebuildProjections(h.db, hqEventRegistry);
    await rebuildProjections(h.db, hqEventRegistry, { atomic: false, chunkSize: 1 });
    // Even past the projections' record of what they hold, an event already audited adds nothing.
    await h.db.transaction().execute((trx) => applyProjections(trx, hqEventRegistry, [refund, failed]));

    const entries = (await listAudit(h.db, { stores: ['S001'] })).reverse();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      actorKind: 'user',
      actorId: 'ana',
      action: 'till.refund',
      targetType: 'sale',
      targetId: (sale.payload as { saleId: string }).saleId,
      storeId: 'S001',
      terminalId: t.terminalId,
      requestId: refund.id,
      outcome: 'ok',
      at: new Date(refund.occurredAt),
      after: { approver: 'sam', grossMinor: 500, refunds: [{ kind: 'cash', amountMinor: 500 }] },
    });
    expect(entries[1]).toMatchObject({
      actorKind: 'device',
      actorId: t.terminalId,
      action: 'auth.sign_in_failed',
      outcome: 'refused',
      requestId: failed.id,
      at: new Date(failed.occurredAt),
      after: { code: '1001', reason: 'wrong_pin' },
    });
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, checked: 2, headSeq: 2 });
  });
});
