import { sql } from 'kysely';
import { HQ_SOURCE_ID } from '../../access/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { businessDate, newId } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { EventRegistry } from '../event-kinds.ts';
import { enqueue } from './bus/outbox.ts';
import { projectEvents } from './ingest-projections.ts';
import { insertEvents } from './ingest-store.ts';

export interface LocalEventDraft {
  storeId: string;
  type: string;
  payload: Record<string, unknown>;
  schemaVersion?: number;
}

/**
 * Appends events made at head office (opening balances, deliveries booked centrally, reservations) to
 * the same log the tills feed, under the source `hq`, and projects them like any other, so a rebuild
 * from the log reproduces them. Call with the caller's transaction or the db.
 *
 * HQ's seq comes from a database sequence, not from max + 1 under a lock on the source's row: that lock
 * was held to commit by every HQ command and capped reservations at one at a time across all SKUs.
 * HQ's seq is therefore unique and increasing but may have holes (a command rolled back after taking
 * its numbers). Nothing needs it gap-free: tills' seqs are (they are checked at ingest); HQ's events
 * never travel by seq (a rebuild replays by arrival `pos`, the bus by event id).
 */
export async function appendHqEvents(
  db: HqDb,
  registry: EventRegistry,
  drafts: readonly LocalEventDraft[],
  opts: { at?: Date } = {},
): Promise<EventEnvelope[]> {
  if (drafts.length === 0) return [];
  const at = opts.at ?? new Date();
  const run = async (trx: HqDb): Promise<EventEnvelope[]> => {
    const storeIds = [...new Set(drafts.map((d) => d.storeId))];
    // The seqs and the stores' time zones in one round trip: this runs under the callers' row locks.
    const { rows } = await sql<{ seqs: (number | string)[]; zones: Record<string, string> | null }>`
      SELECT (SELECT array_agg(nextval('hq_event_seq')) FROM generate_series(1, ${drafts.length}::int)) AS seqs,
             (SELECT json_object_agg(id, time_zone) FROM stores WHERE id = ANY(${storeIds}::text[])) AS zones`.execute(
      trx,
    );
    const numbers = (rows[0]?.seqs ?? []).map(Number).sort((a, b) => a - b);
    const zones = new Map(Object.entries(rows[0]?.zones ?? {}));
    const events: EventEnvelope[] = drafts.map((d, i) => ({
      id: newId(),
      type: d.type,
      schemaVersion: d.schemaVersion ?? 1,
      storeId: d.storeId,
      terminalId: HQ_SOURCE_ID,
      seq: numbers[i]!,
      businessDate: businessDate(at, zones.get(d.storeId) ?? 'UTC'),
      occurredAt: at.toISOString(),
      payload: d.payload,
    }));
    await insertEvents(trx, events);
    // Projected now, so HQ's own commands read their writes; the bus still carries them to NATS and
    // to any other consumer, and skips them for the projections (already held).
    await enqueue(
      trx,
      events.map((e) => e.id),
    );
    await projectEvents(trx, registry, events);
    return events;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
