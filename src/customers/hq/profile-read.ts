import { sql } from 'kysely';
import { z } from 'zod';
import type { HqDb } from '../../db/index.ts';
import { type Consents, consentPurpose } from '../events.ts';
import type { IdentifierKind } from '../pii-crypto.ts';
import { identifiersCurrent } from './identifier-reindex.ts';
import { canonicalCustomer, membersOf } from './merges.ts';
import { searchDigests, storeCountry } from './personal-index.ts';

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
  /** Profiles merged into this one (their purchases, consents and points are counted here). */
  mergedIds: z.array(z.string()).optional(),
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

/**
 * One person's profile from the rows of every profile merged into the survivor (survivor first): the
 * survivor's registration and personal fields (each missing field taken from a merged profile), purchases
 * and returns summed, first and last purchase over all, stores visited united. Consents: the stricter
 * wins, so a purpose is granted only if every merged profile grants it — a customer who opted out on
 * either record stays opted out (a merge must not make someone contactable who said no).
 */
function combine(rows: readonly ProfileRow[]): ProfileRow {
  const [head, ...rest] = rows as [ProfileRow, ...ProfileRow[]];
  const out: ProfileRow = {
    ...head,
    consents: { ...head.consents },
    stores_visited: [...head.stores_visited],
  };
  for (const r of rest) {
    out.phone ??= r.phone;
    out.email ??= r.email;
    out.name ??= r.name;
    out.card_number ??= r.card_number;
    for (const k of Object.keys(out.consents) as (keyof Consents)[])
      out.consents[k] = out.consents[k] && r.consents[k] === true;
    for (const st of r.stores_visited) if (!out.stores_visited.includes(st)) out.stores_visited.push(st);
    out.purchase_count = Number(out.purchase_count) + Number(r.purchase_count);
    out.return_count = Number(out.return_count) + Number(r.return_count);
    out.refund_minor = Number(out.refund_minor) + Number(r.refund_minor);
    out.currency ??= r.currency;
    // Spend stays in one currency, as the projection keeps it: another currency's spend is left out.
    if (r.currency === null || r.currency === out.currency)
      out.spend_minor = Number(out.spend_minor) + Number(r.spend_minor);
    const t = (d: Date | string | null) => (d === null ? undefined : new Date(d).getTime());
    if (
      r.first_purchase_at !== null &&
      (out.first_purchase_at === null || t(r.first_purchase_at)! < t(out.first_purchase_at)!)
    )
      out.first_purchase_at = r.first_purchase_at;
    if (
      r.last_purchase_at !== null &&
      (out.last_purchase_at === null || t(r.last_purchase_at)! > t(out.last_purchase_at)!)
    )
      out.last_purchase_at = r.last_purchase_at;
  }
  return out;
}

async function personRows(db: HqDb, survivorId: string): Promise<ProfileRow[]> {
  const members = await membersOf(db, survivorId);
  const { rows } = await sql<ProfileRow>`SELECT * FROM customer_profiles
    WHERE customer_id = ANY(${members}::uuid[])`.execute(db);
  return members.flatMap((id) => rows.filter((r) => r.customer_id === id));
}

function personProfile(rows: readonly ProfileRow[], withPersonal: boolean): CustomerProfile | undefined {
  if (rows.length === 0) return undefined;
  const p = toProfile(combine(rows), withPersonal);
  return rows.length > 1 ? { ...p, mergedIds: rows.slice(1).map((r) => r.customer_id) } : p;
}

/** Every consent change of the person (all merged profiles), in time order. */
export async function consentHistory(db: HqDb, customerId: string): Promise<ConsentChange[]> {
  const members = await membersOf(db, await canonicalCustomer(db, customerId));
  const { rows } = await sql<{
    purpose: ConsentChange['purpose'];
    granted: boolean;
    at: Date | string;
    channel: string;
    store_id: string | null;
    actor: string | null;
  }>`SELECT purpose, granted, at, channel, store_id, actor FROM customer_consent_history
     WHERE customer_id = ANY(${members}::uuid[]) ORDER BY at, event_id`.execute(db);
  return rows.map((r) => ({
    purpose: r.purpose,
    granted: r.granted,
    at: new Date(r.at).toISOString(),
    channel: r.channel,
    storeId: r.store_id,
    actor: r.actor,
  }));
}

/**
 * The profile of the person behind customerId: asked by a merged profile's id, the survivor's (its
 * customerId says which), with everything merged into it.
 */
export async function customerProfile(
  db: HqDb,
  customerId: string,
  opts: { withPersonal: boolean },
): Promise<CustomerProfile | undefined> {
  const survivor = await canonicalCustomer(db, customerId);
  const p = personProfile(await personRows(db, survivor), opts.withPersonal);
  if (!p) return undefined;
  return { ...p, consentHistory: await consentHistory(db, survivor) };
}

