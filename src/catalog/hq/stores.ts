import { isKnownLocale, localeForTimeZone, type StoreInfo, storeInfoSchema } from '../../contracts/index.ts';
import { conflict, invalid, notFound } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';

export async function createStore(db: HqDb, store: StoreInfo): Promise<StoreInfo> {
  const s = storeInfoSchema.parse(store);
  try {
    new Intl.DateTimeFormat('en', { timeZone: s.timeZone });
  } catch {
    throw invalid('timeZone', `"${s.timeZone}" is not an IANA time zone`);
  }
  if (s.locale !== undefined && !isKnownLocale(s.locale))
    throw invalid(
      'locale',
      `"${s.locale}" is not a locale this system knows (use a BCP 47 tag such as de-DE)`,
    );
  const row = await db
    .insertInto('stores')
    .values({
      id: s.storeId,
      name: s.name,
      address: s.address,
      currency: s.currency,
      time_zone: s.timeZone,
      tax_inclusive: s.taxInclusive,
      locale: s.locale ?? null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) throw conflict(`store ${s.storeId} already exists`, 'storeId');
  return s;
}

export async function getStore(db: HqDb, storeId: string): Promise<StoreInfo> {
  const r = await db.selectFrom('stores').selectAll().where('id', '=', storeId).executeTakeFirst();
  if (!r) throw notFound(`store ${storeId}`, 'storeId');
  return toStoreInfo(r);
}

export async function listStores(db: HqDb): Promise<StoreInfo[]> {
  return (await db.selectFrom('stores').selectAll().orderBy('id').execute()).map(toStoreInfo);
}

const toStoreInfo = (r: {
  id: string;
  name: string;
  address: string;
  currency: string;
  time_zone: string;
  tax_inclusive: boolean;
  locale: string | null;
}): StoreInfo => ({
  storeId: r.id,
  name: r.name,
  address: r.address,
  currency: r.currency,
  timeZone: r.time_zone,
  taxInclusive: r.tax_inclusive,
  locale: r.locale ?? localeForTimeZone(r.time_zone),
});
