export * from './customers.ts';
export * from './events.ts';
