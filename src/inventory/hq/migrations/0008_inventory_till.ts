import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Counts taken at tills. A till count waits (is parked) until every earlier event of its till is in
 * the ledger, so its variance is measured against the same history the till saw; parked counts live
 * in a table so an HQ restart keeps them. The valuation HQ gives a till count (expected quantities at
 * the freeze, cost) is kept apart from the ledger tables, so a rebuild by replay books the same money.
 * And a sequence for HQ's own event seqs, so HQ commands (reservations) no longer queue on one row.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0008InventoryTill: SchemaMigration = {
  id: '0008_inventory_till',
  up: `
    CREATE TABLE inventory_parked (
      event_id uuid PRIMARY KEY,
      terminal_id text NOT NULL,
      seq bigint NOT NULL,
      store_id text NOT NULL,
      reason text NOT NULL,
      parked_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX inventory_parked_terminal ON inventory_parked (terminal_id, seq);

    CREATE TABLE inventory_count_valuations (
      event_id uuid PRIMARY KEY,
      lines jsonb NOT NULL,
      valued_at timestamptz NOT NULL DEFAULT now()
    );

    -- HQ's own events take their seq from here instead of max + 1 under a lock on the source's row.
    CREATE SEQUENCE hq_event_seq;
    SELECT setval('hq_event_seq', COALESCE((SELECT max(seq) FROM events WHERE terminal_id = 'hq'), 0) + 1, false);
    INSERT INTO terminals (id, store_id, name, token_hash) VALUES ('hq', NULL, 'head office', NULL)
      ON CONFLICT (id) DO NOTHING;
  `,
  down: `DROP SEQUENCE hq_event_seq; DROP TABLE inventory_count_valuations, inventory_parked`,
};
