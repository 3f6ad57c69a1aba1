import type { SchemaMigration } from '../../db/index.ts';
import { hq0032LoyaltyOwners } from './migrations/0032_loyalty_owners.ts';

/**
 * Loyalty points across the chain (HQ migration 0029). The programme is one row of JSON (tracked in
 * catalog_changes, so tills receive it with the catalog delta). The ledger of record is shaped like the
 * stored-value one: one account per customer with its balance, every movement keyed by what caused it
 * (till event and part, HQ's authorisation id, an adjustment's id), so applying one twice changes
 * nothing. A balance goes below zero only when an offline burn took it there: the account is flagged
 * and an exception raised instead of losing the till's sale. Movements carry the spend they count
 * toward the tier, so the 12-month spend is a sum over this table.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0029Loyalty: SchemaMigration = {
  id: '0029_loyalty',
  up: `
    CREATE TABLE loyalty_programme (
      id smallint PRIMARY KEY CHECK (id = 1),
      programme jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TRIGGER loyalty_programme_track AFTER INSERT OR UPDATE OR DELETE ON loyalty_programme
      FOR EACH ROW EXECUTE FUNCTION catalog_track_change('loyalty_programme', 'id');

    CREATE TABLE loyalty_accounts (
      customer_id uuid PRIMARY KEY,
      balance_points bigint NOT NULL DEFAULT 0,
      overdraft boolean NOT NULL DEFAULT false,
      version integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (balance_points >= 0 OR overdraft)
    );

    CREATE TABLE loyalty_movements (
      id bigserial PRIMARY KEY,
      movement_key text NOT NULL UNIQUE,
      customer_id uuid NOT NULL REFERENCES loyalty_accounts (customer_id),
      kind text NOT NULL CHECK (kind IN ('earn', 'burn', 'reverse', 'refund', 'adjust', 'release', 'expire')),
      points bigint NOT NULL,
      balance_after bigint NOT NULL,
      -- Net spend this movement adds to (or, negative, takes off) the customer's 12 months.
      spend_minor bigint NOT NULL DEFAULT 0,
      event_id uuid,
      terminal_id text,
      store_id text,
      offline boolean NOT NULL DEFAULT false,
      reason text,
      actor text,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX loyalty_movements_customer ON loyalty_movements (customer_id, at);

    CREATE TABLE loyalty_exceptions (
      id bigserial PRIMARY KEY,
      customer_id uuid NOT NULL REFERENCES loyalty_accounts (customer_id),
      movement_key text NOT NULL UNIQUE,
      shortfall_points bigint NOT NULL,
      terminal_id text,
      at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz
    );
  `,
  down: `
    DROP TABLE loyalty_exceptions, loyalty_movements, loyalty_accounts;
    DROP TABLE loyalty_programme;
  `,
};

/** The HQ tables of loyalty (0029) and whose points each movement is (0032). */
export const loyaltyHqMigrations: readonly SchemaMigration[] = [hq0029Loyalty, hq0032LoyaltyOwners];
