import type { SchemaMigration } from '../../../db/index.ts';

/**
 * The event backbone and sync figures:
 * - `bus_outbox`: every accepted event, written in the transaction that stores it, until the bus
 *   (in-process or NATS JetStream) has taken it; so no event is stored and never published.
 * - `projected_events`: which events the projections already hold, so a redelivery (NATS after a
 *   crash, an event applied inline and then delivered by the bus) is skipped: projections are
 *   idempotent without relying on delivery order.
 * - `events.pos`: the order events arrived in, so a rebuild replays them in the order the bus applied
 *   them (projections that notice order, such as negative-stock exceptions, come out the same).
 * - `sync_daily`: batches, events and bytes received per store and UTC day.
 * - `catalog_changes`: a generic change log for catalog entities that have no version column of their
 *   own, and the tombstones of deleted ones (products included), numbered from the catalog cursor's
 *   sequence so one cursor covers them all. Attach `catalog_track_change('<entity>', '<key column>')`
 *   to any table that tills must follow.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0003Backbone: SchemaMigration = {
  id: '0003_backbone',
  up: `
    ALTER TABLE events ADD COLUMN pos bigserial;
    CREATE UNIQUE INDEX events_pos ON events (pos);

    CREATE TABLE bus_outbox (
      pos bigserial PRIMARY KEY,
      event_id uuid NOT NULL
    );

    CREATE TABLE projected_events (
      event_id uuid PRIMARY KEY
    );
    -- Until now projections were applied in the ingest transaction: every stored event is projected.
    INSERT INTO projected_events (event_id) SELECT id FROM events;

    CREATE TABLE sync_daily (
      store_id text NOT NULL,
      day date NOT NULL,
      batches bigint NOT NULL DEFAULT 0,
      events bigint NOT NULL DEFAULT 0,
      bytes bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (store_id, day)
    );

    CREATE TABLE catalog_changes (
      entity text NOT NULL,
      key text NOT NULL,
      version bigint NOT NULL,
      deleted boolean NOT NULL,
      PRIMARY KEY (entity, key)
    );
    CREATE INDEX catalog_changes_version ON catalog_changes (version);

    CREATE FUNCTION catalog_track_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      k text;
    BEGIN
      -- The same lock as products_bump_version: versions become visible in the order they were taken.
      PERFORM pg_advisory_xact_lock(7461796);
      IF TG_OP = 'DELETE' THEN
        k := to_jsonb(OLD) ->> TG_ARGV[1];
      ELSE
        k := to_jsonb(NEW) ->> TG_ARGV[1];
      END IF;
      INSERT INTO catalog_changes (entity, key, version, deleted)
        VALUES (TG_ARGV[0], k, nextval('catalog_version_seq'), TG_OP = 'DELETE')
        ON CONFLICT (entity, key) DO UPDATE SET version = excluded.version, deleted = excluded.deleted;
      RETURN NULL;
    END $$;

    -- Products carry their own version; only their deletion needs the log.
    CREATE TRIGGER products_track_delete AFTER DELETE ON products
      FOR EACH ROW EXECUTE FUNCTION catalog_track_change('product', 'sku');
  `,
  down: `
    DROP TRIGGER products_track_delete ON products;
    DROP FUNCTION catalog_track_change;
    DROP TABLE catalog_changes, sync_daily, projected_events, bus_outbox;
    ALTER TABLE events DROP COLUMN pos;
  `,
};
