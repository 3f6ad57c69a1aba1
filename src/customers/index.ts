export * from './customers.ts';
export * from './events.ts';
export * from './loyalty-events.ts';
export * from './loyalty-points.ts';
export * from './loyalty-programme.ts';
export * from './pii-crypto.ts';
export * from './remote-customers.ts';
