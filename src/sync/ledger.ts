import type { Clock, EventEnvelope } from '../core/index.ts';
import { businessDate, newId, utcOffset } from '../core/index.ts';
import type { SqliteDb } from '../db/index.ts';
import { actingApprover, actingUser } from './acting-user.ts';
import { chainHash, genesisHash } from './ledger-chain.ts';

/**
 * The till's append-only ledger. Every state change of the store is one event here, written in the
 * same transaction as whatever else must change with it, with a gap-free sequence per terminal.
 * better-sqlite3 is synchronous, so "max + 1 inside the write transaction" cannot race in one process,
 * and the (terminal_id, seq) primary key refuses a second process that tried. Each event is chained to
 * the one before by hash in the same transaction (ledger-chain.ts), so an edit to ledger.db shows.
 */
export interface AppendOptions {
  schemaVersion?: number;
  /** Other writes that must commit or fail together with the event (delete the cart, bump a counter). */
  also?: (db: SqliteDb) => void;
}

export interface OutboxStats {
  pending: number;
  /** occurredAt of the oldest event HQ does not hold yet. */
  oldestPendingAt: string | undefined;
  ackedUpTo: number;
  lastSeq: number;
  lastSyncAt: string | undefined;
}

export interface Ledger {
  readonly db: SqliteDb;
  readonly storeId: string;
  readonly terminalId: string;
  append<P extends Record<string, unknown>>(type: string, payload: P, opts?: AppendOptions): EventEnvelope<P>;
  /** Runs `fn` in one write transaction; appends made inside it commit with it. */
  transaction<T>(fn: () => T): T;
  lastSeq(): number;
  /** Events with seq in [from, to], oldest first. */
  range(fromSeq: number, limit: number): EventEnvelope[];
  byId(id: string): EventEnvelope | undefined;
  saleById(saleId: string): EventEnvelope | undefined;
  /** The newest event of one of `types`, for state the ledger itself defines (the open shift). */
  latestOf(types: readonly string[]): EventEnvelope | undefined;
  /** Events of `type` whose payload field `key` equals `value`, oldest first. */
  findByPayload(type: string, key: string, value: string): EventEnvelope[];
  ackedUpTo(): number;
  /** Records that HQ holds every event up to `seq`; never moves backwards. */
  markAcked(seq: number): void;
  outboxStats(): OutboxStats;
  /** Called after each committed append, so the outbox can ship without waiting for its timer. */
  onAppend(listener: (e: EventEnvelope) => void): () => void;
}

/** A ledger.db row as SQLite gives it back. */
export interface LedgerRow {
  seq: number;
  terminal_id: string;
  id: string;
  store_id: string;
  type: string;
  schema_version: number;
  business_date: string;
  occurred_at: string;
  payload: string;
  chain_prev_hash: string | null;
  chain_hash: string | null;
  actor?: string | null;
  approver?: string | null;
}

/** The envelope a ledger row holds: the one mapping, so what the till sends, chains and verifies agree. */
export const ledgerRowToEnvelope = (r: LedgerRow): EventEnvelope => ({
  id: r.id,
  type: r.type,
  schemaVersion: r.schema_version,
  storeId: r.store_id,
  terminalId: r.terminal_id,
  seq: r.seq,
  businessDate: r.business_date,
  occurredAt: r.occurred_at,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  // Events written before the chain have neither; leaving the keys out keeps their envelopes as they were.
  ...(r.chain_prev_hash !== null ? { prevHash: r.chain_prev_hash } : {}),
  ...(r.chain_hash !== null ? { hash: r.chain_hash } : {}),
  ...(r.actor ? { actor: r.actor } : {}),
  ...(r.approver ? { approver: r.approver } : {}),
});

/** ISO 8601 with the store's own UTC offset, so the event reads as the store's wall-clock time. */
export function isoWithOffset(at: Date, timeZone: string): string {
  const offset = utcOffset(at, timeZone);
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const local = new Date(at.getTime() + sign * ((h ?? 0) * 60 + (m ?? 0)) * 60_000);
  return `${local.toISOString().slice(0, -1)}${offset}`;
}

