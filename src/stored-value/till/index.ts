export * from './accounts.ts';
export * from './hq-client.ts';
export * from './ledger-migrations/index.ts';
