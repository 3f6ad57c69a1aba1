import type { z } from 'zod';
import type { AuthenticatedTerminal } from '../access/terminals.ts';
import { invalid, TallyError, unauthorized } from '../core/errors.ts';
import type { EventEnvelope } from '../core/event.ts';
import type { HqDb } from '../db/hq-db.ts';
import { INVENTORY_EVENT_TYPES } from '../inventory/events.ts';
import { enqueue } from './bus/outbox.ts';
import { bb } from './bus/schema.ts';
import { checkEvent } from './event-checks.ts';
import { seqCoverage } from './gaps.ts';
import { projectEvents } from './ingest-projections.ts';
import { type IngestBatch, type IngestResult, ingestBatchSchema } from './wire.ts';

type Rejected = IngestResult['rejected'][number];

/** What ingest logs through: a pino logger or Fastify's request logger. */
export interface IngestLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Rows per INSERT: 9 parameters each stays well below PostgreSQL's 65 535 parameter limit. */
const INSERT_CHUNK = 5_000;

export interface IngestOptions {
  logger?: IngestLogger;
  /** Bytes the batch took on the wire (compressed), counted per store and day. */
  wireBytes?: number;
  /**
   * `inline` (the default) applies new events to the projections in the ingest transaction, for
   * callers with no bus running; `bus` leaves that to the backbone, which takes them from the outbox.
   */
  project?: 'inline' | 'bus';
}

/**
 * Stores a till's batch exactly once and queues the new events for the bus (the outbox), in one
 * transaction; with `project: 'inline'` it also applies them to the projections there.
 * The batch is refused whole (nothing written) when it is malformed or speaks for another terminal
 * or store. Events HQ already holds are counted as duplicates; an event reusing a seq held under a
 * different id is rejected with its reason and never overwrites. Deliveries from one terminal are
 * serialised on its row, so overlapping concurrent batches cannot double-count.
 */
export async function ingestBatch(
  db: HqDb,
  auth: AuthenticatedTerminal,
  input: unknown,
  opts: IngestOptions = {},
): Promise<IngestResult> {
  const batch = validateBatch(auth, input);
  await checkCounterparts(db, auth, batch);
  const { unique, rejected, duplicates: batchDuplicates } = dedupeWithinBatch(batch.events);

  const result = await db.transaction().execute(async (trx) => {
    const terminal = await trx
      .selectFrom('terminals')
      .select(['id', 'held_up_to'])
      .where('id', '=', auth.terminalId)
      .forUpdate()
      .executeTakeFirst();
    if (!terminal) throw unauthorized('terminal is not enrolled');

    const stored = await insertEvents(trx, unique);
    const fresh = unique.filter((e) => stored.has(e.id));
    const { duplicates, rejected: dbRejected } = await classifyUnstored(
      trx,
      unique.filter((e) => !stored.has(e.id)),
    );
    await enqueue(
      trx,
      fresh.map((e) => e.id),
    );
    if ((opts.project ?? 'inline') === 'inline') await projectEvents(trx, fresh);
    await countReceived(trx, auth.storeId, fresh.length, opts.wireBytes ?? 0);

    const coverage = await seqCoverage(trx, auth.terminalId, terminal.held_up_to);
    await trx
      .updateTable('terminals')
      .set({
        last_seen_at: new Date(),
        held_up_to: coverage.heldUpTo,
        max_seq: coverage.maxSeq,
        ...(batch.outbox
          ? {
              outbox_pending: batch.outbox.pending,
              outbox_oldest_age_s: batch.outbox.oldestAgeSeconds,
              outbox_reported_at: new Date(),
            }
          : {}),
      })
      .where('id', '=', auth.terminalId)
      .execute();

    return {
      accepted: fresh.length,
      duplicates: duplicates + batchDuplicates,
      rejected: [...rejected, ...dbRejected],
      heldUpTo: coverage.heldUpTo,
      gaps: coverage.gaps,
    } satisfies IngestResult;
  });

  const log = opts.logger;
  const who = { terminalId: auth.terminalId, storeId: auth.storeId };
  if (result.gaps.length > 0)
    log?.warn({ ...who, gaps: result.gaps, heldUpTo: result.heldUpTo }, 'sequence gaps');
  if (result.rejected.length > 0) log?.warn({ ...who, rejected: result.rejected }, 'events rejected');
  log?.debug({ ...who, accepted: result.accepted, duplicates: result.duplicates }, 'batch ingested');
  return result;
}

/** Batches, new events and wire bytes per store and UTC day: the sync figures HQ reports. */
async function countReceived(trx: HqDb, storeId: string, events: number, bytes: number): Promise<void> {
  await bb(trx)
    .insertInto('sync_daily')
    .values({ store_id: storeId, day: new Date().toISOString().slice(0, 10), batches: 1, events, bytes })
    .onConflict((oc) =>
      oc.columns(['store_id', 'day']).doUpdateSet((eb) => ({
        batches: eb('sync_daily.batches', '+', 1),
        events: eb('sync_daily.events', '+', events),
        bytes: eb('sync_daily.bytes', '+', bytes),
      })),
    )
    .execute();
}

