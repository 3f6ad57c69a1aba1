import { HQ_SOURCE_ID } from '../access/terminals.ts';
import { businessDate } from '../core/clock.ts';
import type { EventEnvelope } from '../core/event.ts';
import { newId } from '../core/ids.ts';
import type { HqDb } from '../db/hq-db.ts';
import { enqueue } from './bus/outbox.ts';
import { seqCoverage } from './gaps.ts';
import { insertEvents } from './ingest.ts';
import { projectEvents } from './ingest-projections.ts';

export interface LocalEventDraft {
  storeId: string;
  type: string;
  payload: Record<string, unknown>;
  schemaVersion?: number;
}

/**
 * Appends events made at head office (opening balances, deliveries booked centrally) to the same log
 * the tills feed, under the source `hq` with its own gap-free seq, and projects them like any other,
 * so a rebuild from the log reproduces them. Call with the caller's transaction or the db.
 */
export async function appendHqEvents(
  db: HqDb,
  drafts: readonly LocalEventDraft[],
  opts: { at?: Date } = {},
): Promise<EventEnvelope[]> {
  if (drafts.length === 0) return [];
  const at = opts.at ?? new Date();
  const run = async (trx: HqDb): Promise<EventEnvelope[]> => {
    await trx
      .insertInto('terminals')
      .values({ id: HQ_SOURCE_ID, store_id: null, name: 'head office', token_hash: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const source = await trx
      .selectFrom('terminals')
      .select(['max_seq'])
      .where('id', '=', HQ_SOURCE_ID)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const zones = new Map(
      (await trx.selectFrom('stores').select(['id', 'time_zone']).execute()).map((s) => [s.id, s.time_zone]),
    );
    const events: EventEnvelope[] = drafts.map((d, i) => ({
      id: newId(),
      type: d.type,
      schemaVersion: d.schemaVersion ?? 1,
      storeId: d.storeId,
      terminalId: HQ_SOURCE_ID,
      seq: source.max_seq + i + 1,
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
    await projectEvents(trx, events);
    const coverage = await seqCoverage(trx, HQ_SOURCE_ID, source.max_seq);
    await trx
      .updateTable('terminals')
      .set({ held_up_to: coverage.heldUpTo, max_seq: coverage.maxSeq, last_seen_at: at })
      .where('id', '=', HQ_SOURCE_ID)
      .execute();
    return events;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
