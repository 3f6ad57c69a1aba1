import { describe, expect, it } from 'vitest';
import { cart, context, line } from '../../../test/fixtures/pricing.ts';
import { type PricedCart, priceCart } from '../price-cart.ts';
import type { PromotionInput } from './schema.ts';

/** How promotions combine: unit claims, priorities, exclusive and stackable, and the best combination. */

const price = (lines: Parameters<typeof cart>[0], promos: PromotionInput[], over = {}): PricedCart =>
  priceCart(cart(lines, promos, over));
const ids = (r: PricedCart): string[] => r.promotions.map((p) => p.promotionId);

describe('units claimed by one promotion do not feed another', () => {
  it('five shampoos at 3.00 with "3 for 2" and "10 % off": three go to 3 for 2, the other two get 10 % off', () => {
    const r = price(
      [line('shampoo', 300, { lineId: 'a', qty: 5 })],
      [
        {
          id: '3for2',
          name: '3 for 2',
          kind: 'buyXGetY',
          buy: { target: { skus: ['shampoo'] }, qty: 2 },
          get: { qty: 1 },
        },
        {
          id: 'ten',
          name: '10 % off shampoo',
          kind: 'percentOff',
          target: { skus: ['shampoo'] },
          percentBp: 1000,
        },
      ],
    );
    expect(r.lines[0]!.discounts.map((d) => [d.id, d.amountMinor, d.units])).toEqual([
      ['3for2', 300, 3],
      ['ten', 60, 2],
    ]);
    expect(r.totalMinor).toBe(1500 - 360);
  });

  const mealDeal: PromotionInput = {
    id: 'meal',
    name: 'Meal deal 4.00',
    kind: 'mixAndMatch',
    components: [
      { target: { productGroupIds: ['sandwich'] } },
      { target: { productGroupIds: ['drink'] } },
      { target: { productGroupIds: ['snack'] } },
    ],
    priceMinor: 400,
  };
  const cola3: PromotionInput = {
    id: 'cola3',
    name: 'Cola 3 for 5',
    kind: 'multiBuy',
    target: { skus: ['cola'] },
    qty: 3,
    priceMinor: 500,
  };
  const lunch = (colas: number) => [
    line('blt', 325, { lineId: 'a', productGroupIds: ['sandwich'] }),
    line('cola', 199, { lineId: 'b', qty: colas, productGroupIds: ['drink'] }),
    line('crisps', 99, { lineId: 'c', productGroupIds: ['snack'] }),
  ];

  it('three colas and a sandwich: the cola in the meal deal cannot also count towards 3 for 5', () => {
    const r = price(lunch(3), [mealDeal, cola3]);
    // Meal deal saves 2.23, 3 for 5 saves 0.97, and there are not enough colas for both.
    expect(ids(r)).toEqual(['meal']);
    expect(r.savingsMinor).toBe(223);
  });

  it('with a fourth cola both apply', () => {
    const r = price(lunch(4), [mealDeal, cola3]);
    expect(ids(r)).toEqual(['cola3', 'meal']);
    expect(r.savingsMinor).toBe(223 + 97);
  });
});

describe('best combination, priorities and tie-breaks', () => {
  const tv = [line('tv', 49_900, { lineId: 'a', categoryIds: ['tv'] })];

  it('the customer gets 20 % off even though the 5 % promotion has the higher priority', () => {
    const r = price(tv, [
      {
        id: 'five',
        name: '5 % off TVs',
        kind: 'percentOff',
        target: { categoryIds: ['tv'] },
        percentBp: 500,
        priority: 10,
      },
      {
        id: 'twenty',
        name: '20 % off TVs',
        kind: 'percentOff',
        target: { categoryIds: ['tv'] },
        percentBp: 2000,
      },
    ]);
    expect(ids(r)).toEqual(['twenty']);
    expect(r.savingsMinor).toBe(9980);
  });

  it('when two give the same, the higher priority is the one on the receipt', () => {
    const promo = (id: string, priority: number): PromotionInput => ({
      id,
      name: id,
      kind: 'percentOff',
      target: { categoryIds: ['tv'] },
      percentBp: 1000,
      priority,
    });
    expect(ids(price(tv, [promo('a-low', 1), promo('z-high', 5)]))).toEqual(['z-high']);
    expect(ids(price(tv, [promo('z-high', 5), promo('a-low', 1)]))).toEqual(['z-high']);
  });
});

