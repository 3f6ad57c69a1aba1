import type { SchemaMigration } from '../../../db/index.ts';

/**
 * The inventory ledger: stock_on_hand grows into the level per location × SKU (on hand, reserved, in
 * transit, moving-average cost), every change kept as a movement, and the state of reservations,
 * transfers, counts and negative-stock exceptions. All of it is a projection of the event log.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0002Inventory: SchemaMigration = {
  id: '0002_inventory',
  up: `
    ALTER TABLE stock_on_hand
      ADD COLUMN reserved bigint NOT NULL DEFAULT 0,
      ADD COLUMN in_transit_in bigint NOT NULL DEFAULT 0,
      ADD COLUMN in_transit_out bigint NOT NULL DEFAULT 0,
      ADD COLUMN avg_cost_minor bigint,
      ADD COLUMN version bigint NOT NULL DEFAULT 0,
      ADD COLUMN xid xid8;

    -- Every write to a level takes the next version and records its transaction, so a change stream
    -- can read "what committed since my last look" without missing a transaction that committed late.
    CREATE SEQUENCE stock_version_seq;
    CREATE FUNCTION stock_on_hand_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.version := nextval('stock_version_seq');
      NEW.xid := pg_current_xact_id();
      NEW.updated_at := now();
      RETURN NEW;
    END $$;
    CREATE TRIGGER stock_on_hand_stamp BEFORE INSERT OR UPDATE ON stock_on_hand
      FOR EACH ROW EXECUTE FUNCTION stock_on_hand_stamp();
    CREATE INDEX stock_on_hand_xid ON stock_on_hand (xid);
    CREATE INDEX stock_on_hand_sku ON stock_on_hand (sku);

    -- Event ids the ledger has folded: a second delivery of an event changes nothing.
    CREATE TABLE inventory_applied (event_id uuid PRIMARY KEY);

    CREATE TABLE inventory_movements (
      event_id uuid NOT NULL,
      line_no integer NOT NULL,
      store_id text NOT NULL,
      sku text NOT NULL,
      kind text NOT NULL,
      on_hand bigint NOT NULL,
      reserved bigint NOT NULL,
      in_transit_in bigint NOT NULL,
      in_transit_out bigint NOT NULL,
      unit_cost_minor bigint,
      value_minor bigint,
      reason text,
      ref text,
      occurred_at timestamptz NOT NULL,
      business_date date NOT NULL,
      PRIMARY KEY (event_id, line_no)
    );
    CREATE INDEX inventory_movements_level ON inventory_movements (store_id, sku, occurred_at);

    CREATE TABLE inventory_reservations (
      id text PRIMARY KEY,
      store_id text NOT NULL,
      order_id text,
      status text NOT NULL CHECK (status IN ('active', 'confirmed', 'released', 'expired')),
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      closed_at timestamptz
    );
    CREATE INDEX inventory_reservations_due ON inventory_reservations (expires_at) WHERE status = 'active';

    CREATE TABLE inventory_reservation_lines (
      reservation_id text NOT NULL,
      sku text NOT NULL,
      store_id text NOT NULL,
      qty bigint NOT NULL CHECK (qty > 0),
      PRIMARY KEY (reservation_id, sku)
    );
    CREATE INDEX inventory_reservation_lines_level ON inventory_reservation_lines (store_id, sku);

    CREATE TABLE inventory_transfers (
      id text PRIMARY KEY,
      from_store_id text NOT NULL,
      to_store_id text NOT NULL,
      closed boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE inventory_transfer_lines (
      transfer_id text NOT NULL,
      sku text NOT NULL,
      shipped bigint NOT NULL DEFAULT 0,
      received bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (transfer_id, sku)
    );

    CREATE TABLE inventory_counts (
      id text PRIMARY KEY,
      store_id text NOT NULL,
      kind text NOT NULL,
      freeze_at timestamptz NOT NULL,
      posted_at timestamptz NOT NULL,
      lines integer NOT NULL,
      shrink_value_minor bigint NOT NULL,
      gain_value_minor bigint NOT NULL
    );

    -- One open exception per location × SKU, keyed by the movement (event id.line) that first took it
    -- below zero: one sale can take several SKUs below zero at once.
    CREATE TABLE inventory_exceptions (
      id text PRIMARY KEY,
      store_id text NOT NULL,
      sku text NOT NULL,
      lowest_on_hand bigint NOT NULL,
      events integer NOT NULL DEFAULT 1,
      raised_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reviewed')),
      reviewed_at timestamptz,
      note text
    );
    CREATE UNIQUE INDEX inventory_exceptions_open ON inventory_exceptions (store_id, sku) WHERE status = 'open';
  `,
  down: `
    DROP TABLE inventory_exceptions, inventory_counts, inventory_transfer_lines, inventory_transfers,
      inventory_reservation_lines, inventory_reservations, inventory_movements, inventory_applied;
    DROP TRIGGER stock_on_hand_stamp ON stock_on_hand;
    DROP FUNCTION stock_on_hand_stamp;
    DROP SEQUENCE stock_version_seq;
    ALTER TABLE stock_on_hand DROP COLUMN reserved, DROP COLUMN in_transit_in, DROP COLUMN in_transit_out,
      DROP COLUMN avg_cost_minor, DROP COLUMN version, DROP COLUMN xid;
  `,
};
