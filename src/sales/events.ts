import { z } from 'zod';
import { safeText } from '../core/index.ts';

/**
 * Events the till writes to its ledger for the sale path. HQ projections read these payloads, so a
 * change here is a schema change: add fields as optional, or bump the event's schemaVersion.
 */
const minor = z.number().int();
const positiveQty = z.number().int().positive();
/** Why money left the drawer, a discount was given or a price changed: required, never just spaces. */
const reason = safeText('reason').trim().min(1);
// Text is bounded and free of control characters (src/core/limits.ts): ids and codes short, names from
// the catalog at the reason length (the catalog does not bound them tighter), nothing HQ cannot store.
/** Ids and codes: SKUs, cashier and manager ids, receipt numbers, coupon and tax codes. */
const code = safeText('code').min(1);
/** Names that come from the catalog or a promotion. */
const label = safeText('reason');
const currency = safeText('code').length(3);
/** Short text a payment processor answers (may be empty). */
const shortText = safeText('code');

export const shiftOpenedSchema = z.object({
  shiftId: z.uuid(),
  cashierId: code,
  openingFloatMinor: minor.nonnegative(),
  currency,
});

/** A weighed or measured quantity: `amount` grams at a unit price per `per` grams (1000: per kg). */
export const measureSchema = z.object({
  amount: z.number().int().positive(),
  unit: z.enum(['g', 'ml', 'mm']),
  per: z.number().int().positive(),
});

/** A cashier's discount as it landed on a line; a basket discount shows on every line it was spread over. */
export const appliedDiscountSchema = z.object({
  id: code,
  reason,
  amountMinor: minor.nonnegative(),
  basket: z.boolean(),
  percentBp: z.number().int().positive().optional(),
  /** The manager whose PIN allowed it, when it was above the till's threshold. */
  approvedBy: code.optional(),
  // Added with promotions at the till; older events have cashier discounts only and omit them.
  /** A promotion's discount (`reason` is its name, the explanation on the receipt) or a cashier's. */
  source: z.enum(['promotion', 'manual']).optional(),
  promotionId: code.optional(),
  promotionKind: code.optional(),
  couponCode: code.optional(),
});

/** One tax component charged on a line: "DE-VAT-7" at 70000 ppm, or a US state or city tax. */
export const lineTaxSchema = z.object({
  code,
  name: label,
  ratePpm: z.number().int().nonnegative(),
  taxMinor: minor,
});

/** A unit price typed in by the cashier instead of the catalog's. */
export const priceOverrideSchema = z.object({
  fromMinor: minor.nonnegative(),
  reason,
  approvedBy: code.optional(),
});

export const saleLineSchema = z.object({
  lineNo: z.number().int().positive(),
  sku: code,
  name: label,
  qty: positiveQty,
  unitPriceMinor: minor.nonnegative(),
  taxRateBp: z.number().int().nonnegative(),
  netMinor: minor,
  taxMinor: minor,
  grossMinor: minor,
  /** Weighed lines: qty counts packs (1) and unitPriceMinor is the price per `measure.per`. */
  measure: measureSchema.optional(),
  /** The price or weight came from an in-store EAN-13 (prefix 2). */
  embedded: z.enum(['price', 'weight']).optional(),
  /** Before cashier discounts; grossMinor is after them. Absent on events older than discounts. */
  listMinor: minor.optional(),
  discountMinor: minor.nonnegative().optional(),
  discounts: z.array(appliedDiscountSchema).optional(),
  priceOverride: priceOverrideSchema.optional(),
  /**
   * The exact rate charged in parts per million and its components by jurisdiction code; taxRateBp is
   * that rate rounded to bp. Absent on older events: read `taxRatePpm ?? taxRateBp * 100`.
   */
  taxRatePpm: z.number().int().nonnegative().optional(),
  taxClass: code.optional(),
  tax: z.array(lineTaxSchema).optional(),
  categoryIds: z.array(code).optional(),
});

/** A promotion applied to a sale, all its lines together. */
export const appliedPromotionSchema = z.object({
  promotionId: code,
  name: label,
  kind: code,
  amountMinor: minor.nonnegative(),
  couponCode: code.optional(),
});

export const cashTenderSchema = z.object({
  kind: z.literal('cash'),
  /** Cash kept for the sale; 0 when rounding to the smallest coin took the rest away. */
  amountMinor: minor.nonnegative(),
  tenderedMinor: minor.positive(),
  changeMinor: minor.nonnegative(),
});

