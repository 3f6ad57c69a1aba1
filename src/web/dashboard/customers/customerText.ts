import type { ConsentPurpose } from './customerApi.ts';

/**
 * The Customers view's words in the reader's language: German for a German browser, English otherwise
 * (the register's customer side does the same by the store's locale). Amounts and times go through
 * the dashboard's formatters.
 */
export interface CustomerAdminText {
  tab: string;
  searchTitle: string;
  searchLabel: string;
  searchHint: string;
  search: string;
  noneFound(text: string): string;
  open: string;
  name: string;
  phone: string;
  email: string;
  card: string;
  registered: string;
  lastPurchase: string;
  profileTitle: string;
  unreadable: string;
  storesVisited: string;
  firstPurchase: string;
  purchases: string;
  spend: string;
  returns: string;
  tier: string;
  points: string;
  segment: string;
  pActive(days: number): string;
  expectedSpend(days: number): string;
  notScored: string;
  consentsTitle: string;
  consent: Record<ConsentPurpose, string>;
  consentSaved: string;
  history: string;
  noHistory: string;
  when: string;
  purpose: string;
  granted: string;
  withdrawn: string;
  channel: string;
  by: string;
  exportJson: string;
  eraseTitle: string;
  eraseStart: string;
  eraseWarning: string;
  eraseConfirmLabel(code: string): string;
  eraseConfirm: string;
  cancel: string;
  reportTitle(id: string): string;
  alreadyErased: string;
  place: string;
  found: string;
  removed: string;
  note: string;
  mergedTitle: string;
  unmerge: string;
  reason: string;
  readOnly: string;
  duplicatesTitle: string;
  findDuplicates: string;
  noDuplicates: string;
  score: string;
  reasons: string;
  merge(name: string): string;
  dismiss: string;
  close: string;
}

const en: CustomerAdminText = {
  tab: 'Customers',
  searchTitle: 'Find a customer',
  searchLabel: 'Phone, email, loyalty card or name',
  searchHint: 'Phones, emails and cards are matched exactly; a name by any part of it.',
  search: 'Search',
  noneFound: (t) => `Nobody found for “${t}”.`,
  open: 'Open',
  name: 'Name',
  phone: 'Phone',
  email: 'Email',
  card: 'Loyalty card',
  registered: 'Registered',
  lastPurchase: 'Last purchase',
  profileTitle: 'Customer profile',
  unreadable: 'HQ does not hold this customer’s key yet: personal fields are sealed.',
  storesVisited: 'Stores visited',
  firstPurchase: 'First purchase',
  purchases: 'Purchases',
  spend: 'Spend',
  returns: 'Returns',
  tier: 'Tier',
  points: 'Points',
  segment: 'Segment',
  pActive: (d) => `Buys again within ${d} days`,
  expectedSpend: (d) => `Expected spend, ${d} days`,
  notScored: 'Not scored yet',
  consentsTitle: 'Consent',
  consent: {
    marketing_email: 'Offers by email',
    marketing_sms: 'Offers by text message',
    analytics: 'Purchase analysis',
  },
  consentSaved: 'Consent saved.',
  history: 'Consent history',
  noHistory: 'No consent recorded.',
  when: 'When',
  purpose: 'Purpose',
  granted: 'granted',
  withdrawn: 'withdrawn',
  channel: 'Where',
  by: 'By',
  exportJson: 'Download everything held (JSON)',
  eraseTitle: 'Erase',
  eraseStart: 'Erase this customer…',
  eraseWarning:
    'Erasure destroys the customer’s key and removes their profile, consents, scores and links everywhere. Sales stay, without the person. It cannot be undone.',
  eraseConfirmLabel: (code) => `Type ${code} to confirm`,
  eraseConfirm: 'Erase for good',
  cancel: 'Cancel',
  reportTitle: (id) => `Erased ${id}: every place checked`,
  alreadyErased: 'This customer had already been erased; the places were checked again.',
  place: 'Place',
  found: 'Found',
  removed: 'Removed',
  note: 'Note',
  mergedTitle: 'Profiles merged into this one',
  unmerge: 'Unmerge',
  reason: 'Reason',
  readOnly: 'You may read this profile; changing merges or erasing needs more rights.',
  duplicatesTitle: 'Probable duplicates',
  findDuplicates: 'Find probable duplicates',
  noDuplicates: 'No probable duplicates to review.',
  score: 'Score',
  reasons: 'Why',
  merge: (n) => `Merge, keep ${n}`,
  dismiss: 'Not the same person',
  close: 'Close',
};

