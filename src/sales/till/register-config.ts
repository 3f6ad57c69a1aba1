import { z } from 'zod';
import { invalid, shopLimitsSchema } from '../../core/index.ts';

/**
 * The till's own settings for the register: when a manager must approve, cash rounding per currency,
 * which products are weighed, the no-receipt return policy and the receipt footer. Read from
 * `<dataDir>/register.json` when present; every field has a default, so an empty file is valid.
 */
export const registerConfigSchema = z.object({
  approvals: z
    .object({
      /** A cashier discount above this share of what it applies to needs a manager (percent, 0–100). */
      discountPercentOver: z.number().min(0).max(100).default(20),
      priceOverride: z.boolean().default(true),
      returnWithoutReceipt: z.boolean().default(true),
      voidAfterPayment: z.boolean().default(true),
      noSale: z.boolean().default(true),
    })
    .prefault({}),
  /**
   * Smallest coin per currency, in minor units: cash due is rounded to it (half up), as in Switzerland
   * (5 rappen). Currencies not listed are not rounded; EUR is not by default.
   */
  cashRounding: z.record(z.string().length(3), z.number().int().positive()).default({ CHF: 5 }),
  /** SKUs sold by weight: their catalog price is per kg and a line needs `weightGrams`. */
  weighedSkus: z.array(z.string().min(1)).default([]),
  noReceiptReturns: z
    .object({
      allowed: z.boolean().default(true),
      /** The refund is the lowest unit price this till sold the item at within these days (or the shelf price). */
      lookbackDays: z.number().int().positive().default(90),
    })
    .prefault({}),
  /** Where a card refund that fails goes instead, once an earlier card of the same return was refunded. */
  refundFallback: z.enum(['store_credit', 'cash']).default('store_credit'),
  returnPolicy: z.string().default('Returns within 30 days with this receipt. Thank you!'),
  /**
   * Gift cards and store credit while HQ is unreachable: the most one card may be redeemed for at this
   * till (against its last known balance) until HQ answers again; 0 refuses offline redemptions.
   * `hqTimeoutMs` bounds each question to HQ (lookup, authorisation) before the till counts as offline.
   */
  storedValue: z
    .object({
      offlineLimitMinor: z.number().int().nonnegative().default(5_000),
      hqTimeoutMs: z.number().int().positive().default(3_000),
    })
    .prefault({}),
  /** Wrong PINs in a row before approvals are refused for `pinLockoutSeconds`. */
  pinAttempts: z.number().int().positive().default(5),
  pinLockoutSeconds: z.number().int().nonnegative().default(60),
  /** A signed-in cashier's session locks after this long without a request; signing in again unlocks it. */
  session: z.object({ idleLockSeconds: z.number().int().positive().max(86_400).default(300) }).prefault({}),
  /**
   * What one line, sale, card or drawer movement may hold at this till (the same maxima HQ checks at
   * ingest): the register API refuses more with a 400 naming the field, so no report or sum overflows.
   */
  limits: shopLimitsSchema.prefault({}),
  /**
   * Host names (and IP addresses) the register API answers to besides localhost, 127.0.0.1, ::1, the
   * address it listens on and this machine's hostname, e.g. `["till-3.store.lan"]`. A request naming
   * any other host, or a browser page from another origin, is refused (DNS rebinding).
   */
  allowedHosts: z.array(z.string().min(1).max(253)).default([]),
});
export type RegisterConfig = z.output<typeof registerConfigSchema>;
export type RegisterConfigInput = z.input<typeof registerConfigSchema>;

export const defaultRegisterConfig = (): RegisterConfig => registerConfigSchema.parse({});

/** Validates a config, naming the field at fault as `config.<path>`. */
export function parseRegisterConfig(input: unknown): RegisterConfig {
  const r = registerConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw invalid(['config', ...issue.path].join('.'), issue.message);
}

/** The smallest coin for a currency, 1 when cash is not rounded. */
export const cashStep = (config: RegisterConfig, currency: string): number =>
  config.cashRounding[currency] ?? 1;
