import type { CartLine, PricingContext } from './cart.ts';
import type { PriceCartInput } from './price-cart.ts';
import type { PromotionInput } from './promotions/schema.ts';
import type { TaxJurisdictionInput } from './tax-schema.ts';

/**
 * Shops and carts a retailer would recognise, shared by the tests and the benchmark: a German store
 * (VAT included in shelf prices, rounded per line), a UK store (VAT, rounded per document) and a
 * New York City store (sales tax added: state 4 % + city 4.5 % + MCTD 0.375 %; groceries and clothing
 * exempt).
 */

export const germany: TaxJurisdictionInput = {
  id: 'DE',
  name: 'Germany',
  pricesIncludeTax: true,
  rounding: 'line',
  classes: {
    standard: { components: [{ code: 'DE-VAT-19', name: 'MwSt 19 %', ratePpm: 190_000 }] },
    reduced: { components: [{ code: 'DE-VAT-7', name: 'MwSt 7 %', ratePpm: 70_000 }] },
    exempt: { exempt: true },
  },
};

export const unitedKingdom: TaxJurisdictionInput = {
  id: 'GB',
  name: 'United Kingdom',
  pricesIncludeTax: true,
  rounding: 'document',
  classes: {
    standard: { components: [{ code: 'GB-VAT-20', name: 'VAT 20 %', ratePpm: 200_000 }] },
    reduced: { components: [{ code: 'GB-VAT-5', name: 'VAT 5 %', ratePpm: 50_000 }] },
    zero: { components: [{ code: 'GB-VAT-0', name: 'VAT 0 %', ratePpm: 0 }] },
  },
};

export const newYorkCity = (rounding: 'line' | 'document' = 'document'): TaxJurisdictionInput => ({
  id: 'US-NY-NYC',
  name: 'New York City',
  pricesIncludeTax: false,
  rounding,
  classes: {
    standard: {
      components: [
        { code: 'NY-STATE', name: 'New York State', ratePpm: 40_000 },
        { code: 'NYC', name: 'New York City', ratePpm: 45_000 },
        { code: 'NY-MCTD', name: 'Metropolitan Commuter Transportation District', ratePpm: 3_750 },
      ],
    },
    grocery: { exempt: true },
    clothing: { exempt: true },
  },
});

export const saturdayNoon = '2026-11-28T12:00:00+01:00';

export const context = (over: Partial<PricingContext> = {}): PricingContext => ({
  at: saturdayNoon,
  timeZone: 'Europe/Berlin',
  storeId: 'berlin-mitte',
  zoneIds: ['zone-de-city'],
  channel: 'pos',
  ...over,
});

let autoId = 0;

/** A cart line with sensible defaults; `sku` doubles as category path head when none is given. */
export const line = (sku: string, unitPriceMinor: number, over: Partial<CartLine> = {}): CartLine => ({
  lineId: over.lineId ?? `L${String(++autoId).padStart(4, '0')}`,
  sku,
  qty: 1,
  unitPriceMinor,
  categoryIds: [],
  productGroupIds: [],
  taxClass: 'standard',
  ...over,
});

export const cart = (
  lines: readonly CartLine[],
  promotions: readonly PromotionInput[] = [],
  over: Partial<PriceCartInput> = {},
): PriceCartInput => ({
  currency: 'EUR',
  lines,
  context: context(),
  promotions,
  tax: germany,
  ...over,
});
