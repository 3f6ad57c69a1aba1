import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { invalid } from '../core/errors.ts';
import { shopLimitsSchema } from '../core/limits.ts';

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

/** Reads the rules from `TALLY_EVENT_RULES` (JSON text, or a path to a JSON file); defaults when unset. */
export function eventRulesFromEnv(env: NodeJS.ProcessEnv = process.env): EventRules {
  const raw = env.TALLY_EVENT_RULES?.trim();
  if (!raw) return defaultEventRules();
  let json: unknown;
  try {
    json = JSON.parse(raw.startsWith('{') ? raw : readFileSync(raw, 'utf8'));
  } catch (err) {
    throw invalid('TALLY_EVENT_RULES', `is neither JSON nor a readable JSON file: ${(err as Error).message}`);
  }
  const parsed = eventRulesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['TALLY_EVENT_RULES', ...(issue?.path ?? []).map(String)].join('.');
    throw invalid(field, `${issue?.message ?? 'invalid'}; fix the value or unset it for the defaults`);
  }
  return parsed.data;
}

let configured: EventRules | undefined;

/** The rules this process runs with: read from the environment once, on first use. */
export function hqEventRules(): EventRules {
  configured ??= eventRulesFromEnv();
  return configured;
}
