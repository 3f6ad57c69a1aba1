// Leaf modules first: the sync runner imports the projection and schemas while this index may still
// be evaluating (inventory commands are composed with sync's appendHqEvents by the HQ app).

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
