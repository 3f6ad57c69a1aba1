/** Inventory at head office: its tables' migrations and what HQ's event log needs from inventory. */

export * from './availability.ts';
export * from './counts.ts';
export * from './event-kinds.ts';
export * from './fold.ts';
export * from './inventory-tables.ts';
export { inventoryHqMigrations } from './migrations/index.ts';
export * from './operations.ts';
export * from './reports.ts';
export * from './reservations.ts';
export * from './stock-projection.ts';
export { AvailabilityFeed } from './stream.ts';
export * from './till-counts.ts';
export * from './transfer-counterparts.ts';
export * from './transfers.ts';
