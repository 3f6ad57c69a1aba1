import type { CatalogProduct, StoreInfo } from '../sync/wire.ts';
import type { ItemSource } from './register.ts';

/** The corner shop the sales tests ring up in: prices include VAT, milk at 7 %, wine at 19 %. */
export const cornerShop: StoreInfo = {
  storeId: 's1',
  name: 'Corner Shop',
  address: '1 High Street, Springfield',
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  taxInclusive: true,
};

export const cornerShopProducts: CatalogProduct[] = [
  {
    sku: 'MILK',
    name: 'Milk 1l',
    barcodes: ['4000000000017'],
    priceMinor: 119,
    taxRateBp: 700,
    active: true,
  },
  { sku: 'WINE', name: 'Red wine', barcodes: [], priceMinor: 899, taxRateBp: 1900, active: true },
  { sku: 'OLD', name: 'Gone', barcodes: [], priceMinor: 100, taxRateBp: 1900, active: false },
];

/** Looks products up by SKU, as the till's catalog cache would once loaded. */
export const cornerShopItems: ItemSource = {
  lookup: (code) => cornerShopProducts.find((p) => p.sku === code),
  store: () => cornerShop,
};