const de: CustomerAdminText = {
  tab: 'Kunden',
  searchTitle: 'Kunden finden',
  searchLabel: 'Telefon, E-Mail, Kundenkarte oder Name',
  searchHint: 'Telefon, E-Mail und Karte werden genau verglichen, ein Name auch in Teilen.',
  search: 'Suchen',
  noneFound: (t) => `Niemand gefunden für „${t}“.`,
  open: 'Öffnen',
  name: 'Name',
  phone: 'Telefon',
  email: 'E-Mail',
  card: 'Kundenkarte',
  registered: 'Registriert',
  lastPurchase: 'Letzter Einkauf',
  profileTitle: 'Kundenprofil',
  unreadable: 'HQ hat den Schlüssel dieses Kunden noch nicht: persönliche Daten sind versiegelt.',
  storesVisited: 'Besuchte Filialen',
  firstPurchase: 'Erster Einkauf',
  purchases: 'Einkäufe',
  spend: 'Umsatz',
  returns: 'Rückgaben',
  tier: 'Stufe',
  points: 'Punkte',
  segment: 'Segment',
  pActive: (d) => `Kauft in ${d} Tagen wieder`,
  expectedSpend: (d) => `Erwarteter Umsatz, ${d} Tage`,
  notScored: 'Noch nicht bewertet',
  consentsTitle: 'Einwilligung',
  consent: {
    marketing_email: 'Angebote per E-Mail',
    marketing_sms: 'Angebote per SMS',
    analytics: 'Einkaufsanalyse',
  },
  consentSaved: 'Einwilligung gespeichert.',
  history: 'Verlauf der Einwilligungen',
  noHistory: 'Keine Einwilligung erfasst.',
  when: 'Wann',
  purpose: 'Zweck',
  granted: 'erteilt',
  withdrawn: 'widerrufen',
  channel: 'Wo',
  by: 'Von',
  exportJson: 'Alle gespeicherten Daten herunterladen (JSON)',
  eraseTitle: 'Löschen',
  eraseStart: 'Diesen Kunden löschen…',
  eraseWarning:
    'Die Löschung vernichtet den Schlüssel des Kunden und entfernt Profil, Einwilligungen, Bewertungen und Verknüpfungen überall. Verkäufe bleiben, ohne die Person. Das lässt sich nicht rückgängig machen.',
  eraseConfirmLabel: (code) => `Zur Bestätigung ${code} eingeben`,
  eraseConfirm: 'Endgültig löschen',
  cancel: 'Abbrechen',
  reportTitle: (id) => `${id} gelöscht: alle geprüften Orte`,
  alreadyErased: 'Dieser Kunde war schon gelöscht; die Orte wurden erneut geprüft.',
  place: 'Ort',
  found: 'Gefunden',
  removed: 'Entfernt',
  note: 'Hinweis',
  mergedTitle: 'In dieses Profil zusammengeführt',
  unmerge: 'Trennen',
  reason: 'Grund',
  readOnly: 'Sie dürfen dieses Profil lesen; Zusammenführen oder Löschen braucht weitere Rechte.',
  duplicatesTitle: 'Wahrscheinliche Dubletten',
  findDuplicates: 'Wahrscheinliche Dubletten suchen',
  noDuplicates: 'Keine wahrscheinlichen Dubletten zu prüfen.',
  score: 'Wert',
  reasons: 'Warum',
  merge: (n) => `Zusammenführen, ${n} behalten`,
  dismiss: 'Nicht dieselbe Person',
  close: 'Schließen',
};

/** German for a German language tag ("de", "de-AT"), English otherwise. */
export const customerAdminText = (locale: string): CustomerAdminText => (/^de(-|$)/i.test(locale) ? de : en);

/** The words for this browser's language. */
export const readerText = (): CustomerAdminText =>
  customerAdminText(typeof navigator === 'undefined' ? 'en' : navigator.language);
