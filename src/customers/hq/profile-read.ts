import { sql } from 'kysely';
import { z } from 'zod';
import type { HqDb } from '../../db/index.ts';
import { type Consents, consentPurpose } from '../events.ts';
import type { IdentifierKind } from '../pii-crypto.ts';
import { identifierDigest } from './personal-index.ts';

/**
 * Reading the profile. Personal fields (phone, email, name, card number) are returned only when the
 * caller asks for them; the routes ask only for a caller holding view_customer_data, and audit it.
 */
export const consentChangeSchema = z.object({
  purpose: consentPurpose,
  granted: z.boolean(),
  at: z.string(),
  channel: z.string(),
  storeId: z.string().nullable(),
  actor: z.string().nullable(),
});
export type ConsentChange = z.infer<typeof consentChangeSchema>;

export const personalSchema = z.object({
  phone: z.string().nullable(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  cardNumber: z.string().nullable(),
});

export const customerProfileSchema = z.object({
  customerId: z.string(),
  registeredStoreId: z.string().nullable(),
  registeredAt: z.string().nullable(),
  /** False while HQ holds the sealed fields but not yet the key (or after it was lost). */
  personalFieldsReadable: z.boolean(),
  consents: z.object({ marketing_email: z.boolean(), marketing_sms: z.boolean(), analytics: z.boolean() }),
  storesVisited: z.array(z.string()),
  firstPurchaseAt: z.string().nullable(),
  lastPurchaseAt: z.string().nullable(),
  purchaseCount: z.number().int(),
  spendMinor: z.number().int(),
  currency: z.string().nullable(),
  returnCount: z.number().int(),
  refundMinor: z.number().int(),
  personal: personalSchema.optional(),
  consentHistory: z.array(consentChangeSchema).optional(),
});
export type CustomerProfile = z.infer<typeof customerProfileSchema>;

interface ProfileRow {
  customer_id: string;
  registered_store_id: string | null;
  registered_at: Date | string | null;
  phone: string | null;
  email: string | null;
  name: string | null;
  card_number: string | null;
  sealed_pii: unknown;
  schema_version: number | null;
  consents: Consents;
  stores_visited: string[];
  first_purchase_at: Date | string | null;
  last_purchase_at: Date | string | null;
  purchase_count: number;
  spend_minor: string | number;
  currency: string | null;
  return_count: number;
  refund_minor: string | number;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function toProfile(r: ProfileRow, withPersonal: boolean): CustomerProfile {
  const readable = r.schema_version === 1 || r.phone !== null || r.email !== null || r.name !== null;
  return {
    customerId: r.customer_id,
    registeredStoreId: r.registered_store_id,
    registeredAt: iso(r.registered_at),
    personalFieldsReadable: r.sealed_pii === null ? r.schema_version === 1 : readable,
    consents: r.consents,
    storesVisited: r.stores_visited,
    firstPurchaseAt: iso(r.first_purchase_at),
    lastPurchaseAt: iso(r.last_purchase_at),
    purchaseCount: Number(r.purchase_count),
    spendMinor: Number(r.spend_minor),
    currency: r.currency,
    returnCount: Number(r.return_count),
    refundMinor: Number(r.refund_minor),
    ...(withPersonal
      ? { personal: { phone: r.phone, email: r.email, name: r.name, cardNumber: r.card_number } }
      : {}),
  };
}

export async function consentHistory(db: HqDb, customerId: string): Promise<ConsentChange[]> {
  const { rows } = await sql<{
    purpose: ConsentChange['purpose'];
    granted: boolean;
    at: Date | string;
    channel: string;
    store_id: string | null;
    actor: string | null;
  }>`SELECT purpose, granted, at, channel, store_id, actor FROM customer_consent_history
     WHERE customer_id = ${customerId} ORDER BY at, event_id`.execute(db);
  return rows.map((r) => ({
    purpose: r.purpose,
    granted: r.granted,
    at: new Date(r.at).toISOString(),
    channel: r.channel,
    storeId: r.store_id,
    actor: r.actor,
  }));
}

export async function customerProfile(
  db: HqDb,
  customerId: string,
  opts: { withPersonal: boolean },
): Promise<CustomerProfile | undefined> {
  const { rows } =
    await sql<ProfileRow>`SELECT * FROM customer_profiles WHERE customer_id = ${customerId}`.execute(db);
  const r = rows[0];
  if (!r) return undefined;
  return { ...toProfile(r, opts.withPersonal), consentHistory: await consentHistory(db, customerId) };
}

/** A page of profiles, oldest registration first. */
export async function listCustomerProfiles(
  db: HqDb,
  opts: { limit: number; offset: number; withPersonal: boolean },
): Promise<{ total: number; customers: CustomerProfile[] }> {
  const { rows } = await sql<ProfileRow>`SELECT * FROM customer_profiles
    ORDER BY registered_at NULLS LAST, customer_id LIMIT ${opts.limit} OFFSET ${opts.offset}`.execute(db);
  const { rows: n } = await sql<{ n: string }>`SELECT count(*) AS n FROM customer_profiles`.execute(db);
  return { total: Number(n[0]?.n ?? 0), customers: rows.map((r) => toProfile(r, opts.withPersonal)) };
}

/** Exact search by one identifier through the blind index: no profile is decrypted to look. */
export async function findCustomerIds(db: HqDb, kind: IdentifierKind, value: string): Promise<string[]> {
  const digest = await identifierDigest(db, kind, value);
  if (!digest) return [];
  const { rows } = await sql<{ customer_id: string }>`SELECT customer_id FROM customer_identifiers
    WHERE kind = ${kind} AND digest = ${digest} ORDER BY customer_id`.execute(db);
  return rows.map((r) => r.customer_id);
}
