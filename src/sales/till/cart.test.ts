import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDiscount,
  addLine,
  type Cart,
  changeQty,
  priceCart,
  removeLine,
  type SellableProduct,
} from './cart.ts';
import { planTenders } from './tenders.ts';

const empty = (taxInclusive = true): Cart => ({
  id: 'c1',
  currency: 'EUR',
  taxInclusive,
  createdAt: '2026-03-01T10:00:00.000+01:00',
  lines: [],
});
const milk: SellableProduct = { sku: 'MILK', name: 'Milk 1l', priceMinor: 119, taxRateBp: 700 };
const wine: SellableProduct = { sku: 'WINE', name: 'Red wine', priceMinor: 899, taxRateBp: 1900 };

const product = fc.record({
  sku: fc.constantFrom('A', 'B', 'C', 'D'),
  name: fc.constant('item'),
  priceMinor: fc.integer({ min: 0, max: 10_000_000 }),
  taxRateBp: fc.constantFrom(0, 500, 700, 1900, 2000, 2500),
});
const scans = fc.array(fc.tuple(product, fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 25 });

describe('cart', () => {
  it('adds a second scan of the same item to its line', () => {
    const c = addLine(addLine(addLine(empty(), milk, 1), wine, 1), milk, 2);
    expect(c.lines.map((l) => [l.lineNo, l.sku, l.qty])).toEqual([
      [1, 'MILK', 3],
      [2, 'WINE', 1],
    ]);
  });

  it('keeps line numbers after a removal', () => {
    const c = removeLine(addLine(addLine(empty(), milk, 1), wine, 1), 1);
    expect(addLine(c, milk, 1).lines.map((l) => l.lineNo)).toEqual([2, 3]);
  });

  it('refuses a quantity that is not a whole number above 0, naming qty', () => {
    for (const qty of [0, -1, 1.5, Number.NaN, 1e9]) {
      expect(() => addLine(empty(), milk, qty)).toThrow(expect.objectContaining({ field: 'qty' }));
    }
    expect(() => changeQty(addLine(empty(), milk, 1), 1, 0)).toThrow(
      expect.objectContaining({ field: 'qty' }),
    );
  });

  it('names lineNo for a line that does not exist', () => {
    expect(() => removeLine(empty(), 4)).toThrow(
      expect.objectContaining({ field: 'lineNo', code: 'not_found' }),
    );
  });

  it('prices inclusive tax out of the shelf price, grouped by rate', () => {
    const v = priceCart(addLine(addLine(empty(), milk, 2), wine, 1));
    expect(v.totals.grossMinor).toBe(238 + 899);
    expect(v.totals.byRate.map((r) => r.taxRateBp)).toEqual([700, 1900]);
  });

  it('totals sum their lines and net + tax = gross, for any basket and either tax policy', () => {
    fc.assert(
      fc.property(scans, fc.boolean(), (items, inclusive) => {
        let c = empty(inclusive);
        for (const [p, q] of items) c = addLine(c, p, q);
        const v = priceCart(c);
        const sum = (k: 'netMinor' | 'taxMinor' | 'grossMinor') => v.lines.reduce((s, l) => s + l[k], 0);
        expect(v.totals.grossMinor).toBe(sum('grossMinor'));
        expect(v.totals.netMinor + v.totals.taxMinor).toBe(v.totals.grossMinor);
        expect(v.totals.byRate.reduce((s, r) => s + r.taxMinor, 0)).toBe(v.totals.taxMinor);
        for (const l of v.lines) expect(Number.isSafeInteger(l.grossMinor)).toBe(true);
        if (inclusive)
          expect(v.totals.grossMinor).toBe(c.lines.reduce((s, l) => s + l.qty * l.unitPriceMinor, 0));
      }),
    );
  });
});

