/** Reports' HQ-only entry: the tables it owns in HQ's database. */
export { reportsHqMigrations } from './migrations/index.ts';
