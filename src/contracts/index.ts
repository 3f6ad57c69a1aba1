/** The nouns that cross a wire, as zod schemas: browser-safe (zod and core only). */
export * from './access.ts';
export * from './api.ts';
export * from './audit.ts';
export * from './dashboard.ts';
export * from './devices.ts';
export * from './enrollment-link.ts';
export * from './locale.ts';
export * from './permissions.ts';
export * from './register.ts';
export * from './register-sale.ts';
export * from './register-shift.ts';
export * from './stores.ts';
export * from './till-session.ts';
export * from './wire.ts';
