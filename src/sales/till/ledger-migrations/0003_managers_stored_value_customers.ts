import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Managers who approve overrides (scrypt hashes only); gift cards and store credit, whose balance
 * changes in the same transaction as the event that moves it and can never go below zero (used by
 * src/stored-value/till); and the till's customers (src/customers), in ledger.db so a customer.created
 * event and its row commit together, with phone and email stored normalised, which makes lookups exact.
 * One step for three modules because it shipped as one; the customers part used to be interpolated
 * from src/customers/schema.ts and is inlined here exactly as it ran.
 *
 * Released (ledger.db step 3): this text is frozen (test/fixtures/migrations.sha256.json);
 * change the schema with a new migration.
 */
export const ledger0003ManagersStoredValueCustomers: SchemaMigration = {
  id: '0003_managers_stored_value_customers',
  up: `
  CREATE TABLE managers (
    manager_id  TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    pin_hash    TEXT NOT NULL,
    salt        TEXT NOT NULL,
    created_at  TEXT NOT NULL
  );
  CREATE TABLE stored_value (
    account_id     TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('gift_card', 'store_credit')),
    code_hash      TEXT NOT NULL UNIQUE,
    last4          TEXT NOT NULL,
    currency       TEXT NOT NULL,
    balance_minor  INTEGER NOT NULL CHECK (balance_minor >= 0),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
  );
  
  CREATE TABLE customers (
    customer_id        TEXT PRIMARY KEY,
    phone              TEXT UNIQUE,
    email              TEXT UNIQUE,
    name               TEXT,
    marketing_consent  INTEGER NOT NULL,
    created_at         TEXT NOT NULL
  );

  `,
};
