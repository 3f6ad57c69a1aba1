export * from './cart.ts';
export * from './events.ts';
export * from './ledger.ts';
export * from './receipt.ts';
export * from './register.ts';
export * from './schema.ts';
export * from './tenders.ts';
