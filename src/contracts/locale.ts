/**
 * Which locale a store writes dates, times and amounts in. A store may name one (BCP 47, "de-DE");
 * otherwise its time zone's usual locale is taken, so a store in Europe/Berlin shows 02.12.2026 and
 * 14:05 without anyone setting it. Browser safe: the register and the dashboard use it too.
 */

const BY_TIME_ZONE: Record<string, string> = {
  'Europe/Berlin': 'de-DE',
  'Europe/Vienna': 'de-AT',
  'Europe/Zurich': 'de-CH',
  'Europe/London': 'en-GB',
  'Europe/Dublin': 'en-IE',
  'Europe/Paris': 'fr-FR',
  'Europe/Brussels': 'fr-BE',
  'Europe/Amsterdam': 'nl-NL',
  'Europe/Madrid': 'es-ES',
  'Europe/Rome': 'it-IT',
  'Europe/Lisbon': 'pt-PT',
  'Europe/Warsaw': 'pl-PL',
  'Europe/Prague': 'cs-CZ',
  'Europe/Copenhagen': 'da-DK',
  'Europe/Stockholm': 'sv-SE',
  'Europe/Oslo': 'nb-NO',
  'Europe/Helsinki': 'fi-FI',
  'Australia/Sydney': 'en-AU',
  'Australia/Melbourne': 'en-AU',
  'Pacific/Auckland': 'en-NZ',
  'Asia/Tokyo': 'ja-JP',
};

/** The locale a time zone's shops usually use; the Americas' zones read as en-US, the rest as en-GB. */
export function localeForTimeZone(timeZone: string): string {
  const known = BY_TIME_ZONE[timeZone];
  if (known !== undefined) return known;
  if (timeZone.startsWith('America/Toronto') || timeZone.startsWith('America/Vancouver')) return 'en-CA';
  if (timeZone.startsWith('America/')) return 'en-US';
  return 'en-GB';
}

/** True when the runtime knows the tag as a locale ("de-DE" yes, "xx-invalid" no). */
export function isKnownLocale(tag: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false;
  }
}

/** The locale a store writes in: its own when set, else its time zone's. */
export const storeLocale = (store: { locale?: string | null | undefined; timeZone: string }): string =>
  store.locale ?? localeForTimeZone(store.timeZone);