/** Parses the batch and checks every event speaks for the authenticated terminal and its store. */
function validateBatch(auth: AuthenticatedTerminal, input: unknown): IngestBatch {
  const parsed = ingestBatchSchema.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error, '');
  const batch = parsed.data;
  if (batch.terminalId !== auth.terminalId)
    throw forbidden(
      'terminalId',
      `the token belongs to terminal ${auth.terminalId}, not ${batch.terminalId}`,
    );
  batch.events.forEach((e, i) => {
    if (e.terminalId !== auth.terminalId)
      throw forbidden(
        `events.${i}.terminalId`,
        `event claims terminal ${e.terminalId}, not ${auth.terminalId}`,
      );
    if (e.storeId !== auth.storeId)
      throw forbidden(`events.${i}.storeId`, `terminal ${auth.terminalId} is enrolled at ${auth.storeId}`);
    // Hook for the rules (event-checks.ts) until ingest quarantines: refuse, or store only what they allow.
    const checked = checkEvent(e);
    if (!checked.ok) throw invalid(`events.${i}.${checked.field}`, checked.reason);
    batch.events[i] = checked.event;
  });
  return batch;
}

/**
 * A transfer names the store at its other end; it must be a store HQ knows and not the till's own,
 * or the units would move into a location nobody can see. Refuses the batch like a malformed event.
 */
async function checkCounterparts(db: HqDb, auth: AuthenticatedTerminal, batch: IngestBatch): Promise<void> {
  const named: { i: number; field: string; storeId: string }[] = [];
  batch.events.forEach((e, i) => {
    const p = e.payload as { toStoreId?: unknown; fromStoreId?: unknown };
    if (e.type === INVENTORY_EVENT_TYPES.transferShipped && typeof p.toStoreId === 'string')
      named.push({ i, field: 'toStoreId', storeId: p.toStoreId });
    if (e.type === INVENTORY_EVENT_TYPES.transferReceived && typeof p.fromStoreId === 'string')
      named.push({ i, field: 'fromStoreId', storeId: p.fromStoreId });
  });
  if (named.length === 0) return;
  const known = new Set(
    (
      await db
        .selectFrom('stores')
        .select('id')
        .where('id', 'in', [...new Set(named.map((n) => n.storeId))])
        .execute()
    ).map((r) => r.id),
  );
  for (const n of named) {
    const field = `events.${n.i}.payload.${n.field}`;
    if (n.storeId === auth.storeId)
      throw invalid(field, `a transfer must name another store than ${auth.storeId}`);
    if (!known.has(n.storeId))
      throw invalid(field, `store ${n.storeId} is not known to HQ; check the store id`);
  }
}

const forbidden = (field: string, message: string): TallyError =>
  new TallyError('forbidden', `${field}: ${message}`, field);

function fromZod(error: z.ZodError, prefix: string): TallyError {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return invalid(field || 'body', issue?.message ?? 'invalid');
}

/** Repeats inside one batch: the same id again is a duplicate; the same seq under another id is refused. */
function dedupeWithinBatch(events: readonly EventEnvelope[]): {
  unique: EventEnvelope[];
  rejected: Rejected[];
  duplicates: number;
} {
  const byId = new Map<string, EventEnvelope>();
  const bySeq = new Map<number, string>();
  const rejected: Rejected[] = [];
  let duplicates = 0;
  for (const e of events) {
    const seen = byId.get(e.id);
    if (seen) {
      if (seen.seq === e.seq) duplicates++;
      else
        rejected.push({ id: e.id, seq: e.seq, reason: `id appears twice in the batch, at seq ${seen.seq}` });
      continue;
    }
    const other = bySeq.get(e.seq);
    if (other !== undefined) {
      rejected.push({
        id: e.id,
        seq: e.seq,
        reason: `seq ${e.seq} appears twice in the batch (also ${other})`,
      });
      continue;
    }
    byId.set(e.id, e);
    bySeq.set(e.seq, e.id);
  }
  return { unique: [...byId.values()], rejected, duplicates };
}

/**
 * Inserts events with multi-row INSERTs; a row that collides with one already held (same id, or
 * same terminal and seq) is skipped. Returns the ids actually stored.
 */
export async function insertEvents(trx: HqDb, events: readonly EventEnvelope[]): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let i = 0; i < events.length; i += INSERT_CHUNK) {
    const rows = await trx
      .insertInto('events')
      .values(
        events.slice(i, i + INSERT_CHUNK).map((e) => ({
          id: e.id,
          terminal_id: e.terminalId,
          seq: e.seq,
          store_id: e.storeId,
          type: e.type,
          schema_version: e.schemaVersion,
          business_date: e.businessDate,
          occurred_at: e.occurredAt,
          payload: JSON.stringify(e.payload),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    for (const r of rows) stored.add(r.id);
  }
  return stored;
}

/** Why events were not stored: held already (a duplicate) or colliding with a different event. */
async function classifyUnstored(
  trx: HqDb,
  unstored: readonly EventEnvelope[],
): Promise<{ duplicates: number; rejected: Rejected[] }> {
  if (unstored.length === 0) return { duplicates: 0, rejected: [] };
  const held = await trx
    .selectFrom('events')
    .select(['id', 'terminal_id', 'seq'])
    .where(
      'id',
      'in',
      unstored.map((e) => e.id),
    )
    .execute();
  const heldById = new Map(held.map((h) => [h.id, h]));
  let duplicates = 0;
  const rejected: Rejected[] = [];
  for (const e of unstored) {
    const h = heldById.get(e.id);
    if (!h) {
      rejected.push({
        id: e.id,
        seq: e.seq,
        reason: `seq ${e.seq} is already held with a different event id`,
      });
    } else if (h.terminal_id === e.terminalId && h.seq === e.seq) {
      duplicates++;
    } else {
      rejected.push({
        id: e.id,
        seq: e.seq,
        reason: `id is already held as ${h.terminal_id} seq ${h.seq}`,
      });
    }
  }
  return { duplicates, rejected };
}
