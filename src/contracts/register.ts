/**
 * The till's register API as the register screen uses it: every answer the screen reads, as zod
 * schemas with their inferred types. The till's routes answer through these schemas (the serializer
 * keeps exactly these fields) and the screen takes its types from them, so a change here is a change
 * to both. Only additive changes: a screen may be older than its till.
 *
 * Browser-safe on purpose: zod, the other contracts and core's text limits, nothing else.
 */
import { z } from 'zod';
import {
  appliedDiscountSchema,
  failedRefundSchema,
  measureSchema,
  priceOverrideSchema,
  publicGiftCardSoldSchema,
  publicRefundSchema,
  publicSaleSchema,
  publicTenderSchema,
  saleLineSchema,
} from './register-sale.ts';
import { catalogProductSchema, storeInfoSchema } from './wire.ts';

export * from './register-sale.ts';
export * from './register-shift.ts';

const int = z.number().int();

// ---------------------------------------------------------------- the till

/** Who this till is and whether its catalog is loaded. */
export const terminalInfoSchema = z.object({
  storeId: z.string(),
  terminalId: z.string(),
  hqUrl: z.string(),
  store: storeInfoSchema.nullable(),
  catalog: z.object({
    loaded: z.boolean(),
    products: z.number().int(),
    cursor: z.string().nullable(),
    lastPullAt: z.string().nullable(),
  }),
});
export type TerminalInfo = z.infer<typeof terminalInfoSchema>;

/** A product found by code or search. */
export const itemSchema = catalogProductSchema.extend({
  soldBy: z.enum(['each', 'weight']).describe('weight: the price is per kg and adding it needs weightGrams'),
});
export type Item = z.infer<typeof itemSchema>;

/** A manager who can approve overrides on this till (never the PIN). */
export const managerSchema = z.object({ managerId: z.string(), name: z.string() });
export type Manager = z.infer<typeof managerSchema>;

// ---------------------------------------------------------------- carts

export const pricedLineSchema = z.object({
  lineNo: int,
  sku: z.string(),
  name: z.string(),
  qty: int,
  unitPriceMinor: int.describe('per unit; for a weighed line, per measure.per grams (per kg)'),
  taxRateBp: int,
  measure: measureSchema.optional().describe('weighed lines: grams weighed'),
  embedded: z.enum(['price', 'weight']).optional(),
  priceOverride: priceOverrideSchema.optional(),
  listMinor: int.describe('before cashier discounts'),
  discountMinor: int,
  discounts: z.array(appliedDiscountSchema),
  netMinor: int,
  taxMinor: int,
  grossMinor: int,
});
export type PricedLine = z.infer<typeof pricedLineSchema>;

export const cartDiscountSchema = z.object({
  id: z.string(),
  lineNo: int.optional().describe('absent: a basket discount'),
  amountMinor: int.optional(),
  percentBp: int.optional(),
  reason: z.string(),
  approvedBy: z.string().optional(),
});
export type CartDiscount = z.infer<typeof cartDiscountSchema>;

export const cartSchema = z.object({
  id: z.string(),
  cartId: z.string(),
  currency: z.string(),
  taxInclusive: z.boolean(),
  createdAt: z.string(),
  customerId: z.string().optional(),
  lines: z.array(pricedLineSchema),
  discounts: z.array(cartDiscountSchema),
  totals: z.object({
    listMinor: int,
    discountMinor: int,
    netMinor: int,
    taxMinor: int,
    grossMinor: int,
    byRate: z.array(z.object({ taxRateBp: int, netMinor: int, taxMinor: int })),
  }),
  /** Limited promotions HQ refused at checkout (fully redeemed, code used): the cart is priced without them. */
  refusedPromotions: z.array(z.object({ promotionId: z.string(), message: z.string() })).optional(),
});
export type Cart = z.infer<typeof cartSchema>;

/** A cart just parked: it keeps its lines and refuses edits until resumed. */
export const parkedCartSchema = cartSchema.extend({ parkedAt: z.string(), label: z.string().optional() });

/** A parked cart in the list to resume from. */
export const parkedCartSummarySchema = z.object({
  cartId: z.string(),
  label: z.string().optional(),
  itemCount: z.number().int(),
  grossMinor: z.number().int(),
  currency: z.string(),
  parkedAt: z.string(),
});
export type ParkedCartSummary = z.infer<typeof parkedCartSummarySchema>;

// ---------------------------------------------------------------- sales, returns, exchanges

export const saleResultSchema = z.object({
  saleId: z.string(),
  receiptNo: z.string(),
  seq: z.number().int(),
  businessDate: z.string(),
  occurredAt: z.string(),
  currency: z.string(),
  grossMinor: z.number().int(),
  changeMinor: z.number().int(),
  roundingMinor: z.number().int().describe('cash rounding to the smallest coin; tenders = gross + rounding'),
  tenders: z.array(publicTenderSchema),
  customerId: z.string().optional(),
  /** The customer's points on this sale; `balanceAfter` as the till knows it, as of `asOf` when offline. */
  loyalty: z
    .object({
      earned: z.number().int(),
      burned: z.number().int(),
      balanceAfter: z.number().int(),
      tier: z.string(),
      asOf: z.string().optional(),
    })
    .optional(),
});
export type SaleResult = z.infer<typeof saleResultSchema>;
export type PublicTender = z.infer<typeof publicTenderSchema>;

