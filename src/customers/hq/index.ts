export * from './loyalty-accounts.ts';
export * from './loyalty-ledger.ts';
export * from './loyalty-migrations.ts';
export * from './loyalty-projection.ts';
