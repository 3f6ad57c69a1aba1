import { invalid, isTallyError } from '../core/index.ts';
import { normalizeEmail } from './customers.ts';
import { toE164 } from './phone.ts';

/**
 * Who a customer is, as identifiers: a phone (E.164), an email, a loyalty card. Two profiles sharing any
 * one of them are the same person (exact match: found at the next till, or folded together at HQ);
 * everything fuzzier is only a probable duplicate for a person to review (duplicate-score.ts).
 *
 * Emails are lower-cased and trimmed, nothing more: "ana.lima+shop@gmail.com" stays as typed. Gmail
 * ignores dots and "+tags", but other providers do not, most POS keep them, and a customer who gave a
 * "+shop" address may want it kept apart. A Gmail dot/plus variant therefore shows up as a probable
 * duplicate (same mailbox at Gmail), never as an exact match.
 */

/** A customer profile as HQ or a till holds it; every field but the id is optional. */
export interface CustomerProfileInput {
  customerId: string;
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  loyaltyCard?: string | undefined;
  postcode?: string | undefined;
  /** The store that registered the customer. */
  storeId?: string | undefined;
  /** ISO 8601 registration time. */
  createdAt?: string | undefined;
}

/** A profile with its identifiers normalised, ready for matching. */
export interface IdentityProfile {
  customerId: string;
  /** As typed (trimmed), for people reading a review. */
  displayName: string | undefined;
  /** Comparable form: lower case, no accents or punctuation, single spaces ("José  O'Neil" → "jose oneil", "Jürg" → "juerg"). */
  name: string | undefined;
  phone: string | undefined;
  email: string | undefined;
  loyaltyCard: string | undefined;
  postcode: string | undefined;
  storeId: string | undefined;
  /** Registration time in epoch milliseconds. */
  registeredAt: number | undefined;
}

/** Loyalty card numbers: letters and digits, spaces and dashes dropped, upper case ("ab 1234-5" → "AB12345"). */
export function normalizeLoyaltyCard(card: string): string {
  const out = card.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z0-9]{4,32}$/.test(out))
    throw invalid('loyaltyCard', `"${card}" is not a loyalty card number (4 to 32 letters and digits)`);
  return out;
}

/** A name in the form names are compared in; undefined when nothing is left. */
export function normalizeName(name: string): string | undefined {
  const out = name
    .toLowerCase()
    // German umlauts are typed "ue" on keyboards without them, so "Jürg" and "Juerg" compare equal.
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/['’`.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return out === '' ? undefined : out;
}

/** Postcodes compare without spaces and case ("sw1a 1aa" = "SW1A1AA"). */
export const normalizePostcode = (postcode: string): string | undefined =>
  postcode.replace(/\s+/g, '').toUpperCase() || undefined;

const present = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/**
 * Normalises a profile's identifiers. `defaultCountry` (ISO 3166 alpha-2, the registering store's) reads
 * phone numbers typed without their country code. Throws invalid(field) for a field that is not what it
 * claims to be, so a till refuses it at the counter; HQ can catch and keep the profile out of matching.
 */
export function identityProfile(input: CustomerProfileInput, defaultCountry?: string): IdentityProfile {
  let registeredAt: number | undefined;
  if (present(input.createdAt)) {
    registeredAt = Date.parse(input.createdAt);
    if (Number.isNaN(registeredAt)) throw invalid('createdAt', `"${input.createdAt}" is not an ISO date`);
  }
  return {
    customerId: input.customerId,
    displayName: present(input.name) ? input.name.trim() : undefined,
    name: present(input.name) ? normalizeName(input.name) : undefined,
    phone: present(input.phone) ? toE164(input.phone, defaultCountry) : undefined,
    email: present(input.email) ? normalizeEmail(input.email) : undefined,
    loyaltyCard: present(input.loyaltyCard) ? normalizeLoyaltyCard(input.loyaltyCard) : undefined,
    postcode: present(input.postcode) ? normalizePostcode(input.postcode) : undefined,
    storeId: input.storeId,
    registeredAt,
  };
}

/**
 * As identityProfile, but a field that does not read is left out of matching and reported instead of
 * refusing the whole profile: for HQ, whose profiles came from tills of every age (an old till stored
 * "0791234567" without a country; a number may have been typed wrong before phones were checked).
 */
export function identityProfileLenient(
  input: CustomerProfileInput,
  defaultCountry?: string,
): { profile: IdentityProfile; problems: Array<{ field: string; message: string }> } {
  const problems: Array<{ field: string; message: string }> = [];
  const fields = { ...input };
  for (;;) {
    try {
      return { profile: identityProfile(fields, defaultCountry), problems };
    } catch (e) {
      const field = isTallyError(e) ? e.field : undefined;
      if (field === undefined || !(field in fields) || field === 'customerId') throw e;
      problems.push({ field, message: (e as Error).message });
      delete fields[field as keyof CustomerProfileInput];
    }
  }
}

export type IdentifierKind = 'phone' | 'email' | 'loyaltyCard';

/** The exact identifiers of a profile as "kind:value" keys; two profiles sharing a key are one person. */
export function identifierKeys(p: Pick<IdentityProfile, IdentifierKind>): string[] {
  const keys: string[] = [];
  if (p.phone) keys.push(`phone:${p.phone}`);
  if (p.email) keys.push(`email:${p.email}`);
  if (p.loyaltyCard) keys.push(`loyaltyCard:${p.loyaltyCard}`);
  return keys;
}

export interface IdentityIndex {
  /** Ids of the profiles sharing any identifier with the query (already normalised), sorted. */
  findExact(query: Partial<Pick<IdentityProfile, IdentifierKind>>): string[];
  /** Groups of two or more profiles linked by shared identifiers (transitively), each sorted, largest first. */
  exactGroups(): string[][];
}

/** An in-memory index of identifiers: the till's "who is this?" and HQ's exact-match pass. */
export function createIdentityIndex(profiles: readonly IdentityProfile[]): IdentityIndex {
  const byKey = new Map<string, string[]>();
  for (const p of profiles)
    for (const k of identifierKeys(p)) {
      const ids = byKey.get(k);
      if (ids) ids.push(p.customerId);
      else byKey.set(k, [p.customerId]);
    }
  return {
    findExact(query) {
      const found = new Set<string>();
      for (const k of identifierKeys({
        phone: query.phone,
        email: query.email,
        loyaltyCard: query.loyaltyCard,
      }))
        for (const id of byKey.get(k) ?? []) found.add(id);
      return [...found].sort();
    },
    exactGroups() {
      const parent = new Map<string, string>();
      const root = (id: string): string => {
        let r = id;
        while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
        parent.set(id, r);
        return r;
      };
      for (const ids of byKey.values())
        for (const id of ids.slice(1)) {
          const [a, b] = [root(ids[0]!), root(id)];
          if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
        }
      const groups = new Map<string, string[]>();
      for (const id of parent.keys()) {
        const r = root(id);
        const g = groups.get(r);
        if (g) g.push(id);
        else groups.set(r, [id]);
      }
      return [...groups.values()]
        .filter((g) => g.length > 1)
        .map((g) => g.sort())
        .sort((x, y) => y.length - x.length || (x[0]! < y[0]! ? -1 : 1));
    },
  };
}
