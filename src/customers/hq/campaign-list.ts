import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';
import { type ConsentPurpose, consentPurpose } from '../events.ts';
import { identityResolver } from './merges.ts';

/**
 * Who may be contacted for one purpose: customers whose current consent for it is granted and whose
 * personal fields HQ can read, with the contact that purpose uses. Erased customers have no profile, so
 * they cannot appear; a withdrawn consent is the latest change by its own time, wherever it was made.
 */
export interface CampaignContact {
  customerId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

export async function campaignList(db: HqDb, purpose: ConsentPurpose): Promise<CampaignContact[]> {
  const p = consentPurpose.parse(purpose);
  const contact =
    p === 'marketing_sms'
      ? sql`phone IS NOT NULL`
      : p === 'marketing_email'
        ? sql`email IS NOT NULL`
        : sql`true`;
  const { rows } = await sql<{
    customer_id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
  }>`
    SELECT customer_id, name, email, phone FROM customer_profiles
    WHERE (consents->>${p})::boolean AND (phone IS NOT NULL OR email IS NOT NULL) AND ${contact}
    ORDER BY customer_id`.execute(db);
  // Merged profiles are contacted through their survivor, and only if none of them said no.
  const { rows: merged } = await sql<{ customer_id: string; granted: boolean | null }>`
    SELECT customer_id, (consents->>${p})::boolean AS granted FROM customer_profiles
    WHERE customer_id IN (SELECT merged_id FROM customer_merges)`.execute(db);
  const refused = new Set<string>();
  if (merged.length > 0) {
    const resolver = await identityResolver(db);
    for (const m of merged) if (m.granted !== true) refused.add(resolver.canonicalOf(m.customer_id));
    for (const m of merged) refused.add(m.customer_id);
  }
  return rows
    .filter((r) => !refused.has(r.customer_id))
    .map((r) => ({
      customerId: r.customer_id,
      name: r.name,
      email: p === 'marketing_sms' ? null : r.email,
      phone: p === 'marketing_email' ? null : r.phone,
    }));
}

const csvCell = (v: string | null): string => {
  if (v === null) return '';
  // A cell starting with = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const campaignCsv = (rows: readonly CampaignContact[]): string =>
  `${[
    'customerId,name,email,phone',
    ...rows.map((r) => [r.customerId, r.name, r.email, r.phone].map(csvCell).join(',')),
  ].join('\n')}\n`;
