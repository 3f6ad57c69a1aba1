import { sql } from 'kysely';
import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { EventRegistry } from '../event-kinds.ts';
import { checkEvent } from './event-checks.ts';

/**
 * Applies events to every projection the registry holds (each module registers its own, with the
 * tables it owns), in the caller's transaction. Prefer projectEvents (idempotent).
 */
export async function applyProjections(
  trx: HqDb,
  registry: EventRegistry,
  events: readonly EventEnvelope[],
): Promise<void> {
  if (events.length === 0) return;
  for (const p of registry.projections) await p.apply(trx, events);
}

const MARK_CHUNK = 5_000;

/**
 * Applies events the projections do not hold yet, and records them as held, in the caller's
 * transaction: a redelivery (the bus after a crash, an event applied inline by HQ and then delivered
 * by the bus, a rebuild racing a consumer) changes nothing. Returns how many were new.
 */
export async function projectEvents(
  trx: HqDb,
  registry: EventRegistry,
  events: readonly EventEnvelope[],
): Promise<number> {
  if (events.length === 0) return 0;
  const fresh = new Set<string>();
  const ids = [...new Set(events.map((e) => e.id))];
  for (let i = 0; i < ids.length; i += MARK_CHUNK) {
    const rows = await trx
      .withTables<{ projected_events: { event_id: string } }>()
      .insertInto('projected_events')
      .values(ids.slice(i, i + MARK_CHUNK).map((event_id) => ({ event_id })))
      .onConflict((oc) => oc.doNothing())
      .returning('event_id')
      .execute();
    for (const r of rows) fresh.add(r.event_id);
  }
  const seen = new Set<string>();
  const todo = events.filter((e) => fresh.has(e.id) && !seen.has(e.id) && seen.add(e.id));
  await applyProjections(trx, registry, todo);
  return todo.length;
}

export interface RebuildProgress {
  done: number;
  total: number;
}

/** An event of the log that today's rules refuse (stored by an older HQ): left out of the projections. */
export interface SkippedEvent {
  id: string;
  terminalId: string;
  seq: number;
  type: string;
  field: string;
  reason: string;
}

export interface RebuildResult extends RebuildProgress {
  skipped: SkippedEvent[];
}

/**
 * The events of a chunk today's rules let into the projections, with the payload they allow (unknown
 * keys stripped), and the ones they refuse. The date window is judged against when HQ received the
 * event, so a rebuild years later keeps every event that was in time then.
 */
export function screenForReplay(
  registry: EventRegistry,
  rows: readonly EventRow[],
): {
  keep: EventEnvelope[];
  skipped: SkippedEvent[];
} {
  const keep: EventEnvelope[] = [];
  const skipped: SkippedEvent[] = [];
  for (const r of rows) {
    const e = rowToEnvelope(r);
    const checked = checkEvent(e, { registry, now: r.received_at ?? new Date() });
    if (checked.ok) keep.push(checked.event);
    else
      skipped.push({
        id: e.id,
        terminalId: e.terminalId,
        seq: e.seq,
        type: e.type,
        field: checked.field,
        reason: checked.reason,
      });
  }
  return { keep, skipped };
}

/**
 * Empties the projections (the sales facts down to their imported base) and replays the whole event log
 * into them in the order it arrived, in chunks. Ingest is never held off: it writes the log and the outbox, not the
 * projections. `atomic` (the default, right for PostgreSQL) runs in one transaction: readers keep seeing the old
 * numbers until the new ones commit, and the bus consumer waits (its lag grows, nothing is lost).
 * Without it (PGlite, whose one connection would otherwise be held for the whole replay) each chunk
 * commits on its own so ingest interleaves; readers then see partial numbers until it finishes.
 * Either way an event is applied once: replay and consumer both go through projectEvents.
 * Every event goes through today's checkEvent first: one that an older HQ let in (a quantity near 2^53,
 * arithmetic that does not add up, card data) is skipped and listed, so it can no longer poison them.
 */
export async function rebuildProjections(
  db: HqDb,
  registry: EventRegistry,
  opts: { chunkSize?: number; atomic?: boolean; onProgress?: (p: RebuildProgress) => void } = {},
): Promise<RebuildResult> {
  const chunkSize = opts.chunkSize ?? 5_000;
  const inTx = <T>(fn: (trx: HqDb) => Promise<T>): Promise<T> =>
    db.isTransaction ? fn(db) : db.transaction().execute(fn);
  const clear = async (trx: HqDb): Promise<void> => {
    // Held to the end of the transaction: consumers wait instead of deadlocking with the replay.
    await sql`LOCK TABLE projected_events IN EXCLUSIVE MODE`.execute(trx);
    // DELETE rather than TRUNCATE: readers are not locked out and keep the old rows until commit.
    // A projection whose rows keep an imported base (sales facts) resets them itself.
    for (const p of registry.projections)
      if (p.reset) await p.reset(trx);
      else for (const t of p.tables) await sql`DELETE FROM ${sql.table(t)}`.execute(trx);
    await sql`DELETE FROM projected_events`.execute(trx);
  };
  const replay = async (
    trx: HqDb,
    step: (fn: (t: HqDb) => Promise<void>) => Promise<void>,
  ): Promise<RebuildResult> => {
    const { n: total } = await trx
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    let done = 0;
    let after = 0;
    const skipped: SkippedEvent[] = [];
    opts.onProgress?.({ done, total });
    for (;;) {
      const rows = await trx
        .withTables<{ events: { pos: number } }>()
        .selectFrom('events')
        .selectAll()
        .where('pos', '>', after)
        .orderBy('pos')
        .limit(chunkSize)
        .execute();
      if (rows.length === 0) break;
      const screened = screenForReplay(registry, rows);
      skipped.push(...screened.skipped);
      await step((t) => projectEvents(t, registry, screened.keep).then(() => undefined));
      after = rows[rows.length - 1]!.pos;
      done += rows.length;
      opts.onProgress?.({ done, total });
    }
    return { done, total, skipped };
  };
  if (opts.atomic ?? true)
    return inTx(async (trx) => {
      await clear(trx);
      return replay(trx, (fn) => fn(trx));
    });
  await inTx(clear);
  return replay(db, (fn) => inTx(fn));
}

/** A row of the event log as the database returns it. */
export interface EventRow {
  id: string;
  terminal_id: string;
  seq: number;
  store_id: string;
  type: string;
  schema_version: number;
  business_date: string;
  occurred_at: Date;
  received_at?: Date;
  payload: Record<string, unknown>;
  actor?: string | null;
  approver?: string | null;
}

export function rowToEnvelope(r: EventRow): EventEnvelope {
  // Number() and new Date(): raw SQL may hand back a bigint seq as text or a timestamp as a string.
  return {
    id: r.id,
    terminalId: r.terminal_id,
    seq: Number(r.seq),
    storeId: r.store_id,
    type: r.type,
    schemaVersion: r.schema_version,
    businessDate: r.business_date,
    occurredAt: new Date(r.occurred_at).toISOString(),
    payload: r.payload,
    // Till users (migration 0020); absent for older tills and HQ's own events, as they were sent.
    ...(r.actor ? { actor: r.actor } : {}),
    ...(r.approver ? { approver: r.approver } : {}),
  };
}
