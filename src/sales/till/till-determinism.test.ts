import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { newYorkCity, unitedKingdom } from '../../../test/fixtures/pricing.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { quoteFromSnapshot } from '../../catalog/hq/price-quote.ts';
import { openCatalogCache } from '../../catalog/till/catalog-cache.ts';
import type { CatalogProduct, CatalogSnapshot } from '../../contracts/wire.ts';
import { fixedClock } from '../../core/clock.ts';
import { SimulatedProvider } from '../../payments/simulated.ts';
import type { PromotionInput } from '../../pricing/promotions/schema.ts';
import type { TaxJurisdictionInput } from '../../pricing/tax-schema.ts';
import { createRegister } from './register.ts';
import { parseRegisterConfig } from './register-config.ts';

/**
 * Determinism: a cart rung up at the till (through the register and its catalog cache) and the same
 * cart quoted by HQ's engine from the same snapshot give the same totals and the same discount on
 * every line, whatever the promotions, the tax rules, the customer and the coupons.
 */

const AT = '2026-03-06T17:30:00.000Z';
const dir = mkdtempSync(join(tmpdir(), 'tally-till-determinism-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clock = fixedClock(AT);
const catalog = openCatalogCache(join(dir, 'catalog.db'), () => clock.now());
const { ledger } = openTestLedger(join(dir, 'ledger.db'), {
  storeId: 'S1',
  clock,
  timeZone: 'Europe/London',
});
const register = createRegister({
  ledger,
  items: catalog,
  provider: new SimulatedProvider(),
  clock,
  logger: pino({ level: 'silent' }),
  config: parseRegisterConfig({}),
});

const shapes: { sku: string; categoryIds: string[]; productGroupIds?: string[]; unit?: 'kg' }[] = [
  { sku: 'TEE-S', categoryIds: ['tees', 'apparel'], productGroupIds: ['tee'] },
  { sku: 'TEE-M', categoryIds: ['tees', 'apparel'], productGroupIds: ['tee'] },
  { sku: 'TEE-L', categoryIds: ['tees', 'apparel'], productGroupIds: ['tee'] },
  { sku: 'JEANS', categoryIds: ['trousers', 'apparel'] },
  { sku: 'MILK', categoryIds: ['dairy', 'grocery'] },
  { sku: 'BREAD', categoryIds: ['bakery', 'grocery'] },
  { sku: 'APPLES', categoryIds: ['fruit', 'grocery'], unit: 'kg' },
  { sku: 'PEN', categoryIds: [] },
];

const selector = fc.oneof(
  fc.record({ categoryIds: fc.subarray(['apparel', 'tees', 'grocery', 'fruit', 'dairy'], { minLength: 1 }) }),
  fc.record({
    skus: fc.subarray(
      shapes.map((s) => s.sku),
      { minLength: 1 },
    ),
  }),
  fc.record({ productGroupIds: fc.constant(['tee']) }),
  fc.constant({}),
);
const stacking = fc.constantFrom('standard' as const, 'stackable' as const, 'exclusive' as const);
const scope = fc.record(
  {
    priority: fc.integer({ min: 0, max: 3 }),
    audience: fc.constant({ membersOnly: true }),
    couponCodes: fc.constant(['SPRING']),
    schedule: fc.constantFrom(
      { windows: [{ start: '17:00', end: '19:00' }] },
      { windows: [{ start: '09:00', end: '12:00' }] },
    ),
    locations: fc.constantFrom({ storeIds: ['S1'] }, { storeIds: ['S2'] }, { zoneIds: ['Z1'] }),
    channels: fc.constantFrom(['store'], ['web']),
  },
  { requiredKeys: ['priority'] },
);

const promotion = (i: number) =>
  fc
    .tuple(
      scope,
      fc.oneof(
        fc.record({
          kind: fc.constant('percentOff' as const),
          target: selector,
          percentBp: fc.integer({ min: 1, max: 10_000 }),
          stacking,
        }),
        fc.record({
          kind: fc.constant('amountOff' as const),
          target: selector,
          amountMinor: fc.integer({ min: 1, max: 2_000 }),
          stacking,
        }),
        fc.record({ kind: fc.constant('fixedPrice' as const), target: selector, priceMinor: fc.nat(3_000) }),
        fc.record({
          kind: fc.constant('buyXGetY' as const),
          buy: fc.record({ target: selector, qty: fc.integer({ min: 1, max: 3 }) }),
          get: fc.record({
            qty: fc.integer({ min: 1, max: 2 }),
            percentBp: fc.integer({ min: 1, max: 10_000 }),
          }),
          applyTo: fc.constantFrom('cheapest' as const, 'mostExpensive' as const),
        }),
        fc.record({
          kind: fc.constant('multiBuy' as const),
          target: selector,
          qty: fc.integer({ min: 2, max: 4 }),
          priceMinor: fc.nat(5_000),
        }),
        fc.record({
          kind: fc.constant('spendThreshold' as const),
          tiers: fc.array(
            fc.record({ minSpendMinor: fc.nat(10_000), percentOffBp: fc.integer({ min: 1, max: 5_000 }) }),
            { minLength: 1, maxLength: 2 },
          ),
        }),
        fc.record({
          kind: fc.constant('basketOff' as const),
          amountOffMinor: fc.integer({ min: 1, max: 3_000 }),
          stacking,
        }),
      ),
    )
    .map(([s, k]) => ({ id: `P${i}`, name: `Promotion ${i}`, ...s, ...k }) as PromotionInput);

const promotions = fc
  .integer({ min: 0, max: 6 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => promotion(i))));

const germanyWithGrocery: TaxJurisdictionInput = {
  id: 'DE',
  name: 'Germany',
  pricesIncludeTax: true,
  rounding: 'line',
  classes: {
    standard: { components: [{ code: 'DE-VAT-19', name: 'MwSt 19 %', ratePpm: 190_000 }] },
    grocery: { components: [{ code: 'DE-VAT-7', name: 'MwSt 7 %', ratePpm: 70_000 }] },
  },
};
const jurisdiction = fc.constantFrom<TaxJurisdictionInput | undefined>(
  germanyWithGrocery,
  unitedKingdom,
  newYorkCity('line'),
  newYorkCity('document'),
  undefined,
);

const world = fc.record({
  prices: fc.array(fc.integer({ min: 0, max: 5_000 }), {
    minLength: shapes.length,
    maxLength: shapes.length,
  }),
  rates: fc.array(fc.constantFrom(0, 700, 1900, 2000), {
    minLength: shapes.length,
    maxLength: shapes.length,
  }),
  promotions,
  tax: jurisdiction,
  inclusive: fc.boolean(),
  cart: fc.subarray(
    shapes.map((_, i) => i),
    { minLength: 1 },
  ),
  qty: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: shapes.length, maxLength: shapes.length }),
  grams: fc.integer({ min: 1, max: 3_000 }),
  member: fc.boolean(),
  coupon: fc.constantFrom<string[]>([], ['SPRING'], ['spring', 'OTHER']),
  order: fc.boolean(),
});

