import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sales } from '../../../test/fixtures/ingest.ts';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { type AuthenticatedTerminal, enrollTerminal } from '../../access/terminals.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { storeSyncFigures } from './figures.ts';
import { ingestBatch } from './ingest.ts';

/**
 * The dashboard's till health: what a till still has to send is what it reported with its last batch
 * less that batch, so a till that sent everything shows nothing unsent and no lag, ever.
 */
const DAY = 86_400_000;

describe.each(hqBackends())('sync figures on $name', ({ open }) => {
  const h = useHqDb(open, { once: true });
  let stores = 0;
  /** A store of its own per test, so each reads only its till's figures. */
  const tillInNewStore = async (): Promise<AuthenticatedTerminal> => {
    const storeId = `F${String(++stores).padStart(3, '0')}`;
    await createStore(h.db, berlinStore(storeId));
    return enrollTerminal(h.db, { storeId, terminalId: `${storeId}-T01` });
  };
  const figuresOf = async (t: AuthenticatedTerminal, now: Date) =>
    (await storeSyncFigures(h.db, { storeId: t.storeId, now }))[0]!;

  it('a till that sent everything in one batch shows 0 unsent and 0 lag, even read a week later', async () => {
    const till = await tillInNewStore();
    await ingestBatch(h.db, hqEventRegistry, till, {
      terminalId: till.terminalId,
      events: sales(till, 1, 7),
      outbox: { pending: 7, oldestAgeSeconds: 300 },
    });
    for (const later of [0, 60_000, 7 * DAY]) {
      const f = await figuresOf(till, new Date(Date.now() + later));
      expect(f).toMatchObject({ unsentEvents: 0, syncLagSeconds: 0, missingEvents: 0 });
    }
  });

  it('whatever a till reports with a batch, what is left unsent is the report less the batch HQ took', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 3_600 }),
        async (sent, left, age) => {
          const till = await tillInNewStore();
          await ingestBatch(h.db, hqEventRegistry, till, {
            terminalId: till.terminalId,
            events: sales(till, 1, sent),
            outbox: { pending: sent + left, oldestAgeSeconds: age },
          });
          const f = await figuresOf(till, new Date(Date.now() + DAY));
          expect(f.unsentEvents).toBe(left);
          // Events still waiting keep aging; none waiting means no lag at all.
          if (left === 0) expect(f.syncLagSeconds).toBe(0);
          else expect(f.syncLagSeconds).toBeGreaterThanOrEqual(age + 86_399);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('events refused as conflicts stay unsent: the till still has them', async () => {
    const till = await tillInNewStore();
    await ingestBatch(h.db, hqEventRegistry, till, {
      terminalId: till.terminalId,
      events: sales(till, 1, 3),
    });
    // Restored from a backup: three new sales under seqs HQ holds.
    await ingestBatch(h.db, hqEventRegistry, till, {
      terminalId: till.terminalId,
      events: sales(till, 1, 3, 'SKU2'),
      outbox: { pending: 3, oldestAgeSeconds: 10 },
    });
    expect(await figuresOf(till, new Date())).toMatchObject({ unsentEvents: 3, conflicts: 3 });
  });
});
