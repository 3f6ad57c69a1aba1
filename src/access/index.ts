export * from './admin.ts';
export * from './admission.ts';
export * from './principal.ts';
export * from './roles.ts';
export * from './sessions.ts';
export * from './terminals.ts';
export * from './tokens.ts';
export * from './users.ts';
