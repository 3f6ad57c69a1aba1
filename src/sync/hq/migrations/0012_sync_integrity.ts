import type { SchemaMigration } from '../../../db/index.ts';

/**
 * What ingest needs so that no till event is ever lost or silently dropped:
 * - `events.content_hash`: sha256 of the event's canonical content (src/sync/content-hash.ts), so an
 *   event resent under the same id with other content is a conflict, not a duplicate. Rows stored
 *   before this migration have none; ingest computes and writes it the first time it compares one.
 * - `sync_quarantine`: events that broke HQ's rules (or that PostgreSQL could not store). Their seq
 *   counts as held so the till moves on; the payload is JSON text, never jsonb, so nothing a till
 *   sends can make the insert throw.
 * - `sync_conflicts`: events HQ refused because it holds another one under their seq or id (a till
 *   whose ledger went back in time), with both envelopes, so head office can recover the sale.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0012SyncIntegrity: SchemaMigration = {
  id: '0012_sync_integrity',
  up: `
    ALTER TABLE events ADD COLUMN content_hash text;

    CREATE TABLE sync_quarantine (
      terminal_id text NOT NULL,
      seq bigint NOT NULL,
      event_id text NOT NULL,
      store_id text NOT NULL,
      type text NOT NULL,
      -- bigint and text where the log has integer and date: whatever number or date an envelope can
      -- carry must fit here, since this is where events the log cannot take end up.
      schema_version bigint NOT NULL,
      business_date text NOT NULL,
      occurred_at text NOT NULL,
      payload_json text NOT NULL,
      content_hash text NOT NULL,
      field text NOT NULL,
      reason text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (terminal_id, seq)
    );
    CREATE UNIQUE INDEX sync_quarantine_event ON sync_quarantine (event_id);
    CREATE INDEX sync_quarantine_store ON sync_quarantine (store_id, received_at);

    CREATE TABLE sync_conflicts (
      id bigserial PRIMARY KEY,
      store_id text NOT NULL,
      terminal_id text NOT NULL,
      seq bigint NOT NULL,
      refused_event_id text NOT NULL,
      refused_hash text NOT NULL,
      reason text NOT NULL,
      held_event_json text NOT NULL,
      refused_event_json text NOT NULL,
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      times_seen integer NOT NULL DEFAULT 1,
      UNIQUE (terminal_id, seq, refused_event_id, refused_hash)
    );
    CREATE INDEX sync_conflicts_store ON sync_conflicts (store_id, last_seen_at);
  `,
  down: `
    DROP TABLE sync_conflicts, sync_quarantine;
    ALTER TABLE events DROP COLUMN content_hash;
  `,
};
