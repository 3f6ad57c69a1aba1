import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  formatDecimal,
  formatMinor,
  formatMoney,
  minorDigits,
  mulDiv,
  parseMinor,
} from './money.ts';

const safeAmount = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });

describe('mulDiv', () => {
  it('rounds half away from zero, like a till', () => {
    expect(mulDiv(5, 1, 2)).toBe(3);
    expect(mulDiv(-5, 1, 2)).toBe(-3);
    expect(mulDiv(4, 1, 3)).toBe(1);
    expect(mulDiv(119, 1900, 11_900)).toBe(19);
  });

  it('is exact beyond 2^53 (big basket × tax rate)', () => {
    expect(mulDiv(900_719_925_474_099, 1900, 10_000)).toBe(171_136_785_840_079);
  });

  it('never differs from exact rational rounding by more than half a unit', () => {
    fc.assert(
      fc.property(
        safeAmount,
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (a, b, d) => {
          const exact = (BigInt(a) * BigInt(b) * 2n) / BigInt(d); // twice the quotient, truncated
          const half = exact / 2n;
          if (half > BigInt(Number.MAX_SAFE_INTEGER) || half < BigInt(Number.MIN_SAFE_INTEGER)) {
            expect(() => mulDiv(a, b, d)).toThrow(RangeError);
            return;
          }
          const got = BigInt(mulDiv(a, b, d)) * 2n;
          const diff = got - exact;
          expect(diff >= -2n && diff <= 2n).toBe(true);
        },
      ),
    );
  });
});

describe('allocate', () => {
  it('splits a discount across lines so the parts sum exactly to the total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
          expect(parts).toHaveLength(weights.length);
        },
      ),
    );
  });

  it('gives each part within one unit of its exact share', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(10, [0, 0])).toEqual([10, 0]);
  });
});

describe('format and parse', () => {
  it('knows minor digits per currency', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
  });

  it('round-trips any amount through its text', () => {
    fc.assert(
      fc.property(safeAmount, fc.constantFrom('EUR', 'JPY', 'KWD', 'USD'), (a, cur) => {
        expect(parseMinor(formatMinor(a, cur), cur, 'amount')).toBe(a);
      }),
    );
  });

  it('refuses text that is not an amount, naming the field', () => {
    expect(() => parseMinor('12,50', 'EUR', 'price')).toThrow(/price/);
    expect(() => parseMinor('1.234', 'EUR', 'price')).toThrow(/more than 2 decimals/);
  });

  it('writes each currency with its own decimals', () => {
    expect(formatMinor(1234, 'EUR')).toBe('12.34');
    expect(formatMinor(1234, 'JPY')).toBe('1234');
    expect(formatMinor(1234, 'BHD')).toBe('1.234');
    expect(formatMinor(-5, 'TND')).toBe('-0.005');
    expect(formatDecimal(7, 2)).toBe('0.07');
  });
});

describe('formatMoney', () => {
  const us = (amount: number, currency: string) =>
    formatMoney(amount, currency, { locale: 'en-US' }).replace(/\u00a0/g, ' ');

  it('shows 1234 minor units as a person reads them in each currency', () => {
    expect(us(1234, 'JPY')).toBe('¥1,234');
    expect(us(1234, 'BHD')).toBe('BHD 1.234');
    expect(us(1234, 'EUR')).toBe('€12.34');
    expect(formatMoney(1234, 'EUR', { locale: 'de-DE' }).replace(/\u00a0/g, ' ')).toBe('12,34 €');
  });

  it('keeps every cent of totals too large for a float to hold as euros', () => {
    expect(us(900_719_925_474_099, 'EUR')).toBe('€9,007,199,254,740.99');
  });

  it('shows the same digits as the receipt, for any amount and currency', () => {
    fc.assert(
      fc.property(safeAmount, fc.constantFrom('EUR', 'JPY', 'KWD', 'BHD', 'USD'), (a, cur) => {
        const digitsOnly = us(a, cur).replace(/[^\d.]/g, '');
        expect(digitsOnly).toBe(formatMinor(Math.abs(a), cur));
      }),
    );
  });
});