/** A page of people (merged profiles are inside their survivor's), oldest registration first. */
export async function listCustomerProfiles(
  db: HqDb,
  opts: { limit: number; offset: number; withPersonal: boolean },
): Promise<{ total: number; customers: CustomerProfile[] }> {
  const { rows } = await sql<ProfileRow>`SELECT * FROM customer_profiles p
    WHERE NOT EXISTS (SELECT 1 FROM customer_merges m WHERE m.merged_id = p.customer_id)
    ORDER BY registered_at NULLS LAST, customer_id LIMIT ${opts.limit} OFFSET ${opts.offset}`.execute(db);
  const { rows: n } = await sql<{ n: string }>`SELECT count(*) AS n FROM customer_profiles p
    WHERE NOT EXISTS (SELECT 1 FROM customer_merges m WHERE m.merged_id = p.customer_id)`.execute(db);
  const { rows: survivors } = await sql<{ survivor_id: string }>`
    SELECT DISTINCT survivor_id FROM customer_merges WHERE survivor_id = ANY(${rows.map((r) => r.customer_id)}::uuid[])`.execute(
    db,
  );
  const merged = new Set(survivors.map((r) => r.survivor_id));
  const customers: CustomerProfile[] = [];
  for (const r of rows)
    customers.push(
      merged.has(r.customer_id)
        ? personProfile(await personRows(db, r.customer_id), opts.withPersonal)!
        : toProfile(r, opts.withPersonal),
    );
  return { total: Number(n[0]?.n ?? 0), customers };
}

/**
 * Exact search by one identifier through the blind index: no profile is decrypted to look. A merged
 * profile's identifier answers its survivor (each person once). A phone is read in `country` (the asking
 * till's store's) when given, else in each country the chain has stores in; until every profile was
 * re-indexed in E.164 (identifier-reindex.ts), the digits-only forms older tills stored are tried too.
 */
export async function findCustomerIds(
  db: HqDb,
  kind: IdentifierKind,
  value: string,
  opts: { country?: string | undefined } = {},
): Promise<string[]> {
  const countries = kind !== 'phone' ? [] : opts.country ? [opts.country] : await chainCountries(db);
  const digests = await searchDigests(db, kind, value, {
    countries,
    legacy: kind === 'phone' && !(await identifiersCurrent(db)),
  });
  if (digests.length === 0) return [];
  const { rows } = await sql<{ customer_id: string }>`SELECT DISTINCT customer_id FROM customer_identifiers
    WHERE kind = ${kind} AND digest = ANY(${digests}::text[]) ORDER BY customer_id`.execute(db);
  const out: string[] = [];
  for (const r of rows) {
    const id = await canonicalCustomer(db, r.customer_id);
    if (!out.includes(id)) out.push(id);
  }
  return out.sort();
}

/**
 * People whose name holds the text (any case), survivors only, at most `limit`, by name. Names are
 * sealed in the log but open in the projection, so this reads the projection; there is no index, since
 * a reviewer's search is rare and one scan of the profiles is cheap next to decrypting them.
 */
export async function findCustomerIdsByName(db: HqDb, text: string, limit: number): Promise<string[]> {
  const needle = text.trim().toLowerCase();
  if (needle.length === 0) return [];
  const pattern = `%${needle.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const { rows } = await sql<{ customer_id: string }>`SELECT customer_id FROM customer_profiles p
    WHERE lower(p.name) LIKE ${pattern}
      AND NOT EXISTS (SELECT 1 FROM customer_merges m WHERE m.merged_id = p.customer_id)
    ORDER BY lower(p.name), p.customer_id LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.customer_id);
}

/** Who each id is, as a reviewer needs to tell two profiles apart (personal: the route audits it). */
export const customerSummarySchema = z.object({
  customerId: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  cardNumber: z.string().nullable(),
  registeredStoreId: z.string().nullable(),
  registeredAt: z.string().nullable(),
  purchaseCount: z.number().int(),
});
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

/** Each profile's own fields (not its merged group's), in one read; unknown ids are left out. */
export async function customerSummaries(
  db: HqDb,
  customerIds: readonly string[],
): Promise<Map<string, CustomerSummary>> {
  if (customerIds.length === 0) return new Map();
  const { rows } = await sql<ProfileRow>`SELECT * FROM customer_profiles
    WHERE customer_id = ANY(${[...customerIds]}::uuid[])`.execute(db);
  return new Map(
    rows.map((r) => [
      r.customer_id,
      {
        customerId: r.customer_id,
        name: r.name,
        phone: r.phone,
        email: r.email,
        cardNumber: r.card_number,
        registeredStoreId: r.registered_store_id,
        registeredAt: iso(r.registered_at),
        purchaseCount: Number(r.purchase_count),
      },
    ]),
  );
}

/** The countries the chain's stores are in, each once. */
async function chainCountries(db: HqDb): Promise<string[]> {
  const { rows } = await sql<{ locale: string | null; time_zone: string | null }>`
    SELECT DISTINCT locale, time_zone FROM stores`.execute(db);
  return [...new Set(rows.map(storeCountry).filter((c): c is string => c !== undefined))].sort();
}
