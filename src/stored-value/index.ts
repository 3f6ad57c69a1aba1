export * from './client.ts';
export * from './ledger.ts';
export * from './movements.ts';
