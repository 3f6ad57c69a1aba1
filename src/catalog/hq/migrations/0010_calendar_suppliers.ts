import type { SchemaMigration } from '../../../db/index.ts';

/**
 * What forecasting and ordering need to know that sales do not say: the calendar of events (holidays,
 * sports finals, SNAP benefit days) with where each applies — the whole chain, a region (a state: SNAP
 * days differ by state), or a list of stores — and which region each store is in; and suppliers with
 * their lead time, review period and minimum order, which replenishment used to assume (7 days).
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0010CalendarSuppliers: SchemaMigration = {
  id: '0010_calendar_suppliers',
  up: `
    CREATE TABLE calendar_events (
      id bigserial PRIMARY KEY,
      date date NOT NULL,
      name text NOT NULL CHECK (name <> ''),
      type text NOT NULL CHECK (type <> ''),
      scope text NOT NULL CHECK (scope IN ('chain', 'region', 'stores')),
      -- Region codes or store ids; empty for the chain.
      scope_ids text[] NOT NULL DEFAULT '{}',
      -- Who wrote the row ('m5', 'manual'), so a re-import replaces its own rows only.
      source text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((scope = 'chain') = (cardinality(scope_ids) = 0))
    );
    CREATE UNIQUE INDEX calendar_events_unique ON calendar_events (date, name, scope, scope_ids);

    -- A store is in at most one region (for M5, its state).
    CREATE TABLE store_regions (
      store_id text PRIMARY KEY,
      region text NOT NULL CHECK (region <> '')
    );

    -- The id is what products.supplier holds.
    CREATE TABLE suppliers (
      id text PRIMARY KEY CHECK (id <> ''),
      name text NOT NULL,
      lead_days integer NOT NULL CHECK (lead_days >= 0),
      -- Days between orders; NULL = reviewed daily.
      review_days integer CHECK (review_days >= 1),
      -- Fewest units on an order line; NULL = no minimum.
      min_order integer CHECK (min_order >= 0),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  down: `DROP TABLE suppliers, store_regions, calendar_events`,
};