/** A sale found by its receipt number, with what of each line can still be returned. */
export const returnableSaleSchema = publicSaleSchema.extend({
  seq: z.number().int(),
  occurredAt: z.string(),
  lines: z.array(saleLineSchema.extend({ returnedQty: z.number().int(), returnableQty: z.number().int() })),
});
export type ReturnableSale = z.infer<typeof returnableSaleSchema>;
export type ReturnableLine = ReturnableSale['lines'][number];

/** A return, a return without a receipt or a void after payment: where the money went. */
export const returnResultSchema = z.object({
  returnId: z.string(),
  refundMinor: int,
  refunds: z.array(publicRefundSchema),
  failedRefunds: z.array(failedRefundSchema),
  storeCreditCode: z.string().optional().describe('the new voucher code; shown once, print it'),
  seq: int,
});
export type ReturnResult = z.infer<typeof returnResultSchema>;

export const exchangeResultSchema = z.object({ sale: saleResultSchema, return: returnResultSchema });
export type ExchangeResult = z.infer<typeof exchangeResultSchema>;

// ---------------------------------------------------------------- customers, gift cards, store credit

export const customerSchema = z.object({
  customerId: z.string(),
  phone: z.string().optional(),
  email: z.string().optional(),
  name: z.string().optional(),
  cardNumber: z.string().optional(),
  marketingConsent: z.boolean(),
  /** Consent per purpose (marketing_email, marketing_sms, analytics); older tills sent only the box above. */
  consents: z.record(z.string(), z.boolean()).optional(),
  createdAt: z.string(),
  /** The RFM segment HQ last sent for them ("at risk"): what segment promotions target. */
  segment: z.string().optional(),
});
export type Customer = z.infer<typeof customerSchema>;

/**
 * A customer's points as the register shows them: HQ's balance when it answered (`source: 'hq'`), else
 * the till's last known one as of `asOf`; `valueMinor` is what the whole balance pays at the
 * programme's point value, in the store's currency.
 */
export const customerPointsSchema = z.object({
  customerId: z.string(),
  enabled: z.boolean(),
  balancePoints: z.number().int(),
  tier: z.string(),
  valueMinor: z.number().int(),
  /** How many points make one currency unit when spent (100: 100 points pay 1.00). */
  redeemPointsPerUnit: z.number().int(),
  currency: z.string(),
  source: z.enum(['hq', 'till']),
  asOf: z.string().optional(),
});
export type CustomerPoints = z.infer<typeof customerPointsSchema>;

/** A gift card or store-credit voucher's balance, as HQ knows it or as this till last knew it. */
export const balanceSchema = z.object({
  kind: z.enum(['gift_card', 'store_credit']),
  last4: z.string(),
  currency: z.string(),
  balanceMinor: int,
  source: z.enum(['hq', 'till']),
});
export type Balance = z.infer<typeof balanceSchema>;

export const giftCardResultSchema = publicGiftCardSoldSchema.extend({
  seq: int,
  eventId: z.string().describe('for the slip: GET /api/v1/gift-cards/receipts/{eventId}'),
  code: z.string().optional().describe('the new card’s code, on issue only; shown once'),
});
export type GiftCardResult = z.infer<typeof giftCardResultSchema>;

// ---------------------------------------------------------------- sync

/** An event HQ refused: held in its quarantine, or a conflict that stopped sending. */
const rejectionSchema = z.object({
  seq: z.number().int(),
  eventId: z.string(),
  kind: z.enum(['quarantined', 'conflict']),
  reason: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
});

/**
 * The till's sync status as the register API, the register screen and `tally terminal sync-status`
 * show it: how much HQ does not hold yet, and when sending has stopped, why and what to do.
 */
export const syncStatusSchema = z.object({
  /**
   * `synced`: HQ holds everything; `sending`: events wait and the last try worked; `failing`: the last
   * try failed (offline, HQ down) and is retried; `conflict`: HQ refused an event it cannot hold, the
   * till stopped sending and keeps selling; someone must act (see `action`); `revoked`: head office
   * revoked this till, it stopped sending and keeps every unsent event (see `revoked`).
   */
  state: z.enum(['synced', 'sending', 'failing', 'conflict', 'revoked']),
  pending: z.number().int(),
  oldestAgeSeconds: z.number(),
  ackedUpTo: z.number().int(),
  lastSeq: z.number().int(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** Events HQ refused as conflicts and nobody has cleared, lowest seq first. */
  conflicts: z.array(rejectionSchema),
  /** Events HQ holds in its quarantine (kept, listed at head office): the newest few and the count. */
  quarantined: z.object({ count: z.number().int(), recent: z.array(rejectionSchema) }),
  /** HQ once held more of this terminal's events than this ledger has: the ledger went back in time. */
  rollback: z
    .object({ hqSeq: z.number().int(), tillSeq: z.number().int(), detectedAt: z.string() })
    .nullable(),
  /** What to do next, in words, when someone has to act; null otherwise. */
  action: z.string().nullable(),
  /** HQ revoked this till: its words ("this till was revoked at HQ: <reason> …") and when the till learnt it. */
  revoked: z.object({ message: z.string(), detectedAt: z.string() }).nullable().optional(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;
