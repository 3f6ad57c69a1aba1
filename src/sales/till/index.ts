/** Sales' till-only entry: the tables it owns in the till's ledger.db. */
export { salesLedgerMigrations } from './ledger-migrations/index.ts';
