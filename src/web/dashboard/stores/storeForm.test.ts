import { describe, expect, it } from 'vitest';
import type { StoreSetup } from '../../../contracts/index.ts';
import { blankStore, draftOfStore, localePlaceholder, newStoreBody, storePatchBody } from './storeForm.ts';

const leipzig: StoreSetup = {
  storeId: 'S010',
  name: 'Leipzig',
  address: 'Markt 1',
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  taxInclusive: true,
  locale: 'de-DE',
  localeSet: false,
  zoneId: null,
  taxJurisdictionId: 'DE-SN',
};

describe('the store form', () => {
  it('sends a new store with empty optional fields left out and the currency in capitals', () => {
    const body = newStoreBody({
      ...blankStore({ taxJurisdictionId: 'DE-SN' }),
      storeId: ' S010 ',
      name: 'Leipzig',
      timeZone: 'Europe/Berlin',
      currency: 'eur',
    });
    expect(body).toMatchObject({ storeId: 'S010', currency: 'EUR', taxJurisdictionId: 'DE-SN' });
    expect(body.locale).toBeUndefined();
    expect(body.zoneId).toBeUndefined();
  });

  it('sends only what changed, and an emptied locale as "follow the time zone again"', () => {
    expect(storePatchBody(leipzig, { ...draftOfStore(leipzig), name: 'Leipzig Hbf' })).toEqual({
      name: 'Leipzig Hbf',
    });
    const set = { ...leipzig, locale: 'en-GB', localeSet: true };
    expect(storePatchBody(set, { ...draftOfStore(set), locale: '' })).toEqual({ locale: null });
    expect(storePatchBody(leipzig, draftOfStore(leipzig))).toEqual({});
  });

  it("shows the time zone's usual locale as the placeholder", () => {
    expect(localePlaceholder('Europe/Berlin')).toBe('de-DE');
    expect(localePlaceholder('America/Chicago')).toBe('en-US');
  });
});
