import { z } from 'zod';
import { shopLimitsSchema } from '../../core/index.ts';

/**
 * The numbers behind HQ's event rules, in one schema with their defaults: the shop's maxima (what one
 * line, sale or card may hold) and how far a business date may be from HQ's clock and from the moment
 * the till says the event happened. A chain changes them with `TALLY_EVENT_RULES`, either JSON or the
 * path of a JSON file, e.g. `{"limits":{"maxLineQty":50000},"dates":{"daysBack":365}}`.
 */
export const eventRulesSchema = z.object({
  limits: shopLimitsSchema.default(() => shopLimitsSchema.parse({})),
  dates: z
    .object({
      /**
       * A till offline for weeks is normal, one restored from an old backup rare; years more mean a
       * clock fallen back to 1970 or a forged event. Five years also keeps test fixtures dated 2026 valid.
       */
      daysBack: z.number().int().positive().default(1_830),
      /** Ahead of HQ's clock: time zones and a till clock a little fast, no more. */
      daysAhead: z.number().int().nonnegative().default(2),
      /** Between the business date and the day of occurredAt (store-local day vs UTC instant). */
      skewDays: z.number().int().nonnegative().default(2),
    })
    .default(() => ({ daysBack: 1_830, daysAhead: 2, skewDays: 2 })),
});
export type EventRules = z.output<typeof eventRulesSchema>;

export const defaultEventRules = (): EventRules => eventRulesSchema.parse({});

let configured: EventRules | undefined;

/**
 * Sets the rules this process runs with: the CLI reads `TALLY_EVENT_RULES` once at start
 * (src/apps/config.ts) and hands them here, since ingest, rebuild and the bus all check events.
 */
export function setHqEventRules(rules: EventRules | undefined): void {
  configured = rules;
}

/** The rules this process runs with: those set at start, else the defaults. */
export function hqEventRules(): EventRules {
  configured ??= defaultEventRules();
  return configured;
}