describe('exclusive and stackable', () => {
  const basket = [
    line('coat', 10_000, { lineId: 'a', categoryIds: ['coats'] }),
    line('scarf', 2000, { lineId: 'b', categoryIds: ['accessories'] }),
  ];
  const blackFriday: PromotionInput = {
    id: 'bf',
    name: 'Black Friday 30 % off everything (not combinable)',
    kind: 'percentOff',
    target: {},
    percentBp: 3000,
    stacking: 'exclusive',
  };
  const coats = (bp: number): PromotionInput => ({
    id: 'coats',
    name: 'Coats',
    kind: 'percentOff',
    target: { categoryIds: ['coats'] },
    percentBp: bp,
  });
  const scarves: PromotionInput = {
    id: 'scarves',
    name: 'Scarves 5.00 off',
    kind: 'amountOff',
    target: { categoryIds: ['accessories'] },
    amountMinor: 500,
  };

  it('an exclusive promotion is never combined: 30 % off everything (36.00) beats coats 20 % + scarf 5.00 (25.00)', () => {
    const r = price(basket, [blackFriday, coats(2000), scarves]);
    expect(ids(r)).toEqual(['bf']);
    expect(r.savingsMinor).toBe(3600);
  });

  it('but coats 40 % + scarf 5.00 (45.00) beat it, and the exclusive one is left out', () => {
    const r = price(basket, [blackFriday, coats(4000), scarves]);
    expect(ids(r)).toEqual(['coats', 'scarves']);
    expect(r.savingsMinor).toBe(4500);
  });

  it('a stackable member bonus of 5 % applies on top, on what is left to pay: 10.00 → 8.00 → 7.60', () => {
    const r = price(
      [line('mug', 1000, { lineId: 'a' })],
      [
        { id: 'mugs', name: 'Mugs 20 % off', kind: 'percentOff', target: { skus: ['mug'] }, percentBp: 2000 },
        {
          id: 'bonus',
          name: 'Member bonus 5 %',
          kind: 'percentOff',
          target: {},
          percentBp: 500,
          stacking: 'stackable',
          audience: { membersOnly: true },
        },
      ],
      { context: context({ customer: { id: 'c', loyaltyMember: true, segments: [] } }) },
    );
    expect(r.lines[0]!.discounts.map((d) => [d.id, d.amountMinor])).toEqual([
      ['mugs', 200],
      ['bonus', 40],
    ]);
    expect(r.totalMinor).toBe(760);
  });

  it('of two standard basket promotions only the better applies; a stackable basket coupon adds to it', () => {
    const lines = [line('groceries', 3000, { lineId: 'a' })];
    const tenPct: PromotionInput = { id: 'ten', name: '10 % off', kind: 'basketOff', percentOffBp: 1000 };
    const fiveOff: PromotionInput = { id: 'five', name: '5.00 off', kind: 'basketOff', amountOffMinor: 500 };
    expect(ids(price(lines, [tenPct, fiveOff]))).toEqual(['five']);
    const coupon: PromotionInput = {
      id: 'coupon',
      name: 'App coupon 1.00',
      kind: 'basketOff',
      amountOffMinor: 100,
      stacking: 'stackable',
      couponCodes: ['APP1'],
    };
    const r = price(lines, [tenPct, fiveOff, coupon], { context: context({ couponCodes: ['APP1'] }) });
    expect(ids(r)).toEqual(['five', 'coupon']);
    expect(r.totalMinor).toBe(3000 - 500 - 100);
  });
});

