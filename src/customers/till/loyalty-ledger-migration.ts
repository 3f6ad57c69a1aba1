import type { SchemaMigration } from '../../db/index.ts';

/**
 * The till's copy of the loyalty balances of customers it has seen (HQ's answer, less what this till
 * burned offline since), and the HQ authorisations of burns whose sale was not recorded, given back
 * when HQ answers again. ledger.db step 13 (11 and 12 are other work's: the integrator orders them).
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const ledger0013LoyaltyBalances: SchemaMigration = {
  id: '0013_loyalty_balances',
  up: `
  CREATE TABLE loyalty_balances (
    customer_id          TEXT PRIMARY KEY,
    balance_points       INTEGER NOT NULL,
    tier                 TEXT NOT NULL,
    tier_multiplier_bp   INTEGER NOT NULL,
    offline_spent_points INTEGER NOT NULL DEFAULT 0,
    as_of                TEXT NOT NULL
  );
  CREATE TABLE loyalty_releases (
    auth_id     TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    points      INTEGER NOT NULL,
    created_at  TEXT NOT NULL
  );
  `,
};

/** The ledger.db steps of loyalty at the till. */
export const loyaltyLedgerMigrations: readonly SchemaMigration[] = [ledger0013LoyaltyBalances];
