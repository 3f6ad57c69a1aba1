export * from './loyalty-hq-client.ts';
export * from './loyalty-ledger-migration.ts';
export * from './loyalty-till.ts';
/**
 * Customers at the till: ledger.db steps, handing data keys to HQ, forgetting erased customers, taking
 * HQ's segments and consent changes from the catalog pull.
 */

export * from './hq-customer-changes.ts';
export * from './hq-lookup.ts';
export * from './key-sync.ts';
export * from './ledger-migrations/index.ts';
export * from './till-erasure.ts';
