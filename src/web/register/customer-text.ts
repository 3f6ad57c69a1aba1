import type { StoreFormat } from '../../contracts/index.ts';
import type { ConsentPurpose } from './customer-logic.ts';

/**
 * The words of the customer side of the register (customer panel, points tender, points on the
 * receipt, a refused promotion) in the store's language: German where the store's locale is German,
 * English otherwise. Amounts and dates are not here: they go through the store's formatter.
 */
export interface CustomerText {
  title: string;
  searchLabel: string;
  searchEmpty: string;
  find: string;
  notFound(text: string): string;
  registerTitle: string;
  name: string;
  phone: string;
  email: string;
  card: string;
  optional: string;
  needContact: string;
  register: string;
  consentLegend: string;
  consent: Record<ConsentPurpose, { label: string; meaning: string }>;
  onSale: string;
  remove: string;
  tier: string;
  points(n: string): string;
  asOf(when: string): string;
  noProgramme: string;
  consentSaved: string;
  payWithPoints: string;
  pointsCover(points: string, amount: string): string;
  pointsTender: string;
  receiptPoints: string;
  earned: string;
  used: string;
  balance: string;
  promotionRefused: string;
  newTotal(amount: string): string;
  segment: string;
  /** A segment HQ's scorer names ("at risk") in the store's words; one it does not know, as sent. */
  segmentName(segment: string): string;
}

/** The scorer's segment names (intel/customers/rfm.ts) in German; English shows them as they are. */
const SEGMENTS_DE: Record<string, string> = {
  champions: 'Champions',
  'loyal customers': 'Treue Kunden',
  'potential loyalists': 'Potenziell treu',
  'new customers': 'Neukunden',
  promising: 'Vielversprechend',
  'need attention': 'Brauchen Aufmerksamkeit',
  'about to sleep': 'Drohen einzuschlafen',
  'at risk': 'Gefährdet',
  "can't lose": 'Nicht verlieren',
  hibernating: 'Inaktiv',
  lost: 'Verloren',
};

const en: CustomerText = {
  title: 'Customer',
  searchLabel: 'Phone, email or loyalty card',
  searchEmpty: 'Type a phone number, an email address or a loyalty card number',
  find: 'Find and attach',
  notFound: (t) => `Nobody found for “${t}” at any store: register them?`,
  registerTitle: 'Register a customer',
  name: 'Name',
  phone: 'Phone',
  email: 'Email',
  card: 'Loyalty card',
  optional: 'optional',
  needContact: 'A customer needs a phone number or an email address',
  register: 'Register and attach',
  consentLegend: 'The customer agrees to (ask them; leave unticked if not)',
  consent: {
    marketing_email: { label: 'Offers by email', meaning: 'news and offers sent to their email address' },
    marketing_sms: { label: 'Offers by text message', meaning: 'news and offers sent to their phone' },
    analytics: {
      label: 'Purchase analysis',
      meaning: 'their purchases used to tailor offers and plan the range',
    },
  },
  onSale: 'On this sale',
  remove: 'Remove from sale',
  tier: 'Tier',
  points: (n) => `${n} points`,
  asOf: (w) => `as of ${w}`,
  noProgramme: 'No loyalty programme',
  consentSaved: 'Consent saved',
  payWithPoints: 'Pay with points',
  pointsCover: (p, a) => `${p} points pay ${a}`,
  pointsTender: 'Points',
  receiptPoints: 'Loyalty points',
  earned: 'Earned',
  used: 'Used',
  balance: 'Balance',
  promotionRefused: 'Promotion no longer available',
  newTotal: (a) => `New total ${a}: take payment`,
  segment: 'Segment',
  segmentName: (s) => s.charAt(0).toUpperCase() + s.slice(1),
};

const de: CustomerText = {
  title: 'Kunde',
  searchLabel: 'Telefon, E-Mail oder Kundenkarte',
  searchEmpty: 'Telefonnummer, E-Mail-Adresse oder Kundenkartennummer eingeben',
  find: 'Suchen und zuordnen',
  notFound: (t) => `Niemand zu „${t}“ in einer Filiale gefunden: neu anlegen?`,
  registerTitle: 'Kunden anlegen',
  name: 'Name',
  phone: 'Telefon',
  email: 'E-Mail',
  card: 'Kundenkarte',
  optional: 'optional',
  needContact: 'Telefonnummer oder E-Mail-Adresse angeben',
  register: 'Anlegen und zuordnen',
  consentLegend: 'Der Kunde willigt ein in (nachfragen; sonst leer lassen)',
  consent: {
    marketing_email: {
      label: 'Angebote per E-Mail',
      meaning: 'Neuigkeiten und Angebote an die E-Mail-Adresse',
    },
    marketing_sms: { label: 'Angebote per SMS', meaning: 'Neuigkeiten und Angebote an die Telefonnummer' },
    analytics: {
      label: 'Einkaufsauswertung',
      meaning: 'Einkäufe werden für passende Angebote und die Sortimentsplanung ausgewertet',
    },
  },
  onSale: 'Bei diesem Verkauf',
  remove: 'Vom Verkauf entfernen',
  tier: 'Stufe',
  points: (n) => `${n} Punkte`,
  asOf: (w) => `Stand ${w}`,
  noProgramme: 'Kein Treueprogramm',
  consentSaved: 'Einwilligung gespeichert',
  payWithPoints: 'Mit Punkten zahlen',
  pointsCover: (p, a) => `${p} Punkte zahlen ${a}`,
  pointsTender: 'Punkte',
  receiptPoints: 'Treuepunkte',
  earned: 'Gesammelt',
  used: 'Eingelöst',
  balance: 'Stand',
  promotionRefused: 'Aktion nicht mehr verfügbar',
  newTotal: (a) => `Neue Summe ${a}: bitte kassieren`,
  segment: 'Segment',
  segmentName: (s) => SEGMENTS_DE[s] ?? s,
};

/** The customer side's words for a store locale ("de-DE", "de-AT" → German; anything else English). */
export const customerText = (locale: string): CustomerText => (/^de\b/i.test(locale) ? de : en);

/** Points as the store writes whole numbers ("1.234" in German, "1,234" in English). */
export function formatPoints(n: number, fmt: Pick<StoreFormat, 'amount'>): string {
  // A currency without minor units: the store formatter's grouping of a whole number, no Intl here.
  return fmt.amount(Math.trunc(n), 'JPY');
}
