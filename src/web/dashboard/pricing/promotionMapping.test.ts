import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PromotionInput, type PromotionKind, promotionSchema } from '../../../contracts/index.ts';
import { blankForm, KIND_FIELDS } from './promotionForm.ts';
import { errorAt, fromDefinition, hqFieldPath, percentToBp, toDefinition } from './promotionMapping.ts';

const bakery = { categoryIds: ['BAKERY'] };
/** One definition of every kind the engine supports, each with scope, schedule, audience and limits. */
const EXAMPLES: Record<PromotionKind, PromotionInput> = {
  percentOff: {
    id: 'bread10',
    name: 'Bread 10 % off',
    kind: 'percentOff',
    target: bakery,
    percentBp: 1000,
    locations: { storeIds: ['S001'] },
  },
  amountOff: {
    id: 'milk50',
    name: '0.50 off milk',
    kind: 'amountOff',
    target: { skus: ['MILK'], excludeSkus: ['MILK-ORG'] },
    amountMinor: 50,
    schedule: {
      from: '2026-11-27',
      to: '2026-12-07',
      windows: [{ days: ['sat', 'sun'], start: '08:00', end: '12:00' }],
    },
  },
  fixedPrice: {
    id: 'members-cheese',
    name: 'Members: cheese 9.99/kg',
    kind: 'fixedPrice',
    target: { productGroupIds: ['CHEESE'] },
    priceMinor: 999,
    audience: { membersOnly: true, segments: ['gold'] },
    priority: 5,
  },
  buyXGetY: {
    id: 'b2g1',
    name: 'Buy 2 get 1 free',
    kind: 'buyXGetY',
    buy: { target: { skus: ['SOAP'] }, qty: 2 },
    get: { qty: 1, percentBp: 10_000 },
    applyTo: 'cheapest',
    limits: { perCart: 2, perCustomer: 1, total: 500 },
  },
  multiBuy: {
    id: '3for10',
    name: 'Any 3 for 10',
    kind: 'multiBuy',
    target: { productGroupIds: ['WINE'] },
    qty: 3,
    priceMinor: 1000,
    stacking: 'exclusive',
  },
  mixAndMatch: {
    id: 'meal',
    name: 'Meal deal',
    kind: 'mixAndMatch',
    components: [
      { target: { categoryIds: ['SANDWICH'] }, qty: 1 },
      { target: { categoryIds: ['DRINK'] }, qty: 2 },
    ],
    priceMinor: 450,
    channels: ['store'],
  },
  spendThreshold: {
    id: 'spend50',
    name: 'Spend 50 save 5',
    kind: 'spendThreshold',
    basis: 'list',
    tiers: [
      { minSpendMinor: 5000, amountOffMinor: 500 },
      { minSpendMinor: 10_000, percentOffBp: 1250 },
    ],
    couponCodes: ['SAVE5'],
  },
  basketOff: {
    id: 'staff',
    name: 'Staff 15 %',
    kind: 'basketOff',
    percentOffBp: 1500,
    stacking: 'stackable',
    locations: { zoneIds: ['CITY'], excludeStoreIds: ['S009'] },
  },
};

const canonical = (d: unknown) => promotionSchema.parse(d);

describe('promotion form ↔ definition', () => {
  for (const [kind, def] of Object.entries(EXAMPLES)) {
    it(`round-trips a ${kind} through the form unchanged (what is published is what was loaded)`, () => {
      const form = fromDefinition(def, 'EUR');
      expect(form.kind).toBe(kind);
      const back = toDefinition(form, 'EUR');
      expect(back.errors).toEqual({});
      expect(canonical(back.definition)).toEqual(canonical(def));
    });
  }

  it('gives every kind of the schema a field set, so the form can draw each one', () => {
    const kinds = promotionSchema.options.map((o) => o.shape.kind.value);
    expect(Object.keys(KIND_FIELDS).sort()).toEqual([...kinds].sort());
  });

  it('writes "10 % off the bakery at S001" from typed text as HQ expects it', () => {
    const f = {
      ...blankForm('percentOff'),
      id: 'b10',
      name: 'Bakery 10 %',
      percent: '10',
      storeIds: ['S001'],
    };
    f.target.categoryIds = ' BAKERY , ';
    expect(toDefinition(f, 'EUR').definition).toEqual({
      id: 'b10',
      name: 'Bakery 10 %',
      kind: 'percentOff',
      target: { categoryIds: ['BAKERY'] },
      percentBp: 1000,
      locations: { storeIds: ['S001'] },
    });
  });

  it('names the field at fault: typed nonsense, the schema, and a grouped kind that may not stack', () => {
    const f = { ...blankForm('multiBuy'), id: 'x', name: 'X', qty: 'three', price: '10.001' };
    expect(toDefinition(f, 'EUR').errors).toMatchObject({
      qty: 'a whole number',
      priceMinor: expect.stringMatching(/decimals/),
    });

    const tooMuch = { ...blankForm('percentOff'), id: 'x', name: 'X', percent: '150' };
    expect(Object.keys(toDefinition(tooMuch, 'EUR').errors)).toEqual(['percentBp']);

    const stack = {
      ...blankForm('multiBuy'),
      id: 'x',
      name: 'X',
      qty: '3',
      price: '10',
      stacking: 'stackable' as const,
    };
    expect(toDefinition(stack, 'EUR').errors.stacking).toMatch(/cannot stack/);

    const window = { ...blankForm('percentOff'), id: 'x', name: 'X', percent: '5' };
    window.windows = [{ days: [], start: '25:00', end: '02:00' }];
    expect(errorAt(toDefinition(window, 'EUR').errors, 'schedule')).toMatch(/windows\.0\.start/);
  });

  it("reads HQ's field names as the form's", () => {
    expect(hqFieldPath('promotions.0.percentBp')).toBe('percentBp');
    expect(hqFieldPath('draftPromotions.0.tiers.1.minSpendMinor')).toBe('tiers.1.minSpendMinor');
    expect(hqFieldPath('promotions.0')).toBeUndefined();
  });

  it('reads any whole or one/two-decimal percent exactly as basis points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (bp) => {
        const text = (bp / 100).toFixed(2).replace(/\.?0+$/, '');
        expect(percentToBp(text)).toBe(bp);
      }),
    );
  });

  it('round-trips generated percent-off promotions with any items, stores, limits and coupons', () => {
    const ids = fc.uniqueArray(fc.stringMatching(/^[A-Z0-9]{1,6}$/), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        fc.record(
          {
            skus: ids,
            categoryIds: ids,
            excludeSkus: ids,
          },
          { requiredKeys: [] },
        ),
        fc.integer({ min: 1, max: 10_000 }),
        fc.option(ids, { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
        fc.option(fc.uniqueArray(fc.stringMatching(/^[A-Z0-9]{3,8}$/), { minLength: 1, maxLength: 2 }), {
          nil: undefined,
        }),
        (target, percentBp, storeIds, perCart, couponCodes) => {
          const def: PromotionInput = {
            id: 'gen',
            name: 'Generated',
            kind: 'percentOff',
            target,
            percentBp,
            ...(storeIds ? { locations: { storeIds } } : {}),
            ...(perCart ? { limits: { perCart } } : {}),
            ...(couponCodes ? { couponCodes } : {}),
          };
          const back = toDefinition(fromDefinition(def, 'EUR'), 'EUR');
          expect(canonical(back.definition)).toEqual(canonical(def));
        },
      ),
    );
  });
});
