import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends } from '../../../test/helpers/hq-db.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { upsertCategories, upsertProductParent } from '../../catalog/hq/categories.ts';
import { quoteFromSnapshot } from '../../catalog/hq/price-quote.ts';
import { recordPrice, savePromotions, saveTaxJurisdictions } from '../../catalog/hq/prices.ts';
import { upsertProducts } from '../../catalog/hq/products.ts';
import { catalogSnapshot } from '../../catalog/hq/snapshot.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { openCatalogCache } from '../../catalog/till/catalog-cache.ts';
import type { CatalogSnapshot, StoreInfo } from '../../contracts/wire.ts';
import { fixedClock } from '../../core/clock.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import { SimulatedProvider } from '../../payments/simulated.ts';
import type { PromotionInput } from '../../pricing/promotions/schema.ts';
import { type SaleCompleted, saleCompletedSchema } from '../events.ts';
import type { CartView } from './cart.ts';
import { createRegister } from './register.ts';
import { parseRegisterConfig } from './register-config.ts';

const berlin: StoreInfo = {
  storeId: 'B1',
  name: 'Berlin Mitte',
  address: 'Alexanderplatz 1, Berlin',
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  taxInclusive: true,
};

const promotions: PromotionInput[] = [
  {
    id: 'P-APPAREL',
    name: 'Apparel 20 % off',
    kind: 'percentOff',
    target: { categoryIds: ['apparel'] },
    percentBp: 2000,
  },
  {
    id: 'P-TEE-2',
    name: 'Any 2 tees for 30',
    kind: 'multiBuy',
    target: { productGroupIds: ['tee'] },
    qty: 2,
    priceMinor: 3000,
    channels: ['store'],
  },
  {
    id: 'P-MEMBER-MILK',
    name: 'Members: milk 0.99',
    kind: 'fixedPrice',
    target: { skus: ['MILK'] },
    priceMinor: 99,
    audience: { membersOnly: true },
  },
  {
    id: 'P-HAPPY-FRUIT',
    name: 'Happy hour: fruit half price',
    kind: 'percentOff',
    target: { categoryIds: ['fruit'] },
    percentBp: 5000,
    schedule: { windows: [{ start: '17:00', end: '19:00' }] },
  },
  {
    id: 'P-SAVE5',
    name: 'Coupon SAVE5: 5 off',
    kind: 'basketOff',
    amountOffMinor: 500,
    couponCodes: ['SAVE5'],
    stacking: 'stackable',
  },
  {
    id: 'P-ELSEWHERE',
    name: 'Closing down, other store',
    kind: 'percentOff',
    target: {},
    percentBp: 9000,
    locations: { storeIds: ['OTHER'] },
  },
  { id: 'P-WEB', name: 'Web only', kind: 'percentOff', target: {}, percentBp: 9000, channels: ['web'] },
];

const tempDir = tempDirs('till-pricing');

/** A till on the snapshot HQ made, at `at` on its clock. */
function tillOn(snap: CatalogSnapshot, at: string) {
  const dir = tempDir();
  const clock = fixedClock(at);
  const catalog = openCatalogCache(join(dir, 'catalog.db'), () => clock.now());
  catalog.apply(snap);
  const { ledger } = openTestLedger(join(dir, 'ledger.db'), {
    storeId: snap.store.storeId,
    clock,
    timeZone: snap.store.timeZone,
  });
  const provider = new SimulatedProvider();
  const register = createRegister({
    ledger,
    items: catalog,
    provider,
    clock,
    logger: pino({ level: 'silent' }),
    config: parseRegisterConfig({}),
  });
  register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
  return { register, ledger, clock, catalog };
}

const discountsOf = (v: CartView) =>
  v.lines.map((l) => l.discounts.map((d) => [d.promotionId ?? d.id, d.amountMinor]));

