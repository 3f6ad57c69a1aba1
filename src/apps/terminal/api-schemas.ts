import { z } from 'zod';
import { errorBody } from '../../contracts/api.ts';
import { catalogProductSchema } from '../../contracts/wire.ts';
import type { ManagerApproval } from '../../sales/approvals.ts';
import {
  appliedDiscountSchema,
  measureSchema,
  priceOverrideSchema,
  shiftOpenedSchema,
} from '../../sales/events.ts';
import { publicTenderSchema } from '../../sales/tender-views.ts';
import { codeText, type LimitedFields, MAX_TENDERS, requiredCode } from './edge-fields.ts';

/** Schemas and helpers the till's route files share: the cart and sale shapes, errors, the PIN header. */
/** The one error body of every Tally API (contracts/api.ts), under the name the till's routes use. */
export const errorSchema = errorBody;

export const int = z.number().int();
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
export const cartSchema = z.object({
  id: z.string(),
  cartId: z.string(),
  currency: z.string(),
  taxInclusive: z.boolean(),
  createdAt: z.string(),
  customerId: z.string().optional(),
  lines: z.array(pricedLineSchema),
  discounts: z.array(
    z.object({
      id: z.string(),
      lineNo: int.optional().describe('absent: a basket discount'),
      amountMinor: int.optional(),
      percentBp: int.optional(),
      reason: z.string(),
      approvedBy: z.string().optional(),
    }),
  ),
  totals: z.object({
    listMinor: int,
    discountMinor: int,
    netMinor: int,
    taxMinor: int,
    grossMinor: int,
    byRate: z.array(z.object({ taxRateBp: int, netMinor: int, taxMinor: int })),
  }),
});
export const shiftSchema = shiftOpenedSchema.extend({ openedAt: z.string(), seq: z.number().int() });
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
});
/** A tender as the client sends it: amounts capped by the till's limits, codes safe to store. */
export const tenderRequestSchema = (f: LimitedFields) =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('cash'),
      tenderedMinor: f.amount().describe('cash handed over, minor units'),
    }),
    z.strictObject({
      kind: z.literal('card'),
      amountMinor: f.amount().describe('amount to charge, minor units'),
    }),
    z.strictObject({
      kind: z.enum(['gift_card', 'store_credit']),
      code: codeText().describe('the gift card or store-credit voucher code'),
      amountMinor: f.amount().describe('amount to take from it, minor units'),
    }),
  ]);
/** The tenders of one payment. */
export const tendersSchema = (f: LimitedFields) =>
  z.array(tenderRequestSchema(f)).max(MAX_TENDERS, `at most ${MAX_TENDERS} tenders in one payment`);
export const itemSchema = catalogProductSchema.extend({
  soldBy: z.enum(['each', 'weight']).describe('weight: the price is per kg and adding it needs weightGrams'),
});
export const cartParams = z.object({ cartId: requiredCode() });
export const lineParams = cartParams.extend({ lineNo: z.coerce.number().int().positive() });
/** 403 is `approval_required` (retry with X-Manager-Id and X-Manager-PIN) or `approval_denied`. */
export const errors = {
  400: errorSchema,
  402: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  503: errorSchema,
};
/** The approving manager's id and PIN, when the client retries an action that answered approval_required. */
export const managerPin = (req: {
  headers: Record<string, string | string[] | undefined>;
}): ManagerApproval | undefined => {
  const one = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);
  const pin = one(req.headers['x-manager-pin']);
  return pin === undefined ? undefined : { managerId: one(req.headers['x-manager-id']), pin };
};
export const pinHeader = z.object({
  'x-manager-id': codeText().optional().describe('the approving manager, with X-Manager-PIN'),
  'x-manager-pin': codeText().optional().describe('that manager’s PIN, after a 403 approval_required'),
});

export const withId = <T extends { id: string }>(c: T): T & { cartId: string } => ({ ...c, cartId: c.id });
