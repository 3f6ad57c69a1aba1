import { addStoreToDistrict, listDistricts } from '../../access/index.ts';
import {
  isKnownLocale,
  type NewStore,
  newStoreSchema,
  type StoreChoices,
  type StorePatch,
  type StoreSetup,
  storePatchSchema,
} from '../../contracts/index.ts';
import { invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { parseTaxJurisdictions, type TaxJurisdictionInput } from '../../pricing/index.ts';
import { catalogDb } from './catalog-tables.ts';
import { activeTaxJurisdictions, listPriceZones, saveTaxJurisdictions, setStoreZone } from './prices.ts';
import { createStore, getStore, listStores } from './stores.ts';

/**
 * Opening a store from head office in one transaction: the store row (stock needs nothing more: levels
 * are kept per store and SKU as events arrive), the tax jurisdiction that governs it (the store joins
 * its storeIds and leaves any other's, republished so tills pull the change), its price zone and its
 * district. The dashboard and `tally stores add` both come here.
 */
const parseOr400 = <T>(
  r:
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } },
): T => {
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw invalid(issue?.path.map(String).join('.') || 'store', issue?.message ?? 'invalid');
};

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function checkCurrency(code: string): string {
  const c = code.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(c) || !KNOWN_CURRENCIES.has(c))
    throw invalid('currency', `"${code}" is not an ISO 4217 currency code (e.g. EUR, USD, GBP)`);
  return c;
}

/** Time zones are checked against the runtime's list, so "Berlin" or "CET+1" never become a store clock. */
export function checkTimeZone(tz: string): string {
  const known = Intl.supportedValuesOf('timeZone');
  if (tz === 'UTC' || known.includes(tz)) return tz;
  throw invalid('timeZone', `"${tz}" is not an IANA time zone; choose one such as Europe/Berlin`);
}

type Jurisdiction = TaxJurisdictionInput & { id: string; name: string; storeIds?: string[] };

async function jurisdictions(db: HqDb): Promise<Jurisdiction[]> {
  return (await activeTaxJurisdictions(db)) as Jurisdiction[];
}

/** Makes `jurisdictionId` the one that lists the store; republishes only what changed. */
async function assignTaxRegion(db: HqDb, storeId: string, jurisdictionId: string): Promise<void> {
  const all = await jurisdictions(db);
  if (!all.some((j) => j.id === jurisdictionId))
    throw invalid('taxJurisdictionId', `no tax jurisdiction ${jurisdictionId}; publish it first`);
  const changed: Jurisdiction[] = [];
  for (const j of all) {
    const has = j.storeIds?.includes(storeId) ?? false;
    if (j.id === jurisdictionId && !has) changed.push({ ...j, storeIds: [...(j.storeIds ?? []), storeId] });
    if (j.id !== jurisdictionId && has)
      changed.push({ ...j, storeIds: (j.storeIds ?? []).filter((s) => s !== storeId) });
  }
  parseTaxJurisdictions(changed);
  await saveTaxJurisdictions(db, changed);
}

/** `alsoInTx` runs in the same transaction with the result (the route's audit entry), so both or neither commit. */
type AlsoInTx = (trx: HqDb, after: StoreSetup) => Promise<unknown>;

export async function openStore(db: HqDb, input: NewStore, alsoInTx?: AlsoInTx): Promise<StoreSetup> {
  const s = parseOr400(newStoreSchema.safeParse(input));
  const currency = checkCurrency(s.currency);
  const timeZone = checkTimeZone(s.timeZone);
  return db.transaction().execute(async (trx) => {
    await createStore(trx, {
      storeId: s.storeId,
      name: s.name,
      address: s.address,
      currency,
      timeZone,
      taxInclusive: s.taxInclusive,
      ...(s.locale ? { locale: s.locale } : {}),
    });
    if (s.taxJurisdictionId) await assignTaxRegion(trx, s.storeId, s.taxJurisdictionId);
    else if ((await jurisdictions(trx)).length > 0)
      throw invalid('taxJurisdictionId', 'choose the tax jurisdiction that governs the store');
    if (s.zoneId) await setStoreZone(trx, s.storeId, s.zoneId);
    if (s.districtId) await addStoreToDistrict(trx, s.districtId, s.storeId);
    const after = await storeSetup(trx, s.storeId);
    await alsoInTx?.(trx, after);
    return after;
  });
}

export async function updateStore(
  db: HqDb,
  storeId: string,
  patch: StorePatch,
  alsoInTx?: AlsoInTx,
): Promise<StoreSetup> {
  const p = parseOr400(storePatchSchema.safeParse(patch));
  await getStore(db, storeId);
  return db.transaction().execute(async (trx) => {
    const set: { name?: string; address?: string; locale?: string | null } = {};
    if (p.name !== undefined) set.name = p.name;
    if (p.address !== undefined) set.address = p.address;
    if (p.locale !== undefined) {
      if (p.locale !== null && !isKnownLocale(p.locale))
        throw invalid(
          'locale',
          `"${p.locale}" is not a locale this system knows (use a BCP 47 tag such as de-DE)`,
        );
      set.locale = p.locale;
    }
    if (Object.keys(set).length > 0)
      await catalogDb(trx).updateTable('stores').set(set).where('id', '=', storeId).execute();
    if (p.zoneId !== undefined) await setStoreZone(trx, storeId, p.zoneId);
    if (p.taxJurisdictionId !== undefined) await assignTaxRegion(trx, storeId, p.taxJurisdictionId);
    const after = await storeSetup(trx, storeId);
    await alsoInTx?.(trx, after);
    return after;
  });
}

async function setups(db: HqDb, stores: readonly string[] | 'all'): Promise<StoreSetup[]> {
  const [all, zones, tax, rows] = await Promise.all([
    listStores(db),
    listPriceZones(db),
    jurisdictions(db),
    catalogDb(db).selectFrom('stores').select(['id', 'locale']).execute(),
  ]);
  const localeSet = new Set(rows.filter((r) => r.locale !== null).map((r) => r.id));
  return all
    .filter((s) => stores === 'all' || stores.includes(s.storeId))
    .map((s) => ({
      ...s,
      localeSet: localeSet.has(s.storeId),
      zoneId: zones.find((z) => z.storeIds.includes(s.storeId))?.id ?? null,
      taxJurisdictionId: tax.find((j) => j.storeIds?.includes(s.storeId))?.id ?? null,
    }));
}

export async function storeSetup(db: HqDb, storeId: string): Promise<StoreSetup> {
  const [s] = await setups(db, [storeId]);
  if (!s) throw notFound(`store ${storeId}`, 'storeId');
  return s;
}

export const listStoreSetups = (db: HqDb, stores: readonly string[] | 'all'): Promise<StoreSetup[]> =>
  setups(db, stores);

export async function storeChoices(db: HqDb): Promise<StoreChoices> {
  const [zones, tax, districts] = await Promise.all([
    listPriceZones(db),
    jurisdictions(db),
    listDistricts(db),
  ]);
  return {
    zones: zones.map((z) => ({ id: z.id, name: z.name })),
    taxJurisdictions: tax.map((j) => ({ id: j.id, name: j.name })),
    districts,
  };
}
