import { z } from 'zod';
import { type ShopLimits, safeText } from '../../core/index.ts';

/**
 * The field types of the till's request schemas, bounded by what a shop can do. Every text a cashier,
 * a scanner or a browser can send is a `safeText` of its kind (no control characters, no broken
 * Unicode, a length per kind), and every amount, quantity and weight is capped by the till's
 * `limits` (register.json), so nothing reaches the ledger that HQ could not store or a report could
 * not add up. Lower bounds (above 0, whole numbers) stay with the register, whose messages say more.
 */

/** Ids and codes: cashier, SKU, barcode, coupon, gift card, receipt number, cart and sale ids. */
export const codeText = () => safeText('code');
/** A code that must be given. */
export const requiredCode = () => safeText('code').min(1, 'must not be empty');
/** Names of people and things, a parked cart's label, a search query, an email. */
export const nameText = () => safeText('name');
/** Reasons for discounts, voids, drawer movements, returns. */
export const reasonText = () => safeText('reason');

const over = (max: number, setting: keyof ShopLimits): string =>
  `must be at most ${max} (limits.${setting} in the till's register.json)`;

/** Capped number fields, built once per till from its limits. */
export function limitedFields(limits: ShopLimits) {
  const capped = (setting: keyof ShopLimits) =>
    z.number().max(limits[setting], over(limits[setting], setting));
  return {
    /** Any one amount: a price, tender, discount, float, drawer movement, count total. */
    amount: () => capped('maxAmountMinor'),
    /** One gift card's issue or top-up. */
    giftCardAmount: () => capped('maxGiftCardMinor'),
    /** Units on one line. */
    qty: () => capped('maxLineQty'),
    /** Grams on one weighed line. */
    grams: () => capped('maxWeightGrams'),
    /** Stock moved or counted on one line. */
    stockQty: () => capped('maxStockQty'),
    /** A receipt's line number: never more than the lines one sale may hold. */
    lineNo: () => capped('maxLines'),
    /** A list of lines: at most maxLines of them. */
    lines: <T extends z.ZodType>(item: T) =>
      z.array(item).max(limits.maxLines, over(limits.maxLines, 'maxLines')),
  };
}
export type LimitedFields = ReturnType<typeof limitedFields>;

/** Tenders of one payment: a person pays with a handful, never hundreds. */
export const MAX_TENDERS = 20;
/** Denominations in one drawer count (coins and notes of a currency, with room for foreign ones). */
export const MAX_DENOMINATIONS = 50;
