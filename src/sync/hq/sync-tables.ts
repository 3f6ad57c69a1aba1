import type { ColumnType, Generated } from 'kysely';
import type { HqDb } from '../../db/index.ts';

type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * Kysely types of what migration 0012 adds (content hashes, quarantine, conflicts), joined onto HQ's
 * schema with `withTables` so they stay beside the ingest that owns them.
 */
export type SyncIntegrityTables = {
  events: { content_hash: string | null };
  sync_quarantine: {
    terminal_id: string;
    seq: Int8;
    event_id: string;
    store_id: string;
    type: string;
    schema_version: number;
    business_date: string;
    occurred_at: string;
    /** The payload as JSON text: JSON escapes NUL and lone surrogates, so any payload fits. */
    payload_json: string;
    content_hash: string;
    field: string;
    reason: string;
    received_at: Timestamp;
  };
  sync_conflicts: {
    id: Generated<number>;
    store_id: string;
    terminal_id: string;
    seq: Int8;
    refused_event_id: string;
    refused_hash: string;
    reason: string;
    held_event_json: string;
    refused_event_json: string;
    first_seen_at: Timestamp;
    last_seen_at: Timestamp;
    times_seen: Generated<number>;
  };
};

/** What migration 0018 adds: each till event's place in its terminal's hash chain (ledger-chain.ts). */
type ChainColumns = { chain_prev_hash: string | null; chain_hash: string | null };
/** What migration 0020 adds: the till users who did and approved each event. */
type ActorColumns = { actor: string | null; approver: string | null };
export type LedgerChainTables = {
  events: ChainColumns & ActorColumns;
  sync_quarantine: ChainColumns;
};

/** HQ's database (or transaction) seen with the ingest integrity tables. */
export const syncDb = (db: HqDb) => db.withTables<SyncIntegrityTables & LedgerChainTables>();
