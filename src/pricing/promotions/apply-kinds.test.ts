import { describe, expect, it } from 'vitest';
import { cart, context, line } from '../../../test/fixtures/pricing.ts';
import { type PricedCart, priceCart } from '../price-cart.ts';
import type { PromotionInput } from './schema.ts';

/** Worked examples of every promotion kind, priced in a German store (VAT included in shelf prices). */

const price = (lines: Parameters<typeof cart>[0], promos: PromotionInput[], over = {}): PricedCart =>
  priceCart(cart(lines, promos, over));
const off = (r: PricedCart, lineId: string): number =>
  r.lines.find((l) => l.lineId === lineId)!.discountMinor;

describe('percent off', () => {
  it('20 % off spaghetti at 1.99: two packs cost 3.18 (0.398 rounds to 0.40 per pair of packs: 0.80)', () => {
    const r = price(
      [line('spaghetti', 199, { lineId: 'a', qty: 2 })],
      [
        {
          id: 'pasta20',
          name: '20 % off spaghetti',
          kind: 'percentOff',
          target: { skus: ['spaghetti'] },
          percentBp: 2000,
        },
      ],
    );
    expect(r.totalMinor).toBe(318);
    expect(r.lines[0]!.discounts).toEqual([
      { source: 'promotion', id: 'pasta20', name: '20 % off spaghetti', amountMinor: 80, units: 2 },
    ]);
  });

  it('25 % off all wine reaches a Rioja filed under wine › red, but not the beer', () => {
    const r = price(
      [
        line('rioja', 899, { lineId: 'a', categoryIds: ['drinks', 'wine', 'wine-red'] }),
        line('pils', 129, { lineId: 'b', categoryIds: ['drinks', 'beer'] }),
      ],
      [
        {
          id: 'wine25',
          name: 'Wine week',
          kind: 'percentOff',
          target: { categoryIds: ['wine'] },
          percentBp: 2500,
        },
      ],
    );
    expect(off(r, 'a')).toBe(225);
    expect(off(r, 'b')).toBe(0);
    expect(r.totalMinor).toBe(899 + 129 - 225);
  });

  it('an excluded SKU stays at full price inside a discounted category', () => {
    const r = price(
      [line('champagne', 3999, { lineId: 'a', categoryIds: ['wine'] })],
      [
        {
          id: 'wine25',
          name: 'Wine week',
          kind: 'percentOff',
          target: { categoryIds: ['wine'], excludeSkus: ['champagne'] },
          percentBp: 2500,
        },
      ],
    );
    expect(r.totalMinor).toBe(3999);
  });
});

describe('amount off and fixed price', () => {
  it('0.50 off each jar of Nutella at 3.49: two jars cost 5.98', () => {
    const r = price(
      [line('nutella', 349, { lineId: 'a', qty: 2 })],
      [
        {
          id: 'n50',
          name: 'Nutella -0.50',
          kind: 'amountOff',
          target: { skus: ['nutella'] },
          amountMinor: 50,
        },
      ],
    );
    expect(r.totalMinor).toBe(598);
  });

  it('never takes more off a unit than it costs: 0.50 off a 0.30 roll makes it free, not negative', () => {
    const r = price(
      [line('roll', 30, { lineId: 'a' })],
      [{ id: 'r', name: 'Rolls -0.50', kind: 'amountOff', target: { skus: ['roll'] }, amountMinor: 50 }],
    );
    expect(r.totalMinor).toBe(0);
  });

  it('butter at a fixed 1.49 (shelf 2.29) saves 0.80 a pack; a fixed price above the shelf price does nothing', () => {
    const r = price(
      [line('butter', 229, { lineId: 'a', qty: 2 }), line('milk', 99, { lineId: 'b' })],
      [
        {
          id: 'butter',
          name: 'Butter 1.49',
          kind: 'fixedPrice',
          target: { skus: ['butter'] },
          priceMinor: 149,
        },
        { id: 'milk', name: 'Milk 1.19', kind: 'fixedPrice', target: { skus: ['milk'] }, priceMinor: 119 },
      ],
    );
    expect(r.totalMinor).toBe(298 + 99);
    expect(r.promotions.map((p) => p.promotionId)).toEqual(['butter']);
  });

  it('a fixed price per kg reprices a weighed item: 1.234 kg of cherries at 9.99/kg instead of 12.99/kg', () => {
    const r = price(
      [
        line('cherries', 1299, {
          lineId: 'a',
          measure: { amount: 1234, unit: 'g', per: 1000 },
          taxClass: 'reduced',
        }),
      ],
      [
        {
          id: 'ch',
          name: 'Cherries 9.99/kg',
          kind: 'fixedPrice',
          target: { skus: ['cherries'] },
          priceMinor: 999,
        },
      ],
    );
    // 1.234 × 12.99 = 16.03 (16.02966); 1.234 × 9.99 = 12.33 (12.32766).
    expect(r.lines[0]!.listMinor).toBe(1603);
    expect(r.totalMinor).toBe(1233);
  });
});