describe.each(hqBackends())('a till prices like HQ on $name', ({ open }) => {
  let h: OpenHqDb;
  let snap: CatalogSnapshot;
  // One HQ for the file: the tests only read the snapshot it publishes.
  beforeAll(async () => {
    h = await open();
    await createStore(h.db, berlin);
    await upsertCategories(h.db, [
      { id: 'apparel', name: 'Apparel' },
      { id: 'tees', name: 'T-Shirts', parentId: 'apparel' },
      { id: 'food', name: 'Food' },
      { id: 'dairy', name: 'Dairy', parentId: 'food' },
      { id: 'fruit', name: 'Fruit', parentId: 'food' },
      { id: 'books', name: 'Books' },
    ]);
    await upsertProductParent(h.db, { id: 'tee', name: 'Classic Tee', optionNames: ['Colour', 'Size'] });
    await upsertProducts(h.db, [
      {
        sku: 'TEE-BLU-M',
        name: 'Tee Blue M',
        priceMinor: 2000,
        taxRateBp: 1900,
        parentId: 'tee',
        categoryId: 'tees',
      },
      {
        sku: 'TEE-RED-L',
        name: 'Tee Red L',
        priceMinor: 2200,
        taxRateBp: 1900,
        parentId: 'tee',
        categoryId: 'tees',
      },
      { sku: 'MILK', name: 'Milk 1l', priceMinor: 119, taxRateBp: 700, categoryId: 'dairy' },
      { sku: 'APPLES', name: 'Apples', priceMinor: 299, taxRateBp: 700, categoryId: 'fruit', unit: 'kg' },
      // The product says 19 %, but German books are taxed at 7 %: the jurisdiction's category class wins.
      { sku: 'BOOK', name: 'Novel', priceMinor: 1500, taxRateBp: 1900, categoryId: 'books' },
      // Imported with the default 19 %, but assigned the reduced class: the class wins wherever it exists.
      { sku: 'BREAD', name: 'Rye bread', priceMinor: 350, taxRateBp: 1900, taxClass: 'reduced' },
      // A class this jurisdiction does not define: the product's own rate still applies.
      { sku: 'PASS', name: 'Day pass', priceMinor: 1000, taxRateBp: 1900, taxClass: 'zero-rated' },
    ]);
    await saveTaxJurisdictions(h.db, [
      {
        id: 'DE',
        name: 'Germany',
        pricesIncludeTax: true,
        rounding: 'line',
        storeIds: ['B1'],
        classes: {
          standard: { components: [{ code: 'DE-VAT-19', name: 'MwSt 19 %', ratePpm: 190_000 }] },
          reduced: { components: [{ code: 'DE-VAT-7', name: 'MwSt 7 %', ratePpm: 70_000 }] },
          books: { components: [{ code: 'DE-VAT-7', name: 'MwSt 7 %', ratePpm: 70_000 }] },
        },
      },
    ]);
    await savePromotions(h.db, promotions);
    // Milk goes up at 13:00 Berlin time; the till holds the entry before it takes effect.
    await recordPrice(
      h.db,
      { sku: 'MILK', scope: 'chain', priceMinor: 129, effectiveFrom: '2026-03-02T12:00:00Z' },
      new Date('2026-03-02T08:00:00Z'),
    );
    snap = await catalogSnapshot(h.db, 'B1', undefined, new Date('2026-03-02T08:00:00Z'));
  }, 180_000);
  afterAll(async () => {
    await h.close();
  });

  it('rings up with promotions, member price, happy hour, coupon and category tax, exactly as HQ quotes', async () => {
    expect(snap.products.find((p) => p.sku === 'TEE-BLU-M')).toMatchObject({
      categoryIds: ['tees', 'apparel'],
      productGroupIds: ['tee'],
    });
    expect(snap.products.find((p) => p.sku === 'APPLES')?.unit).toBe('kg');
    // 17:30 in Berlin: happy hour, and the new milk price is in force.
    const t = tillOn(snap, '2026-03-02T16:30:00Z');
    const r = t.register;
    expect(r.lookupItem('APPLES').soldBy).toBe('weight');
    const cart = r.createCart();
    for (const sku of ['TEE-BLU-M', 'TEE-RED-L', 'MILK', 'BOOK']) r.addLine(cart.id, sku, 1);
    expect(() => r.addLine(cart.id, 'APPLES', 1)).toThrow(expect.objectContaining({ field: 'weightGrams' }));
    r.addLine(cart.id, 'APPLES', 1, { weightGrams: 1000 });
    const customer = r.createCustomer({ phone: '+49 30 1234567' });
    r.setCustomer(cart.id, customer.customerId);
    const unknown = r.addCoupon(cart.id, 'nope');
    expect(unknown.coupons).toEqual([{ code: 'NOPE', applied: false, reason: 'unknown coupon code' }]);
    const view = r.addCoupon(cart.id, ' save5 ');
    expect(view.coupons).toContainEqual({ code: 'SAVE5', applied: true, promotionId: 'P-SAVE5' });

    const byLine = Object.fromEntries(view.lines.map((l) => [l.sku, l]));
    expect(byLine.MILK).toMatchObject({ unitPriceMinor: 129 });
    expect(byLine.MILK!.discounts[0]).toMatchObject({ promotionId: 'P-MEMBER-MILK', amountMinor: 30 });
    expect(byLine.APPLES!.discounts[0]).toMatchObject({ promotionId: 'P-HAPPY-FRUIT', amountMinor: 150 });
    expect(byLine.BOOK).toMatchObject({ taxRatePpm: 70_000, taxRateBp: 700, taxClass: 'books' });
    // Two tees: 30 for both beats 20 % off (42.00 → 33.60).
    const teeDiscount = ['TEE-BLU-M', 'TEE-RED-L']
      .flatMap((s) => byLine[s]!.discounts.filter((d) => d.promotionId === 'P-TEE-2'))
      .reduce((a, d) => a + d.amountMinor, 0);
    expect(teeDiscount).toBe(1200);
    const ids = new Set(view.lines.flatMap((l) => l.discounts.map((d) => d.promotionId)));
    expect(ids.has('P-ELSEWHERE') || ids.has('P-WEB') || ids.has('P-APPAREL')).toBe(false);

    const hq = quoteFromSnapshot(snap, {
      lines: [
        { sku: 'TEE-BLU-M' },
        { sku: 'TEE-RED-L' },
        { sku: 'MILK' },
        { sku: 'BOOK' },
        { sku: 'APPLES', grams: 1000 },
      ],
      at: '2026-03-02T16:30:00.000Z',
      customer: { id: customer.customerId, loyaltyMember: true, segments: [] },
      couponCodes: ['NOPE', 'SAVE5'],
    });
    expect(view.totals).toMatchObject({
      listMinor: hq.listMinor,
      discountMinor: hq.discountMinor,
      netMinor: hq.netMinor,
      taxMinor: hq.taxMinor,
      grossMinor: hq.grossMinor,
    });
    expect(discountsOf(view)).toEqual(hq.lines.map((l) => l.discounts.map((d) => [d.id, d.amountMinor])));

    const sale = await r.complete(cart.id, [{ kind: 'card', amountMinor: view.totals.grossMinor }]);
    const event = t.ledger.saleById(sale.saleId)!;
    const payload: SaleCompleted = saleCompletedSchema.parse(event.payload);
    expect(payload).toMatchObject({ taxJurisdictionId: 'DE', couponCodes: ['NOPE', 'SAVE5'] });
    expect(payload.promotions?.map((p) => p.promotionId).sort()).toEqual([
      'P-HAPPY-FRUIT',
      'P-MEMBER-MILK',
      'P-SAVE5',
      'P-TEE-2',
    ]);
    const milk = payload.lines.find((l) => l.sku === 'MILK')!;
    expect(milk.discounts?.[0]).toMatchObject({
      source: 'promotion',
      promotionId: 'P-MEMBER-MILK',
      reason: 'Members: milk 0.99',
    });
    expect(payload.lines.find((l) => l.sku === 'BOOK')?.tax).toEqual([
      expect.objectContaining({ code: 'DE-VAT-7', ratePpm: 70_000 }),
    ]);
    expect(r.receipt(sale.saleId, 'text')).toContain('Discount: Happy hour: fruit half');

    // A return refunds what the line actually cost after its promotions.
    const tee = payload.lines.find((l) => l.sku === 'TEE-RED-L')!;
    expect(tee.grossMinor).toBeLessThan(2200);
    const ret = await r.returnItems({
      receiptNo: payload.receiptNo,
      lines: [{ lineNo: tee.lineNo, qty: 1 }],
      refundTo: 'cash',
      reason: 'too small',
    });
    expect(ret.refundMinor).toBe(tee.grossMinor);
  });

  it("charges a product's assigned tax class over its rate, at the till and in HQ's quote alike", async () => {
    expect(snap.products.find((p) => p.sku === 'BREAD')?.taxClass).toBe('reduced');
    const t = tillOn(snap, '2026-03-02T09:15:00Z');
    const cart = t.register.createCart();
    t.register.addLine(cart.id, 'BREAD', 1);
    const view = t.register.addLine(cart.id, 'PASS', 1);
    const bread = view.lines.find((l) => l.sku === 'BREAD')!;
    const pass = view.lines.find((l) => l.sku === 'PASS')!;
    expect(bread.taxClass).toBe('reduced');
    // 3.50 gross at 7 %: 0.23 tax (not 0.56 at 19 %).
    expect(bread.taxMinor).toBe(23);
    expect(pass.taxMinor).toBe(160);
    const hq = quoteFromSnapshot(snap, {
      lines: [{ sku: 'BREAD' }, { sku: 'PASS' }],
      at: '2026-03-02T09:15:00.000Z',
    });
    expect(hq.taxMinor).toBe(view.totals.taxMinor);
    const sale = await t.register.complete(cart.id, [{ kind: 'card', amountMinor: view.totals.grossMinor }]);
    const payload = saleCompletedSchema.parse(t.ledger.saleById(sale.saleId)!.payload);
    expect(payload.lines.find((l) => l.sku === 'BREAD')?.tax).toEqual([
      expect.objectContaining({ code: 'DE-VAT-7', ratePpm: 70_000 }),
    ]);
  });

  it('uses the price in force at the sale time and leaves happy hour when it ends', () => {
    const t = tillOn(snap, '2026-03-02T09:15:00Z');
    const cart = t.register.createCart();
    const before = t.register.addLine(cart.id, 'MILK', 1);
    expect(before.lines[0]?.unitPriceMinor).toBe(119);
    const apples = t.register.addLine(cart.id, 'APPLES', 1, { weightGrams: 500 });
    expect(apples.lines[1]?.discounts).toEqual([]);
    t.clock.set(new Date('2026-03-02T12:00:00Z'));
    const after = t.register.createCart();
    expect(t.register.addLine(after.id, 'MILK', 1).lines[0]?.unitPriceMinor).toBe(129);
  });
});
