export * from './events.ts';
export * from './stock-projection.ts';