describe('buy X get Y', () => {
  const shampoo = (lineId: string, price: number) =>
    line(`shampoo-${price}`, price, { lineId, categoryIds: ['shampoo'] });
  const b2g1: PromotionInput = {
    id: '3for2',
    name: '3 for 2 on shampoo',
    kind: 'buyXGetY',
    buy: { target: { categoryIds: ['shampoo'] }, qty: 2 },
    get: { qty: 1 },
  };

  it('3 for 2: of 4.99, 3.49 and 2.99 the cheapest is free', () => {
    const r = price([shampoo('a', 499), shampoo('b', 349), shampoo('c', 299)], [b2g1]);
    expect(r.totalMinor).toBe(499 + 349);
    expect(off(r, 'c')).toBe(299);
    // The units that qualified are shown, with nothing off, so the cashier sees why they took no other offer.
    expect(r.lines.find((l) => l.lineId === 'a')!.discounts).toEqual([
      { source: 'promotion', id: '3for2', name: '3 for 2 on shampoo', amountMinor: 0, units: 1 },
    ]);
  });

  it('six bottles make two groups, dearest first, each with its own cheapest free', () => {
    const r = price(
      [
        shampoo('a', 599),
        shampoo('b', 599),
        shampoo('c', 499),
        shampoo('d', 349),
        shampoo('e', 299),
        shampoo('f', 199),
      ],
      [b2g1],
    );
    expect(r.savingsMinor).toBe(499 + 199);
  });

  it('two bottles are not enough for 3 for 2', () => {
    const r = price([shampoo('a', 599), shampoo('b', 599)], [b2g1]);
    expect(r.savingsMinor).toBe(0);
  });

  it('buy one get one half price on the most expensive: 10.00 and 6.00 saves 5.00', () => {
    const r = price(
      [shampoo('a', 1000), shampoo('b', 600)],
      [
        {
          ...b2g1,
          id: 'bogohalf',
          buy: { ...b2g1.buy, qty: 1 },
          get: { qty: 1, percentBp: 5000 },
          applyTo: 'mostExpensive',
        },
      ],
    );
    expect(r.savingsMinor).toBe(500);
    expect(off(r, 'a')).toBe(500);
  });

  it('buy a toothbrush, get the cheapest toothpaste free (or the dearest, if the promotion says so)', () => {
    const lines = [
      line('brush', 399, { lineId: 'a' }),
      line('paste-mint', 189, { lineId: 'b', productGroupIds: ['toothpaste'] }),
      line('paste-white', 249, { lineId: 'c', productGroupIds: ['toothpaste'] }),
    ];
    const promo: PromotionInput = {
      id: 'brush-paste',
      name: 'Free toothpaste with a brush',
      kind: 'buyXGetY',
      buy: { target: { skus: ['brush'] }, qty: 1 },
      get: { target: { productGroupIds: ['toothpaste'] }, qty: 1 },
    };
    expect(off(price(lines, [promo]), 'b')).toBe(189);
    expect(off(price(lines, [{ ...promo, applyTo: 'mostExpensive' }]), 'c')).toBe(249);
    // Without the brush there is no gift: removing a line can raise what the other lines cost.
    expect(price(lines.slice(1), [promo]).totalMinor).toBe(189 + 249);
  });

  it('a per-cart limit caps the free items: "max 1 per customer"', () => {
    const r = price(
      [
        shampoo('a', 300),
        shampoo('b', 300),
        shampoo('c', 300),
        shampoo('d', 300),
        shampoo('e', 300),
        shampoo('f', 300),
      ],
      [{ ...b2g1, limits: { perCart: 1 } }],
    );
    expect(r.savingsMinor).toBe(300);
  });

  it('handles a line of 1,000 units in one step: 500 pairs, 500 free', () => {
    const r = price(
      [line('screw', 10, { lineId: 'a', qty: 1000 })],
      [{ ...b2g1, buy: { target: { skus: ['screw'] }, qty: 1 } }],
    );
    expect(r.savingsMinor).toBe(5000);
  });
});

