/** The catalog on the till: its cached copy of the store's catalog, pulled from HQ. */
export * from './catalog-cache.ts';
export { catalogCacheMigrations } from './catalog-migrations/index.ts';
export * from './identifiers.ts';
