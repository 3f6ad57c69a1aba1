export * from './gtin.ts';
export * from './identifiers.ts';
export * from './products.ts';
export * from './seed.ts';
export * from './snapshot.ts';
export * from './stores.ts';