describe('multi-buy and mix and match', () => {
  it('cola 3 for 5.00 at 1.99 each: four bottles cost 5.00 + 1.99', () => {
    const r = price(
      [line('cola', 199, { lineId: 'a', qty: 4 })],
      [
        {
          id: 'cola3',
          name: 'Cola 3 for 5',
          kind: 'multiBuy',
          target: { skus: ['cola'] },
          qty: 3,
          priceMinor: 500,
        },
      ],
    );
    expect(r.totalMinor).toBe(699);
    expect(r.lines[0]!.discounts[0]).toMatchObject({ amountMinor: 97, units: 3 });
  });

  it('any 3 craft beers for 6.00 groups the dearest three of the product group', () => {
    const craft = (lineId: string, p: number) =>
      line(`beer-${p}`, p, { lineId, productGroupIds: ['craft-beer'] });
    const r = price(
      [craft('a', 249), craft('b', 229), craft('c', 199), craft('d', 279)],
      [
        {
          id: 'craft3',
          name: 'Any 3 craft beers for 6',
          kind: 'multiBuy',
          target: { productGroupIds: ['craft-beer'] },
          qty: 3,
          priceMinor: 600,
        },
      ],
    );
    expect(r.savingsMinor).toBe(279 + 249 + 229 - 600);
    expect(off(r, 'c')).toBe(0);
  });

  it('meal deal: sandwich, drink and snack for 4.00 takes the dearest sandwich and spreads the saving', () => {
    const r = price(
      [
        line('blt', 325, { lineId: 'a', productGroupIds: ['sandwich'] }),
        line('cheese', 250, { lineId: 'b', productGroupIds: ['sandwich'] }),
        line('water', 150, { lineId: 'c', productGroupIds: ['drink'] }),
        line('crisps', 99, { lineId: 'd', productGroupIds: ['snack'] }),
      ],
      [
        {
          id: 'meal',
          name: 'Meal deal 4.00',
          kind: 'mixAndMatch',
          components: [
            { target: { productGroupIds: ['sandwich'] } },
            { target: { productGroupIds: ['drink'] } },
            { target: { productGroupIds: ['snack'] } },
          ],
          priceMinor: 400,
        },
      ],
    );
    // 3.25 + 1.50 + 0.99 = 5.74, so 1.74 off, in proportion to price: 0.99, 0.45, 0.30.
    expect([off(r, 'a'), off(r, 'b'), off(r, 'c'), off(r, 'd')]).toEqual([99, 0, 45, 30]);
    expect(r.totalMinor).toBe(400 + 250);
  });
});

