import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Gift cards and store credit across the chain. HQ keeps the ledger of record: one row per account
 * (found by the hash of its code, or by customer) and every movement keyed by what caused it (the
 * till event and tender, or HQ's own authorisation id), so a movement applied twice changes nothing.
 * A balance never goes below zero, unless an offline redemption took it there: then the account is
 * flagged `overdraft` and an exception is raised instead of losing the till's sale.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0009StoredValue: SchemaMigration = {
  id: '0009_stored_value',
  up: `
    CREATE TABLE stored_value_accounts (
      account_id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('gift_card', 'store_credit')),
      code_hash text UNIQUE,
      customer_id uuid,
      last4 text NOT NULL,
      currency text NOT NULL,
      balance_minor bigint NOT NULL DEFAULT 0,
      overdraft boolean NOT NULL DEFAULT false,
      version integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (balance_minor >= 0 OR overdraft)
    );
    CREATE INDEX stored_value_accounts_customer ON stored_value_accounts (customer_id)
      WHERE customer_id IS NOT NULL;

    CREATE TABLE stored_value_movements (
      id bigserial PRIMARY KEY,
      -- "<event id>:<part>" for a till event, the authorisation id for an online redemption.
      movement_key text NOT NULL UNIQUE,
      account_id uuid NOT NULL REFERENCES stored_value_accounts (account_id),
      kind text NOT NULL CHECK (kind IN ('issue', 'load', 'redeem', 'refund', 'reversal')),
      amount_minor bigint NOT NULL,
      balance_after bigint NOT NULL,
      event_id uuid,
      terminal_id text,
      offline boolean NOT NULL DEFAULT false,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX stored_value_movements_account ON stored_value_movements (account_id, id);

    CREATE TABLE stored_value_exceptions (
      id bigserial PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES stored_value_accounts (account_id),
      movement_key text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('overdraft', 'unknown_account')),
      shortfall_minor bigint NOT NULL,
      terminal_id text,
      at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz
    );
  `,
  down: `DROP TABLE stored_value_exceptions, stored_value_movements, stored_value_accounts`,
};
