/** Sync's HQ-only entry: the tables it owns in HQ's database. */
export { syncHqMigrations } from './migrations/index.ts';
