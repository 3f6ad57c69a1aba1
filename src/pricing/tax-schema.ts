import { z } from 'zod';
import { invalid } from '../core/index.ts';
import { fieldPath } from './promotions/schema.ts';

/**
 * Tax rules per jurisdiction, as HQ publishes them to tills. Rates are parts per million
 * (190000 = 19 %, 88750 = 8.875 %): basis points cannot say 0.125 %, which US city taxes need.
 */

export const taxComponentSchema = z.strictObject({
  /** Stable code for reports and returns: "DE-VAT-19", "US-TX-STATE". */
  code: z.string().min(1),
  name: z.string().min(1),
  ratePpm: z.number().int().min(0).max(1_000_000),
});

/** A tax class: the components levied on it (state + county + city), or exempt (no tax at all). */
export const taxClassRuleSchema = z
  .strictObject({ components: z.array(taxComponentSchema).default([]), exempt: z.boolean().default(false) })
  .refine((c) => !(c.exempt && c.components.length > 0), {
    message: 'an exempt class has no components',
    path: ['components'],
  });

export const taxJurisdictionSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  /** True: shelf prices include tax (VAT) and tax is extracted. False: tax is added (US sales tax). */
  pricesIncludeTax: z.boolean(),
  /** Per line, or once per rate on the document total, as the jurisdiction prescribes. */
  rounding: z.enum(['line', 'document']),
  classes: z.record(z.string().min(1), taxClassRuleSchema),
  /** Which stores it governs (by store or zone), for `jurisdictionFor`. */
  storeIds: z.array(z.string()).optional(),
  zoneIds: z.array(z.string()).optional(),
});

export type TaxComponent = z.output<typeof taxComponentSchema>;
export type TaxClassRule = z.output<typeof taxClassRuleSchema>;
export type TaxJurisdiction = z.output<typeof taxJurisdictionSchema>;
export type TaxJurisdictionInput = z.input<typeof taxJurisdictionSchema>;

export function parseTaxJurisdictions(input: unknown, root = 'taxJurisdictions'): TaxJurisdiction[] {
  const r = z.array(taxJurisdictionSchema).safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw invalid(fieldPath(root, issue.path), issue.message);
}

/** The jurisdiction governing a store: listed by store id first, then by zone. */
export function jurisdictionFor(
  all: readonly TaxJurisdiction[],
  storeId: string,
  zoneIds: readonly string[] = [],
): TaxJurisdiction {
  const byStore = all.find((j) => j.storeIds?.includes(storeId));
  const byZone = byStore ?? all.find((j) => j.zoneIds?.some((z) => zoneIds.includes(z)));
  if (!byZone) throw invalid('context.storeId', `no tax jurisdiction covers store ${storeId}`);
  return byZone;
}
