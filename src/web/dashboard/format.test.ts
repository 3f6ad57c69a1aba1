import { describe, expect, it } from 'vitest';
import { formatMoney } from './format.ts';

describe('money on the dashboard', () => {
  const shown = (minor: number, currency: string, compact = false) =>
    formatMoney(minor, currency, { compact }).replace(/\u00a0/g, ' ');

  it('shows minor units in the currency’s own decimals, not always cents', () => {
    expect(shown(1234, 'JPY')).toBe('JP¥1,234');
    expect(shown(1234, 'KRW')).toBe('₩1,234');
    expect(shown(1234, 'BHD')).toBe('BHD 1.234');
    expect(shown(1234, 'KWD')).toBe('KWD 1.234');
    expect(shown(1234, 'EUR')).toBe('€12.34');
    expect(shown(123_456_789, 'EUR')).toBe('€1,234,567.89');
  });

  it('shortens chart axis labels the same way', () => {
    expect(shown(150_000, 'EUR', true)).toBe('€1.5K');
    expect(shown(1_500_000, 'JPY', true)).toBe('JP¥1.5M');
  });
});
