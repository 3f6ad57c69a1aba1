import { sql } from 'kysely';
import { storeLocale } from '../../contracts/index.ts';
import { invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { type DuplicateCandidate, findDuplicates } from '../duplicates.ts';
import { type IdentityProfile, identityProfileLenient } from '../identity.ts';
import { countryOfLocale } from '../phone.ts';

/**
 * HQ's review queue of probable duplicates: the profiles whose personal fields HQ holds opened (each
 * with its own key, by the projection) are normalised — phones read in the registering store's country —
 * and paired by findDuplicates. Merged profiles are left out (their survivor stands for them), and so
 * are pairs a reviewer dismissed as two people (customer_duplicate_dismissals, kept across rebuilds).
 */

interface Row {
  customer_id: string;
  phone: string | null;
  email: string | null;
  name: string | null;
  card_number: string | null;
  registered_store_id: string | null;
  registered_at: Date | string | null;
  locale: string | null;
  time_zone: string | null;
}

function countryOf(r: Row): string | undefined {
  if (!r.time_zone) return undefined;
  try {
    return countryOfLocale(storeLocale({ locale: r.locale, timeZone: r.time_zone }));
  } catch {
    return undefined;
  }
}

async function reviewableProfiles(db: HqDb): Promise<IdentityProfile[]> {
  const { rows } = await sql<Row>`
    SELECT p.customer_id, p.phone, p.email, p.name, p.card_number, p.registered_store_id, p.registered_at,
      s.locale, s.time_zone
    FROM customer_profiles p LEFT JOIN stores s ON s.id = p.registered_store_id
    WHERE (p.phone IS NOT NULL OR p.email IS NOT NULL OR p.name IS NOT NULL OR p.card_number IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM customer_merges m WHERE m.merged_id = p.customer_id)
    ORDER BY p.customer_id`.execute(db);
  return rows.map(
    (r) =>
      identityProfileLenient(
        {
          customerId: r.customer_id,
          phone: r.phone ?? undefined,
          email: r.email ?? undefined,
          name: r.name ?? undefined,
          loyaltyCard: r.card_number ?? undefined,
          storeId: r.registered_store_id ?? undefined,
          createdAt: r.registered_at === null ? undefined : new Date(r.registered_at).toISOString(),
        },
        countryOf(r),
      ).profile,
  );
}

/** Probable duplicates, strongest first, without dismissed pairs. */
export async function duplicateQueue(
  db: HqDb,
  opts: { threshold?: number } = {},
): Promise<DuplicateCandidate[]> {
  const report = findDuplicates(await reviewableProfiles(db), {
    ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
  });
  const { rows } = await sql<{ customer_a: string; customer_b: string }>`
    SELECT customer_a, customer_b FROM customer_duplicate_dismissals`.execute(db);
  const dismissed = new Set(rows.map((r) => `${r.customer_a}|${r.customer_b}`));
  return report.candidates.filter((c) => !dismissed.has(c.customerIds.join('|')));
}

/** A reviewer's "not the same person": the pair stays out of the queue. True when newly dismissed. */
export async function dismissDuplicate(
  db: HqDb,
  pair: { customerIds: [string, string]; actor?: string | undefined; reason?: string | undefined },
): Promise<boolean> {
  const [x, y] = pair.customerIds;
  if (x === y) throw invalid('customerIds', 'a pair needs two different customers');
  for (const [id, i] of [
    [x, 0],
    [y, 1],
  ] as const) {
    const { rows } = await sql`SELECT 1 FROM customer_profiles WHERE customer_id = ${id}`.execute(db);
    if (rows.length === 0) throw notFound(`customer ${id}`, `customerIds.${i}`);
  }
  const [a, b] = x < y ? [x, y] : [y, x];
  const { rows } = await sql`INSERT INTO customer_duplicate_dismissals (customer_a, customer_b, actor, reason)
    VALUES (${a}, ${b}, ${pair.actor ?? null}, ${pair.reason ?? null}) ON CONFLICT DO NOTHING RETURNING 1`.execute(
    db,
  );
  return rows.length > 0;
}
