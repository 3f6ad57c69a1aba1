import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { storableJson } from './storable.ts';
import { type SyncIntegrityTables, syncDb } from './sync-tables.ts';

/**
 * HQ's quarantine: till events that broke HQ's rules or that the database could not store. Keeping
 * them (instead of refusing the batch) lets every later sale of that till arrive; listing them lets
 * head office see and fix what a till sent. A quarantined event's seq counts as held.
 */
type QuarantineRow = Selectable<SyncIntegrityTables['sync_quarantine']>;

export interface QuarantineEntry {
  event: EventEnvelope;
  hash: string;
  /** The envelope field at fault, e.g. `payload.customer.name`. */
  field: string;
  reason: string;
}

export async function insertQuarantine(trx: HqDb, entries: readonly QuarantineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await syncDb(trx)
    .insertInto('sync_quarantine')
    .values(
      entries.map(({ event: e, hash, field, reason }) => ({
        terminal_id: e.terminalId,
        seq: e.seq,
        event_id: e.id,
        store_id: e.storeId,
        type: e.type,
        schema_version: e.schemaVersion,
        business_date: e.businessDate,
        occurred_at: e.occurredAt,
        payload_json: storableJson(e.payload),
        content_hash: hash,
        chain_prev_hash: e.prevHash ?? null,
        chain_hash: e.hash ?? null,
        // Reasons quote what the till sent; the storable form keeps them storable too.
        field: storableText(field),
        reason: storableText(reason),
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Text with anything PostgreSQL's text cannot hold (NUL, lone surrogates) written as JSON escapes. */
const storableText = (s: string): string => JSON.stringify(s).slice(1, -1);

export function quarantinedEnvelope(q: QuarantineRow): EventEnvelope {
  return {
    id: q.event_id,
    type: q.type,
    schemaVersion: q.schema_version,
    storeId: q.store_id,
    terminalId: q.terminal_id,
    seq: q.seq,
    businessDate: q.business_date,
    occurredAt: q.occurred_at,
    payload: JSON.parse(q.payload_json) as Record<string, unknown>,
  };
}

export const quarantinedEventSchema = z.object({
  eventId: z.string(),
  terminalId: z.string(),
  storeId: z.string(),
  seq: z.number().int(),
  type: z.string(),
  field: z.string(),
  reason: z.string(),
  receivedAt: z.string(),
  /** The event as the till sent it (card data removed). */
  event: z.record(z.string(), z.unknown()),
});
export type QuarantinedEvent = z.infer<typeof quarantinedEventSchema>;

export interface SyncListFilter {
  storeIds?: readonly string[];
  terminalId?: string;
  limit?: number;
}

/** Quarantined events, newest first. */
export async function listQuarantine(db: HqDb, filter: SyncListFilter = {}): Promise<QuarantinedEvent[]> {
  let q = syncDb(db).selectFrom('sync_quarantine').selectAll();
  if (filter.storeIds) q = q.where('store_id', 'in', filter.storeIds.length ? [...filter.storeIds] : ['']);
  if (filter.terminalId) q = q.where('terminal_id', '=', filter.terminalId);
  const rows = await q
    .orderBy('received_at', 'desc')
    .orderBy('terminal_id')
    .orderBy('seq', 'desc')
    .limit(filter.limit ?? 500)
    .execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    terminalId: r.terminal_id,
    storeId: r.store_id,
    seq: r.seq,
    type: r.type,
    field: r.field,
    reason: r.reason,
    receivedAt: r.received_at.toISOString(),
    event: quarantinedEnvelope(r) as unknown as Record<string, unknown>,
  }));
}
