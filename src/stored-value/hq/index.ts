export * from './ledger.ts';
export * from './migrations/index.ts';
