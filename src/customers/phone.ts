import {
  type CountryCode,
  isSupportedCountry,
  ParseError,
  parsePhoneNumberWithError,
} from 'libphonenumber-js/max';
import { invalid } from '../core/index.ts';

/**
 * Phone numbers as one customer identifier: whatever a cashier types ("079 123 45 67" at a Zürich till,
 * "+41 79 123 45 67", "0041791234567") becomes the one E.164 string "+41791234567", so the customer is
 * found at the next till and at HQ. National numbers are read in the store's country.
 *
 * The `max` metadata build on purpose: this runs in Node (till and HQ), never in the browser bundle, so
 * its size does not matter, while `min` checks only a number's length and would accept "+41 12 345 67 89"
 * (no Swiss number starts with 1); `max` checks each country's number patterns and knows the number type
 * (mobile, fixed line), which a duplicate review can show.
 */

/** What a cashier may type in a phone field: digits, one leading +, and the usual separators. */
const PHONE_CHARACTERS = /^\+?[\d\s().\-/]+$/;

export interface PhoneNumber {
  /** E.164: "+41791234567". */
  e164: string;
  /** ISO 3166 alpha-2 of the number's country, when the number belongs to exactly one ("CH"). */
  country: string | undefined;
  /** "MOBILE", "FIXED_LINE", "FIXED_LINE_OR_MOBILE", … as libphonenumber names them; undefined if unknown. */
  type: string | undefined;
}

/**
 * The country of a BCP 47 locale's region: countryOfLocale('de-DE') → 'DE', 'fr-CH' → 'CH'. A tag without a
 * region ('de') gives undefined rather than a guess: German is spoken in DE, AT and CH alike.
 */
export function countryOfLocale(locale: string): string | undefined {
  let region: string | undefined;
  try {
    region = new Intl.Locale(locale.trim()).region;
  } catch {
    throw invalid('locale', `"${locale}" is not a locale such as de-DE`);
  }
  // Numeric regions ("es-419", Latin America) name no single country.
  return region !== undefined && /^[A-Z]{2}$/.test(region) ? region : undefined;
}

function supportedCountry(country: string | undefined): CountryCode | undefined {
  if (country === undefined) return undefined;
  const c = country.trim().toUpperCase();
  if (!isSupportedCountry(c)) throw invalid('country', `"${country}" is not a country code such as CH or DE`);
  return c;
}

/**
 * Parses a phone number typed at a till. `defaultCountry` (ISO 3166 alpha-2: the store's country, e.g.
 * from countryOfLocale(storeLocale(store))) is used for numbers written without their country code.
 * Throws invalid('phone', …) for anything that is not a dialable number of that country.
 */
export function parsePhone(phone: string, defaultCountry?: string): PhoneNumber {
  const country = supportedCountry(defaultCountry);
  const typed = phone.trim();
  if (!PHONE_CHARACTERS.test(typed)) throw invalid('phone', `"${phone}" is not a phone number`);
  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(typed, country ? { defaultCountry: country } : undefined);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    if (e.message === 'INVALID_COUNTRY')
      throw invalid(
        'phone',
        `"${phone}" needs its country code (e.g. +41 …): no store country to read it in`,
      );
    throw invalid('phone', `"${phone}" is not a phone number`);
  }
  if (!parsed.isValid()) {
    const where =
      parsed.country ?? (parsed.countryCallingCode ? `+${parsed.countryCallingCode}` : 'any country');
    throw invalid('phone', `"${phone}" is not a valid phone number in ${where}`);
  }
  return { e164: parsed.number, country: parsed.country, type: parsed.getType() };
}

/** The E.164 form of a phone number typed at a till ("079 123 45 67", CH → "+41791234567"). */
export const toE164 = (phone: string, defaultCountry?: string): string =>
  parsePhone(phone, defaultCountry).e164;

/**
 * The forms a till stored this number under before it read phones as E.164: the national number as a
 * cashier types it in its own country, digits only ("+41791234567" → "0791234567"), and the international
 * one dialled with 00 ("0041791234567"). What the number itself was ("+41791234567") needs no entry.
 */
export function legacyPhoneForms(e164: string): string[] {
  let national: string | undefined;
  try {
    national = parsePhoneNumberWithError(e164).formatNational().replace(/\D/g, '');
  } catch {
    national = undefined;
  }
  return [...new Set([national, `00${e164.slice(1)}`])].filter((f): f is string => !!f && f !== e164);
}
