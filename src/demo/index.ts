/** Sample data: the demo chain and its seeded history, and the M5 import, built through the modules' public APIs. */

export * from './demo-customers.ts';
export * from './demo-drafts.ts';
export * from './demo-history.ts';
export * from './demo-sales.ts';
export * from './demo-scores.ts';
export * from './m5-import.ts';
export * from './seed.ts';
