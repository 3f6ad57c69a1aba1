/** Sync's till-only entry: its tables in the till's ledger.db, and catalog.db (all sync's). */
export { catalogCacheMigrations } from './catalog-migrations/index.ts';
export { syncLedgerMigrations } from './ledger-migrations/index.ts';
