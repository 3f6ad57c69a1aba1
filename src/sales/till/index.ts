/** Sales' till-only entry: the tables it owns in the till's ledger.db. */

export * from './approvals.ts';
export * from './cart.ts';
export * from './item-search.ts';
export { salesLedgerMigrations } from './ledger-migrations/index.ts';
export * from './receipt.ts';
export * from './register.ts';
export * from './register-config.ts';
export * from './tenders.ts';
