import type { z } from 'zod';
import type { AuthenticatedTerminal } from '../../access/index.ts';
import { type IngestBatch, type IngestResult, ingestBatchSchema } from '../../contracts/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { invalid, TallyError, unauthorized } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { BatchProblem, EventRegistry } from '../event-kinds.ts';
import { backboneDb } from './bus/backbone-tables.ts';
import { enqueue } from './bus/outbox.ts';
import { type ConflictRecord, recordConflicts } from './conflicts.ts';
import { eventContentHash } from './content-hash.ts';
import { checkEvent } from './event-checks.ts';
import { seqCoverage } from './gaps.ts';
import { chainBreak, loadChainLinks, markLinked } from './ingest-chain.ts';
import { classifyEvent, type HeldEvent, markHeld } from './ingest-classify.ts';
import { heldEnvelope, loadHeld } from './ingest-held.ts';
import { defaultIngestLimits, type IngestLimits } from './ingest-limits.ts';
import { projectEvents } from './ingest-projections.ts';
import { insertEvents } from './ingest-store.ts';
import { insertQuarantine, type QuarantineEntry } from './quarantine.ts';

export { insertEvents } from './ingest-store.ts';

type Rejected = IngestResult['rejected'][number];

/** What ingest logs through: a pino logger or Fastify's request logger. */
export interface IngestLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface IngestOptions {
  logger?: IngestLogger;
  /** Bytes the batch took on the wire (compressed), counted per store and day. */
  wireBytes?: number;
  /**
   * `inline` (the default) applies new events to the projections in the ingest transaction, for
   * callers with no bus running; `bus` leaves that to the backbone, which takes them from the outbox.
   */
  project?: 'inline' | 'bus';
  /** Batch bounds (events per batch); the defaults when absent. */
  limits?: IngestLimits;
  /** HQ's clock for the per-event rules (business dates that cannot be right). */
  now?: Date;
}

/** What became of one delivered event. */
type Outcome =
  | { kind: 'accepted' }
  | { kind: 'duplicate' }
  | { kind: 'quarantined'; reason: string }
  | { kind: 'conflict'; reason: string };

/**
 * Stores a till's batch exactly once and queues the new events for the bus (the outbox), in one
 * transaction; with `project: 'inline'` it also applies them to the projections there.
 *
 * The batch is refused whole (nothing written) only when its envelope is malformed or speaks for
 * another terminal or store. Each event is then judged on its own:
 * - the same id, seq and content as one HQ holds: a duplicate, acknowledged again;
 * - another event held under its seq, or its id held with other content: a `conflict`, recorded with
 *   both envelopes, never stored and never counted as held;
 * - breaking its till's hash chain (ingest-chain.ts: altered, or not linking to the event HQ holds at
 *   seq - 1 or seq + 1): a `conflict` as well;
 * - breaking HQ's rules (`checkEvent`, a module's batch check such as a transfer to an unknown store)
 *   or refused by the database:
 *   `quarantined`, kept and listed, its seq counted as held so the till moves on;
 * - else stored as `checkEvent` returned it (only what the schema allows).
 * Deliveries from one terminal are serialised on its row, so overlapping batches cannot double-count.
 */
