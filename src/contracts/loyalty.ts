import { z } from 'zod';
import { safeText } from '../core/index.ts';

/**
 * The loyalty programme as HQ configures it and tills apply it (one per chain). Rates are integers:
 * points per whole currency unit of net spend, multipliers in basis points (10 000 = ×1, 20 000 = double
 * points, 0 = none), a point's value as "this many points make one currency unit". Tiers go by the
 * customer's spend over the last 365 days, in minor units of the chain's currency. Defined here because
 * it crosses wires: tills receive it with the catalog, HQ's route reads and writes it.
 */
const bp = z.number().int().min(0).max(100_000);
const code = safeText('code').min(1);

export const loyaltyTierSchema = z.object({
  name: code,
  /** Spend over the last 365 days (net, minor units) from which this tier applies. */
  minSpendMinor: z.number().int().min(0),
  /** Applied to every point earned while in the tier. */
  multiplierBp: bp,
});

export const loyaltyProgrammeSchema = z
  .object({
    enabled: z.boolean(),
    /** Points per whole currency unit of net spend (after discounts, before tax). */
    pointsPerUnit: z.number().int().min(0).max(1_000),
    /** Per store: another earn rate, or the programme off there. */
    stores: z
      .record(
        code,
        z.object({
          pointsPerUnit: z.number().int().min(0).max(1_000).optional(),
          enabled: z.boolean().optional(),
        }),
      )
      .default({}),
    /** Per category id: a multiplier on that category's lines (0 excludes it, e.g. tobacco). */
    categories: z.record(code, bp).default({}),
    /** How many points make one currency unit when spent (100: 100 points pay 1.00). */
    redeemPointsPerUnit: z.number().int().min(1).max(1_000_000),
    /** Tiers, lowest first; the first must start at 0. */
    tiers: z.array(loyaltyTierSchema).min(1).max(10),
    /** Most points a customer may spend at one till while HQ cannot confirm the balance. */
    offlineCapPoints: z.number().int().min(0),
  })
  .superRefine((p, ctx) => {
    if (p.tiers[0] && p.tiers[0].minSpendMinor !== 0)
      ctx.addIssue({
        code: 'custom',
        path: ['tiers', 0, 'minSpendMinor'],
        message: 'the first tier starts at 0',
      });
    for (let i = 1; i < p.tiers.length; i++)
      if (p.tiers[i]!.minSpendMinor <= p.tiers[i - 1]!.minSpendMinor)
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'minSpendMinor'],
          message: 'tiers go up: each starts above the one before',
        });
  });
export type LoyaltyProgramme = z.infer<typeof loyaltyProgrammeSchema>;
export type LoyaltyTier = z.infer<typeof loyaltyTierSchema>;

/** Until HQ configures one: off, with the usual shape so tills and screens need no special case. */
export const DEFAULT_LOYALTY_PROGRAMME: LoyaltyProgramme = {
  enabled: false,
  pointsPerUnit: 1,
  stores: {},
  categories: {},
  redeemPointsPerUnit: 100,
  tiers: [
    { name: 'bronze', minSpendMinor: 0, multiplierBp: 10_000 },
    { name: 'silver', minSpendMinor: 50_000, multiplierBp: 12_500 },
    { name: 'gold', minSpendMinor: 150_000, multiplierBp: 15_000 },
  ],
  offlineCapPoints: 500,
};
