export * from './admin.ts';
export * from './terminals.ts';
export * from './tokens.ts';
