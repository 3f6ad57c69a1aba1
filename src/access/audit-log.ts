import type { ColumnType, Kysely, Selectable } from 'kysely';
import { type Clock, newId, systemClock } from '../core/index.ts';
import type { HqDb, HqSchema } from '../db/index.ts';
import {
  type AuditActorKind,
  type AuditEntry,
  type AuditEntryInput,
  type AuditOutcome,
  type ChainProblem,
  chainEntry,
  checkLink,
  GENESIS_HASH,
} from './audit-entry.ts';

/**
 * The audit log's storage (migration 0015): append one entry under the chain head's row lock, read
 * entries back with filters, and walk the whole chain to verify it.
 */
type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;
type Json = ColumnType<unknown, string | null, string | null>;

export type AuditTables = {
  audit_log: {
    seq: Int8;
    id: string;
    at: ColumnType<Date, Date | string, Date | string>;
    actor_kind: AuditActorKind;
    actor_id: string;
    action: string;
    target_type: string | null;
    target_id: string | null;
    store_id: string | null;
    terminal_id: string | null;
    route: string | null;
    request_id: string | null;
    outcome: AuditOutcome;
    before: Json;
    after: Json;
    reason: string | null;
    prev_hash: string;
    hash: string;
    /** The till event the entry was made from (migration 0021); unique, so it is audited once. */
    source_event_id: string | null;
  };
  audit_chain_head: { id: number; seq: Int8; hash: string };
};

type AuditDb = Kysely<HqSchema & AuditTables>;
export const auditDb = (db: HqDb): AuditDb => db.withTables<AuditTables>();

type Row = Selectable<AuditTables['audit_log']>;

