export * from './customers.ts';
export * from './events.ts';
export * from './loyalty-events.ts';
export * from './loyalty-points.ts';
