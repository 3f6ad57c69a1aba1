import { z } from 'zod';
import { safeText } from '../core/index.ts';

/**
 * Stock movements recorded as events: on-hand, reserved and in-transit stock are always the replay of
 * the log and never a number typed into a table. HQ writes its own (opening balances, supplier
 * receipts, transfers, counts, reservations) under the source `hq`; tills may send receipts,
 * transfers, adjustments and write-offs handled in store.
 */
// Text is bounded and free of control characters, so every payload is one HQ can store (limits.ts).
const sku = safeText('code').min(1);
const storeId = safeText('code').min(1);
const note = safeText('reason', { multiline: true });
const positiveQty = z.number().int().positive();
const minor = z.number().int().nonnegative();
const ref = safeText('reason').min(1).max(100);

export const stockLineSchema = z.object({ sku, qty: positiveQty });
export type StockLine = z.infer<typeof stockLineSchema>;

export const stockReceivedSchema = z.object({
  sku,
  qty: positiveQty,
  /** `delivery` is a receipt from a supplier; `transfer_in` is kept for events written before transfers. */
  reason: z.enum(['opening_balance', 'delivery', 'transfer_in']),
  /** Cost per unit paid to the supplier; feeds the moving-average cost that values shrinkage. */
  unitCostMinor: minor.optional(),
  supplier: safeText('name').min(1).optional(),
  reference: ref.optional(),
});
export type StockReceived = z.infer<typeof stockReceivedSchema>;

export const ADJUSTMENT_REASONS = ['correction', 'found', 'data_entry', 'other'] as const;
/** A correction that is not shrinkage: signed, with its reason. */
export const stockAdjustedSchema = z.object({
  sku,
  qty: z
    .number()
    .int()
    .refine((n) => n !== 0, 'must not be zero'),
  reason: z.enum(ADJUSTMENT_REASONS),
  note: note.optional(),
});
export type StockAdjusted = z.infer<typeof stockAdjustedSchema>;

export const WRITE_OFF_REASONS = ['damaged', 'expired', 'theft', 'lost', 'unknown'] as const;
/** Shrinkage: units gone for good, valued at the cost carried when HQ recorded them. */
export const stockWrittenOffSchema = z.object({
  sku,
  qty: positiveQty,
  reason: z.enum(WRITE_OFF_REASONS),
  unitCostMinor: minor.optional(),
  note: note.optional(),
});
export type StockWrittenOff = z.infer<typeof stockWrittenOffSchema>;

/** Written at the source store: the units leave on hand and are in transit until received. */
export const transferShippedSchema = z.object({
  transferId: ref,
  toStoreId: storeId,
  lines: z.array(stockLineSchema).min(1),
});
export type TransferShipped = z.infer<typeof transferShippedSchema>;

/**
 * Written at the destination; may arrive before the shipment (the source till was offline), so it
 * names the source store itself. `final` closes the transfer: what was not received is a discrepancy.
 */
export const transferReceivedSchema = z
  .object({
    transferId: ref,
    fromStoreId: storeId,
    lines: z.array(z.object({ sku, qty: z.number().int().nonnegative() })),
    final: z.boolean().default(false),
  })
  .refine((p) => p.lines.length > 0 || p.final, {
    message: 'a receipt needs lines unless it closes the transfer',
    path: ['lines'],
  });
export type TransferReceived = z.infer<typeof transferReceivedSchema>;

export const stockReservedSchema = z.object({
  reservationId: ref,
  orderId: ref.optional(),
  expiresAt: z.iso.datetime({ offset: true }),
  lines: z.array(stockLineSchema).min(1),
});
export type StockReserved = z.infer<typeof stockReservedSchema>;

/** The reserved units leave on hand: the order was picked up or shipped. */
export const reservationConfirmedSchema = z.object({
  reservationId: ref,
  lines: z.array(stockLineSchema).min(1),
});
export type ReservationConfirmed = z.infer<typeof reservationConfirmedSchema>;

