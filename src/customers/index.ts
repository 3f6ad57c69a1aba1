export * from './customers.ts';
export * from './events.ts';
export * from './schema.ts';
