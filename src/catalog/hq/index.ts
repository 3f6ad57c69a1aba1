/** The catalog's HQ-only entry: the tables it owns in HQ's database. */
export { catalogHqMigrations } from './migrations/index.ts';
