import { z } from 'zod';

/**
 * What a shop can do, as numbers: the most one line, one sale or one card may hold. The till refuses
 * more at its API edge and HQ quarantines more at ingest, so no projection, report or sum ever meets a
 * value it cannot add up or read back (PostgreSQL bigint and JavaScript numbers agree only below 2^53).
 * Both sides read the same schema; a chain that sells by the tonne raises the maxima in its config.
 */
export const shopLimitsSchema = z.object({
  /** Units on one line (each, or packs). */
  maxLineQty: z.number().int().positive().default(10_000),
  /** Grams on one weighed line: one tonne. */
  maxWeightGrams: z.number().int().positive().default(1_000_000),
  /** Lines in one sale or return. */
  maxLines: z.number().int().positive().default(1_000),
  /** Any one amount (unit price, line, total, tender, refund, drawer movement), in minor units. */
  maxAmountMinor: z.number().int().positive().default(100_000_000),
  /** One gift card's issue or top-up, and its balance, in minor units. */
  maxGiftCardMinor: z.number().int().positive().default(250_000),
  /** Stock moved, counted or adjusted in one event line. */
  maxStockQty: z.number().int().positive().default(1_000_000),
});
export type ShopLimits = z.output<typeof shopLimitsSchema>;

export const defaultShopLimits = (): ShopLimits => shopLimitsSchema.parse({});

/** Longest text per kind of field, in characters (UTF-16 code units, what JavaScript counts). */
export const TEXT_LIMITS = {
  /** Ids and codes: SKU, receipt number, cashier id, coupon code. */
  code: 64,
  /** Names of people, products, stores. */
  name: 200,
  /** A reason or a short label. */
  reason: 500,
  /** Free notes and addresses. */
  note: 2_000,
} as const;
export type TextKind = keyof typeof TEXT_LIMITS;

// C0 and C1 controls, DEL, and the Unicode non-characters U+FFFE/U+FFFF; tab, line feed and carriage
// return are allowed only where `multiline` says so. NUL is what PostgreSQL's jsonb cannot store.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/;
const LINE_BREAKS = /[\t\n\r]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a text value may not be stored, or undefined when it may. */
export function textProblem(
  value: string,
  kind: TextKind,
  opts: { multiline?: boolean } = {},
): string | undefined {
  const max = TEXT_LIMITS[kind];
  if (value.length > max) return `is ${value.length} characters long; at most ${max} are allowed`;
  if (LONE_SURROGATE.test(value)) return 'contains invalid Unicode (an unpaired surrogate)';
  if (CONTROL.test(value)) return 'contains a control character';
  if (!opts.multiline && LINE_BREAKS.test(value)) return 'contains a line break or tab';
  return undefined;
}

/**
 * A zod string that only takes text safe to store, print and send on: bounded length, well-formed
 * Unicode, no control characters. Use it for every text a person or a device can type.
 */
export function safeText(kind: TextKind, opts: { multiline?: boolean } = {}) {
  return z.string().superRefine((value, ctx) => {
    const problem = textProblem(value, kind, opts);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** Adds a and b, or throws when the sum leaves the range where numbers are exact. */
export function checkedAdd(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError(`sum ${a} + ${b} is outside the safe integer range`);
  return sum;
}

/** Multiplies a and b, or throws when the product leaves the range where numbers are exact. */
export function checkedMul(a: number, b: number): number {
  const product = a * b;
  if (!Number.isSafeInteger(product))
    throw new RangeError(`product ${a} × ${b} is outside the safe integer range`);
  return product;
}