describe('spend thresholds and basket discounts', () => {
  const spend50: PromotionInput = {
    id: 'spend50',
    name: 'Spend 50, save 10',
    kind: 'spendThreshold',
    tiers: [{ minSpendMinor: 5000, amountOffMinor: 1000 }],
  };

  it('spend 50 save 10: 52.00 costs 42.00, 48.00 costs 48.00', () => {
    expect(price([line('coat', 5200, { lineId: 'a' })], [spend50]).totalMinor).toBe(4200);
    expect(price([line('coat', 4800, { lineId: 'a' })], [spend50]).totalMinor).toBe(4800);
  });

  it('tiers: spend 50 save 5, spend 100 save 15; the best tier reached applies', () => {
    const tiered: PromotionInput = {
      ...spend50,
      tiers: [
        { minSpendMinor: 5000, amountOffMinor: 500 },
        { minSpendMinor: 10_000, amountOffMinor: 1500 },
      ],
    };
    expect(price([line('x', 7000, { lineId: 'a' })], [tiered]).savingsMinor).toBe(500);
    expect(price([line('x', 12_000, { lineId: 'a' })], [tiered]).savingsMinor).toBe(1500);
  });

  it('spreads a basket saving over the lines by what they cost, and tax follows each line', () => {
    const r = price(
      [line('wine', 5950, { lineId: 'a' }), line('cheese', 4280, { lineId: 'b', taxClass: 'reduced' })],
      [spend50],
    );
    // 10.00 × 59.50 / 102.30 = 5.816 → 5.82; the rest, 4.18, on the cheese.
    expect([off(r, 'a'), off(r, 'b')]).toEqual([582, 418]);
    expect(r.taxBreakdown.map((t) => [t.code, t.taxableMinor, t.taxMinor])).toEqual([
      ['DE-VAT-7', 3609, 253],
      ['DE-VAT-19', 4511, 857],
    ]);
  });

  it('10 % off the basket, and 5.00 off toys only', () => {
    const lines = [
      line('lego', 2999, { lineId: 'a', categoryIds: ['toys'] }),
      line('socks', 999, { lineId: 'b' }),
    ];
    expect(
      price(lines, [{ id: 'b10', name: '10 % off', kind: 'basketOff', percentOffBp: 1000 }]).savingsMinor,
    ).toBe(400);
    const toys = price(lines, [
      {
        id: 't5',
        name: '5 off toys',
        kind: 'basketOff',
        target: { categoryIds: ['toys'] },
        amountOffMinor: 500,
      },
    ]);
    expect([off(toys, 'a'), off(toys, 'b')]).toEqual([500, 0]);
  });
});

describe('coupons, loyalty and segment prices', () => {
  const welcome: PromotionInput = {
    id: 'welcome',
    name: 'Welcome 5.00',
    kind: 'basketOff',
    amountOffMinor: 500,
    couponCodes: ['WELCOME5'],
  };

  it('a coupon applies only when presented, whatever its case, and the receipt names it', () => {
    const lines = [line('jacket', 4999, { lineId: 'a' })];
    expect(price(lines, [welcome]).totalMinor).toBe(4999);
    const r = price(lines, [welcome], { context: context({ couponCodes: ['welcome5', 'BOGUS'] }) });
    expect(r.totalMinor).toBe(4499);
    expect(r.promotions[0]).toMatchObject({ promotionId: 'welcome', couponCode: 'WELCOME5' });
    expect(r.coupons).toEqual([
      { code: 'BOGUS', applied: false, reason: 'unknown coupon code' },
      { code: 'WELCOME5', applied: true, promotionId: 'welcome' },
    ]);
  });

  it('tells the cashier why a coupon did nothing', () => {
    const r = price(
      [line('jacket', 4999, { lineId: 'a' })],
      [{ ...welcome, audience: { membersOnly: true } }],
      { context: context({ couponCodes: ['WELCOME5'] }) },
    );
    expect(r.coupons).toEqual([
      { code: 'WELCOME5', applied: false, promotionId: 'welcome', reason: 'members only' },
    ]);
  });

  it('members pay 0.99 for a coffee that costs everyone else 1.49', () => {
    const promo: PromotionInput = {
      id: 'member-coffee',
      name: 'Member price',
      kind: 'fixedPrice',
      target: { skus: ['coffee'] },
      priceMinor: 99,
      audience: { membersOnly: true },
    };
    const lines = [line('coffee', 149, { lineId: 'a' })];
    expect(price(lines, [promo]).totalMinor).toBe(149);
    const member = { id: 'c1', loyaltyMember: true, segments: [] };
    expect(price(lines, [promo], { context: context({ customer: member }) }).totalMinor).toBe(99);
  });

  it('students get 10 % off stationery', () => {
    const promo: PromotionInput = {
      id: 'student',
      name: 'Student discount',
      kind: 'percentOff',
      target: { categoryIds: ['stationery'] },
      percentBp: 1000,
      audience: { segments: ['student'] },
    };
    const lines = [line('notebook', 450, { lineId: 'a', categoryIds: ['stationery'] })];
    const student = { id: 'c2', loyaltyMember: false, segments: ['student'] };
    expect(price(lines, [promo], { context: context({ customer: student }) }).totalMinor).toBe(405);
    const other = { id: 'c3', loyaltyMember: true, segments: ['senior'] };
    expect(price(lines, [promo], { context: context({ customer: other }) }).totalMinor).toBe(450);
  });
});
