import { recordAuditOnce, type SourcedAuditInput } from '../../access/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { Projection } from '../../sync/index.ts';
import { tillAuditEntry } from './till-audit-actions.ts';

/**
 * Puts the tills' privileged actions in HQ's audit log as their events are projected. It owns no
 * table a rebuild may empty (the audit log is append-only): a replayed event finds its entry by its
 * source event id and adds none.
 */
export async function applyTillAuditProjection(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  const items: SourcedAuditInput[] = [];
  for (const e of events) {
    const input = tillAuditEntry(e);
    if (input) items.push({ sourceEventId: e.id, input });
  }
  await recordAuditOnce(trx, items);
}

export const tillAuditProjection: Projection = {
  name: 'till audit',
  tables: [],
  apply: applyTillAuditProjection,
};
