import { describe, expect, it } from 'vitest';
import { cart, context, line, unitedKingdom } from '../../test/fixtures/pricing.ts';
import { isTallyError } from '../core/errors.ts';
import { priceCart } from './price-cart.ts';
import { type PromotionInput, parsePromotions } from './promotions/schema.ts';

const fieldOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (isTallyError(e)) return e.field;
    throw e;
  }
  return undefined;
};

describe('cashier discounts go through the same pipeline', () => {
  const lines = [line('kettle', 3999, { lineId: 'a' }), line('toaster', 2999, { lineId: 'b' })];

  it('a damaged-box line discount of 15 %, after promotions, explained with its reason', () => {
    const r = priceCart(
      cart(
        lines,
        [
          {
            id: 'k',
            name: 'Kettle 5.00 off',
            kind: 'amountOff',
            target: { skus: ['kettle'] },
            amountMinor: 500,
          },
        ],
        {
          manualDiscounts: [{ id: 'm1', reason: 'Damaged box', lineId: 'a', percentBp: 1500 }],
        },
      ),
    );
    // 39.99 − 5.00 = 34.99; 15 % of that is 5.2485 → 5.25.
    expect(r.lines[0]!.discounts).toEqual([
      { source: 'promotion', id: 'k', name: 'Kettle 5.00 off', amountMinor: 500, units: 1 },
      { source: 'manual', id: 'm1', name: 'Damaged box', amountMinor: 525, units: 1 },
    ]);
    expect(r.lines[0]!.grossMinor).toBe(2974);
  });

  it('a basket goodwill amount is spread over the lines and never takes the total below zero', () => {
    const r = priceCart(
      cart(lines, [], { manualDiscounts: [{ id: 'g', reason: 'Goodwill', amountMinor: 1000 }] }),
    );
    expect(r.lines.map((l) => l.discountMinor)).toEqual([571, 429]); // 10.00 × 39.99 / 69.98 = 5.7145…, and the largest remainder gets the last cent
    const all = priceCart(
      cart(lines, [], { manualDiscounts: [{ id: 'g', reason: 'Goodwill', amountMinor: 99_999 }] }),
    );
    expect(all.totalMinor).toBe(0);
  });

  it('refuses a discount without a reason, or on a line not in the cart', () => {
    expect(
      fieldOf(() =>
        priceCart(cart(lines, [], { manualDiscounts: [{ id: 'm', reason: ' ', percentBp: 100 }] })),
      ),
    ).toBe('manualDiscounts[0].reason');
    expect(
      fieldOf(() =>
        priceCart(
          cart(lines, [], { manualDiscounts: [{ id: 'm', reason: 'x', lineId: 'zz', amountMinor: 1 }] }),
        ),
      ),
    ).toBe('manualDiscounts[0].lineId');
  });
});

describe('what the receipt needs', () => {
  it('lines come back in the order given, with totals, the VAT table and "You saved"', () => {
    const r = priceCart(
      cart(
        [line('tea', 250, { lineId: 'z', taxClass: 'reduced' }), line('mug', 800, { lineId: 'a' })],
        [
          {
            id: 'tea',
            name: 'Tea 2 for 4',
            kind: 'multiBuy',
            target: { skus: ['tea'] },
            qty: 2,
            priceMinor: 400,
          },
        ],
        { tax: unitedKingdom, currency: 'GBP' },
      ),
    );
    expect(r.lines.map((l) => l.lineId)).toEqual(['z', 'a']);
    expect(r.savingsText).toBeNull();
    expect(r.totalMinor).toBe(1050);
    expect(r.netMinor + r.taxMinor).toBe(r.grossMinor);
    expect(r.taxBreakdown.map((t) => t.code)).toEqual(['GB-VAT-5', 'GB-VAT-20']);
  });

  it('a tax-exempt customer in a VAT country pays net prices', () => {
    const r = priceCart(
      cart([line('camera', 119_000, { lineId: 'a' })], [], {
        context: context({ customer: { id: 'd', loyaltyMember: false, segments: [], taxExempt: true } }),
      }),
    );
    expect(r.totalMinor).toBe(100_000);
  });
});

describe('validation names the field', () => {
  it('bad lines and context', () => {
    expect(fieldOf(() => priceCart(cart([line('a', 100), line('b', 100, { qty: 0 })])))).toBe('lines[1].qty');
    expect(
      fieldOf(() => priceCart(cart([line('a', 100, { lineId: 'x' }), line('b', 1, { lineId: 'x' })]))),
    ).toBe('lines[1].lineId');
    expect(fieldOf(() => priceCart(cart([line('a', -5)])))).toBe('lines[0].unitPriceMinor');
    expect(fieldOf(() => priceCart(cart([line('a', 5, { taxClass: 'luxury' })])))).toBe('lines[0].taxClass');
    expect(
      fieldOf(() => priceCart(cart([line('a', 5)], [], { context: context({ timeZone: 'Mars/Olympus' }) }))),
    ).toBe('context.timeZone');
    expect(
      fieldOf(() => priceCart(cart([line('a', 5)], [], { context: context({ at: '2026-11-28 12:00' }) }))),
    ).toBe('context.at');
  });

  it('bad promotions, as HQ would see them before publishing', () => {
    const ok: PromotionInput = {
      id: 'a',
      name: 'B1G1',
      kind: 'buyXGetY',
      buy: { target: { skus: ['x'] }, qty: 1 },
      get: { qty: 1 },
    };
    expect(fieldOf(() => parsePromotions([ok, { ...ok, id: 'b', buy: { target: {}, qty: 0 } }]))).toBe(
      'promotions[1].buy.qty',
    );
    expect(fieldOf(() => parsePromotions([ok, ok]))).toBe('promotions[1].id');
    expect(fieldOf(() => parsePromotions([{ ...ok, stacking: 'stackable' }]))).toBe('promotions[0].stacking');
    expect(
      fieldOf(() =>
        parsePromotions([
          {
            id: 's',
            name: 's',
            kind: 'spendThreshold',
            tiers: [{ minSpendMinor: 1, amountOffMinor: 1, percentOffBp: 1 }],
          },
        ]),
      ),
    ).toBe('promotions[0].tiers[0].amountOffMinor');
    expect(
      fieldOf(() =>
        parsePromotions([
          { ...ok, schedule: { windows: [{ start: '25:00', end: '02:00' }] } } as PromotionInput,
        ]),
      ),
    ).toBe('promotions[0].schedule.windows[0].start');
    expect(
      fieldOf(() =>
        priceCart(cart([line('x', 100)], [{ ...ok, kind: 'nope' } as unknown as PromotionInput])),
      ),
    ).toBe('promotions[0].kind');
  });

  it('promotion definitions survive a JSON round trip (HQ → till)', () => {
    const defs = parsePromotions([
      {
        id: 'hh',
        name: 'Happy hour',
        kind: 'percentOff',
        target: { categoryIds: ['cocktails'] },
        percentBp: 5000,
        schedule: { windows: [{ days: ['fri'], start: '17:00', end: '19:00' }] },
      },
    ]);
    expect(parsePromotions(JSON.parse(JSON.stringify(defs)))).toEqual(defs);
  });
});
