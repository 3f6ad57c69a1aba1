import {
  localeForTimeZone,
  type NewStore,
  type StorePatch,
  type StoreSetup,
} from '../../../contracts/index.ts';

/** The store form's state as the inputs hold it (strings; '' = not given), and what goes to HQ. */
export interface StoreDraft {
  storeId: string;
  name: string;
  address: string;
  timeZone: string;
  currency: string;
  taxInclusive: boolean;
  locale: string;
  taxJurisdictionId: string;
  zoneId: string;
  districtId: string;
}

export const STORE_FIELDS = [
  'storeId',
  'name',
  'address',
  'timeZone',
  'currency',
  'locale',
  'taxJurisdictionId',
  'zoneId',
  'districtId',
] as const;

/** Every IANA zone the browser knows, and UTC (which some runtimes leave out); HQ checks again. */
export const timeZones = (): string[] => {
  const all = Intl.supportedValuesOf('timeZone');
  return all.includes('UTC') ? all : [...all, 'UTC'];
};
export const currencies = (): string[] => Intl.supportedValuesOf('currency');

export const blankStore = (defaults: { taxJurisdictionId?: string } = {}): StoreDraft => ({
  storeId: '',
  name: '',
  address: '',
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  currency: 'EUR',
  taxInclusive: true,
  locale: '',
  taxJurisdictionId: defaults.taxJurisdictionId ?? '',
  zoneId: '',
  districtId: '',
});

export const draftOfStore = (s: StoreSetup): StoreDraft => ({
  storeId: s.storeId,
  name: s.name,
  address: s.address,
  timeZone: s.timeZone,
  currency: s.currency,
  taxInclusive: s.taxInclusive,
  locale: s.localeSet ? (s.locale ?? '') : '',
  taxJurisdictionId: s.taxJurisdictionId ?? '',
  zoneId: s.zoneId ?? '',
  districtId: '',
});

/** The locale shown greyed in an empty field: what the store will use unless one is set. */
export const localePlaceholder = (timeZone: string): string => localeForTimeZone(timeZone);

const given = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());

export function newStoreBody(d: StoreDraft): NewStore {
  return {
    storeId: d.storeId.trim(),
    name: d.name,
    address: d.address,
    timeZone: d.timeZone,
    currency: d.currency.trim().toUpperCase(),
    taxInclusive: d.taxInclusive,
    locale: given(d.locale),
    taxJurisdictionId: given(d.taxJurisdictionId),
    zoneId: given(d.zoneId),
    districtId: given(d.districtId),
  };
}

/** Only what changed, so a store manager's rename never touches the zone or tax region (chain-only). */
export function storePatchBody(before: StoreSetup, d: StoreDraft): StorePatch {
  const was = draftOfStore(before);
  const patch: StorePatch = {};
  if (d.name !== was.name) patch.name = d.name;
  if (d.address !== was.address) patch.address = d.address;
  if (d.locale !== was.locale) patch.locale = given(d.locale) ?? null;
  if (d.zoneId !== was.zoneId) patch.zoneId = given(d.zoneId) ?? null;
  if (d.taxJurisdictionId !== was.taxJurisdictionId && given(d.taxJurisdictionId))
    patch.taxJurisdictionId = d.taxJurisdictionId;
  return patch;
}