export async function ingestBatch(
  db: HqDb,
  registry: EventRegistry,
  auth: AuthenticatedTerminal,
  input: unknown,
  opts: IngestOptions = {},
): Promise<IngestResult> {
  const batch = validateBatch(auth, input, opts.limits ?? defaultIngestLimits());
  const now = opts.now ?? new Date();
  const judged = batch.events.map((e) => judge(registry, e, now));
  for (const p of await batchProblems(db, registry, auth, batch.events)) {
    const j = judged[p.index]!;
    if (j.check.ok) judged[p.index] = { ...j, check: { ok: false, field: p.field, reason: p.reason } };
  }

  const result = await db.transaction().execute(async (trx) => {
    const terminal = await trx
      .selectFrom('terminals')
      .select(['id', 'held_up_to'])
      .where('id', '=', auth.terminalId)
      .forUpdate()
      .executeTakeFirst();
    if (!terminal) throw unauthorized('terminal is not enrolled');

    const held = await loadHeld(trx, registry, auth.terminalId, batch.events);
    const links = await loadChainLinks(trx, auth.terminalId, batch.events);
    const outcomes: Outcome[] = [];
    const toStore: EventEnvelope[] = [];
    const toQuarantine: QuarantineEntry[] = [];
    const conflicts: (ConflictRecord & { heldRef: HeldEvent | undefined })[] = [];
    judged.forEach(({ event, check, hash }, i) => {
      const c = classifyEvent(event, hash, held);
      const broken = c.kind === 'conflict' ? undefined : chainBreak(event, links, c.kind === 'duplicate');
      if (broken) {
        outcomes[i] = { kind: 'conflict', reason: broken.reason };
        conflicts.push({
          refused: event,
          refusedHash: hash,
          held: undefined,
          reason: broken.reason,
          heldRef: broken.held,
        });
      } else if (c.kind === 'duplicate') {
        outcomes[i] =
          c.held.where === 'quarantine'
            ? { kind: 'quarantined', reason: `already quarantined: ${c.held.reason ?? ''}` }
            : { kind: 'duplicate' };
      } else if (c.kind === 'conflict') {
        outcomes[i] = { kind: 'conflict', reason: c.reason };
        conflicts.push({
          refused: event,
          refusedHash: hash,
          held: undefined,
          reason: c.reason,
          heldRef: c.held,
        });
      } else if (check.ok) {
        outcomes[i] = { kind: 'accepted' };
        toStore.push(check.event);
        markHeld(held, heldHere('log', check.event, hash));
        markLinked(links, event, heldHere('log', check.event, hash));
      } else {
        outcomes[i] = { kind: 'quarantined', reason: `${check.field}: ${check.reason}` };
        toQuarantine.push({ event, hash, field: check.field, reason: check.reason });
        markHeld(held, { ...heldHere('quarantine', event, hash), reason: check.reason });
        markLinked(links, event, heldHere('quarantine', event, hash));
      }
    });

    const { stored, unstorable } = await insertEvents(trx, toStore, hashesOf(judged));
    const unstorableIds = new Set(unstorable.map((u) => u.event.id));
    for (const u of unstorable) {
      const rawIndex = batch.events.findIndex((e) => e.id === u.event.id);
      const raw = judged[rawIndex]!;
      const reason = `HQ's database cannot store this event (${u.message}); fix the text at the till`;
      toQuarantine.push({ event: raw.event, hash: raw.hash, field: 'payload', reason });
      outcomes[rawIndex] = { kind: 'quarantined', reason: `payload: ${reason}` };
    }
    // A skipped insert here means another writer took the id between our lookup and our insert
    // (another terminal's event, as this terminal's row is locked): refuse it as a conflict.
    toStore.forEach((e) => {
      if (stored.has(e.id) || unstorableIds.has(e.id)) return;
      const i = batch.events.findIndex((b) => b.id === e.id);
      outcomes[i] = { kind: 'conflict', reason: 'id was taken by another event while this batch was stored' };
    });
    await insertQuarantine(trx, toQuarantine);
    for (const c of conflicts) c.held = c.heldRef && (await heldEnvelope(trx, c.heldRef));
    await recordConflicts(trx, conflicts);

    const fresh = toStore.filter((e) => stored.has(e.id));
    await enqueue(
      trx,
      fresh.map((e) => e.id),
    );
    if ((opts.project ?? 'inline') === 'inline') await projectEvents(trx, registry, fresh);
    await countReceived(trx, auth.storeId, fresh.length, opts.wireBytes ?? 0);

    const coverage = await seqCoverage(trx, auth.terminalId, terminal.held_up_to);
    const heldFromBatch = new Set(
      batch.events.filter((_, i) => outcomes[i]!.kind !== 'conflict').map((e) => e.id),
    ).size;
    await trx
      .updateTable('terminals')
      .set({
        last_seen_at: new Date(),
        held_up_to: coverage.heldUpTo,
        max_seq: coverage.maxSeq,
        ...(batch.outbox ? outboxAfterBatch(batch.outbox, heldFromBatch) : {}),
      })
      .where('id', '=', auth.terminalId)
      .execute();

    return {
      accepted: fresh.length,
      duplicates: outcomes.filter((o) => o.kind === 'duplicate').length,
      rejected: batch.events.flatMap((e, i): Rejected[] => {
        const o = outcomes[i]!;
        return o.kind === 'conflict' || o.kind === 'quarantined'
          ? [{ id: e.id, seq: e.seq, reason: o.reason, kind: o.kind }]
          : [];
      }),
      heldUpTo: coverage.heldUpTo,
      gaps: coverage.gaps,
    } satisfies IngestResult;
  });

  const log = opts.logger;
  const who = { terminalId: auth.terminalId, storeId: auth.storeId };
  if (result.gaps.length > 0)
    log?.warn({ ...who, gaps: result.gaps, heldUpTo: result.heldUpTo }, 'sequence gaps');
  if (result.rejected.length > 0)
    log?.warn(
      { ...who, rejectedCount: result.rejected.length, rejected: result.rejected.slice(0, 20) },
      'events rejected',
    );
  log?.debug({ ...who, accepted: result.accepted, duplicates: result.duplicates }, 'batch ingested');
  return result;
}

