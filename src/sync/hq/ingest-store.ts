import { sql } from 'kysely';
import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { eventContentHash } from './content-hash.ts';
import { syncDb } from './sync-tables.ts';

/**
 * Writes events into the log. Rows go in multi-row INSERTs of 500 (short statements, so on
 * embedded PGlite other requests run between them); each INSERT sits in a savepoint, and if the
 * database refuses a value (a data error: a NUL in a string, an escape jsonb cannot hold) the chunk is
 * retried row by row, each in its own savepoint, so only the events it cannot store are set aside.
 */
const INSERT_CHUNK = 500;

export interface Unstorable {
  event: EventEnvelope;
  /** The database's reason, for the quarantine. */
  message: string;
}

export interface InsertOutcome {
  /** Ids stored now (an id or terminal+seq already held is skipped, not an error). */
  stored: Set<string>;
  unstorable: Unstorable[];
}

export async function insertEvents(
  trx: HqDb,
  events: readonly EventEnvelope[],
  hashes?: ReadonlyMap<string, string>,
): Promise<InsertOutcome> {
  const out: InsertOutcome = { stored: new Set(), unstorable: [] };
  for (let i = 0; i < events.length; i += INSERT_CHUNK) {
    const chunk = events.slice(i, i + INSERT_CHUNK);
    try {
      for (const id of await inSavepoint(trx, () => insertRows(trx, chunk, hashes))) out.stored.add(id);
    } catch (err) {
      if (!isDataError(err)) throw err;
      for (const e of chunk) {
        try {
          for (const id of await inSavepoint(trx, () => insertRows(trx, [e], hashes))) out.stored.add(id);
        } catch (rowErr) {
          if (!isDataError(rowErr)) throw rowErr;
          out.unstorable.push({ event: e, message: (rowErr as Error).message });
        }
      }
    }
  }
  return out;
}

async function insertRows(
  trx: HqDb,
  events: readonly EventEnvelope[],
  hashes: ReadonlyMap<string, string> | undefined,
): Promise<string[]> {
  const rows = await syncDb(trx)
    .insertInto('events')
    .values(
      events.map((e) => ({
        id: e.id,
        terminal_id: e.terminalId,
        seq: e.seq,
        store_id: e.storeId,
        type: e.type,
        schema_version: e.schemaVersion,
        business_date: e.businessDate,
        occurred_at: e.occurredAt,
        payload: JSON.stringify(e.payload),
        content_hash: hashes?.get(e.id) ?? eventContentHash(e),
        chain_prev_hash: e.prevHash ?? null,
        chain_hash: e.hash ?? null,
        actor: e.actor ?? null,
        approver: e.approver ?? null,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

async function inSavepoint<T>(trx: HqDb, fn: () => Promise<T>): Promise<T> {
  await sql`SAVEPOINT ingest_insert`.execute(trx);
  try {
    const result = await fn();
    await sql`RELEASE SAVEPOINT ingest_insert`.execute(trx);
    return result;
  } catch (err) {
    await sql`ROLLBACK TO SAVEPOINT ingest_insert`.execute(trx);
    await sql`RELEASE SAVEPOINT ingest_insert`.execute(trx);
    throw err;
  }
}

/**
 * A value the database will not store, as opposed to a broken connection or a bug: SQLSTATE class 22
 * (data exception: NUL in text, bad Unicode escape, out of range) or 54 (a value over a size limit).
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}
