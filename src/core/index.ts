export * from './clock.ts';
export * from './errors.ts';
export * from './event.ts';
export * from './ids.ts';
export * from './limits.ts';
export * from './log.ts';
export * from './money.ts';
export * from './random.ts';