/** A card tender holds the processor's token and a masked number only: never a full card number. */
export const cardTenderSchema = z.object({
  kind: z.literal('card'),
  amountMinor: minor.positive(),
  provider: shortText,
  approvalCode: shortText,
  token: label,
  maskedPan: z.string().regex(/^\*+\d{4}$/, 'masked card number such as ************4242'),
  brand: shortText,
});

/** Gift card or store credit: the account's id and the last 4 digits of its code, never the code. */
export const storedValueTenderSchema = z.object({
  kind: z.enum(['gift_card', 'store_credit']),
  amountMinor: minor.positive(),
  accountId: z.uuid(),
  last4: z.string().regex(/^\d{4}$/),
  /** HQ's authorisation of an online redemption: HQ has debited already, ingest applies nothing twice. */
  authId: z.uuid().optional(),
  /** Redeemed while HQ was unreachable, against the till's last known balance; HQ applies it on ingest. */
  offline: z.boolean().optional(),
  /** SHA-256 of the code, so HQ can open the account if this event is the first it hears of it. */
  codeHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

/** In an exchange, the value of the returned items paying for the new ones. */
export const exchangeCreditTenderSchema = z.object({
  kind: z.literal('exchange_credit'),
  amountMinor: minor.positive(),
  returnId: z.uuid(),
});

export const tenderSchema = z.union([
  cashTenderSchema,
  cardTenderSchema,
  storedValueTenderSchema,
  exchangeCreditTenderSchema,
]);

export const saleCompletedSchema = z.object({
  saleId: z.uuid(),
  receiptNo: code,
  shiftId: z.uuid(),
  cashierId: code,
  currency,
  taxInclusive: z.boolean(),
  lines: z.array(saleLineSchema).min(1),
  netMinor: minor,
  taxMinor: minor,
  grossMinor: minor,
  tenders: z.array(tenderSchema).min(1),
  /** Cashier discounts on the sale, all lines together. */
  discountMinor: minor.nonnegative().optional(),
  /** Cash rounding to the smallest coin: tenders add up to grossMinor + roundingMinor. */
  roundingMinor: minor.optional(),
  customerId: z.uuid().optional(),
  /** Set when this sale is the new half of an exchange; the return carries the same id. */
  exchangeId: z.uuid().optional(),
  // Added with promotions at the till (optional: older events omit them).
  /** The moment the cart was priced at (promotion schedules, prices in force). */
  pricedAt: code.optional(),
  /** Promotions applied, each with its total; the lines carry each one's share. */
  promotions: z.array(appliedPromotionSchema).optional(),
  couponCodes: z.array(code).optional(),
  /** The store's tax jurisdiction the sale was taxed under, when HQ published one. */
  taxJurisdictionId: code.optional(),
});

/** Cash taken out of the drawer to the safe during the shift. */
export const drawerCashDropSchema = z.object({
  shiftId: z.uuid(),
  cashierId: code,
  amountMinor: minor.positive(),
  reason,
});

/** Cash paid out of the drawer for something other than a sale (window cleaner, milk for the staff room). */
export const drawerPaidOutSchema = drawerCashDropSchema;

/** The drawer opened without a sale: no money moves, but every opening is on the record. */
export const drawerNoSaleSchema = z.object({
  shiftId: z.uuid(),
  cashierId: code,
  reason,
  approvedBy: code.optional(),
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
  cashierId: code,
  currency,
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
  /** Cashier discounts given in the shift, gift cards sold (cash part in the drawer) and cash rounding. */
  discountsMinor: minor.nonnegative().optional(),
  giftCardsSoldMinor: minor.nonnegative().optional(),
  roundingMinor: minor.optional(),
});

/** One returned line: units of an original sale line, refunded at the price actually paid. */
export const returnLineSchema = z.object({
  /** Absent on a return without a receipt. */
  originalLineNo: z.number().int().positive().optional(),
  sku: code,
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
  token: label,
  maskedPan: z.string().regex(/^\*+\d{4}$/, 'masked card number such as ************4242'),
  refundRef: label,
});
export const cashRefundSchema = z.object({ kind: z.literal('cash'), amountMinor: minor.positive() });
/** Money kept in the store: a new store-credit account (or a gift card loaded back). */
export const storedValueRefundSchema = z.object({
  kind: z.enum(['store_credit', 'gift_card']),
  amountMinor: minor.positive(),
  accountId: z.uuid(),
  last4: z.string().regex(/^\d{4}$/),
  /** SHA-256 of the code: a new voucher becomes redeemable at every till once HQ has it. */
  codeHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
/** In an exchange: the value carried over to pay for the new items (the sale with `saleId`). */
export const exchangeRefundSchema = z.object({
  kind: z.literal('exchange'),
  amountMinor: minor.positive(),
  saleId: z.uuid(),
});
export const refundSchema = z.discriminatedUnion('kind', [
  cardRefundSchema,
  cashRefundSchema,
  storedValueRefundSchema,
  exchangeRefundSchema,
]);

/** A card refund the processor refused after an earlier card of the same return was refunded. */
export const failedRefundSchema = z.object({
  maskedPan: z.string().regex(/^\*+\d{4}$/),
  amountMinor: minor.positive(),
  reason: label,
});

/** Items brought back against a receipt of this till, and how the money went back to the customer. */
export const saleReturnedSchema = z.object({
  returnId: z.uuid(),
  /** Both absent on a return without a receipt (`withoutReceipt`). */
  originalSaleId: z.uuid().optional(),
  originalReceiptNo: code.optional(),
  shiftId: z.uuid(),
  cashierId: code,
  currency,
  lines: z.array(returnLineSchema).min(1),
  totals: z.object({ netMinor: minor, taxMinor: minor, grossMinor: minor }),
  refunds: z.array(refundSchema),
  reason,
  withoutReceipt: z.boolean().optional(),
  /** A whole sale voided after payment: every line back, every tender refunded. */
  postVoid: z.boolean().optional(),
  exchangeId: z.uuid().optional(),
  approvedBy: code.optional(),
  /** Card refunds that failed; their amount went back as the fallback refund listed in `refunds`. */
  failedRefunds: z.array(failedRefundSchema).optional(),
});

/** A line taken off an open cart before payment: kept for loss prevention. */
export const cartLineVoidedSchema = z.object({
  cartId: code,
  lineNo: z.number().int().positive(),
  sku: code,
  qty: positiveQty,
  grossMinor: minor,
  cashierId: code.optional(),
  /** The shift open when the line was voided, so the shift report counts it. */
  shiftId: z.uuid().optional(),
});

/** A whole sale abandoned before payment: what was in the cart, and why. */
export const saleVoidedSchema = z.object({
  cartId: code,
  lines: z.array(
    z.object({
      lineNo: z.number().int().positive(),
      sku: code,
      qty: positiveQty,
      grossMinor: minor,
    }),
  ),
  grossMinor: minor,
  reason,
  currency: currency.optional(),
  cashierId: code.optional(),
  shiftId: z.uuid().optional(),
});

/** A gift card sold (issued) or topped up (loaded), with how the customer paid for it. */
export const giftCardSoldSchema = z.object({
  accountId: z.uuid(),
  last4: z.string().regex(/^\d{4}$/),
  currency,
  amountMinor: minor.positive(),
  /** The balance after this event. */
  balanceMinor: minor.nonnegative(),
  shiftId: z.uuid(),
  cashierId: code,
  tenders: z.array(z.union([cashTenderSchema, cardTenderSchema])).min(1),
  /** SHA-256 of the card's code, so the card can be looked up and redeemed at any till of the chain. */
  codeHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

/** A receipt printed again: a copy, or a gift receipt without prices. */
export const receiptReprintedSchema = z.object({
  saleId: z.uuid(),
  receiptNo: code,
  gift: z.boolean(),
  cashierId: code.optional(),
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
export type Measure = z.infer<typeof measureSchema>;
export type PriceOverride = z.infer<typeof priceOverrideSchema>;
export type AppliedDiscount = z.infer<typeof appliedDiscountSchema>;
export type GiftCardSold = z.infer<typeof giftCardSoldSchema>;
export type ReceiptReprinted = z.infer<typeof receiptReprintedSchema>;
export type FailedRefund = z.infer<typeof failedRefundSchema>;

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
  giftCardIssued: 'giftcard.issued',
  giftCardLoaded: 'giftcard.loaded',
  receiptReprinted: 'receipt.reprinted',
} as const;
