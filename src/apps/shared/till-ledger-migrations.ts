import { customersLedgerMigrations, loyaltyLedgerMigrations } from '../../customers/till/index.ts';
import { orderMigrations, type SchemaMigration } from '../../db/index.ts';
import { paymentsLedgerMigrations } from '../../payments/till/index.ts';
import { salesLedgerMigrations } from '../../sales/till/index.ts';
import { storedValueLedgerMigrations } from '../../stored-value/till/index.ts';
import { syncLedgerMigrations } from '../../sync/till/index.ts';

/**
 * The till's ledger.db schema, in the order it applies: the ledger, carts, managers, gift cards, card
 * attempts and sync refusals share one file so a sale commits with everything it touches, and each
 * module keeps its steps beside its code (`<module>/till/ledger-migrations/`). A till counts the steps
 * it has run (user_version), so the order is what was released; a new step takes the next number and
 * is frozen once released (test/fixtures/migrations.sha256.json). catalog.db's steps are all sync's
 * (`catalogCacheMigrations`).
 */
export const tillLedgerMigrations: readonly SchemaMigration[] = orderMigrations('ledger.db', [
  salesLedgerMigrations,
  storedValueLedgerMigrations,
  paymentsLedgerMigrations,
  syncLedgerMigrations,
  loyaltyLedgerMigrations,
  customersLedgerMigrations,
]);
