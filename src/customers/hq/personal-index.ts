import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';
import { normalizeCardNumber, normalizeEmail, normalizePhone } from '../customers.ts';
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
 */

/** The normalised form an identifier is indexed and searched by; undefined when it cannot be one. */
export function normaliseIdentifier(kind: IdentifierKind, value: string): string | undefined {
  try {
    if (kind === 'phone') return normalizePhone(value);
    if (kind === 'email') return normalizeEmail(value);
    return normalizeCardNumber(value);
  } catch {
    return undefined;
  }
}

export async function identifierDigest(
  db: HqDb,
  kind: IdentifierKind,
  value: string,
): Promise<string | undefined> {
  const n = normaliseIdentifier(kind, value);
  return n === undefined ? undefined : blindIndex(await customerIndexSecret(db), kind, n);
}

/** Writes the fields on the profile and (re)indexes the identifiers. */
export async function writePersonalFields(trx: HqDb, customerId: string, f: PersonalFields): Promise<void> {
  await sql`UPDATE customer_profiles SET phone = ${f.phone ?? null}, email = ${f.email ?? null},
      name = ${f.name ?? null}, card_number = ${f.cardNumber ?? null}
    WHERE customer_id = ${customerId}`.execute(trx);
  await sql`DELETE FROM customer_identifiers WHERE customer_id = ${customerId}`.execute(trx);
  const pairs: [IdentifierKind, string | undefined][] = [
    ['phone', f.phone],
    ['email', f.email],
    ['card', f.cardNumber],
  ];
  for (const [kind, value] of pairs) {
    if (!value) continue;
    const digest = await identifierDigest(trx, kind, value);
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
