export * from './loyalty-hq-client.ts';
export * from './loyalty-ledger-migration.ts';
export * from './loyalty-till.ts';
