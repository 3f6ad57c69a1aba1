import type { SchemaMigration } from '../../../db/index.ts';

/**
 * The manager's dashboard: people who sign in (scrypt hashes, never passwords), the stores each may see,
 * districts grouping stores for district managers, sessions (only the token's sha256 is kept, so a
 * leaked table signs nobody in), and sales by hour, projected from the log like sales_daily, so today's
 * pace can be set against the same hours last week and last year.
 *
 * It shipped with the dashboard, so it stays here as one step; the people tables it made are access's
 * now (typed in src/access/users.ts), sales_hourly is this module's.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0006Dashboard: SchemaMigration = {
  id: '0006_dashboard',
  up: `
    CREATE TABLE districts (
      id text PRIMARY KEY,
      name text NOT NULL
    );
    CREATE TABLE district_stores (
      district_id text NOT NULL REFERENCES districts (id) ON DELETE CASCADE,
      store_id text NOT NULL,
      PRIMARY KEY (district_id, store_id)
    );

    CREATE TABLE users (
      username text PRIMARY KEY,
      display_name text NOT NULL,
      role text NOT NULL CHECK (role IN ('associate', 'store_manager', 'district_manager', 'admin')),
      password_hash text NOT NULL,
      district_id text REFERENCES districts (id),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE user_stores (
      username text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
      store_id text NOT NULL,
      PRIMARY KEY (username, store_id)
    );

    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      username text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_expiry ON sessions (expires_at);

    -- Hours are store-local (0..23) on the till's business date.
    CREATE TABLE sales_hourly (
      business_date date NOT NULL,
      store_id text NOT NULL,
      hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
      transactions bigint NOT NULL,
      units bigint NOT NULL,
      net_minor bigint NOT NULL,
      gross_minor bigint NOT NULL,
      cost_minor bigint NOT NULL,
      -- Net of the lines whose cost is known: margin is costed_net - cost, never net - a partial cost.
      costed_net_minor bigint NOT NULL,
      PRIMARY KEY (business_date, store_id, hour)
    );
    CREATE INDEX sales_hourly_store ON sales_hourly (store_id, business_date);

    -- "When did this item last sell here?" (dead stock, a forecast's history) without scanning the year.
    CREATE INDEX sales_daily_item ON sales_daily (store_id, sku, business_date);
  `,
  down: `
    DROP INDEX sales_daily_item;
    DROP TABLE sales_hourly, sessions, user_stores, users, district_stores, districts;
  `,
};