const fromRow = (r: Row): AuditEntry => ({
  seq: Number(r.seq),
  id: r.id,
  at: r.at,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  storeId: r.store_id,
  terminalId: r.terminal_id,
  route: r.route,
  requestId: r.request_id,
  outcome: r.outcome,
  before: r.before ?? null,
  after: r.after ?? null,
  reason: r.reason,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

const toRow = (e: AuditEntry) => ({
  seq: e.seq,
  id: e.id,
  at: e.at,
  actor_kind: e.actorKind,
  actor_id: e.actorId,
  action: e.action,
  target_type: e.targetType,
  target_id: e.targetId,
  store_id: e.storeId,
  terminal_id: e.terminalId,
  route: e.route,
  request_id: e.requestId,
  outcome: e.outcome,
  before: json(e.before),
  after: json(e.after),
  reason: e.reason,
  prev_hash: e.prevHash,
  hash: e.hash,
});

async function append(trx: AuditDb, input: AuditEntryInput, clock: Clock): Promise<AuditEntry> {
  // The head's row lock orders every writer: the next seq and prev_hash are read and moved under it.
  const head = await trx
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const e = chainEntry(
    { ...input, id: input.id ?? newId(), at: input.at ?? clock.now() },
    {
      seq: Number(head.seq),
      hash: head.hash,
    },
  );
  // One round trip: the entry and the head's move, as one statement.
  await trx
    .with('entry', (q) => q.insertInto('audit_log').values(toRow(e)).returning(['seq', 'hash']))
    .updateTable('audit_chain_head')
    .from('entry')
    .set((eb) => ({ seq: eb.ref('entry.seq'), hash: eb.ref('entry.hash') }))
    .where('audit_chain_head.id', '=', 1)
    .execute();
  return e;
}

/**
 * Appends one entry to the chain. Given a transaction, the entry commits or rolls back with the change
 * it records (and holds the chain's lock until then); given the database, it commits on its own.
 */
export async function recordAudit(
  db: HqDb,
  input: AuditEntryInput,
  clock: Clock = systemClock,
): Promise<AuditEntry> {
  if (db.isTransaction) return append(auditDb(db), input, clock);
  return db.transaction().execute((trx) => append(auditDb(trx), input, clock));
}

/** An entry made from an event of HQ's log (a till's refund): `sourceEventId` is that event's id. */
export interface SourcedAuditInput {
  sourceEventId: string;
  input: AuditEntryInput;
}

/**
 * Chains the entries after the head in memory and writes them in a few multi-row statements, the
 * head moved once: a till batch of many no-sales costs a handful of round trips, not two per entry.
 * The caller holds the head's lock.
 */
async function appendMany(
  trx: AuditDb,
  items: readonly SourcedAuditInput[],
  clock: Clock,
): Promise<AuditEntry[]> {
  if (items.length === 0) return [];
  const head = await trx
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  let prev = { seq: Number(head.seq), hash: head.hash };
  const chained = items.map((item) => {
    const e = chainEntry(
      { ...item.input, id: item.input.id ?? newId(), at: item.input.at ?? clock.now() },
      prev,
    );
    prev = { seq: e.seq, hash: e.hash };
    return { e, sourceEventId: item.sourceEventId };
  });
  for (let i = 0; i < chained.length; i += 500)
    await trx
      .insertInto('audit_log')
      .values(
        chained
          .slice(i, i + 500)
          .map(({ e, sourceEventId }) => ({ ...toRow(e), source_event_id: sourceEventId })),
      )
      .execute();
  await trx
    .updateTable('audit_chain_head')
    .set({ seq: prev.seq, hash: prev.hash })
    .where('id', '=', 1)
    .execute();
  return chained.map((c) => c.e);
}

/** The source event ids among `ids` that already have an entry. */
async function audited(trx: AuditDb, ids: readonly string[]): Promise<Set<string>> {
  const done = new Set<string>();
  for (let i = 0; i < ids.length; i += 5_000) {
    const rows = await trx
      .selectFrom('audit_log')
      .select('source_event_id')
      .where('source_event_id', 'in', ids.slice(i, i + 5_000))
      .execute();
    for (const r of rows) if (r.source_event_id) done.add(r.source_event_id);
  }
  return done;
}

/**
 * Appends the entries whose source event has none yet, in order, and returns those appended: a
 * redelivered or replayed event adds nothing. The chain head's lock is taken only when something is
 * missing, and the lookup repeated under it, so two writers cannot both find an event unaudited; a
 * rebuild replaying events already audited never takes it, and so never holds up HQ's routes (their
 * entries wait on that lock) for the length of its transaction.
 */
export async function recordAuditOnce(
  db: HqDb,
  items: readonly SourcedAuditInput[],
  clock: Clock = systemClock,
): Promise<AuditEntry[]> {
  if (items.length === 0) return [];
  const run = async (trx: AuditDb): Promise<AuditEntry[]> => {
    const ids = [...new Set(items.map((i) => i.sourceEventId))];
    const before = await audited(trx, ids);
    const missing = ids.filter((id) => !before.has(id));
    if (missing.length === 0) return [];
    await trx.selectFrom('audit_chain_head').select('seq').where('id', '=', 1).forUpdate().execute();
    const done = new Set([...before, ...(await audited(trx, missing))]);
    const todo = items.filter((i) => !done.has(i.sourceEventId) && done.add(i.sourceEventId));
    return appendMany(trx, todo, clock);
  };
  if (db.isTransaction) return run(auditDb(db));
  return db.transaction().execute((trx) => run(auditDb(trx)));
}

export interface AuditVerdict {
  ok: boolean;
  /** Entries walked before the verdict (all of them when ok). */
  checked: number;
  /** The head's seq: how many entries the chain should hold. */
  headSeq: number;
  problem?: ChainProblem;
}

/**
 * Walks the chain from seq 1 in pages and names the FIRST entry removed (a seq gap, or the tail short
 * of the head), reordered (prev_hash does not link) or altered (hash does not match its content).
 */
export async function verifyAuditChain(db: HqDb, opts: { pageSize?: number } = {}): Promise<AuditVerdict> {
  const adb = auditDb(db);
  const pageSize = opts.pageSize ?? 2_000;
  const head = await adb
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const headSeq = Number(head.seq);
  let prev = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for (;;) {
    const rows = await adb
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', prev.seq)
      // Entries appended while the walk runs are past the head read above: the next verify checks them.
      .where('seq', '<=', headSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const e = fromRow(row);
      const problem = checkLink(prev, e);
      if (problem) return { ok: false, checked, headSeq, problem };
      prev = { seq: e.seq, hash: e.hash };
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  if (prev.seq !== headSeq || prev.hash !== head.hash) {
    const missing = prev.seq < headSeq;
    return {
      ok: false,
      checked,
      headSeq,
      problem: {
        kind: missing ? 'gap' : 'head_mismatch',
        seq: missing ? prev.seq + 1 : prev.seq,
        message: missing
          ? `audit entries ${prev.seq + 1} to ${headSeq} are missing: the chain head says ${headSeq} entries (removed)`
          : `the chain head (entry ${headSeq}) does not match the last entry ${prev.seq}: the head or the last entry was altered`,
      },
    };
  }
  return { ok: true, checked, headSeq };
}

export interface AuditQuery {
  user?: string | undefined;
  /** One store, or a principal's stores ('all': no filter). */
  stores?: readonly string[] | 'all' | undefined;
  /** Exact (`auth.sign_in`) or a prefix ending in a dot segment (`catalog` covers `catalog.*`). */
  action?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** Entries older than this seq (the next page); newest first. */
  beforeSeq?: number | undefined;
  limit?: number | undefined;
}

/** Entries matching the filters, newest first. */
export async function listAudit(db: HqDb, q: AuditQuery): Promise<AuditEntry[]> {
  let s = auditDb(db).selectFrom('audit_log').selectAll();
  if (q.user !== undefined) s = s.where('actor_id', '=', q.user);
  if (q.stores !== undefined && q.stores !== 'all') {
    if (q.stores.length === 0) return [];
    s = s.where('store_id', 'in', [...q.stores]);
  }
  if (q.action !== undefined) {
    const action = q.action;
    s = s.where((eb) =>
      eb.or([eb('action', '=', action), eb('action', 'like', `${action.replace(/[%_\\]/g, '\\$&')}.%`)]),
    );
  }
  if (q.since) s = s.where('at', '>=', q.since);
  if (q.until) s = s.where('at', '<', q.until);
  if (q.beforeSeq !== undefined) s = s.where('seq', '<', q.beforeSeq);
  const rows = await s
    .orderBy('seq', 'desc')
    .limit(q.limit ?? 100)
    .execute();
  return rows.map((r) => fromRow(r));
}
