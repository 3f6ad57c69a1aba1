export * from './provider.ts';
export * from './simulated.ts';
