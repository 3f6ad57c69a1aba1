import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { returnedDiscountShare } from './promotion-return-share.ts';

describe('the discount a return takes back', () => {
  it('takes back one of three units of a 1.00 discount as 0.33, and the last two as 0.67', () => {
    const line = { qty: 3, discountMinor: 100, returnedQty: 0, returnedDiscountMinor: 0 };
    const first = returnedDiscountShare(line, 1);
    expect(first).toEqual({ qty: 1, discountMinor: 33 });
    expect(returnedDiscountShare({ ...line, returnedQty: 1, returnedDiscountMinor: 33 }, 5)).toEqual({
      qty: 2,
      discountMinor: 67,
    });
  });

  it('however a line comes back, the parts add up to the discount given and never pass it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 20 }),
        (qty, discountMinor, returns) => {
          const line = { qty, discountMinor, returnedQty: 0, returnedDiscountMinor: 0 };
          for (const r of returns) {
            const s = returnedDiscountShare(line, r);
            expect(s.discountMinor).toBeGreaterThanOrEqual(0);
            line.returnedQty += s.qty;
            line.returnedDiscountMinor += s.discountMinor;
            expect(line.returnedDiscountMinor).toBeLessThanOrEqual(discountMinor);
          }
          const total = returns.reduce((a, b) => a + b, 0);
          expect(line.returnedQty).toBe(Math.min(qty, total));
          if (total >= qty) expect(line.returnedDiscountMinor).toBe(discountMinor);
        },
      ),
    );
  });
});