const london = {
  storeId: 'S1',
  name: 'London',
  address: '',
  currency: 'GBP',
  timeZone: 'Europe/London',
  taxInclusive: true,
};
catalog.apply({ cursor: 'c0', full: true, store: london, products: [] });
const customer = register.createCustomer({ phone: '+44 20 7946 0000' });
register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
let cursor = 0;
let withPromotions = 0;

describe('the till prices like HQ', () => {
  it('same totals and per-line discounts for any cart, promotions, tax and customer', () => {
    fc.assert(
      fc.property(world, (w) => {
        const products: CatalogProduct[] = shapes.map((s, i) => ({
          sku: s.sku,
          name: s.sku,
          barcodes: [],
          priceMinor: w.prices[i]!,
          taxRateBp: w.rates[i]!,
          active: true,
          categoryIds: s.categoryIds,
          ...(s.productGroupIds ? { productGroupIds: s.productGroupIds } : {}),
          ...(s.unit ? { unit: s.unit } : {}),
        }));
        const tax = w.tax ? [{ ...w.tax, storeIds: ['S1'] }] : [];
        const snap: CatalogSnapshot = {
          cursor: `c${++cursor}`,
          full: true,
          store: { ...london, taxInclusive: w.tax ? w.tax.pricesIncludeTax : w.inclusive },
          products,
          zoneId: 'Z1',
          prices: [],
          promotions: w.promotions as unknown as Record<string, unknown>[],
          taxJurisdictions: tax as unknown as Record<string, unknown>[],
        };
        catalog.apply(snap);
        const picked = w.order ? [...w.cart].reverse() : w.cart;
        const cart = register.createCart();
        for (const i of picked) {
          const s = shapes[i]!;
          if (s.unit) register.addLine(cart.id, s.sku, 1, { weightGrams: w.grams });
          else register.addLine(cart.id, s.sku, w.qty[i]!);
        }
        if (w.member) register.setCustomer(cart.id, customer.customerId);
        for (const c of w.coupon) register.addCoupon(cart.id, c);
        const till = register.getCart(cart.id);
        register.voidSale(cart.id, 'test');

        const hq = quoteFromSnapshot(snap, {
          lines: picked.map((i) =>
            shapes[i]!.unit
              ? { sku: shapes[i]!.sku, grams: w.grams }
              : { sku: shapes[i]!.sku, qty: w.qty[i]! },
          ),
          at: AT,
          ...(w.member ? { customer: { id: customer.customerId, loyaltyMember: true, segments: [] } } : {}),
          couponCodes: w.coupon.map((c) => c.toUpperCase()),
        });
        expect(till.totals).toMatchObject({
          listMinor: hq.listMinor,
          discountMinor: hq.discountMinor,
          netMinor: hq.netMinor,
          taxMinor: hq.taxMinor,
          grossMinor: hq.grossMinor,
        });
        expect(till.lines.map((l) => l.discounts.map((d) => [d.id, d.amountMinor]))).toEqual(
          hq.lines.map((l) => l.discounts.filter((d) => d.amountMinor > 0).map((d) => [d.id, d.amountMinor])),
        );
        expect(till.lines.map((l) => l.taxMinor)).toEqual(hq.lines.map((l) => l.taxMinor));
        if (till.promotions.length > 0) withPromotions++;
      }),
      { numRuns: 100 },
    );
    // The property compared carts that promotions actually changed, not only plain ones. About 18 % of
    // drawn carts get a promotion (scopes often exclude them), so over 100 runs fewer than 3 happens
    // about once in two million; the old bound (more than 5 of 60) failed one run in 40.
    expect(withPromotions).toBeGreaterThan(2);
  });
});