export const reservationReleasedSchema = z.object({
  reservationId: ref,
  reason: z.enum(['cancelled', 'expired']),
  lines: z.array(stockLineSchema).min(1),
});
export type ReservationReleased = z.infer<typeof reservationReleasedSchema>;

/**
 * A posted count. Expected quantities are the ledger at the freeze time and costs are those carried at
 * posting, both fixed in the event so a replay books the same variance and the same shrink value.
 */
export const stockCountedSchema = z.object({
  countId: ref,
  kind: z.enum(['full', 'cycle']),
  freezeAt: z.iso.datetime({ offset: true }),
  lines: z.array(
    z.object({
      sku,
      countedQty: z.number().int().nonnegative(),
      expectedQty: z.number().int(),
      variance: z.number().int(),
      unitCostMinor: minor,
    }),
  ),
});
export type StockCounted = z.infer<typeof stockCountedSchema>;

/**
 * A count taken at a till: only what was on the shelf. The till cannot know HQ's ledger, so HQ works
 * out the expected quantities at the freeze and the cost when it folds the count (see till-counts.ts),
 * once every earlier event of that till is in the ledger.
 */
export const stockCountTakenSchema = z
  .object({
    countId: ref,
    kind: z.enum(['full', 'cycle']),
    freezeAt: z.iso.datetime({ offset: true }),
    lines: z.array(z.object({ sku, countedQty: z.number().int().nonnegative() })),
  })
  .refine((p) => p.kind === 'full' || p.lines.length > 0, {
    message: 'a cycle count needs lines',
    path: ['lines'],
  });
export type StockCountTaken = z.infer<typeof stockCountTakenSchema>;

export const exceptionReviewedSchema = z.object({
  exceptionId: ref,
  note: note.default(''),
});
export type ExceptionReviewed = z.infer<typeof exceptionReviewedSchema>;

export const INVENTORY_EVENT_TYPES = {
  stockReceived: 'stock.received',
  stockAdjusted: 'stock.adjusted',
  stockWrittenOff: 'stock.written_off',
  transferShipped: 'stock.transfer_shipped',
  transferReceived: 'stock.transfer_received',
  stockReserved: 'stock.reserved',
  reservationConfirmed: 'stock.reservation_confirmed',
  reservationReleased: 'stock.reservation_released',
  stockCounted: 'stock.counted',
  stockCountTaken: 'stock.count_taken',
  exceptionReviewed: 'stock.exception_reviewed',
} as const;

/** Payload schemas by event type and schema version, for ingest to validate what tills send. */
export const inventoryPayloadSchemas: Record<string, Record<number, z.ZodType>> = {
  [INVENTORY_EVENT_TYPES.stockReceived]: { 1: stockReceivedSchema },
  [INVENTORY_EVENT_TYPES.stockAdjusted]: { 1: stockAdjustedSchema },
  [INVENTORY_EVENT_TYPES.stockWrittenOff]: { 1: stockWrittenOffSchema },
  [INVENTORY_EVENT_TYPES.transferShipped]: { 1: transferShippedSchema },
  [INVENTORY_EVENT_TYPES.transferReceived]: { 1: transferReceivedSchema },
  [INVENTORY_EVENT_TYPES.stockReserved]: { 1: stockReservedSchema },
  [INVENTORY_EVENT_TYPES.reservationConfirmed]: { 1: reservationConfirmedSchema },
  [INVENTORY_EVENT_TYPES.reservationReleased]: { 1: reservationReleasedSchema },
  [INVENTORY_EVENT_TYPES.stockCounted]: { 1: stockCountedSchema },
  [INVENTORY_EVENT_TYPES.stockCountTaken]: { 1: stockCountTakenSchema },
  [INVENTORY_EVENT_TYPES.exceptionReviewed]: { 1: exceptionReviewedSchema },
};
