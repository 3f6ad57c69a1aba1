import { type LoyaltyProgramme, type LoyaltyTier, loyaltyProgrammeSchema } from '../contracts/index.ts';
import { invalid } from '../core/index.ts';

/**
 * Changing the loyalty programme from an operator's words (`tally loyalty set`) and reading it back
 * (`tally loyalty show`), as pure functions: a change is applied to the programme in force and the
 * whole result checked by the one schema tills and HQ's route use, so an error names the field to fix.
 */
export interface ProgrammeChanges {
  enabled?: boolean | undefined;
  pointsPerUnit?: number | undefined;
  redeemPointsPerUnit?: number | undefined;
  offlineCapPoints?: number | undefined;
  /** Per store: its own earn rate, `off`, or null to follow the chain again. */
  stores?: Record<string, { pointsPerUnit?: number; enabled?: boolean } | null> | undefined;
  /** Per category: a multiplier in basis points (0 excludes it), or null to earn as any other. */
  categories?: Record<string, number | null> | undefined;
  /** The whole ladder, lowest first. */
  tiers?: LoyaltyTier[] | undefined;
}

/** The programme as sent, or invalid(field) naming the first thing wrong (`tiers.1.minSpendMinor`). */
export function checkProgramme(raw: unknown): LoyaltyProgramme {
  const r = loyaltyProgrammeSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw invalid(issue.path.map(String).join('.') || 'programme', issue.message);
}

export function changeProgramme(current: LoyaltyProgramme, c: ProgrammeChanges): LoyaltyProgramme {
  const stores = { ...current.stores };
  for (const [id, s] of Object.entries(c.stores ?? {}))
    if (s === null) delete stores[id];
    else stores[id] = { ...stores[id], ...s };
  const categories = { ...current.categories };
  for (const [id, bp] of Object.entries(c.categories ?? {}))
    if (bp === null) delete categories[id];
    else categories[id] = bp;
  return checkProgramme({
    ...current,
    ...(c.enabled !== undefined ? { enabled: c.enabled } : {}),
    ...(c.pointsPerUnit !== undefined ? { pointsPerUnit: c.pointsPerUnit } : {}),
    ...(c.redeemPointsPerUnit !== undefined ? { redeemPointsPerUnit: c.redeemPointsPerUnit } : {}),
    ...(c.offlineCapPoints !== undefined ? { offlineCapPoints: c.offlineCapPoints } : {}),
    ...(c.tiers ? { tiers: c.tiers } : {}),
    stores,
    categories,
  });
}

const times = (bp: number): string => `×${(bp / 10_000).toString()}`;
const minor = (n: number): string => (n / 100).toFixed(2);

/** The programme in lines an operator reads: what earns, what does not, tiers, what points are worth. */
export function describeProgramme(p: LoyaltyProgramme): string[] {
  const lines = [
    `programme: ${p.enabled ? 'on' : 'off'}`,
    `earn: ${p.pointsPerUnit} point(s) per currency unit of net spend (after discounts, before tax)`,
  ];
  for (const [id, s] of Object.entries(p.stores).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(
      `  store ${id}: ${s.enabled === false ? 'off' : `${s.pointsPerUnit ?? p.pointsPerUnit} point(s) per unit`}`,
    );
  for (const [id, bp] of Object.entries(p.categories).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`  category ${id}: ${bp === 0 ? 'excluded' : times(bp)}`);
  lines.push(
    'never earn: gift cards and store credit sold, the part of a sale paid with points',
    `burn: ${p.redeemPointsPerUnit} points pay 1.00`,
    `offline: up to ${p.offlineCapPoints} points per customer while HQ cannot confirm a balance`,
    'tiers (by net spend over the last 365 days):',
  );
  for (const t of p.tiers)
    lines.push(`  ${t.name}: from ${minor(t.minSpendMinor)}, earns ${times(t.multiplierBp)}`);
  return lines;
}
