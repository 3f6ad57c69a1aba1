/** Inventory at head office: what HQ's event log needs from inventory. */
export * from './event-kinds.ts';
export * from './transfer-counterparts.ts';
