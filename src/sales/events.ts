import { z } from 'zod';
// Names marked `type` are used here only in the inferred types at the end (re-exported below as they are).
import {
  type appliedDiscountSchema,
  type cashCountSchema,
  cashRefundSchema,
  cashTenderSchema,
  type denominationCountSchema,
  exchangeCreditTenderSchema,
  exchangeRefundSchema,
  failedRefundSchema,
  loyaltyRefundSchema,
  type measureSchema,
  type priceOverrideSchema,
  publicCardRefundSchema,
  publicCardTenderSchema,
  publicGiftCardSoldSchema,
  publicLoyaltyTenderSchema,
  publicSaleSchema,
  publicStoredValueRefundSchema,
  publicStoredValueTenderSchema,
  type saleLineSchema,
  type shiftClosedSchema,
  type shiftOpenedSchema,
} from '../contracts/index.ts';
import { safeText } from '../core/index.ts';

/**
 * Events the till writes to its ledger for the sale path. HQ projections read these payloads, so a
 * change here is a schema change: add fields as optional, or bump the event's schemaVersion.
 *
 * The nouns the register API shows (lines, discounts, tenders, refunds, shifts) are defined once in
 * src/contracts/register-sale.ts, below this module, so the screen can import them; the payloads here
 * are those nouns plus the money handles (an account id, HQ's authorisation, a code's hash, a card
 * token), each put back where the ledger has always written it so the stored JSON keeps its key order.
 */
export {
  appliedDiscountSchema,
  appliedPromotionSchema,
  cashCountSchema,
  cashRefundSchema,
  cashTenderSchema,
  denominationCountSchema,
  exchangeCreditTenderSchema,
  exchangeRefundSchema,
  failedRefundSchema,
  lineTaxSchema,
  measureSchema,
  priceOverrideSchema,
  saleLineSchema,
  shiftClosedSchema,
  shiftOpenedSchema,
} from '../contracts/index.ts';

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
/** A processor's card token: whoever holds it can charge or refund the card. */
const token = label;
/** SHA-256 of a gift card's or voucher's code, so HQ can open the account on the first event it sees. */
const codeHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .optional();

/** `shape` with `handles` put in right after the key `after` (the order the ledger writes keys in). */
function withHandlesAfter<S extends z.ZodRawShape, H extends z.ZodRawShape>(
  shape: S,
  after: keyof S & string,
  handles: H,
): S & H {
  const entries = Object.entries(shape).flatMap(([key, schema]) =>
    key === after ? [[key, schema], ...Object.entries(handles)] : [[key, schema]],
  );
  return Object.fromEntries(entries) as S & H;
}

/** A card tender holds the processor's token and a masked number only: never a full card number. */
export const cardTenderSchema = z.object(
  withHandlesAfter(publicCardTenderSchema.shape, 'approvalCode', { token }),
);

/** Gift card or store credit: the account's id and the last 4 digits of its code, never the code. */
export const storedValueTenderSchema = z.object({
  ...withHandlesAfter(
    withHandlesAfter(publicStoredValueTenderSchema.shape, 'amountMinor', { accountId: z.uuid() }),
    'last4',
    /** HQ's authorisation of an online redemption: HQ has debited already, ingest applies nothing twice. */
    { authId: z.uuid().optional() },
  ),
  codeHash,
});

/** Loyalty points: HQ's authorisation of an online burn (HQ debited already; ingest applies nothing twice). */
export const loyaltyTenderSchema = publicLoyaltyTenderSchema.extend({ authId: z.uuid().optional() });

export const tenderSchema = z.union([
  cashTenderSchema,
  cardTenderSchema,
  storedValueTenderSchema,
  exchangeCreditTenderSchema,
  loyaltyTenderSchema,
]);

/** The sale as recorded: at least one tender, each with its money handles. */
export const saleCompletedSchema = publicSaleSchema.extend({ tenders: z.array(tenderSchema).min(1) });

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
export const cardRefundSchema = z.object(
  withHandlesAfter(publicCardRefundSchema.shape, 'amountMinor', { token }),
);
/**
 * Money kept in the store: a new store-credit account (or a gift card loaded back); a new voucher
 * becomes redeemable at every till once HQ has its code's hash.
 */
export const storedValueRefundSchema = z.object({
  ...withHandlesAfter(publicStoredValueRefundSchema.shape, 'amountMinor', { accountId: z.uuid() }),
  codeHash,
});
export const refundSchema = z.discriminatedUnion('kind', [
  cardRefundSchema,
  cashRefundSchema,
  storedValueRefundSchema,
  exchangeRefundSchema,
  loyaltyRefundSchema,
]);

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
  ...publicGiftCardSoldSchema.shape,
  tenders: z.array(z.union([cashTenderSchema, cardTenderSchema])).min(1),
  codeHash,
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
