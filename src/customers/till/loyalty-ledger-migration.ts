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

/**
 * This till's point movements HQ's ledger does not show yet (ledger.db step 14): each loyalty event's
 * net change to the balance (an online burn excluded: HQ debited it when it authorised it) and the
 * points it burned offline. A balance from HQ is shown plus these, and a row goes once HQ's answer says
 * its event is in the ledger, so a refresh before the events sync shows no less and one after counts
 * nothing twice.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const ledger0014LoyaltyUnacknowledged: SchemaMigration = {
  id: '0014_loyalty_unacknowledged',
  up: `
  CREATE TABLE loyalty_unacknowledged (
    event_id            TEXT PRIMARY KEY,
    customer_id         TEXT NOT NULL,
    points              INTEGER NOT NULL,
    offline_burn_points INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL
  );
  CREATE INDEX loyalty_unacknowledged_customer ON loyalty_unacknowledged (customer_id);
  `,
};

/** The ledger.db steps of loyalty at the till. */
export const loyaltyLedgerMigrations: readonly SchemaMigration[] = [
  ledger0013LoyaltyBalances,
  ledger0014LoyaltyUnacknowledged,
];
