// Inventory commands are composed with sync's appendHqEvents by the HQ app; what HQ's event log needs
// from inventory (schemas, the stock projection, the transfer rule) is in hq/index.ts.

export * from './availability.ts';
export * from './counts.ts';
export * from './events.ts';
export * from './fold.ts';
export * from './inventory-tables.ts';
export * from './keys.ts';
export * from './operations.ts';
export * from './reports.ts';
export * from './reservations.ts';
export * from './stock-projection.ts';
export * from './till-counts.ts';
export * from './transfers.ts';
