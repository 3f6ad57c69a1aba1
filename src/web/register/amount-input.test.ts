import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../core/money.ts';
import { formatRate, parseAmount, toMajorText } from './amount-input.ts';

describe('amounts typed by the cashier', () => {
  it('reads whole and decimal amounts exactly, with a dot or a comma', () => {
    expect(parseAmount('20', 'EUR')).toBe(2000);
    expect(parseAmount('20.5', 'EUR')).toBe(2050);
    expect(parseAmount('20,50', 'EUR')).toBe(2050);
    expect(parseAmount(' 0.07 ', 'EUR')).toBe(7);
    expect(parseAmount('.5', 'EUR')).toBe(50);
    expect(parseAmount('20.', 'EUR')).toBe(2000);
    expect(parseAmount('1 234.56', 'USD')).toBe(123456);
    expect(parseAmount('1.1', 'EUR')).toBe(110); // 1.1 * 100 in floats is 110.00000000000001
  });

  it('refuses what is not an amount instead of guessing', () => {
    for (const bad of ['', '.', 'abc', '-5', '1.234', '2.5.0', '1e3', '1234567890'])
      expect(parseAmount(bad, 'EUR')).toBeUndefined();
    expect(parseAmount('100.5', 'JPY')).toBeUndefined();
    expect(parseAmount('100', 'JPY')).toBe(100);
  });

  it('takes the decimals of the currency: none for yen, three for dinars', () => {
    expect(parseAmount('1234', 'JPY')).toBe(1234);
    expect(parseAmount('1.234', 'BHD')).toBe(1234);
    expect(parseAmount('1.2345', 'BHD')).toBeUndefined();
    expect(toMajorText(1234, 'JPY')).toBe('1234');
    expect(toMajorText(1234, 'BHD')).toBe('1.234');
  });

  it('reads back exactly the text it put in the field', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.constantFrom('EUR', 'JPY', 'BHD', 'KWD', 'TND', 'KRW', 'USD'),
        (minor, currency) => {
          expect(parseAmount(toMajorText(minor, currency), currency)).toBe(minor);
        },
      ),
    );
  });

  it('shows field text and rates', () => {
    expect(toMajorText(2050, 'EUR')).toBe('20.50');
    expect(toMajorText(-7, 'EUR')).toBe('-0.07');
    expect(formatRate(2000)).toBe('20%');
    expect(formatRate(550)).toBe('5.5%');
  });
});

describe('money on the register screen', () => {
  // The register formats in the browser's language; en-US here, so the expectations are exact.
  const onTill = (minor: number, currency: string) =>
    formatMoney(minor, currency, { locale: 'en-US' }).replace(/\u00a0/g, ' ');

  it('shows each currency with its own decimals', () => {
    expect(onTill(1234, 'JPY')).toBe('¥1,234');
    expect(onTill(1234, 'BHD')).toBe('BHD 1.234');
    expect(onTill(1234, 'EUR')).toBe('€12.34');
    expect(onTill(-7, 'EUR')).toBe('-€0.07');
  });

  it('follows the browser language when no locale is given', () => {
    expect(formatMoney(2050, 'EUR')).toMatch(/20[.,]50/);
    expect(formatMoney(500, 'JPY')).toMatch(/500/);
    expect(formatMoney(500, 'JPY')).not.toMatch(/5[.,]00/);
  });
});
