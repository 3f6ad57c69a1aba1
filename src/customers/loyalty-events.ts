import { z } from 'zod';
import { safeText } from '../core/index.ts';
import type { EventContribution } from '../sync/index.ts';

/**
 * The till's loyalty events, each written in the transaction of the sale or return it belongs to: what
 * the customer earned and spent on a sale, what a return took back and gave back. HQ applies them to
 * its ledger of record (customers/hq/loyalty-ledger.ts), each movement keyed by event id and part so a
 * redelivered or rebuilt event changes nothing. Points are whole numbers; `balanceAfter` is the balance
 * as the till knew it (for the receipt), not HQ's.
 */
const points = z.number().int().nonnegative();
const code = safeText('code').min(1);

export const loyaltySalePointsSchema = z.object({
  customerId: z.uuid(),
  saleId: z.uuid(),
  currency: safeText('code').length(3),
  tier: code,
  earned: points,
  /** Each line's share of `earned`, what a return of that line takes back. */
  lines: z.array(z.object({ lineNo: z.number().int().positive(), qty: z.number().int().positive(), points })),
  /** The net spend the points were earned on: what counts toward the customer's tier. */
  eligibleNetMinor: z.number().int().nonnegative(),
  burned: points,
  burnValueMinor: z.number().int().nonnegative(),
  /** HQ's authorisation of the burn (online): HQ debited already, ingest applies nothing twice. */
  authId: z.uuid().optional(),
  /** Burned while HQ was unreachable, against the till's last known balance. */
  offline: z.boolean().optional(),
  balanceAfter: z.number().int(),
});
export type LoyaltySalePoints = z.infer<typeof loyaltySalePointsSchema>;

export const loyaltyReturnPointsSchema = z.object({
  customerId: z.uuid(),
  returnId: z.uuid(),
  saleId: z.uuid(),
  /** Earned points the returned lines take back. */
  reversed: points,
  /** Points that paid for the sale, given back. */
  refunded: points,
  /** Spend the return takes off the customer's 12 months. */
  eligibleNetMinor: z.number().int().nonnegative(),
  balanceAfter: z.number().int(),
});
export type LoyaltyReturnPoints = z.infer<typeof loyaltyReturnPointsSchema>;

export const LOYALTY_EVENT_TYPES = {
  salePoints: 'loyalty.sale_points',
  returnPoints: 'loyalty.return_points',
} as const;

/** The kinds only; HQ's projection of them is added by customers/hq (loyaltyHqEvents). */
export const loyaltyEventKinds: EventContribution['kinds'] = {
  [LOYALTY_EVENT_TYPES.salePoints]: { schemas: { 1: loyaltySalePointsSchema } },
  [LOYALTY_EVENT_TYPES.returnPoints]: { schemas: { 1: loyaltyReturnPointsSchema } },
};
