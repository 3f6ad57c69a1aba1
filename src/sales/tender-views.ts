import { z } from 'zod';
import {
  cardRefundSchema,
  cardTenderSchema,
  cashRefundSchema,
  cashTenderSchema,
  exchangeCreditTenderSchema,
  exchangeRefundSchema,
  giftCardSoldSchema,
  saleCompletedSchema,
  storedValueRefundSchema,
  storedValueTenderSchema,
} from './events.ts';

/**
 * What the till's API shows of money, as opposed to what its ledger keeps. A gift card's account id
 * and HQ authorisation id, the hash of its code and a card's processor token are handles that let
 * whoever holds them act on the money (redeem, give back, refund); the screen and the receipt need
 * none of them: a card shows its last 4 digits, the brand and the approval code. Route response
 * schemas use these, so the serializer drops the handles from every answer.
 */
export const publicTenderSchema = z.union([
  cashTenderSchema,
  cardTenderSchema.omit({ token: true }),
  storedValueTenderSchema.omit({ accountId: true, authId: true, codeHash: true }),
  exchangeCreditTenderSchema,
]);

export const publicRefundSchema = z.discriminatedUnion('kind', [
  cardRefundSchema.omit({ token: true }),
  cashRefundSchema,
  storedValueRefundSchema.omit({ accountId: true, codeHash: true }),
  exchangeRefundSchema,
]);

/** A recorded sale as the returns desk sees it (the receipt lookup). */
export const publicSaleSchema = saleCompletedSchema.extend({ tenders: z.array(publicTenderSchema) });

/** A gift card sold or loaded, as the cashier's screen sees it: the card by its last 4 digits. */
export const publicGiftCardSoldSchema = giftCardSoldSchema
  .omit({ accountId: true, codeHash: true })
  .extend({ tenders: z.array(publicTenderSchema) });

/** Keys no till answer may carry (the class test walks every route's response schema for them). */
export const MONEY_HANDLES = ['accountId', 'authId', 'codeHash', 'token'] as const;
