import { z } from 'zod';
import { errorBody } from '../../contracts/index.ts';
import type { ManagerApproval } from '../../sales/till/index.ts';
import { codeText, type LimitedFields, MAX_TENDERS, requiredCode } from './edge-fields.ts';

/**
 * What the till's route files share beyond the register API's answers (those are in
 * src/contracts/register.ts, which the screen reads too): the error map, path params, the PIN header
 * and the tender requests, whose caps come from this till's limits.
 */

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
    z.strictObject({
      kind: z.literal('loyalty_points'),
      points: f
        .amount()
        .describe("points of the sale's customer to spend; they pay at the programme's point value"),
    }),
  ]);
/** The tenders of one payment. */
export const tendersSchema = (f: LimitedFields) =>
  z.array(tenderRequestSchema(f)).max(MAX_TENDERS, `at most ${MAX_TENDERS} tenders in one payment`);
export const cartParams = z.object({ cartId: requiredCode() });
export const lineParams = cartParams.extend({ lineNo: z.coerce.number().int().positive() });
/** 403 is `approval_required` (retry with X-Manager-Id and X-Manager-PIN) or `approval_denied`. */
export const errors = {
  400: errorBody,
  402: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  503: errorBody,
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
