import { sql } from 'kysely';
import { z } from 'zod';
import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { SyncListFilter } from './quarantine.ts';
import { storableEnvelope } from './storable.ts';
import { syncDb } from './sync-tables.ts';

/**
 * Events HQ refused because it holds another event under their seq or id: a till whose ledger went
 * back in time (a backup restored, a VM snapshot) reuses seqs for new sales, or an event came back with
 * other content. HQ never overwrites what it holds, so it keeps both envelopes here; the sale exists
 * nowhere else at HQ until someone resolves it. A resend of the same refused event counts again on its
 * row instead of adding one.
 */
export interface ConflictRecord {
  refused: EventEnvelope;
  refusedHash: string;
  held: EventEnvelope | undefined;
  reason: string;
}

export async function recordConflicts(trx: HqDb, records: readonly ConflictRecord[]): Promise<void> {
  // One row per key per statement: PostgreSQL refuses to update a row twice in one upsert.
  const byKey = new Map<string, ConflictRecord>();
  for (const r of records)
    byKey.set(`${r.refused.terminalId}\u0001${r.refused.seq}\u0001${r.refused.id}\u0001${r.refusedHash}`, r);
  if (byKey.size === 0) return;
  await syncDb(trx)
    .insertInto('sync_conflicts')
    .values(
      [...byKey.values()].map((r) => ({
        store_id: r.refused.storeId,
        terminal_id: r.refused.terminalId,
        seq: r.refused.seq,
        refused_event_id: r.refused.id,
        refused_hash: r.refusedHash,
        reason: r.reason,
        held_event_json: r.held ? storableEnvelope(r.held) : 'null',
        refused_event_json: storableEnvelope(r.refused),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['terminal_id', 'seq', 'refused_event_id', 'refused_hash']).doUpdateSet((eb) => ({
        last_seen_at: sql<Date>`now()`,
        times_seen: eb('sync_conflicts.times_seen', '+', 1),
        reason: eb.ref('excluded.reason'),
        held_event_json: eb.ref('excluded.held_event_json'),
      })),
    )
    .execute();
}

export const syncConflictSchema = z.object({
  id: z.number().int(),
  storeId: z.string(),
  terminalId: z.string(),
  seq: z.number().int(),
  reason: z.string(),
  /** The event HQ holds under this seq or id (null if it could not be found). */
  held: z.record(z.string(), z.unknown()).nullable(),
  /** The event the till sent and HQ refused: the one that exists only on the till. */
  refused: z.record(z.string(), z.unknown()),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  timesSeen: z.number().int(),
});
export type SyncConflict = z.infer<typeof syncConflictSchema>;

/** Conflicts, most recently seen first. */
export async function listConflicts(db: HqDb, filter: SyncListFilter = {}): Promise<SyncConflict[]> {
  let q = syncDb(db).selectFrom('sync_conflicts').selectAll();
  if (filter.storeIds) q = q.where('store_id', 'in', filter.storeIds.length ? [...filter.storeIds] : ['']);
  if (filter.terminalId) q = q.where('terminal_id', '=', filter.terminalId);
  const rows = await q
    .orderBy('last_seen_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    storeId: r.store_id,
    terminalId: r.terminal_id,
    seq: r.seq,
    reason: r.reason,
    held: JSON.parse(r.held_event_json) as Record<string, unknown> | null,
    refused: JSON.parse(r.refused_event_json) as Record<string, unknown>,
    firstSeenAt: r.first_seen_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    timesSeen: r.times_seen,
  }));
}
