export * from './customers.ts';
export * from './events.ts';
export * from './pii-crypto.ts';
export * from './remote-customers.ts';
