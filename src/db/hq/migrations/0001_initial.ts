import type { SchemaMigration } from '../../schema-migration.ts';

/**
 * HQ's first schema: reference data, the event log and its first two projections. Plain SQL so the
 * same text runs on PGlite and PostgreSQL, and so constraints read as they will be enforced. These
 * base tables (typed in src/db/hq-schema.ts) are read by most modules, so db keeps this one; every later
 * migration lives in the module that owns its tables.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0001Initial: SchemaMigration = {
  id: '0001_initial',
  up: `
    CREATE TABLE hq_config (
      key text PRIMARY KEY,
      value text NOT NULL
    );
    -- Names this catalog's history in its cursors: a till holding a cursor from another HQ database
    -- (restored, rebuilt) gets a full snapshot instead of a wrong delta.
    INSERT INTO hq_config (key, value) VALUES ('catalog_epoch', replace(gen_random_uuid()::text, '-', ''));

    CREATE TABLE stores (
      id text PRIMARY KEY,
      name text NOT NULL,
      address text NOT NULL DEFAULT '',
      currency char(3) NOT NULL,
      time_zone text NOT NULL,
      tax_inclusive boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    -- The catalog cursor: every product change takes the next value, so "what changed since N" is
    -- one index range scan and never misses a change made in the same millisecond.
    CREATE SEQUENCE catalog_version_seq;

    CREATE TABLE products (
      sku text PRIMARY KEY,
      name text NOT NULL,
      category text NOT NULL DEFAULT '',
      price_minor bigint NOT NULL CHECK (price_minor >= 0),
      tax_rate_bp integer NOT NULL CHECK (tax_rate_bp >= 0),
      active boolean NOT NULL DEFAULT true,
      version bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX products_version ON products (version);

    CREATE FUNCTION products_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- One catalog writer at a time, so versions become visible in the order they were taken and
      -- a till that read up to N never later misses a change numbered below N.
      PERFORM pg_advisory_xact_lock(7461796);
      NEW.version := nextval('catalog_version_seq');
      NEW.updated_at := now();
      RETURN NEW;
    END $$;
    CREATE TRIGGER products_version BEFORE INSERT OR UPDATE ON products
      FOR EACH ROW EXECUTE FUNCTION products_bump_version();

    -- The primary key makes an identifier belong to one product only.
    CREATE TABLE barcodes (
      code text PRIMARY KEY,
      sku text NOT NULL REFERENCES products (sku)
    );
    CREATE INDEX barcodes_sku ON barcodes (sku);

    -- A barcode change is a product change for the tills: touch the product so its version moves.
    CREATE FUNCTION barcodes_touch_product() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE products SET updated_at = now() WHERE sku = NEW.sku;
      END IF;
      IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE products SET updated_at = now() WHERE sku = OLD.sku;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER barcodes_touch AFTER INSERT OR UPDATE OR DELETE ON barcodes
      FOR EACH ROW EXECUTE FUNCTION barcodes_touch_product();

    CREATE TABLE terminals (
      id text PRIMARY KEY,
      store_id text REFERENCES stores (id),
      name text,
      token_hash text UNIQUE,
      enrolled_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz,
      held_up_to bigint NOT NULL DEFAULT 0,
      max_seq bigint NOT NULL DEFAULT 0,
      outbox_pending integer,
      outbox_oldest_age_s double precision,
      outbox_reported_at timestamptz,
      CHECK (store_id IS NOT NULL OR id = 'hq')
    );

    -- The event log. No foreign keys: it records what tills said, and must accept it in any order.
    CREATE TABLE events (
      id uuid PRIMARY KEY,
      terminal_id text NOT NULL,
      seq bigint NOT NULL CHECK (seq > 0),
      store_id text NOT NULL,
      type text NOT NULL,
      schema_version integer NOT NULL,
      business_date date NOT NULL,
      occurred_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      payload jsonb NOT NULL,
      UNIQUE (terminal_id, seq)
    );
    CREATE INDEX events_store_date ON events (store_id, business_date);

    CREATE TABLE stock_on_hand (
      store_id text NOT NULL,
      sku text NOT NULL,
      qty bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (store_id, sku)
    );

    CREATE TABLE sales_daily (
      business_date date NOT NULL,
      store_id text NOT NULL,
      sku text NOT NULL,
      qty bigint NOT NULL,
      net_minor bigint NOT NULL,
      tax_minor bigint NOT NULL,
      gross_minor bigint NOT NULL,
      lines bigint NOT NULL,
      PRIMARY KEY (business_date, store_id, sku)
    );
    CREATE INDEX sales_daily_store ON sales_daily (store_id, business_date);
  `,
  down: `
    DROP TABLE sales_daily, stock_on_hand, events, terminals, barcodes, products, stores, hq_config;
    DROP FUNCTION barcodes_touch_product, products_bump_version;
    DROP SEQUENCE catalog_version_seq;
  `,
};
