export * from './customer-links.ts';
export * from './ledger.ts';
export * from './migrations/index.ts';
export * from './movements.ts';
