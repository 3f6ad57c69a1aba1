/**
 * The nouns of a sale as the till's register API shows them: lines, discounts, tenders, refunds, a
 * recorded sale, a gift card sold, a shift opened or closed. They are the ledger's event payloads
 * (src/sales/events.ts) less the money handles: a gift card's account id and HQ authorisation id, the
 * hash of its code and a card's processor token let whoever holds them act on the money, and the
 * screen and the receipt need none of them. Route response schemas use these, so the serializer drops
 * the handles from every answer.
 *
 * Defined once, here: contracts sit below sales and the screen imports them, so src/sales/events.ts
 * builds its payloads from these by putting the handles back. A field added to an event belongs here
 * (then both sides have it); src/apps/terminal/register-contract.test.ts holds each noun equal to its
 * event minus the handles, so a field added to an event only fails a test instead of vanishing from
 * the API.
 * Browser-safe: zod and core's text limits only.
 */
import { z } from 'zod';
import { safeText } from '../core/index.ts';

/** Keys no till answer may carry (the class test walks every route's response schema for them). */
export const MONEY_HANDLES = ['accountId', 'authId', 'codeHash', 'token'] as const;

const minor = z.number().int();
const positiveQty = z.number().int().positive();
const reason = safeText('reason').trim().min(1);
const code = safeText('code').min(1);
const label = safeText('reason');
const currency = safeText('code').length(3);
const shortText = safeText('code');
const maskedPan = z.string().regex(/^\*+\d{4}$/, 'masked card number such as ************4242');
const last4 = z.string().regex(/^\d{4}$/);

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
  /** The exact rate charged in parts per million and its components; taxRateBp is it rounded to bp. */
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
  /** HQ's reservation of this use (a limited promotion, HQ reachable): HQ confirms it on ingest. */
  useId: z.uuid().optional(),
  /** A limited promotion applied while HQ was unreachable: not reserved, HQ counts it on ingest. */
  offlineUse: z.boolean().optional(),
});

export const cashTenderSchema = z.object({
  kind: z.literal('cash'),
  /** Cash kept for the sale; 0 when rounding to the smallest coin took the rest away. */
  amountMinor: minor.nonnegative(),
  tenderedMinor: minor.positive(),
  changeMinor: minor.nonnegative(),
});

/** A card by its masked number and the processor's approval; never the token, never the number. */
export const publicCardTenderSchema = z.object({
  kind: z.literal('card'),
  amountMinor: minor.positive(),
  provider: shortText,
  approvalCode: shortText,
  maskedPan,
  brand: shortText,
});

/** Gift card or store credit by the last 4 digits of its code. */
export const publicStoredValueTenderSchema = z.object({
  kind: z.enum(['gift_card', 'store_credit']),
  amountMinor: minor.positive(),
  last4,
  /** Redeemed while HQ was unreachable, against the till's last known balance; HQ applies it on ingest. */
  offline: z.boolean().optional(),
});

/** Loyalty points spent as money: `points` paid `amountMinor` at the programme's point value. */
export const publicLoyaltyTenderSchema = z.object({
  kind: z.literal('loyalty_points'),
  amountMinor: minor.positive(),
  points: z.number().int().positive(),
  /** Burned while HQ was unreachable, against the till's last known balance. */
  offline: z.boolean().optional(),
});

/** Points given back on a return of a sale paid (partly) with points. */
export const loyaltyRefundSchema = z.object({
  kind: z.literal('loyalty_points'),
  amountMinor: minor.positive(),
  points: z.number().int().positive(),
});

/** In an exchange, the value of the returned items paying for the new ones. */
export const exchangeCreditTenderSchema = z.object({
  kind: z.literal('exchange_credit'),
  amountMinor: minor.positive(),
  returnId: z.uuid(),
});

export const publicTenderSchema = z.union([
  cashTenderSchema,
  publicCardTenderSchema,
  publicStoredValueTenderSchema,
  exchangeCreditTenderSchema,
  publicLoyaltyTenderSchema,
]);

/** A recorded sale as the returns desk sees it (the receipt lookup). */
export const publicSaleSchema = z.object({
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
  tenders: z.array(publicTenderSchema),
  /** Cashier discounts on the sale, all lines together. */
  discountMinor: minor.nonnegative().optional(),
  /** Cash rounding to the smallest coin: tenders add up to grossMinor + roundingMinor. */
  roundingMinor: minor.optional(),
  customerId: z.uuid().optional(),
  /** Set when this sale is the new half of an exchange; the return carries the same id. */
  exchangeId: z.uuid().optional(),
  /** The moment the cart was priced at (promotion schedules, prices in force). */
  pricedAt: code.optional(),
  /** Promotions applied, each with its total; the lines carry each one's share. */
  promotions: z.array(appliedPromotionSchema).optional(),
  couponCodes: z.array(code).optional(),
  /** The store's tax jurisdiction the sale was taxed under, when HQ published one. */
  taxJurisdictionId: code.optional(),
});

/** A card refund, back to the card it was charged to; `refundRef` is the processor's id. */
export const publicCardRefundSchema = z.object({
  kind: z.literal('card'),
  amountMinor: minor.positive(),
  maskedPan,
  refundRef: label,
});
export const cashRefundSchema = z.object({ kind: z.literal('cash'), amountMinor: minor.positive() });
/** Money kept in the store: a new store-credit voucher (or a gift card loaded back). */
export const publicStoredValueRefundSchema = z.object({
  kind: z.enum(['store_credit', 'gift_card']),
  amountMinor: minor.positive(),
  last4,
});
/** In an exchange: the value carried over to pay for the new items (the sale with `saleId`). */
export const exchangeRefundSchema = z.object({
  kind: z.literal('exchange'),
  amountMinor: minor.positive(),
  saleId: z.uuid(),
});
export const publicRefundSchema = z.discriminatedUnion('kind', [
  publicCardRefundSchema,
  cashRefundSchema,
  publicStoredValueRefundSchema,
  exchangeRefundSchema,
  loyaltyRefundSchema,
]);

/** A card refund the processor refused after an earlier card of the same return was refunded. */
export const failedRefundSchema = z.object({
  maskedPan: z.string().regex(/^\*+\d{4}$/),
  amountMinor: minor.positive(),
  reason: label,
});

/** A gift card sold (issued) or topped up (loaded), as the cashier's screen sees it. */
export const publicGiftCardSoldSchema = z.object({
  last4,
  currency,
  amountMinor: minor.positive(),
  /** The balance after this event. */
  balanceMinor: minor.nonnegative(),
  shiftId: z.uuid(),
  cashierId: code,
  tenders: z.array(publicTenderSchema),
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
