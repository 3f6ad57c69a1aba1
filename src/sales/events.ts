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

/** Why money left the drawer, or why it was opened: required, and never just spaces. */
const reason = z.string().trim().min(1);

/** Cash taken out of the drawer to the safe during the shift. */
export const drawerCashDropSchema = z.object({
  shiftId: z.uuid(),
  cashierId: z.string().min(1),
  amountMinor: minor.positive(),
  reason,
});

/** Cash paid out of the drawer for something other than a sale (window cleaner, milk for the staff room). */
export const drawerPaidOutSchema = drawerCashDropSchema;

/** The drawer opened without a sale: no money moves, but every opening is on the record. */
export const drawerNoSaleSchema = z.object({
  shiftId: z.uuid(),
  cashierId: z.string().min(1),
  reason,
});

/** One line of a blind count: `count` coins or notes of `valueMinor` each. */
export const denominationCountSchema = z.object({
  valueMinor: minor.positive(),
  count: z.number().int().nonnegative(),
});
export const cashCountSchema = z.object({ denominations: z.array(denominationCountSchema) });

/**
 * The end of a shift: what the drawer should hold (float + cash taken − drops − pay-outs) against
 * what was counted. `countedCashMinor` is absent when the shift was closed without a count; `counted`
 * holds the count by denomination when it was made that way. `zNumber` is the Z report's number,
 * gap-free per terminal.
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
  counted: cashCountSchema.optional(),
  cashDropsMinor: minor.nonnegative().optional(),
  paidOutsMinor: minor.nonnegative().optional(),
  noSaleCount: z.number().int().nonnegative().optional(),
  zNumber: z.number().int().positive().optional(),
  /** Returns in the shift: how many, their gross, and the part refunded in cash from the drawer. */
  returnsCount: z.number().int().nonnegative().optional(),
  returnsMinor: minor.nonnegative().optional(),
  cashRefundsMinor: minor.nonnegative().optional(),
});

/** One returned line: units of an original sale line, refunded at the price actually paid. */
export const returnLineSchema = z.object({
  originalLineNo: z.number().int().positive(),
  sku: z.string().min(1),
  qty: positiveQty,
  taxRateBp: z.number().int().nonnegative(),
  netMinor: minor,
  taxMinor: minor,
  grossMinor: minor,
});

/** A card refund goes back to the token the card was charged with; `refundRef` is the processor's id. */
export const cardRefundSchema = z.object({
  kind: z.literal('card'),
  amountMinor: minor.positive(),
  token: z.string(),
  maskedPan: z.string().regex(/^\*+\d{4}$/, 'masked card number such as ************4242'),
  refundRef: z.string(),
});
export const cashRefundSchema = z.object({ kind: z.literal('cash'), amountMinor: minor.positive() });
export const refundSchema = z.discriminatedUnion('kind', [cardRefundSchema, cashRefundSchema]);

/** Items brought back against a receipt of this till, and how the money went back to the customer. */
export const saleReturnedSchema = z.object({
  returnId: z.uuid(),
  originalSaleId: z.uuid(),
  originalReceiptNo: z.string().min(1),
  shiftId: z.uuid(),
  cashierId: z.string().min(1),
  currency: z.string().length(3),
  lines: z.array(returnLineSchema).min(1),
  totals: z.object({ netMinor: minor, taxMinor: minor, grossMinor: minor }),
  refunds: z.array(refundSchema),
  reason,
});

/** A line taken off an open cart before payment: kept for loss prevention. */
export const cartLineVoidedSchema = z.object({
  cartId: z.string().min(1),
  lineNo: z.number().int().positive(),
  sku: z.string().min(1),
  qty: positiveQty,
  grossMinor: minor,
  cashierId: z.string().min(1).optional(),
  /** The shift open when the line was voided, so the shift report counts it. */
  shiftId: z.uuid().optional(),
});

/** A whole sale abandoned before payment: what was in the cart, and why. */
export const saleVoidedSchema = z.object({
  cartId: z.string().min(1),
  lines: z.array(
    z.object({
      lineNo: z.number().int().positive(),
      sku: z.string().min(1),
      qty: positiveQty,
      grossMinor: minor,
    }),
  ),
  grossMinor: minor,
  reason,
  currency: z.string().length(3).optional(),
  cashierId: z.string().min(1).optional(),
  shiftId: z.uuid().optional(),
});

export type ShiftOpened = z.infer<typeof shiftOpenedSchema>;
export type ShiftClosed = z.infer<typeof shiftClosedSchema>;
export type SaleLine = z.infer<typeof saleLineSchema>;
export type Tender = z.infer<typeof tenderSchema>;
export type SaleCompleted = z.infer<typeof saleCompletedSchema>;
export type DrawerCashDrop = z.infer<typeof drawerCashDropSchema>;
export type DrawerPaidOut = z.infer<typeof drawerPaidOutSchema>;
export type DrawerNoSale = z.infer<typeof drawerNoSaleSchema>;
export type DenominationCount = z.infer<typeof denominationCountSchema>;
export type CashCount = z.infer<typeof cashCountSchema>;
export type ReturnLine = z.infer<typeof returnLineSchema>;
export type Refund = z.infer<typeof refundSchema>;
export type SaleReturned = z.infer<typeof saleReturnedSchema>;
export type CartLineVoided = z.infer<typeof cartLineVoidedSchema>;
export type SaleVoided = z.infer<typeof saleVoidedSchema>;

export const SALES_EVENT_TYPES = {
  shiftOpened: 'shift.opened',
  saleCompleted: 'sale.completed',
  shiftClosed: 'shift.closed',
  cashDrop: 'drawer.cash_drop',
  paidOut: 'drawer.paid_out',
  noSale: 'drawer.no_sale',
  saleReturned: 'sale.returned',
  cartLineVoided: 'cart.line_voided',
  saleVoided: 'sale.voided',
} as const;
