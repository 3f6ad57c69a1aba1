import { sql } from 'kysely';
import { storeLocale } from '../../contracts/index.ts';
import type { HqDb } from '../../db/index.ts';
import { normalizeCardNumber, normalizeEmail, normalizePhone } from '../customers.ts';
import { countryOfLocale, legacyPhoneForms, toE164 } from '../phone.ts';
import {
  blindIndex,
  type IdentifierKind,
  openPii,
  type PersonalFields,
  sealedPiiSchema,
} from '../pii-crypto.ts';
import { customerIndexSecret } from './index-secret.ts';

/**
 * The profile's personal fields and their blind index: written when both the sealed fields (from the
 * event) and the data key (from the side route) are at HQ, whichever came second.
 *
 * A phone is indexed in E.164, read in the registering store's country, whatever form the till stored
 * it in: tills before E.164 sealed the digits a cashier typed ("0791234567"), and an index of that form
 * missed every search by the number as tills type it now. A number that cannot be read as E.164 keeps
 * the digits-only form, as at the till (`tillPhone`). Profiles indexed before this normaliser are
 * re-indexed once (identifier-reindex.ts); until that has run, searches also try the old forms.
 */

/** The normalised form an identifier is indexed and searched by; undefined when it cannot be one. */
export function normaliseIdentifier(
  kind: IdentifierKind,
  value: string,
  country?: string | undefined,
): string | undefined {
  try {
    if (kind === 'phone') {
      try {
        return toE164(value, country);
      } catch {
        return normalizePhone(value);
      }
    }
    if (kind === 'email') return normalizeEmail(value);
    return normalizeCardNumber(value);
  } catch {
    return undefined;
  }
}

/** The country of a store's locale (its time zone's usual one when unset); undefined if none. */
export function storeCountry(s: { locale: string | null; time_zone: string | null }): string | undefined {
  if (!s.time_zone) return undefined;
  try {
    return countryOfLocale(storeLocale({ locale: s.locale, timeZone: s.time_zone }));
  } catch {
    return undefined;
  }
}

export async function identifierDigest(
  db: HqDb,
  kind: IdentifierKind,
  value: string,
  country?: string | undefined,
): Promise<string | undefined> {
  const n = normaliseIdentifier(kind, value, country);
  return n === undefined ? undefined : blindIndex(await customerIndexSecret(db), kind, n);
}

/**
 * The digests a search by `value` looks up: the value normalised in each country given (a national
 * number means something else in each), and, while `legacy`, the forms tills stored before E.164.
 */
export async function searchDigests(
  db: HqDb,
  kind: IdentifierKind,
  value: string,
  opts: { countries: readonly (string | undefined)[]; legacy: boolean },
): Promise<string[]> {
  const forms = new Set<string>();
  for (const c of kind === 'phone' ? [undefined, ...opts.countries] : [undefined]) {
    const n = normaliseIdentifier(kind, value, c);
    if (n === undefined) continue;
    forms.add(n);
    if (kind === 'phone' && opts.legacy && n.startsWith('+'))
      for (const f of legacyPhoneForms(n)) forms.add(f);
  }
  if (kind === 'phone' && opts.legacy) {
    try {
      forms.add(normalizePhone(value));
    } catch {
      // Not even digits: no old form either.
    }
  }
  const secret = await customerIndexSecret(db);
  return [...forms].map((f) => blindIndex(secret, kind, f));
}

/** The country a store reads national phone numbers in. */
export async function countryOfStore(db: HqDb, storeId: string): Promise<string | undefined> {
  const { rows } = await sql<{ locale: string | null; time_zone: string | null }>`
    SELECT locale, time_zone FROM stores WHERE id = ${storeId}`.execute(db);
  return rows[0] ? storeCountry(rows[0]) : undefined;
}

async function registeringCountry(trx: HqDb, customerId: string): Promise<string | undefined> {
  const { rows } = await sql<{ locale: string | null; time_zone: string | null }>`
    SELECT s.locale, s.time_zone FROM customer_profiles p JOIN stores s ON s.id = p.registered_store_id
    WHERE p.customer_id = ${customerId}`.execute(trx);
  return rows[0] ? storeCountry(rows[0]) : undefined;
}

/** Writes the fields on the profile and (re)indexes the identifiers. */
export async function writePersonalFields(trx: HqDb, customerId: string, f: PersonalFields): Promise<void> {
  await sql`UPDATE customer_profiles SET phone = ${f.phone ?? null}, email = ${f.email ?? null},
      name = ${f.name ?? null}, card_number = ${f.cardNumber ?? null}
    WHERE customer_id = ${customerId}`.execute(trx);
  await sql`DELETE FROM customer_identifiers WHERE customer_id = ${customerId}`.execute(trx);
  const country = f.phone ? await registeringCountry(trx, customerId) : undefined;
  const pairs: [IdentifierKind, string | undefined][] = [
    ['phone', f.phone],
    ['email', f.email],
    ['card', f.cardNumber],
  ];
  for (const [kind, value] of pairs) {
    if (!value) continue;
    const digest = await identifierDigest(trx, kind, value, country);
    if (digest)
      await sql`INSERT INTO customer_identifiers (kind, digest, customer_id) VALUES (${kind}, ${digest}, ${customerId})
        ON CONFLICT DO NOTHING`.execute(trx);
  }
}

/** Opens the profile's sealed fields when its key is here; true when it did. */
export async function openWhenKeyed(trx: HqDb, customerId: string): Promise<boolean> {
  const { rows } = await sql<{ sealed_pii: unknown; data_key: string }>`
    SELECT p.sealed_pii, k.data_key FROM customer_profiles p JOIN customer_keys k USING (customer_id)
    WHERE p.customer_id = ${customerId} AND p.sealed_pii IS NOT NULL`.execute(trx);
  const r = rows[0];
  if (!r) return false;
  const fields = openPii(r.data_key, customerId, sealedPiiSchema.parse(r.sealed_pii));
  await writePersonalFields(trx, customerId, fields);
  return true;
}
