import { describe, expect, it } from 'vitest';
import { formatMoney, formatRate, parseAmount, toMajorText } from './money.ts';

describe('amounts typed by the cashier', () => {
  it('reads whole and decimal amounts exactly, with a dot or a comma', () => {
    expect(parseAmount('20', 'EUR')).toBe(2000);
    expect(parseAmount('20.5', 'EUR')).toBe(2050);
    expect(parseAmount('20,50', 'EUR')).toBe(2050);
    expect(parseAmount(' 0.07 ', 'EUR')).toBe(7);
    expect(parseAmount('.5', 'EUR')).toBe(50);
    expect(parseAmount('1 234.56', 'USD')).toBe(123456);
    expect(parseAmount('1.1', 'EUR')).toBe(110); // 1.1 * 100 in floats is 110.00000000000001
  });

  it('refuses what is not an amount instead of guessing', () => {
    for (const bad of ['', '.', 'abc', '-5', '1.234', '2.5.0', '1e3'])
      expect(parseAmount(bad, 'EUR')).toBeUndefined();
    expect(parseAmount('100.5', 'JPY')).toBeUndefined();
    expect(parseAmount('100', 'JPY')).toBe(100);
  });

  it('shows minor units in the currency, and back as field text', () => {
    expect(formatMoney(2050, 'EUR')).toMatch(/20[.,]50/);
    expect(formatMoney(500, 'JPY')).toMatch(/500/);
    expect(toMajorText(2050, 'EUR')).toBe('20.50');
    expect(toMajorText(-7, 'EUR')).toBe('-0.07');
    expect(formatRate(2000)).toBe('20%');
    expect(formatRate(550)).toBe('5.5%');
  });
});
