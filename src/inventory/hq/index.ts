/** Inventory at head office: its tables' migrations and what HQ's event log needs from inventory. */
export * from './event-kinds.ts';
export { inventoryHqMigrations } from './migrations/index.ts';
export * from './transfer-counterparts.ts';