interface Judged {
  event: EventEnvelope;
  check: ReturnType<typeof checkEvent>;
  /** Hash of what HQ would store: the checked event, or the event as sent when it fails the rules. */
  hash: string;
}

function judge(registry: EventRegistry, event: EventEnvelope, now: Date): Judged {
  const check = checkEvent(event, { registry, now });
  return { event, check, hash: eventContentHash(check.ok ? check.event : event) };
}

/** What the modules' batch checks refuse (each one query per batch), in the order they were registered. */
async function batchProblems(
  db: HqDb,
  registry: EventRegistry,
  auth: AuthenticatedTerminal,
  events: readonly EventEnvelope[],
): Promise<BatchProblem[]> {
  const problems: BatchProblem[] = [];
  for (const check of registry.batchChecks) problems.push(...(await check(db, auth, events)));
  return problems;
}

const hashesOf = (judged: readonly Judged[]): Map<string, string> =>
  new Map(judged.map((j) => [j.event.id, j.hash]));

const heldHere = (where: 'log' | 'quarantine', e: EventEnvelope, hash: string) => ({
  where,
  id: e.id,
  terminalId: e.terminalId,
  seq: e.seq,
  hash,
  envelope: e,
});

/**
 * The till reports its outbox as it was when the batch left, this batch included. What is still
 * unsent once HQ holds the batch is that count less the batch's events HQ now holds (conflicts stay
 * unsent: the till keeps them); with nothing left, nothing is old either.
 */
export function outboxAfterBatch(
  reported: NonNullable<IngestBatch['outbox']>,
  heldFromBatch: number,
): { outbox_pending: number; outbox_oldest_age_s: number; outbox_reported_at: Date } {
  const pending = Math.max(0, reported.pending - heldFromBatch);
  return {
    outbox_pending: pending,
    outbox_oldest_age_s: pending === 0 ? 0 : reported.oldestAgeSeconds,
    outbox_reported_at: new Date(),
  };
}

/** Batches, new events and wire bytes per store and UTC day: the sync figures HQ reports. */
async function countReceived(trx: HqDb, storeId: string, events: number, bytes: number): Promise<void> {
  await backboneDb(trx)
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

/**
 * Parses the batch's envelope and checks every event speaks for the authenticated terminal and its
 * store. Payloads are not judged here: a bad payload is one event's problem, quarantined, never the
 * batch's.
 */
function validateBatch(auth: AuthenticatedTerminal, input: unknown, limits: IngestLimits): IngestBatch {
  const count = (input as { events?: unknown } | null)?.events;
  if (Array.isArray(count) && count.length > limits.maxEventsPerBatch)
    throw tooManyEvents(count.length, limits);
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
  });
  return batch;
}

export const tooManyEvents = (n: number, limits: IngestLimits): TallyError =>
  new TallyError(
    'too_large',
    `events: a batch may hold at most ${limits.maxEventsPerBatch} events, this one holds ${n}; send them in smaller batches`,
    'events',
  );

const forbidden = (field: string, message: string): TallyError =>
  new TallyError('forbidden', `${field}: ${message}`, field);

function fromZod(error: z.ZodError, prefix: string): TallyError {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return invalid(field || 'body', issue?.message ?? 'invalid');
}
