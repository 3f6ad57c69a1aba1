/** Payments' till-only entry: the tables it owns in the till's ledger.db. */
export { paymentsLedgerMigrations } from './ledger-migrations/index.ts';
