import type { EventEnvelope } from '../../../core/index.ts';
import type { HqDb } from '../../../db/index.ts';
import { rowToEnvelope } from '../ingest-projections.ts';
import { backboneDb } from './backbone-tables.ts';

/**
 * HQ's bus outbox: the ids of accepted events the bus has not taken yet. Written in the transaction
 * that stores the events, so an event is never stored without being queued for the bus; removed only
 * after the bus has it (projected in-process, or acknowledged by JetStream).
 */
const CHUNK = 5_000;

export interface OutboxItem {
  pos: number;
  event: EventEnvelope;
}

export async function enqueue(trx: HqDb, eventIds: readonly string[]): Promise<void> {
  for (let i = 0; i < eventIds.length; i += CHUNK) {
    await backboneDb(trx)
      .insertInto('bus_outbox')
      .values(eventIds.slice(i, i + CHUNK).map((event_id) => ({ event_id })))
      .execute();
  }
}

/**
 * The oldest queued events with their envelopes. `lock` (inside a transaction) takes the rows with
 * FOR UPDATE SKIP LOCKED, so two HQ processes draining one database never take the same row.
 */
export async function peek(
  db: HqDb,
  limit: number,
  opts: { lock?: boolean; skip?: readonly number[] } = {},
): Promise<OutboxItem[]> {
  let q = backboneDb(db)
    .selectFrom('bus_outbox as o')
    .innerJoin('events as e', 'e.id', 'o.event_id')
    .select([
      'o.pos',
      'e.id',
      'e.terminal_id',
      'e.seq',
      'e.store_id',
      'e.type',
      'e.schema_version',
      'e.business_date',
      'e.occurred_at',
      'e.payload',
    ])
    .orderBy('o.pos')
    .limit(limit);
  if (opts.skip && opts.skip.length > 0) q = q.where('o.pos', 'not in', opts.skip);
  if (opts.lock) q = q.forUpdate('o').skipLocked();
  const rows = await q.execute();
  return rows.map((r) => ({ pos: r.pos, event: rowToEnvelope(r) }));
}

export async function remove(db: HqDb, positions: readonly number[]): Promise<void> {
  for (let i = 0; i < positions.length; i += CHUNK) {
    await backboneDb(db)
      .deleteFrom('bus_outbox')
      .where('pos', 'in', positions.slice(i, i + CHUNK))
      .execute();
  }
}

/** How many accepted events the bus has not taken yet. */
export async function outboxDepth(db: HqDb): Promise<number> {
  const r = await backboneDb(db)
    .selectFrom('bus_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
