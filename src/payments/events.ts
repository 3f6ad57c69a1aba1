import { z } from 'zod';

/**
 * Events the payments module writes to the till's ledger. A card charge that no sale used and that
 * the till voided at the processor is money that went out and came back: recorded, so HQ and the
 * shift's Z report can show it and match the processor's statement.
 */
export const PAYMENT_EVENT_TYPES = {
  cardReversed: 'payment.card_reversed',
} as const;

export const cardReversedSchema = z.object({
  attemptId: z.uuid(),
  /** The cart being paid, or `giftcard:<id>` for a gift card sale. */
  cartId: z.string().min(1).max(80),
  tenderIndex: z.number().int().nonnegative().max(100),
  amountMinor: z.number().int().positive(),
  currency: z.string().length(3),
  provider: z.string().min(1).max(40),
  /** The processor's handle and the masked number: never a card number. */
  token: z.string().max(200).optional(),
  approvalCode: z.string().max(40).optional(),
  maskedPan: z
    .string()
    .regex(/^\*+\d{4}$/)
    .optional(),
  brand: z.string().max(40).optional(),
  reason: z.string().min(1).max(300),
  shiftId: z.string().max(80).optional(),
  cashierId: z.string().max(80).optional(),
});
export type CardReversed = z.infer<typeof cardReversedSchema>;

/**
 * The payment events HQ's event log understands, by type and schema version. Payments sits below sync,
 * so it hands over the plain schemas and the app's event registry wraps them.
 */
export const paymentPayloadSchemas: Readonly<Record<string, Readonly<Record<number, z.ZodType>>>> = {
  [PAYMENT_EVENT_TYPES.cardReversed]: { 1: cardReversedSchema },
};
