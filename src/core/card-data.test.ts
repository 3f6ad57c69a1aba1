import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCardData, findCardNumbers, luhnValid, maskCardNumbers, redactCardData } from './card-data.ts';

/** Appends the digit that makes a number Luhn-valid: how issuers make card numbers. */
const withCheckDigit = (body: string): string => {
  for (let d = 0; d < 10; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error('unreachable');
};

describe('card numbers in any text', () => {
  it('finds the test cards of every brand a shop takes, as typed or as swiped', () => {
    const cards = [
      '4111111111111111', // Visa
      '2223003122003222', // Mastercard 2-series
      '5555555555554444', // Mastercard
      '378282246310005', // Amex
      '6011111111111117', // Discover
      '3530111333300000', // JCB
      '6200000000000005', // UnionPay
      '6250941006528599', // UnionPay 16
    ];
    for (const c of cards) {
      expect(findCardNumbers(`paid with ${c}.`), c).toHaveLength(1);
      expect(findCardNumbers(`;${c}=2512101?`), c).toHaveLength(1);
    }
  });

  it('any Luhn-valid 16-digit card number hidden in JSON is found, and the redacted copy keeps only its last 4', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('4', '51', '52', '53', '54', '55', '2221', '6011', '65'),
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 14, maxLength: 14 }),
        fc.constantFrom(' ', '-', ''),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
        (prefix, rest, sep, noise) => {
          const pan = withCheckDigit(`${prefix}${rest}`.slice(0, 15));
          const written = sep ? pan.replace(/(\d{4})(?=\d)/g, `$1${sep}`) : pan;
          const value = { ...noise, memo: `card ${written} declined` };
          expect(findCardData(value)).toBeDefined();
          const redacted = redactCardData(value);
          expect(findCardData(redacted)).toBeUndefined();
          expect(JSON.stringify(redacted)).toContain(pan.slice(-4));
        },
      ),
    );
  });

  it('leaves barcodes, timestamps, amounts, phone numbers with +, hashes and UUIDs alone', () => {
    const text = [
      '4006381333931', // an EAN-13 on a shelf
      '1796212345678', // a millisecond timestamp
      '+4111111111111111',
      'price 100000000',
      `sha ${'ab4111111111111111'.padEnd(64, 'c')}`,
      '0195a000-0000-7000-8000-411111111111',
      '0.4111111111111111',
    ].join(' | ');
    expect(findCardNumbers(text)).toEqual([]);
    expect(maskCardNumbers(text)).toBe(text);
  });
});