describe('a stackable promotion limited per cart', () => {
  // "10.00 off one item" lands on the dearest unit it still takes something off, so whether the
  // standard "socks free" takes the socks decides whether the 10.00 goes to the socks or the jacket.
  const freeSocks: PromotionInput = {
    id: 'socks',
    name: 'Socks free',
    kind: 'fixedPrice',
    target: { categoryIds: ['socks'] },
    priceMinor: 0,
  };
  const tenOffOne: PromotionInput = {
    id: 'ten',
    name: '10.00 off one item',
    kind: 'amountOff',
    target: {},
    amountMinor: 1000,
    stacking: 'stackable',
    limits: { perCart: 1 },
  };

  it('is placed after the standard promotions anywhere in the cart: socks free and 10.00 off the jacket', () => {
    const r = price(
      [
        line('socks', 1000, { lineId: 'a', categoryIds: ['socks'] }),
        line('jacket', 1000, { lineId: 'b', categoryIds: ['coats'] }),
      ],
      [freeSocks, tenOffOne],
    );
    expect(r.savingsMinor).toBe(2000);
    expect(ids(r)).toEqual(['socks', 'ten']);
  });
});

describe('spend thresholds and item discounts', () => {
  const lines = [line('jeans', 4000, { lineId: 'a' }), line('tee', 1200, { lineId: 'b' })];
  const jeans3: PromotionInput = {
    id: 'jeans',
    name: 'Jeans 3.00 off',
    kind: 'amountOff',
    target: { skus: ['jeans'] },
    amountMinor: 300,
  };
  const spend50 = (basis: 'net' | 'list'): PromotionInput => ({
    id: 'spend50',
    name: 'Spend 50 save 10',
    kind: 'spendThreshold',
    basis,
    tiers: [{ minSpendMinor: 5000, amountOffMinor: 1000 }],
  });

  it('measured after item discounts, taking 3.00 off the jeans would lose the 10.00: the customer gets the 10.00', () => {
    const r = price(lines, [jeans3, spend50('net')]);
    expect(ids(r)).toEqual(['spend50']);
    expect(r.totalMinor).toBe(4200);
  });

  it('measured on shelf prices, both apply', () => {
    const r = price(lines, [jeans3, spend50('list')]);
    expect(r.totalMinor).toBe(3900);
  });
});

describe('determinism and search bounds', () => {
  const many: PromotionInput[] = Array.from({ length: 12 }, (_, k) => ({
    id: `p${String(k).padStart(2, '0')}`,
    name: `Offer ${k}`,
    kind: 'percentOff' as const,
    target: { categoryIds: ['grocery'] },
    percentBp: 100 * (k + 1),
    priority: k % 3,
  }));
  const lines = Array.from({ length: 6 }, (_, k) =>
    line(`sku${k}`, 100 + 37 * k, { lineId: `l${k}`, qty: 1 + (k % 3), categoryIds: ['grocery'] }),
  );

  it('prices the same whatever the order of lines and promotions', () => {
    const a = price(lines, many);
    const b = price([...lines].reverse(), [...many].reverse());
    const byId = (r: PricedCart) => [...r.lines].sort((x, y) => (x.lineId < y.lineId ? -1 : 1));
    expect(byId(b)).toEqual(byId(a));
    expect(b.promotions).toEqual(a.promotions);
    expect(b.totalMinor).toBe(a.totalMinor);
  });

  it('searches a component of up to 10 promotions exhaustively, a larger one greedily, and says which', () => {
    const greedy = price(lines, many);
    expect(greedy.search).toMatchObject({
      candidates: 12,
      components: 1,
      largestComponent: 12,
      exhaustive: false,
    });
    const exact = price(lines, many, { search: { exhaustiveUpTo: 12 } });
    expect(exact.search.exhaustive).toBe(true);
    // Here greedy finds the best too: 12 % off everything.
    expect(greedy.totalMinor).toBe(exact.totalMinor);
    expect(ids(greedy)).toEqual(['p11']);
  });
});
