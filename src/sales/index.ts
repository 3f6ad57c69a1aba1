export * from './approvals.ts';
export * from './cart.ts';
export * from './events.ts';
export * from './item-search.ts';
export * from './receipt.ts';
export * from './register.ts';
export * from './register-config.ts';
export * from './tenders.ts';
