import { z } from 'zod';

/**
 * Events the till writes to its ledger for the sale path. HQ projections read these payloads, so a
 * change here is a schema change: add fields as optional, or bump the event's schemaVersion.
 */
const minor = z.number().int();
const positiveQty = z.number().int().positive();

export const shiftOpenedSchema = z.object({
  shiftId: z.uuid(),
  cashierId: z.string().min(1),
  openingFloatMinor: minor.nonnegative(),
  currency: z.string().length(3),
});

export const saleLineSchema = z.object({
  lineNo: z.number().int().positive(),
  sku: z.string().min(1),
  name: z.string(),
  qty: positiveQty,
  unitPriceMinor: minor.nonnegative(),
  taxRateBp: z.number().int().nonnegative(),
  netMinor: minor,
  taxMinor: minor,
  grossMinor: minor,
});

export const cashTenderSchema = z.object({
  kind: z.literal('cash'),
  amountMinor: minor.positive(),
  tenderedMinor: minor.positive(),
  changeMinor: minor.nonnegative(),
});

/** A card tender holds the processor's token and a masked number only: never a full card number. */
export const cardTenderSchema = z.object({
  kind: z.literal('card'),
  amountMinor: minor.positive(),
  provider: z.string(),
  approvalCode: z.string(),
  token: z.string(),
  maskedPan: z.string().regex(/^\*+\d{4}$/, 'masked card number such as ************4242'),
  brand: z.string(),
});

export const tenderSchema = z.discriminatedUnion('kind', [cashTenderSchema, cardTenderSchema]);

export const saleCompletedSchema = z.object({
  saleId: z.uuid(),
  receiptNo: z.string().min(1),
  shiftId: z.uuid(),
  cashierId: z.string().min(1),
  currency: z.string().length(3),
  taxInclusive: z.boolean(),
  lines: z.array(saleLineSchema).min(1),
  netMinor: minor,
  taxMinor: minor,
  grossMinor: minor,
  tenders: z.array(tenderSchema).min(1),
});

/**
 * The end of a shift: what the drawer should hold (float + cash taken) against what was counted.
 * `countedCashMinor` is absent when the shift was closed without a count.
 */
export const shiftClosedSchema = z.object({
  shiftId: z.uuid(),
  cashierId: z.string().min(1),
  currency: z.string().length(3),
  openingFloatMinor: minor.nonnegative(),
  salesCount: z.number().int().nonnegative(),
  grossMinor: minor,
  cashSalesMinor: minor,
  cardSalesMinor: minor,
  expectedCashMinor: minor,
  countedCashMinor: minor.nonnegative().optional(),
  differenceMinor: minor.optional(),
});

export type ShiftOpened = z.infer<typeof shiftOpenedSchema>;
export type ShiftClosed = z.infer<typeof shiftClosedSchema>;
export type SaleLine = z.infer<typeof saleLineSchema>;
export type Tender = z.infer<typeof tenderSchema>;
export type SaleCompleted = z.infer<typeof saleCompletedSchema>;

export const SALES_EVENT_TYPES = {
  shiftOpened: 'shift.opened',
  saleCompleted: 'sale.completed',
  shiftClosed: 'shift.closed',
} as const;
