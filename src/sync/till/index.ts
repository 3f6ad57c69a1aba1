/** Sync's till-only entry: its tables in the till's ledger.db. */
export { syncLedgerMigrations } from './ledger-migrations/index.ts';
