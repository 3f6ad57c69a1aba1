/** Sales at head office: what HQ's event log needs from sales, and the stored-value movements of its events. */
export * from './event-kinds.ts';
export { salesDaily } from './facts-projection.ts';
export type { HqReceipt, StoreDay } from './receipts.ts';
export { listReceipts } from './receipts.ts';
export * from './sale-arithmetic.ts';
export * from './stored-value-movements.ts';
export { unknownSkus } from './unknown-skus.ts';
