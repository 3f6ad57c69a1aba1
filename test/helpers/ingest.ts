import { type AuthenticatedTerminal, enrollTerminal } from '../../src/access/terminals.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import type { EventEnvelope } from '../../src/core/event.ts';
import type { HqDb } from '../../src/db/hq-db.ts';
import { ingestBatch } from '../../src/sync/hq/ingest.ts';

/**
 * New tills of store S001, enrolled one after another as `S001-<prefix>01`, `S001-<prefix>02`…, and a
 * batch sent straight to HQ's ingest as one of them: what the ingest tests do over and over. `db` is
 * read at each call, so it may be opened after this is made (in a beforeAll).
 */
export function tillsSendingTo(db: () => HqDb, prefix: string) {
  let tills = 0;
  const newTill = async (): Promise<AuthenticatedTerminal> =>
    enrollTerminal(db(), {
      storeId: 'S001',
      terminalId: `S001-${prefix}${String(++tills).padStart(2, '0')}`,
    });
  const send = (t: AuthenticatedTerminal, events: readonly EventEnvelope[]) =>
    ingestBatch(db(), hqEventRegistry, t, { terminalId: t.terminalId, events });
  return { newTill, send };
}