export function openLedger(opts: {
  db: SqliteDb;
  storeId: string;
  terminalId: string;
  clock: Clock;
  /** The store's time zone decides each event's business date; read per append, it comes from HQ. */
  timeZone: () => string;
}): Ledger {
  const { db, storeId, terminalId, clock } = opts;
  const listeners = new Set<(e: EventEnvelope) => void>();
  const q = {
    maxSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) FROM ledger WHERE terminal_id = ?').pluck(),
    last: db.prepare('SELECT seq, chain_hash FROM ledger WHERE terminal_id = ? ORDER BY seq DESC LIMIT 1'),
    insert: db.prepare(
      `INSERT INTO ledger (seq, terminal_id, id, store_id, type, schema_version, business_date, occurred_at, payload,
         actor, approver, chain_prev_hash, chain_hash)
       VALUES (@seq, @terminalId, @id, @storeId, @type, @schemaVersion, @businessDate, @occurredAt, @payload,
         @actor, @approver, @prevHash, @hash)`,
    ),
    range: db.prepare('SELECT * FROM ledger WHERE terminal_id = ? AND seq >= ? ORDER BY seq LIMIT ?'),
    byId: db.prepare('SELECT * FROM ledger WHERE id = ?'),
    saleById: db.prepare(
      "SELECT * FROM ledger WHERE type = 'sale.completed' AND json_extract(payload, '$.saleId') = ?",
    ),
    acked: db.prepare('SELECT acked_up_to, last_sync_at FROM sync_state WHERE terminal_id = ?'),
    markAcked: db.prepare(
      `INSERT INTO sync_state (terminal_id, acked_up_to, last_sync_at) VALUES (@terminalId, @seq, @at)
       ON CONFLICT (terminal_id) DO UPDATE SET acked_up_to = MAX(acked_up_to, excluded.acked_up_to),
         last_sync_at = excluded.last_sync_at`,
    ),
    pending: db.prepare(
      // The oldest by seq, not MIN(occurred_at): offsets differ across a DST change, so text order lies.
      `WITH p AS (SELECT seq, occurred_at FROM ledger WHERE terminal_id = @t
         AND seq > COALESCE((SELECT acked_up_to FROM sync_state WHERE terminal_id = @t), 0))
       SELECT (SELECT COUNT(*) FROM p) AS n, (SELECT occurred_at FROM p ORDER BY seq LIMIT 1) AS oldest`,
    ),
  };
  let pendingNotify: EventEnvelope[] = [];

  const transaction = <T>(fn: () => T): T => {
    const outermost = !db.inTransaction;
    try {
      const result = db.transaction(fn).immediate();
      if (outermost) {
        const committed = pendingNotify;
        pendingNotify = [];
        for (const e of committed) for (const l of listeners) l(e);
      }
      return result;
    } catch (err) {
      if (outermost) pendingNotify = [];
      throw err;
    }
  };

  const ackState = (): { acked_up_to: number; last_sync_at: string | null } | undefined =>
    q.acked.get(terminalId) as { acked_up_to: number; last_sync_at: string | null } | undefined;

  return {
    db,
    storeId,
    terminalId,
    transaction,
    append(type, payload, appendOpts = {}) {
      return transaction(() => {
        const at = clock.now();
        const tz = opts.timeZone();
        const last = q.last.get(terminalId) as { seq: number; chain_hash: string | null } | undefined;
        const seq = (last?.seq ?? 0) + 1;
        const actor = actingUser()?.userId;
        const approver = actingApprover();
        const unhashed = {
          id: newId(),
          type,
          schemaVersion: appendOpts.schemaVersion ?? 1,
          storeId,
          terminalId,
          seq,
          businessDate: businessDate(at, tz),
          occurredAt: isoWithOffset(at, tz),
          payload,
          ...(actor ? { actor } : {}),
          ...(approver ? { approver } : {}),
          // After an unchained (pre-upgrade) event, or at seq 1, the chain starts here.
          prevHash: last?.chain_hash ?? genesisHash(terminalId, seq),
        };
        const event = { ...unhashed, hash: chainHash(unhashed) };
        q.insert.run({
          ...event,
          payload: JSON.stringify(payload),
          actor: actor ?? null,
          approver: approver ?? null,
        });
        appendOpts.also?.(db);
        pendingNotify.push(event);
        return event;
      });
    },
    lastSeq: () => q.maxSeq.get(terminalId) as number,
    range: (fromSeq, limit) =>
      (q.range.all(terminalId, fromSeq, limit) as LedgerRow[]).map(ledgerRowToEnvelope),
    byId: (id) => {
      const r = q.byId.get(id) as LedgerRow | undefined;
      return r && ledgerRowToEnvelope(r);
    },
    saleById: (saleId) => {
      const r = q.saleById.get(saleId) as LedgerRow | undefined;
      return r && ledgerRowToEnvelope(r);
    },
    latestOf: (types) => {
      const marks = types.map(() => '?').join(', ');
      const r = db
        .prepare(
          `SELECT * FROM ledger WHERE terminal_id = ? AND type IN (${marks}) ORDER BY seq DESC LIMIT 1`,
        )
        .get(terminalId, ...types) as LedgerRow | undefined;
      return r && ledgerRowToEnvelope(r);
    },
    findByPayload: (type, key, value) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`bad payload key ${key}`);
      const rows = db
        .prepare(
          `SELECT * FROM ledger WHERE terminal_id = ? AND type = ? AND json_extract(payload, '$.${key}') = ? ORDER BY seq`,
        )
        .all(terminalId, type, value) as LedgerRow[];
      return rows.map(ledgerRowToEnvelope);
    },
    ackedUpTo: () => ackState()?.acked_up_to ?? 0,
    markAcked: (seq) => {
      q.markAcked.run({ terminalId, seq, at: clock.now().toISOString() });
    },
    outboxStats: () => {
      const p = q.pending.get({ t: terminalId }) as { n: number; oldest: string | null };
      const s = ackState();
      return {
        pending: p.n,
        oldestPendingAt: p.oldest ?? undefined,
        ackedUpTo: s?.acked_up_to ?? 0,
        lastSeq: q.maxSeq.get(terminalId) as number,
        lastSyncAt: s?.last_sync_at ?? undefined,
      };
    },
    onAppend: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
