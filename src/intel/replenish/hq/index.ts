/** Replenishment's HQ-only entry: the tables it owns in HQ's database. */
export { replenishHqMigrations } from './migrations/index.ts';