describe('tenders', () => {
  it('gives change from cash and pays cards first', () => {
    expect(planTenders(1137, [{ kind: 'cash', tenderedMinor: 2000 }])).toMatchObject({ changeMinor: 863 });
    expect(
      planTenders(1137, [
        { kind: 'cash', tenderedMinor: 500 },
        { kind: 'card', amountMinor: 1000 },
      ]),
    ).toEqual({
      cards: [1000],
      stored: [],
      cash: { amountMinor: 137, tenderedMinor: 500, changeMinor: 363 },
      changeMinor: 363,
      roundingMinor: 0,
    });
  });

  it('refuses tenders short of the total, naming tenders', () => {
    expect(() => planTenders(1137, [{ kind: 'cash', tenderedMinor: 1136 }])).toThrow(
      expect.objectContaining({ field: 'tenders', code: 'validation' }),
    );
    expect(() => planTenders(1137, [{ kind: 'card', amountMinor: 1000 }])).toThrow(/137 is still due/);
    expect(() => planTenders(1137, [{ kind: 'card', amountMinor: 1138 }])).toThrow(/cash-back/);
    expect(() => planTenders(1137, [])).toThrow(expect.objectContaining({ field: 'tenders' }));
  });

  it('for any due and split: accepted tenders pay exactly the due and change is what was over', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 5_000_000 }), { maxLength: 3 }),
        fc.option(fc.integer({ min: 1, max: 20_000_000 }), { nil: undefined }),
        (due, cardAmounts, cash) => {
          const tenders = [
            ...cardAmounts.map((amountMinor) => ({ kind: 'card' as const, amountMinor })),
            ...(cash === undefined ? [] : [{ kind: 'cash' as const, tenderedMinor: cash }]),
          ];
          const cardSum = cardAmounts.reduce((s, a) => s + a, 0);
          let plan: ReturnType<typeof planTenders>;
          try {
            plan = planTenders(due, tenders);
          } catch (e) {
            expect(e).toMatchObject({ field: 'tenders' });
            const covered =
              cardSum <= due &&
              (cash === undefined ? cardSum === due : cardSum < due && cardSum + cash >= due);
            expect(covered).toBe(false);
            return;
          }
          const paid = plan.cards.reduce((s, a) => s + a, 0) + (plan.cash?.amountMinor ?? 0);
          expect(paid).toBe(due);
          expect(plan.changeMinor).toBe(cardSum + (cash ?? 0) - due);
          expect(plan.changeMinor).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('cashier discounts', () => {
  const discount = fc.record({
    onLine: fc.boolean(),
    line: fc.nat({ max: 30 }),
    amountMinor: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: undefined }),
    percentBp: fc.integer({ min: 1, max: 10_000 }),
  });

  it('never discount more than a line costs, and the cart still adds up to the cent', () => {
    fc.assert(
      fc.property(scans, fc.array(discount, { maxLength: 6 }), fc.boolean(), (items, ds, inclusive) => {
        let c = empty(inclusive);
        for (const [p, q] of items) c = addLine(c, p, q);
        ds.forEach((d, k) => {
          const line = c.lines[d.line % c.lines.length]!;
          c = addDiscount(c, {
            id: `d${String(k).padStart(2, '0')}`,
            reason: 'test',
            ...(d.onLine ? { lineNo: line.lineNo } : {}),
            ...(d.amountMinor !== undefined ? { amountMinor: d.amountMinor } : { percentBp: d.percentBp }),
          });
        });
        const v = priceCart(c);
        const sum = (f: (l: (typeof v.lines)[number]) => number) => v.lines.reduce((s, l) => s + f(l), 0);
        for (const l of v.lines) {
          expect(l.discountMinor).toBeGreaterThanOrEqual(0);
          expect(l.discountMinor).toBeLessThanOrEqual(l.listMinor);
          expect(l.discounts.reduce((s, d) => s + d.amountMinor, 0)).toBe(l.discountMinor);
          expect(l.netMinor + l.taxMinor).toBe(l.grossMinor);
          if (inclusive) expect(l.grossMinor).toBe(l.listMinor - l.discountMinor);
        }
        expect(v.totals.discountMinor).toBe(sum((l) => l.discountMinor));
        expect(v.totals.grossMinor).toBe(sum((l) => l.grossMinor));
        expect(v.totals.listMinor - v.totals.discountMinor).toBe(sum((l) => l.listMinor - l.discountMinor));
      }),
    );
  });

  it('takes a line with its discounts when the line is removed', () => {
    const c = addDiscount(addLine(addLine(empty(), milk, 1), wine, 1), {
      id: 'd1',
      lineNo: 2,
      amountMinor: 100,
      reason: 'x',
    });
    expect(removeLine(c, 2).discounts).toEqual([]);
    expect(priceCart(removeLine(c, 2)).totals.discountMinor).toBe(0);
  });
});
