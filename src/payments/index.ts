export * from './attempts.ts';
export * from './card-charges.ts';
export * from './events.ts';
export * from './provider.ts';
export * from './simulated.ts';
