/** The nouns that cross a wire, as zod schemas: browser-safe (zod and core only). */
export * from './access.ts';
export * from './api.ts';
export * from './audit.ts';
export * from './catalog-import.ts';
export * from './dashboard.ts';
export * from './devices.ts';
export * from './gtin.ts';
export * from './locale.ts';
export * from './permissions.ts';
export * from './promotions.ts';
export * from './products.ts';
export * from './register.ts';
export * from './register-sale.ts';
export * from './register-shift.ts';
export * from './store-format.ts';
export * from './till-session.ts';
export * from './wire.ts';
