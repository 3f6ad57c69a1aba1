/** Inventory's HQ-only entry: the tables it owns in HQ's database. */
export { inventoryHqMigrations } from './migrations/index.ts';
